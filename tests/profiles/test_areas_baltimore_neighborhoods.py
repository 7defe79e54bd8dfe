"""Baltimore neighbourhoods (GeoJSON multipolygons, 278): ids are the title-case LABEL."""

from __future__ import annotations

import pytest
from tests.conftest import real_data
from tests.profiles.area_checks import areas_at, bounds

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


def test_278_neighbourhoods(loaded: Store) -> None:
    row = loaded.con.execute(
        "SELECT count(DISTINCT area_id), min(area_id), min(city), min(area_set) FROM areas"
    ).fetchone()
    assert row == (278, "Abell", "Baltimore", "neighborhoods")
    # SOURCE.md: bbox lon -76.711 to -76.530, lat 39.197 to 39.372.
    assert bounds(loaded) == (-76.711, 39.197, -76.53, 39.372)
    assert areas_at(loaded, -76.6105, 39.2908) == ["Downtown"]  # City Hall
