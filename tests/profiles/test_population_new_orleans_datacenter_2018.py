"""New Orleans Data Center profiles (xlsx): title rows, two-row header, footnotes, name crosswalk."""

from __future__ import annotations

import json

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

pytestmark = pytest.mark.real_data
PROFILE = "new_orleans_population_neighborhoods_2018"
FILE = (
    "new_orleans_neighborhood_profiles_datacenter_2020",
    "Neighborhood profiles data tables.xlsx",
)
NOT_HOOD = "not a neighborhood row: the New Orleans or United States total, or a footnote"


@pytest.fixture
def loaded(store: Store) -> Store:
    result = ingest_file(store, real_data(*FILE), PROFILE)
    # 72 neighbourhoods; the city and national rows and 3 footnotes are excluded; blank rows
    # between them are not records.
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (77, 72, 5)
    assert result.quarantine_reasons == {NOT_HOOD: 5}
    return store


def test_every_neighbourhood_maps_to_its_gnocdc_label(loaded: Store) -> None:
    path = real_data("new_orleans_neighborhoods_geo", "neighborhoods.geojson")
    labels = {f["properties"]["GNOCDC_LAB"] for f in json.loads(path.read_text())["features"]}
    ids = {r[0] for r in loaded.con.execute("SELECT area_id FROM population").fetchall()}
    assert ids == labels  # all 72, one to one
    got = dict(loaded.con.execute('SELECT area_id, "count" FROM population').fetchall())
    assert got["ALGIERS POINT"] == 2735
    assert got["B. W. COOPER"] == 1025  # "B.W. Cooper"
    assert got["DESIRE AREA"] == 2749  # "Desire Dev & Neighborhood"
    assert got["ST.  ANTHONY"] == 5075  # two spaces in the city's label
    # The neighbourhoods add up to the sheet's own New Orleans row.
    assert sum(got.values()) == 389_648


def test_excluded_rows_are_the_totals_and_footnotes(loaded: Store) -> None:
    rows = loaded.con.execute(
        "SELECT source_line, value FROM quarantine ORDER BY source_line"
    ).fetchall()
    assert [line for line, _ in rows] == [85, 86, 89, 90, 91]
    assert rows[0][1] == "New Orleans" and rows[1][1] == "United States"
    assert rows[2][1].startswith("Source: The Data Center analysis")
    row = loaded.con.execute(
        "SELECT year, source, area_set, source_line FROM population WHERE area_id = 'AUDUBON'"
    ).fetchone()
    assert row == (2018, "The Data Center, ACS 2014-2018 5-year", "neighborhoods", 14)
