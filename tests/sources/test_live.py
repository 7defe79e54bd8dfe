"""Opt-in checks against the real services (run with `-m live`; they need the network).

They confirm a catalogue id still answers with the columns its profile reads, on one small page.
"""

from __future__ import annotations

import csv

import pytest

from publicsafety.profiles import load_profile
from publicsafety.sources import load_catalog, socrata
from publicsafety.sources.census import fetch_acs
from publicsafety.sources.http import Http

pytestmark = pytest.mark.live


@pytest.mark.parametrize(("city", "year"), [("new_orleans", "2019"), ("new_orleans", "2021")])
def test_new_orleans_calls_answer_with_the_profile_columns(city, year, tmp_path):
    entry = load_catalog()[(city, "calls")]
    dataset_id, _ = entry.dataset_id(year)
    with Http(timeout=60) as http:
        names = socrata.display_names(http, entry.domain, dataset_id)
        page = http.get(
            f"https://{entry.domain}/resource/{dataset_id}.csv", {"$limit": 5, "$order": ":id"}
        ).text
    header = [names.get(h, h).lower() for h in next(csv.reader(page.splitlines()))]
    profile = load_profile(entry.profile_for(year) or "")
    needed = {s.lower() for s in profile.source_columns()}
    assert needed <= set(header), sorted(needed - set(header))


def test_census_acs_orleans_parish_has_its_tracts(tmp_path):
    with Http(timeout=60) as http:
        m = fetch_acs(
            http, tmp_path / "acs.csv", state=22, county=71, year=2019, variables=["B01003_001E"]
        )
    assert m.rows is not None and m.rows > 150  # Orleans Parish had 184 tracts in the 2010 plan
