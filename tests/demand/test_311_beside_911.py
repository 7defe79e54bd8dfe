"""311 requests load as calls beside 911 calls of the same city (hand-made Testville fixtures):
their own origin (other) and agency (311), classified by the shared base, and counted in the
demand tables; they carry no officer time."""

from __future__ import annotations

import pandas as pd
import pytest

from publicsafety.analysis.demand import demand_by, hour_of_week
from publicsafety.analysis.officer_time import measure_officer_time
from publicsafety.analysis.scope import ALL_EVENTS, COMMUNITY_ONLY, Scope
from publicsafety.engine import Store
from publicsafety.ingest import ingest_file
from publicsafety.taxonomy import classify
from tests.conftest import FIXTURES

DATA = FIXTURES / "demand"


@pytest.fixture
def testville(store: Store) -> Store:
    for name in ("testville_911", "testville_311"):
        ingest_file(store, DATA / f"{name}.csv", DATA / f"{name}.toml")
    classify(store, "Testville")
    measure_officer_time(store, "Testville")
    return store


def test_311_sits_beside_911(testville: Store) -> None:
    scope = Scope("Testville")
    agency = demand_by(testville, scope, "agency").set_index(["denominator", "agency"])
    assert int(agency.loc[(ALL_EVENTS, "police"), "calls"]) == 4
    assert int(agency.loc[(ALL_EVENTS, "311"), "calls"]) == 3
    assert agency.loc[(ALL_EVENTS, "311"), "share_of_calls"] == pytest.approx(3 / 7)
    # Officer time from dispatch: T-1 37 min, T-2 64, T-3 20 (on-view: from arrival), T-4 45.
    assert agency.loc[(ALL_EVENTS, "police"), "officer_hours"] == pytest.approx(166 / 60)
    assert pd.isna(agency.loc[(ALL_EVENTS, "311"), "officer_hours"])
    # Community-generated only: 911 and phone calls; 311 requests are "other".
    assert int(agency.loc[(COMMUNITY_ONLY, "police"), "calls"]) == 3
    assert (COMMUNITY_ONLY, "311") not in agency.index
    origin = demand_by(testville, scope, "origin").set_index(["denominator", "origin"])
    assert int(origin.loc[(ALL_EVENTS, "other"), "calls"]) == 3
    cat = demand_by(testville, scope, "category").set_index(["denominator", "category"])
    # Noise: one 911 call and one 311 request, side by side in one category.
    assert int(cat.loc[(ALL_EVENTS, "disorder"), "calls"]) == 2
    assert int(cat.loc[(ALL_EVENTS, "disorder"), "calls_with_officer_time"]) == 1


def test_311_hour_of_week(testville: Store) -> None:
    how = hour_of_week(testville, Scope("Testville", agencies=("311",))).set_index("hour_of_week")
    # Monday 2024-05-06 08:15 and 11:00; Tuesday 07:45.
    assert how["calls"].to_dict() == {8: 1, 11: 1, 24 + 7: 1}
    assert set(how["slots"]) == {1}
