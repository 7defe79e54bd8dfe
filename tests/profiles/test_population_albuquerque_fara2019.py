"""Bernalillo County tracts, USDA FARA 2019: 2010 census counts by race and age, poverty estimate."""

from __future__ import annotations

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "albuquerque_population_tracts_fara2019"
FILE = ("albuquerque_bernalillo_tract_demographics_2010_2019", "bernalillo_tracts_fara2019.csv")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (153, 153, 0)
    return store


def sums(store: Store) -> dict[tuple[str, str], float]:
    rows = store.con.execute(
        'SELECT dimension, "group", sum("count") FROM population GROUP BY ALL ORDER BY ALL'
    ).fetchall()
    return {(d, g): c for d, g, c in rows}


def test_county_totals_match_the_2010_census(loaded: Store) -> None:
    got = sums(loaded)
    assert got[("total", "total")] == 662_564  # the 2010 census count for Bernalillo County
    race_alone = ["white", "black", "asian/pacific islander", "native american", "other"]
    # Race-alone groups (Hispanic residents included) add up exactly to the total ...
    assert sum(got[("race", g)] for g in race_alone) == 662_564
    assert got[("race", "white")] == 459_660
    assert got[("race", "asian/pacific islander")] == 15_525 + 695  # Asian + NHOPI rows
    # ... and Hispanic of any race overlaps them.
    assert got[("race", "hispanic")] == 317_089
    assert got[("age_band", "0-17")] == 159_130
    assert got[("age_band", "65+")] == 81_014


def test_one_tract_row_by_row(loaded: Store) -> None:
    rows = loaded.con.execute(
        'SELECT dimension, "group", "count", year, source FROM population'
        ' WHERE area_id = \'35001000107\' ORDER BY dimension, "group", "count"'
    ).fetchall()
    counts = [(d, g, c) for d, g, c, _, _ in rows]
    assert counts[:2] == [("age_band", "0-17", 467), ("age_band", "65+", 621)]
    assert ("race", "asian/pacific islander", 3) in counts  # NHOPI
    assert ("race", "asian/pacific islander", 52) in counts  # Asian
    poverty = [r for r in rows if r[0] == "poverty"]
    # 4.2% poor (ACS 2014-2018) of 2,715 residents (2010).
    assert poverty[0][2] == pytest.approx(0.042 * 2715)
    assert poverty[0][3:] == (
        2018,
        "USDA FARA 2019: ACS 2014-2018 poverty rate x 2010 Census population",
    )
    hispanic = [r for r in rows if r[1] == "hispanic"]
    assert hispanic == [
        (
            "race",
            "hispanic",
            426,
            2010,
            "USDA FARA 2019: 2010 Census, Hispanic or Latino of any race (overlaps the race rows)",
        )
    ]
    assert len(rows) == 11


def test_every_row_keys_a_2010_tract(loaded: Store) -> None:
    row = loaded.con.execute(
        "SELECT count(DISTINCT area_id), min(area_set), max(area_set), min(city), max(city),"
        " count(*) FROM population"
    ).fetchone()
    assert row == (153, "tracts_2010", "tracts_2010", "Albuquerque", "Albuquerque", 153 * 11)
