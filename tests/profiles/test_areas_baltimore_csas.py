"""Baltimore Community Statistical Areas (GeoJSON, 55 CSAs plus the jail block)."""

from __future__ import annotations

import pytest
from tests.conftest import real_data
from tests.profiles.area_checks import areas_at, bounds

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


def test_56_areas_including_the_jail_block(loaded: Store) -> None:
    ids = {r[0] for r in loaded.con.execute("SELECT area_id FROM areas").fetchall()}
    assert len(ids) == 56
    assert "Unassigned -- Jail" in ids
    assert "Allendale/Irvington/S. Hilton" in ids
    assert areas_at(loaded, -76.6105, 39.2908) == ["Downtown/Seton Hill"]  # City Hall
    assert bounds(loaded) == (-76.711, 39.197, -76.53, 39.372)
