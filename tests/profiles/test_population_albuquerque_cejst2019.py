"""Bernalillo County tracts, CEJST v1.0 (ACS 2015-2019): shares at two scales become counts."""

from __future__ import annotations

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "albuquerque_population_tracts_cejst2019"
FILE = (
    "albuquerque_bernalillo_tract_demographics_2010_2019",
    "bernalillo_tracts_cejst_v1_acs2015_2019.csv",
)


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (153, 153, 0)
    return store


def test_county_total_and_row_counts(loaded: Store) -> None:
    total = loaded.con.execute(
        "SELECT sum(\"count\"), count(*) FROM population WHERE dimension = 'total'"
    ).fetchone()
    assert total == (677_858, 153)  # SOURCE.md: ACS 2015-2019 county sum
    assert loaded.count("population") == 153 * 11


def test_fractions_and_whole_percents_both_scale_right(loaded: Store) -> None:
    got = {
        (d, g): c
        for d, g, c in loaded.con.execute(
            'SELECT dimension, "group", sum("count") FROM population'
            " WHERE area_id = '35001000107' GROUP BY ALL"
        ).fetchall()
    }
    # Tract 35001000107: 2,448 residents; White 0.73 (a fraction), poverty 3.0 (a whole percent).
    assert got[("total", "total")] == 2448
    assert got[("race", "white")] == pytest.approx(0.73 * 2448)
    assert got[("race", "hispanic")] == pytest.approx(0.16 * 2448)
    assert got[("race", "asian/pacific islander")] == pytest.approx((0.01 + 0.0) * 2448)
    assert got[("age_band", "65+")] == pytest.approx(0.31 * 2448)
    assert got[("poverty", "below_poverty")] == pytest.approx(0.03 * 2448)


def test_county_poverty_from_whole_percents(loaded: Store) -> None:
    # Sum over tracts of percent / 100 x population: 109,793.48 of 677,858 (16.2%). A scale
    # mistake (fraction vs percent) would be off by a factor of 100.
    poor = loaded.con.execute(
        "SELECT round(sum(\"count\"), 2) FROM population WHERE dimension = 'poverty'"
    ).fetchone()
    assert poor == (109_793.48,)
