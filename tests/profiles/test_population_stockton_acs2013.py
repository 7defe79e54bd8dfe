"""San Joaquin County (Stockton) tracts, ACS 2009-2013: totals and whole-percent race shares."""

from __future__ import annotations

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "stockton_population_tracts_acs2013"
FILE = ("stockton_san_joaquin_tract_demographics_acs2013", "san_joaquin_tracts_acs2009_2013.csv")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (139, 139, 0)
    return store


def test_139_tracts_and_the_county_total(loaded: Store) -> None:
    rows = loaded.con.execute(
        'SELECT dimension, "group", count(DISTINCT area_id), count(*) FROM population'
        " GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    assert rows == [
        ("race", "asian/pacific islander", 139, 139),
        ("race", "black", 139, 139),
        ("race", "hispanic", 139, 139),
        ("race", "white", 139, 139),
        ("total", "total", 139, 139),
    ]
    total = loaded.con.execute(
        "SELECT sum(\"count\") FROM population WHERE dimension = 'total'"
    ).fetchone()
    assert total == (693_177,)  # SOURCE.md: sum of total_population


def test_first_tract_shares_become_counts(loaded: Store) -> None:
    got = dict(
        loaded.con.execute(
            'SELECT "group", "count" FROM population WHERE area_id = ?', ["06077000100"]
        ).fetchall()
    )
    # geoid 06077000100: 3,568 residents, 12% white, 19% black, 13% asian, 48% hispanic.
    assert got["total"] == 3568
    assert got["white"] == pytest.approx(0.12 * 3568)
    assert got["black"] == pytest.approx(0.19 * 3568)
    assert got["asian/pacific islander"] == pytest.approx(0.13 * 3568)
    assert got["hispanic"] == pytest.approx(0.48 * 3568)
    # The GEOID keeps its leading zero (California is state 06).
    ids = loaded.con.execute("SELECT min(area_id), max(area_id) FROM population").fetchone()
    assert ids == ("06077000100", "06077005502")
