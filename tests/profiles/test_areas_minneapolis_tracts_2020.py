"""Hennepin County 2020 tracts (GeoJSON, 329, simplified): GEOIDs keep their leading digits."""

from __future__ import annotations

import pytest
from tests.conftest import real_data
from tests.profiles.area_checks import areas_at, bounds

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


def test_329_hennepin_tracts(loaded: Store) -> None:
    row = loaded.con.execute(
        "SELECT count(DISTINCT area_id), count(*) FILTER (area_id LIKE '27053______'),"
        " min(area_set), min(city) FROM areas"
    ).fetchone()
    assert row == (329, 329, "tracts_2020", "Minneapolis")
    # The whole county, reaching well west of the city (Lake Minnetonka and beyond).
    assert bounds(loaded) == (-93.768, 44.785, -93.177, 45.247)
    assert areas_at(loaded, -93.2581, 44.9736) == ["27053126102"]  # U.S. Bank Stadium
