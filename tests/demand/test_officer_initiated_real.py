"""Officer-initiated activity on the real files: share, outcomes and per-area rates compared with
counts DuckDB computes by hand from the raw file."""

from __future__ import annotations

from datetime import date

import pytest

from publicsafety.analysis.officer_initiated import (
    by_area,
    by_hour_of_week,
    by_type,
    origin_share,
    outcomes,
)
from publicsafety.analysis.scope import Scope
from tests.demand.real import ALEXANDRIA_EXCLUDED, ALEXANDRIA_FROM, NOLA_EXCLUDED, load, raw

pytestmark = pytest.mark.real_data


def test_new_orleans_share_outcomes_and_neighborhoods() -> None:
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
    hand = store.con.execute(
        f"""SELECT count(*) FILTER (WHERE SelfInitiated = 'Y'),
                   count(*) FILTER (WHERE SelfInitiated = 'Y' AND Disposition = 'RTF'),
                   count(*) FILTER (WHERE SelfInitiated = 'N' AND Disposition IN ('GOA', 'UNF')),
                   count(*)
            FROM {raw("New Orleans")} WHERE Disposition NOT IN ({NOLA_EXCLUDED})"""
    ).fetchone()
    assert hand == (831, 490, 945, 7203)
    share = origin_share(store, scope)
    assert (share.officer, share.events) == (831, 7203)
    assert "11.5%" in share.sentence_note()
    out = outcomes(store, scope).set_index(["origin", "outcome"])
    assert int(out.loc[("officer", "report"), "calls"]) == 490
    assert out.loc[("officer", "report"), "share"] == pytest.approx(490 / 831)
    # Mapped on DispositionText; the hand count uses the codes GOA and UNF.
    assert int(out.loc[("community", "no_action"), "calls"]) == hand[2]
    areas = by_area(store, scope, "neighborhoods")
    assert int(areas["officer_initiated"].sum()) == 831
    assert int(areas["community_calls"].sum()) == 6372
    row = areas.dropna(subset=["residents"]).sort_values("officer_initiated").iloc[-1]
    assert row["officer_initiated_per_1000_residents"] == pytest.approx(
        1000 * row["officer_initiated"] / row["residents"]
    )
    assert row["officer_per_community_call"] == pytest.approx(
        row["officer_initiated"] / row["community_calls"]
    )
    types = by_type(store, scope, 3)
    assert types["call_type"].tolist()[:2] == ["COMPLAINT OTHER", "TRAFFIC STOP"]
    assert types["calls"].tolist()[:2] == [151, 99]
    how = by_hour_of_week(store, scope)
    assert int(how["calls"].sum()) == 831
    store.close()


def test_alexandria_officer_initiated_end_in_citations() -> None:
    """Police, weeks 41-52: Call_Reception OFFICER; CI-Citation read as a citation."""
    store = load("Alexandria")
    scope = Scope("Alexandria", agencies=("police",), since=date(2025, 10, 5))
    hand = store.con.execute(
        f"""SELECT count(*) FILTER (WHERE Call_Reception = 'OFFICER'),
                   count(*) FILTER (WHERE Call_Reception = 'OFFICER' AND Disposition = 'CI-Citation'),
                   count(*) FILTER (WHERE Call_Reception = 'OFFICER' AND Disposition IN ('RE-Report', 'ACOR-Animal Control Report', 'SUP-Supplement'))
            FROM {raw("Alexandria")}
            WHERE Agency = 'POLICE' AND Response_Date >= '{ALEXANDRIA_FROM}'
              AND coalesce(Disposition, '') NOT IN ({ALEXANDRIA_EXCLUDED})"""
    ).fetchone()
    assert hand == (3096, 1052, 139)
    out = outcomes(store, scope).set_index(["origin", "outcome"])
    assert int(out.loc[("officer", "citation"), "calls"]) == hand[1]
    assert int(out.loc[("officer", "report"), "calls"]) == hand[2]
    assert out.xs("officer")["calls"].sum() == hand[0]
    assert origin_share(store, scope).officer == hand[0]
    top = by_type(store, scope, 1).iloc[0]
    assert (top["call_type"], int(top["calls"])) == ("TRAFFIC STOP", 1795)
    assert top["officer_hours"] > 0
    store.close()


def test_albuquerque_onsite_activity_per_tract() -> None:
    """Albuquerque marks officer-initiated activity by call type (ONSITE ..., TRAFFIC STOP)."""
    store = load(
        "Albuquerque",
        areas=(
            (
                "albuquerque_bernalillo_tracts_2010_geo",
                "bernalillo_tracts_2010.geojson",
                "albuquerque_tracts_2010",
            ),
            (
                "albuquerque_bernalillo_tract_demographics_2010_2019",
                "bernalillo_tracts_fara2019.csv",
                "albuquerque_population_tracts_fara2019",
            ),
        ),
    )
    hand = store.con.execute(
        f"""SELECT count(*) FILTER (WHERE description IN ('ONSITE SUSPICIOU', 'ONSITE TRAFFIC',
                   'ONSITE DISTURBAN', 'ONSITE AUTO THEF', 'TRAFFIC STOP')) FROM {raw("Albuquerque")}"""
    ).fetchone()
    scope = Scope("Albuquerque")
    assert hand is not None and origin_share(store, scope).officer == hand[0]
    areas = by_area(store, scope, "tracts_2010")
    assert int(areas["officer_initiated"].sum()) == hand[0]
    assert int(areas["calls"].sum()) == 30000
    with_pop = areas.dropna(subset=["residents"])
    assert len(with_pop) > 100
    assert with_pop["officer_initiated_per_1000_residents"].notna().all()
    assert outcomes(store, scope).empty  # no dispositions in this extract
    store.close()


def test_portland_origin_not_recorded() -> None:
    store = load("Portland")
    share = origin_share(store, Scope("Portland"))
    assert not share.measurable and share.officer == 0 and share.events == 55508
    assert "cannot be separated" in share.sentence_note()
    store.close()
