"""New Orleans Neighborhood Statistical Areas (GeoJSON, 72): upper-case GNOCDC_LAB ids."""

from __future__ import annotations

import pytest
from tests.conftest import real_data
from tests.profiles.area_checks import areas_at, bounds

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "new_orleans_neighborhoods"
FILE = ("new_orleans_neighborhoods_geo", "neighborhoods.geojson")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (72, 72, 0)
    return store


def test_72_neighbourhoods(loaded: Store) -> None:
    row = loaded.con.execute(
        "SELECT count(DISTINCT area_id), count(*) FILTER (area_id = upper(area_id)), min(city)"
        " FROM areas"
    ).fetchone()
    # 71 ids are upper case; McDONOGH keeps its lower-case c.
    assert row == (72, 71, "New Orleans")
    assert loaded.count("areas", "area_id IN ('U.S. NAVAL BASE', 'McDONOGH', 'ST.  ANTHONY')") == 3
    assert areas_at(loaded, -90.0630, 29.9574) == ["FRENCH QUARTER"]  # Jackson Square
    assert bounds(loaded) == (-90.14, 29.866, -89.628, 30.175)
