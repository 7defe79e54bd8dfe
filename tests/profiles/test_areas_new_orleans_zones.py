"""NOPD police zones (shapefile in Louisiana South state-plane feet, 126): reprojected to WGS84."""

from __future__ import annotations

import pytest
from tests.conftest import real_data
from tests.profiles.area_checks import areas_at, bounds

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "new_orleans_zones"
FILE = ("new_orleans_police_zones_geo", "NOPD_Police_Zones.shp")


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (126, 126, 0)
    return store


def test_126_zones_land_on_new_orleans(loaded: Store) -> None:
    ids = [r[0] for r in loaded.con.execute("SELECT area_id FROM areas ORDER BY 1").fetchall()]
    assert len(ids) == len(set(ids)) == 126
    assert (ids[0], ids[-1]) == ("1A", "8J")
    # State-plane feet read as degrees would be millions; reprojected, the zones cover the city.
    xmin, ymin, xmax, ymax = bounds(loaded)
    assert -90.14 <= xmin < xmax <= -89.62 and 29.86 <= ymin < ymax <= 30.2
    assert areas_at(loaded, -90.0630, 29.9574) == ["8C"]  # Jackson Square, 8th District


def test_zone_is_the_first_two_characters_of_a_beat(loaded: Store) -> None:
    # District digit + zone letter: every zone id starts with its district number 1-8.
    districts = loaded.con.execute(
        "SELECT left(area_id, 1) AS d, count(*) FROM areas GROUP BY d ORDER BY d"
    ).fetchall()
    assert districts == [("1", 13), ("2", 19), ("3", 24), ("4", 11), ("5", 13), ("6", 17),
                         ("7", 19), ("8", 10)]  # fmt: skip
