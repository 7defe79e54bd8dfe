"""Hennepin County 2020 tracts (GeoJSON, 329, simplified): GEOIDs keep their leading digits."""

from __future__ import annotations

import pytest
import shapely
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "minneapolis_tracts_2020"
FILE = ("minneapolis_tracts_2020_geo", "hennepin_tracts_2020.geojson")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (329, 329, 0)
    return store


def areas_at(store: Store, lon: float, lat: float) -> list[str]:
    """Ids of the loaded polygons that contain a point (checked with shapely, not the loader)."""
    rows = store.con.execute("SELECT area_id, geometry FROM areas ORDER BY area_id").fetchall()
    point = shapely.Point(lon, lat)
    return [area_id for area_id, wkb in rows if shapely.from_wkb(wkb).contains(point)]


def bounds(store: Store) -> tuple[float, float, float, float]:
    row = store.con.execute(
        "SELECT min(xmin), min(ymin), max(xmax), max(ymax) FROM areas"
    ).fetchone()
    return (round(row[0], 3), round(row[1], 3), round(row[2], 3), round(row[3], 3))


def test_329_hennepin_tracts(loaded: Store) -> None:
    row = loaded.con.execute(
        "SELECT count(DISTINCT area_id), count(*) FILTER (area_id LIKE '27053______'),"
        " min(area_set), min(city) FROM areas"
    ).fetchone()
    assert row == (329, 329, "tracts_2020", "Minneapolis")
    # The whole county, reaching well west of the city (Lake Minnetonka and beyond).
    assert bounds(loaded) == (-93.768, 44.785, -93.177, 45.247)
    assert areas_at(loaded, -93.2581, 44.9736) == ["27053126102"]  # U.S. Bank Stadium
