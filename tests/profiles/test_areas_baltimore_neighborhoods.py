"""Baltimore neighbourhoods (GeoJSON multipolygons, 278): ids are the title-case LABEL."""

from __future__ import annotations

import pytest
import shapely
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "baltimore_neighborhoods"
FILE = ("baltimore_neighborhoods_geo", "baltimore_neighborhoods.geojson")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (278, 278, 0)
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


def test_278_neighbourhoods(loaded: Store) -> None:
    row = loaded.con.execute(
        "SELECT count(DISTINCT area_id), min(area_id), min(city), min(area_set) FROM areas"
    ).fetchone()
    assert row == (278, "Abell", "Baltimore", "neighborhoods")
    # SOURCE.md: bbox lon -76.711 to -76.530, lat 39.197 to 39.372.
    assert bounds(loaded) == (-76.711, 39.197, -76.53, 39.372)
    assert areas_at(loaded, -76.6105, 39.2908) == ["Downtown"]  # City Hall
