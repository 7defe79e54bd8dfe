"""Demand tables on every real calls file: totals add up to the calls loaded, shares add up to
one per stated denominator, and the top call type, community-generated counts and an hour-of-week
cell equal what DuckDB computes by hand from the raw file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from publicsafety.analysis.demand import (
    WITHHELD,
    demand_by,
    demand_by_area,
    demand_tables,
    hour_of_week,
)
from publicsafety.analysis.scope import ALL_EVENTS, COMMUNITY_ONLY, Scope
from publicsafety.engine import Store
from publicsafety.privacy import sensitive_kind
from tests.demand.real import (
    ALEXANDRIA_COMMUNITY,
    ALEXANDRIA_EXCLUDED,
    ALEXANDRIA_FROM,
    NOLA_EXCLUDED,
    load,
    raw,
)
from tests.taxonomy.test_end_to_end import LOADED

pytestmark = pytest.mark.real_data

# Raw call-type column and the rows the profile keeps (void, duplicate and test calls excluded).
RAW = {
    "New Orleans": ("TypeText", f"Disposition NOT IN ({NOLA_EXCLUDED})"),
    "Portland": ('"CASE DESC"', "true"),
    "Sacramento": ("Description", "true"),
    "Seattle": ('"Final Call Type"', "true"),
    "Alexandria": ("Problem", f"coalesce(Disposition, '') NOT IN ({ALEXANDRIA_EXCLUDED})"),
    "Albuquerque": ("description", "true"),
}
TOP = {
    "New Orleans": ("AUTO ACCIDENT", 881),
    "Portland": ("UNWANTED PERSON", 6345),
    "Sacramento": ("DISTURBANCE-CLARIFY", 4251),
    "Seattle": ("--SUSPICIOUS CIRCUM. - SUSPICIOUS PERSON", 30),
    "Alexandria": ("TRAFFIC STOP", 2052),
    "Albuquerque": ("SUSP PERS/VEHS", 6610),
}


@pytest.mark.parametrize("city", list(RAW))
def test_tables_add_up_and_top_type_matches_raw(city: str) -> None:
    store = load(city)
    column, keep = RAW[city]
    top_raw = store.con.execute(
        f"SELECT trim({column}), count(*) AS n FROM {raw(city)} WHERE {keep} GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1"
    ).fetchone()
    tables = demand_tables(store, Scope(city)).tables
    for name in (
        "by_category",
        "by_responder",
        "by_origin",
        "by_priority",
        "by_disposition",
        "by_month",
    ):
        t = tables[name]
        every = t[t["denominator"] == ALL_EVENTS]
        assert int(every["calls"].sum()) == LOADED[city], name
        assert every["share_of_calls"].sum() == pytest.approx(1.0), name
        comm = t[t["denominator"] == COMMUNITY_ONLY]
        if len(comm):
            assert comm["share_of_calls"].sum() == pytest.approx(1.0), name
    top = tables["top_call_types"].iloc[0]
    assert top_raw is not None and (top["call_type"], int(top["calls"])) == top_raw
    assert top_raw == TOP[city]
    store.close()


@pytest.fixture(scope="module")
def alexandria() -> Iterator[Store]:
    s = load("Alexandria")
    yield s
    s.close()


ALEX = Scope("Alexandria", agencies=("police",), since=date(2025, 10, 5))


def test_alexandria_hour_of_week_matches_raw(alexandria: Store) -> None:
    """Police calls of weeks 41-52: Monday 17:00 hand-counted from Response_Date; 12 Mondays."""
    hand = alexandria.con.execute(
        f"""SELECT count(*) FROM {raw("Alexandria")}
            WHERE Agency = 'POLICE' AND Response_Date >= '{ALEXANDRIA_FROM}'
              AND coalesce(Disposition, '') NOT IN ({ALEXANDRIA_EXCLUDED})
              AND isodow(Response_Date::TIMESTAMP) = 1 AND hour(Response_Date::TIMESTAMP) = 17"""
    ).fetchone()
    how = hour_of_week(alexandria, ALEX).set_index("hour_of_week")
    assert len(how) == 168 and int(how["calls"].sum()) == 14384
    cell = how.loc[17]
    assert (cell["day"], cell["hour"]) == ("Monday", 17)
    assert hand is not None and int(cell["calls"]) == hand[0]
    assert int(cell["slots"]) == 12  # Mondays from 2025-10-06 to 2025-12-22
    assert cell["calls_per_week"] == pytest.approx(hand[0] / 12)
    sunday_late = how.loc[167]
    assert (sunday_late["day"], sunday_late["hour"], int(sunday_late["slots"])) == (
        "Sunday",
        23,
        12,
    )
    # The busiest hour of the week and its count, as measured.
    assert (int(how["calls"].idxmax()), int(how["calls"].max())) == (hand_busiest(alexandria))


def hand_busiest(store: Store) -> tuple[int, int]:
    row = store.con.execute(
        f"""SELECT (isodow(t) - 1) * 24 + hour(t) AS h, count(*) AS n FROM (
              SELECT Response_Date::TIMESTAMP AS t FROM {raw("Alexandria")}
              WHERE Agency = 'POLICE' AND Response_Date >= '{ALEXANDRIA_FROM}'
                AND coalesce(Disposition, '') NOT IN ({ALEXANDRIA_EXCLUDED}))
            GROUP BY 1 ORDER BY n DESC, h LIMIT 1"""
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_alexandria_community_denominator_and_hours(alexandria: Store) -> None:
    t = demand_by(alexandria, ALEX, "category")
    comm = t[t["denominator"] == COMMUNITY_ONLY]
    hand = alexandria.con.execute(
        f"""SELECT count(*) FROM {raw("Alexandria")}
            WHERE Agency = 'POLICE' AND Response_Date >= '{ALEXANDRIA_FROM}'
              AND coalesce(Disposition, '') NOT IN ({ALEXANDRIA_EXCLUDED})
              AND upper(Call_Reception) IN ({ALEXANDRIA_COMMUNITY})"""
    ).fetchone()
    assert hand == (10277,) and int(comm["calls"].sum()) == 10277
    hours = alexandria.con.execute(
        "SELECT sum(officer_minutes) / 60 FROM calls WHERE agency = 'police' AND received_at >= '2025-10-05'"
    ).fetchone()
    every = t[t["denominator"] == ALL_EVENTS]
    assert hours is not None and every["officer_hours"].sum() == pytest.approx(hours[0])
    assert every["share_of_officer_hours"].sum() == pytest.approx(1.0)


def test_new_orleans_areas_population_and_withheld_sensitive_calls() -> None:
    store = load(
        "New Orleans",
        areas=(
            ("new_orleans_neighborhoods_geo", "neighborhoods.geojson", "new_orleans_neighborhoods"),
            (
                "new_orleans_neighborhood_profiles_datacenter_2020",
                "Neighborhood profiles data tables.xlsx",
                "new_orleans_population_neighborhoods_2018",
            ),
        ),
    )
    scope = Scope("New Orleans")
    t = demand_tables(store, scope).tables
    areas = t["by_area_neighborhoods"]
    assert int(areas["calls"].sum()) == 7203
    assert (
        int(areas.loc[areas["area_id"].isna(), "calls"].iloc[0]) == 7203 - 6969
    )  # no point / outside
    assert areas["residents"].sum() <= 389648 and areas["residents"].notna().sum() >= 60
    placed = areas.dropna(subset=["residents"])
    assert (
        placed["calls_per_1000_residents"] == 1000 * placed["calls"] / placed["residents"]
    ).all()
    # Sensitive call types keep their count but lose their place and time (privacy rules).
    types = duckdb.sql(
        f"SELECT TypeText FROM {raw('New Orleans')} WHERE Disposition NOT IN ({NOLA_EXCLUDED})"
    )
    sensitive = sum(1 for (v,) in types.fetchall() if sensitive_kind(v) is not None)
    assert sensitive > 0
    withheld = demand_by_area(store, scope, "neighborhoods", withhold_sensitive=True)
    assert int(withheld.loc[withheld["area_id"] == WITHHELD, "calls"].iloc[0]) == sensitive
    assert int(withheld["calls"].sum()) == 7203
    how = hour_of_week(store, scope, withhold_sensitive=True)
    assert int(how.loc[how["day"] == WITHHELD, "calls"].iloc[0]) == sensitive
    assert int(how["calls"].sum()) == 7203
    store.close()
