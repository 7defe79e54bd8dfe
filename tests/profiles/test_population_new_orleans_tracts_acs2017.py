"""Orleans Parish ACS 2017 counts from the attribute table (.dbf) of the tract shapefile."""

from __future__ import annotations

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "new_orleans_population_tracts_acs2017"
FILE = ("new_orleans_census_tracts_geo", "tracts.shp")


def test_acs_counts_per_tract(store: Store) -> None:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (148, 148, 0)
    got = dict(
        store.con.execute(
            'SELECT "group", sum("count") FROM population GROUP BY 1 ORDER BY 1'
        ).fetchall()
    )
    # Sums of the ACS columns over the 148 tracts (B01003_001, B03002_*, B17001_002).
    assert got == {
        "total": 319_354,
        "white": 95_127,
        "black": 190_837,
        "native american": 409,
        "asian/pacific islander": 9_366,
        "other": 831,
        "hispanic": 17_750,
        "below_poverty": 79_954,
    }
