"""Portland police districts (shapefile in Oregon North state-plane international feet, 60)."""

from __future__ import annotations

import pytest
import shapely
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "portland_districts"
FILE = ("portland_police_districts_geo", "Portland_Police_Districts.shp")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (60, 60, 0)
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


def test_60_districts_land_on_portland(loaded: Store) -> None:
    ids = [r[0] for r in loaded.con.execute("SELECT area_id FROM areas ORDER BY 1").fetchall()]
    assert len(set(ids)) == 60 and (ids[0], ids[-1]) == ("510", "990")
    assert bounds(loaded) == (-122.837, 45.433, -122.455, 45.657)
    assert areas_at(loaded, -122.6793, 45.5189) == ["842"]  # Pioneer Courthouse Square
