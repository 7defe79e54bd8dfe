"""Portland police districts (shapefile in Oregon North state-plane international feet, 60)."""

from __future__ import annotations

import pytest
from tests.conftest import real_data
from tests.profiles.area_checks import areas_at, bounds

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


def test_60_districts_land_on_portland(loaded: Store) -> None:
    ids = [r[0] for r in loaded.con.execute("SELECT area_id FROM areas ORDER BY 1").fetchall()]
    assert len(set(ids)) == 60 and (ids[0], ids[-1]) == ("510", "990")
    assert bounds(loaded) == (-122.837, 45.433, -122.455, 45.657)
    assert areas_at(loaded, -122.6793, 45.5189) == ["842"]  # Pioneer Courthouse Square
