"""Minneapolis neighbourhood population 2015 (carData MplsDemo): 84 neighbourhoods, shares x total."""

from __future__ import annotations

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "minneapolis_population_neighborhoods_2015"


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(
        store,
        real_data("minneapolis_neighborhood_demographics_2015", "mpls_demo_2015.csv"),
        PROFILE,
    )
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (84, 84, 0)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    return store


def test_every_neighbourhood_has_a_total_and_two_race_rows(loaded: Store) -> None:
    rows = loaded.con.execute(
        'SELECT dimension, "group", count(*), count(DISTINCT area_id), round(sum("count"))'
        " FROM population GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    # 84 neighbourhoods x (total, white, black); 401,606 residents (the sum of `population`).
    assert rows == [
        ("race", "black", 84, 84, round(sum_shares("black"))),
        ("race", "white", 84, 84, round(sum_shares("white"))),
        ("total", "total", 84, 84, 401_606.0),
    ]


def sum_shares(column: str) -> float:
    """Share x population summed straight from the file, independently of ingest."""
    import csv

    path = real_data("minneapolis_neighborhood_demographics_2015", "mpls_demo_2015.csv")
    with path.open(newline="", encoding="utf-8") as f:
        return sum(float(r[column]) * float(r["population"]) for r in csv.DictReader(f))


def test_cedar_riverside_counts_are_share_times_population(loaded: Store) -> None:
    got = dict(
        loaded.con.execute(
            'SELECT "group", "count" FROM population WHERE area_id = ? ORDER BY "group"',
            ["Cedar Riverside"],
        ).fetchall()
    )
    assert got["total"] == 8247
    assert got["white"] == pytest.approx(0.353 * 8247)
    assert got["black"] == pytest.approx(0.464 * 8247)


def test_trace_and_constants(loaded: Store) -> None:
    row = loaded.con.execute(
        "SELECT city, area_set, year, source, source_file, source_line FROM population"
        " WHERE area_id = 'Phillips West' AND dimension = 'total'"
    ).fetchone()
    assert row == (
        "Minneapolis",
        "neighborhoods",
        2015,
        "Minnesota Compass, ACS 2015 (carData MplsDemo)",
        "mpls_demo_2015.csv",
        3,
    )
    # The three neighbourhoods without housing have no row at all (not a zero).
    missing = loaded.con.execute(
        "SELECT count(*) FROM population WHERE area_id IN"
        " ('Camden Industrial', 'Humboldt Industrial Area', 'Near - North')"
    ).fetchone()
    assert missing == (0,)
