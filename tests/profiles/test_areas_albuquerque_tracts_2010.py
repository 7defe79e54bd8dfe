"""Bernalillo County 2010 TIGER tracts (GeoJSON, 153): the key of the 2010 tract tables."""

from __future__ import annotations

import csv

import pytest
from tests.conftest import real_data
from tests.profiles.area_checks import areas_at, bounds

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "albuquerque_tracts_2010"
FILE = ("albuquerque_bernalillo_tracts_2010_geo", "bernalillo_tracts_2010.geojson")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (153, 153, 0)
    return store


def test_153_tracts_join_the_fara_table(loaded: Store) -> None:
    names = dict(loaded.con.execute("SELECT area_id, name FROM areas").fetchall())
    assert len(names) == 153
    assert names["35001000126"] == "Census Tract 1.26"
    path = real_data(
        "albuquerque_bernalillo_tract_demographics_2010_2019", "bernalillo_tracts_fara2019.csv"
    )
    with path.open(newline="", encoding="utf-8") as f:
        geoids = {r["GEOID10"] for r in csv.DictReader(f)}
    assert geoids == set(names)
    assert areas_at(loaded, -106.6698, 35.0962) == ["35001002600"]  # Old Town plaza
    assert bounds(loaded) == (-107.196, 34.869, -106.15, 35.22)
