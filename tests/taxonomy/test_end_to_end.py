"""Ingest each real calls file through its profile, classify in the engine, and measure the map's
coverage on the canonical calls table (rows the profile quarantines are not calls)."""

from __future__ import annotations

import pytest

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file
from publicsafety.taxonomy import classify, unmapped
from tests.conftest import ROOT, real_data
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


def documented_time_table() -> dict[str, list[str]]:
    text = (ROOT / "docs" / "category-shares.md").read_text(encoding="utf-8")
    lines = text.split("| category | share of police calls |", 1)[1].splitlines()[2:]
    table = {}
    for line in lines:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        table[cells[0]] = cells[1:]
    return table


def test_alexandria_officer_time_by_category(store: Store) -> None:
    """Police calls of the complete weeks 41-52 (SOURCE.md): share of calls and of call time
    (clear minus arrival or dispatch, 0-24 h) per category, for all calls and for calls not
    started by an officer; must match the table in docs/category-shares.md."""
    ingest(store, "Alexandria")
    classify(store, "Alexandria")
    rows = store.con.execute(
        """
        WITH c AS (
          SELECT category, origin IS DISTINCT FROM 'officer' AS not_officer,
                 CASE WHEN cleared_at >= coalesce(arrived_at, dispatched_at)
                       AND cleared_at - coalesce(arrived_at, dispatched_at) <= INTERVAL 24 HOUR
                      THEN epoch(cleared_at - coalesce(arrived_at, dispatched_at)) / 3600.0 END AS hours
          FROM calls
          WHERE upper(agency) = 'POLICE' AND received_at >= TIMESTAMP '2025-10-05'
        )
        SELECT category, count(*), coalesce(sum(hours), 0),
               count(*) FILTER (WHERE not_officer), coalesce(sum(hours) FILTER (WHERE not_officer), 0)
        FROM c GROUP BY category ORDER BY category
        """
    ).fetchall()
    assert sum(r[1] for r in rows) == 14_384  # duplicates and test calls are quarantined
    totals = [sum(r[i] for r in rows) for i in range(1, 5)]
    documented = documented_time_table()
    assert set(documented) == {r[0] for r in rows}
    for row in rows:
        got = [f"{100 * row[i] / totals[i - 1]:.1f}" for i in range(1, 5)]
        assert got == documented[row[0]], row[0]
    violent = next(r for r in rows if r[0] == "violent_crime")
    assert violent[1] == 59
