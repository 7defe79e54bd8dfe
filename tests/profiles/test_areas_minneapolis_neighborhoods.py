"""Minneapolis neighbourhoods (GeoJSON, 87): ids are BDNAME, the name the stop data uses."""

from __future__ import annotations

import csv

import pytest
from tests.conftest import real_data
from tests.profiles.area_checks import areas_at, bounds

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "minneapolis_neighborhoods"
FILE = ("minneapolis_neighborhoods_geo", "Neighborhoods.geojson")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (87, 87, 0)
    return store


def test_87_neighbourhoods_in_minneapolis(loaded: Store) -> None:
    row = loaded.con.execute(
        "SELECT count(DISTINCT area_id), min(city), max(area_set), count(*) FILTER (name = area_id)"
        " FROM areas"
    ).fetchone()
    assert row == (87, "Minneapolis", "neighborhoods", 87)
    assert bounds(loaded) == (-93.329, 44.891, -93.194, 45.051)
    assert areas_at(loaded, -93.2581, 44.9736) == ["Downtown East"]  # U.S. Bank Stadium


def test_every_stop_neighbourhood_is_an_area_id(loaded: Store) -> None:
    path = real_data("minneapolis_stops_2017", "mpls_stops_2017.csv")
    with path.open(newline="", encoding="utf-8") as f:
        names = {r["neighborhood"] for r in csv.DictReader(f) if r["neighborhood"]}
    ids = {r[0] for r in loaded.con.execute("SELECT area_id FROM areas").fetchall()}
    assert len(names) == 87
    assert names == ids
