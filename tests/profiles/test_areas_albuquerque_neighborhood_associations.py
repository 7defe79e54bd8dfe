"""Albuquerque neighbourhood associations (GeoJSON, 287 overlapping areas; coalitions excluded)."""

from __future__ import annotations

import pytest
import shapely
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "albuquerque_neighborhood_associations"
FILE = ("albuquerque_neighborhood_associations_geo", "abq_neighborhood_associations_2018.geojson")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (287, 274, 13)
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


EXCLUDED = "coalition or notify list, not a neighborhood association: it overlaps the associations"


def read_all(store: Store) -> Store:
    """Load without asserting the exclusion, for checks that hold either way."""
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert result.rows_read == 287 == result.rows_loaded + result.rows_quarantined
    return store


def test_codes_are_ids_and_names_are_association_names(store: Store) -> None:
    read_all(store)
    got = dict(store.con.execute("SELECT area_id, name FROM areas").fetchall())
    assert got["MSM"] == "Mossman NA"
    # Old Town is covered by three associations at once: these areas overlap.
    assert areas_at(store, -106.6698, 35.0962) == ["HOT", "OTA", "OTB"]


def test_coalitions_and_notify_lists_are_quarantined(loaded: Store) -> None:
    reasons = loaded.con.execute("SELECT reason, count(*) FROM quarantine GROUP BY 1").fetchall()
    assert reasons == [(EXCLUDED, 13)]
    assert loaded.count("areas", "name LIKE '%Coalition%' OR name LIKE '%Notify List%'") == 0
    assert loaded.count("areas", "area_id = 'MSM'") == 1
