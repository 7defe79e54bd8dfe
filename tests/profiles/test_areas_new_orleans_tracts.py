"""Orleans Parish tracts (shapefile, WGS84, 148) with ACS 2017 total population per tract."""

from __future__ import annotations

import pytest
from tests.conftest import real_data
from tests.profiles.area_checks import bounds

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "new_orleans_tracts"
FILE = ("new_orleans_census_tracts_geo", "tracts.shp")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (148, 148, 0)
    return store


def test_148_tracts_with_population(loaded: Store) -> None:
    row = loaded.con.execute(
        "SELECT count(DISTINCT area_id), sum(population), count(population), min(area_set)"
        " FROM areas"
    ).fetchone()
    assert row == (148, 319_354, 148, "tracts_2010")
    empty = loaded.con.execute("SELECT area_id FROM areas WHERE population = 0").fetchall()
    assert empty == [("22071001600",)]
    first = loaded.con.execute(
        "SELECT population, source_line FROM areas WHERE area_id = '22071010200'"
    ).fetchone()
    assert first == (1909, 1)  # the first record of the .dbf
    # SOURCE.md: bbox lon -90.134 to -89.830, lat 29.907 to 30.153.
    assert bounds(loaded) == (-90.134, 29.907, -89.83, 30.153)
