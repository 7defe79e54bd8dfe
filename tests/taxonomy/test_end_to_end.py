"""Ingest each real calls file through its profile, classify in the engine, and measure the map's
coverage on the canonical calls table (rows the profile quarantines are not calls)."""

from __future__ import annotations

import pytest

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file
from publicsafety.taxonomy import classify, unmapped
from tests.conftest import real_data
from tests.taxonomy.realtypes import REAL_FILES

pytestmark = pytest.mark.real_data

PROFILES = {
    "New Orleans": "new_orleans_calls_rtcc",
    "Portland": "portland_calls",
    "Sacramento": "sacramento_calls",
    "Seattle": "seattle_calls",
    "Alexandria": "alexandria_calls",
    "Albuquerque": "albuquerque_calls_2020",
}
# Calls loaded (rows read minus rows the profile quarantines, e.g. NOPD void/duplicate/test).
LOADED = {
    "New Orleans": 7203,
    "Portland": 55508,
    "Sacramento": 25000,
    "Seattle": 222,
    "Alexandria": 28646,
    "Albuquerque": 30000,
}


def ingest(store: Store, city: str) -> None:
    folder, name, _, _ = REAL_FILES[city]
    result = ingest_file(store, real_data(folder, name), PROFILES[city])
    assert result.rows_loaded == LOADED[city]


@pytest.mark.parametrize("city", sorted(PROFILES))
def test_ingest_classify_coverage(store: Store, city: str) -> None:
    ingest(store, city)
    [res] = classify(store, city)
    assert res.calls == LOADED[city]
    assert res.coverage >= 0.98
    assert (res.by_map, res.unmapped) == (LOADED[city], 0)
    assert unmapped(store, city).empty
    assert store.count("calls", "category_rule NOT LIKE 'map %'") == 0


def test_seattle_keeps_initial_type_and_classifies_on_final(store: Store) -> None:
    ingest(store, "Seattle")
    classify(store, "Seattle")
    # First row of the file: queued as reckless burning, closed as a suspicious person.
    row = store.con.execute(
        "SELECT initial_call_type, call_type, category, category_rule FROM calls WHERE call_id = '2023000319821'"
    ).fetchone()
    assert row is not None
    assert row[0] == "BURN - RECKLESS BURNING"
    assert row[1] == "--SUSPICIOUS CIRCUM. - SUSPICIOUS PERSON"
    assert row[2] == "disorder"
    assert row[3].startswith("map seattle.csv:") and row[3].endswith(" suspicious")


def test_alexandria_officer_time_by_category(store: Store) -> None:
    """Police calls of the complete weeks 41-52 (SOURCE.md): share of calls and of call time
    (clear minus arrival or dispatch, 0-24 h) per category; cited in docs/category-shares.md."""
    ingest(store, "Alexandria")
    classify(store, "Alexandria")
    rows = store.con.execute(
        """
        WITH c AS (
          SELECT category,
                 CASE WHEN cleared_at >= coalesce(arrived_at, dispatched_at)
                       AND cleared_at - coalesce(arrived_at, dispatched_at) <= INTERVAL 24 HOUR
                      THEN epoch(cleared_at - coalesce(arrived_at, dispatched_at)) / 3600.0 END AS hours
          FROM calls
          WHERE upper(agency) = 'POLICE' AND received_at >= TIMESTAMP '2025-10-05'
        )
        SELECT category, count(*) AS calls, sum(hours) AS hours FROM c GROUP BY category ORDER BY category
        """
    ).fetchall()
    calls = {r[0]: r[1] for r in rows}
    hours = {r[0]: r[2] or 0.0 for r in rows}
    total_calls, total_hours = sum(calls.values()), sum(hours.values())
    assert calls["violent_crime"] == 86
    assert round(100 * calls["violent_crime"] / total_calls, 1) == 0.6
    assert round(100 * hours["violent_crime"] / total_hours, 1) == 1.3
    assert round(100 * hours["administrative"] / total_hours, 1) == 30.3
