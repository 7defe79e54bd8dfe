"""Minneapolis neighbourhoods from the 649-column MN Compass file: filter, crosswalk, 18 groups."""

from __future__ import annotations

import json

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "minneapolis_population_neighborhoods_acs2016"
FILE = ("minneapolis_neighborhood_acs_2012_2016", "MSP_CSV_2012_2016.csv")
NOT_HOOD = "not a neighborhood row (community, whole city, or the stray header row)"


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    # 133 rows: 85 Minneapolis neighbourhoods; 17 St. Paul neighbourhoods; 28 communities,
    # 2 whole cities and 1 stray header row.
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (133, 85, 48)
    assert result.quarantine_reasons == {NOT_HOOD: 31, "St. Paul neighborhood": 17}
    return store


def test_every_area_id_is_a_city_neighbourhood_name(loaded: Store) -> None:
    path = real_data("minneapolis_neighborhoods_geo", "Neighborhoods.geojson")
    bdname = {f["properties"]["BDNAME"] for f in json.loads(path.read_text())["features"]}
    ids = {r[0] for r in loaded.con.execute("SELECT DISTINCT area_id FROM population").fetchall()}
    assert len(ids) == 85
    assert ids <= bdname  # the hyphen-spacing crosswalk left no MN Compass spelling behind
    assert bdname - ids == {"Camden Industrial", "Humboldt Industrial Area"}
    assert {"Bryn - Mawr", "Cedar - Isles - Dean", "Como", "Near - North"} <= ids


def test_groups_add_up_to_the_total(loaded: Store) -> None:
    rows = loaded.con.execute(
        'SELECT dimension, count(DISTINCT "group"), count(*), round(sum("count"), 2)'
        " FROM population GROUP BY dimension ORDER BY dimension"
    ).fetchall()
    total = 404_385.43  # the 85 neighbourhood estimates (the city row says 404,665)
    assert rows == [
        ("age_band", 7, 7 * 85, total),
        ("poverty", 1, 85, 82_894.13),
        ("race", 7, 7 * 85, total),
        ("sex", 2, 2 * 85, total),
        ("total", 1, 85, total),
    ]


def test_bryn_mawr_values(loaded: Store) -> None:
    got = dict(
        loaded.con.execute(
            'SELECT "group", "count" FROM population WHERE area_id = ?', ["Bryn - Mawr"]
        ).fetchall()
    )
    assert (got["total"], got["black"], got["below_poverty"], got["65+"]) == (2798, 146, 141, 425)
