"""Albuquerque neighbourhood associations (GeoJSON, 287 overlapping areas; coalitions excluded)."""

from __future__ import annotations

import pytest
from tests.conftest import real_data
from tests.profiles.area_checks import areas_at

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
