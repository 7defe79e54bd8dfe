"""Baltimore Community Statistical Areas (GeoJSON, 55 CSAs plus the jail block)."""

from __future__ import annotations

import pytest
import shapely
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "baltimore_csas"
FILE = ("baltimore_csa_geo", "baltimore_csa2010.geojson")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (56, 56, 0)
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


def test_56_areas_including_the_jail_block(loaded: Store) -> None:
    ids = {r[0] for r in loaded.con.execute("SELECT area_id FROM areas").fetchall()}
    assert len(ids) == 56
    assert "Unassigned -- Jail" in ids
    assert "Allendale/Irvington/S. Hilton" in ids
    assert areas_at(loaded, -76.6105, 39.2908) == ["Downtown/Seton Hill"]  # City Hall
    assert bounds(loaded) == (-76.711, 39.197, -76.53, 39.372)
