"""Real city workspaces for the report tests: each city's real files through its real profiles,
into a store on disk (the report reads the workspace like a user's)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import real_data
from tests.places.real import NOLA

from publicsafety.engine import open_store
from publicsafety.ingest import ingest_file
from publicsafety.ingest.areas import place_by_attribute

# The places tests' New Orleans files, less the tracts' ACS counts: the report works from what a
# city's own portal files give (neighbourhood populations).
NEW_ORLEANS = {k: v for k, v in NOLA.items() if k != "new_orleans_population_tracts_acs2017"}
MINNEAPOLIS = {
    "minneapolis_neighborhoods": ("minneapolis_neighborhoods_geo", "Neighborhoods.geojson"),
    "minneapolis_population_neighborhoods_2015": (
        "minneapolis_neighborhood_demographics_2015",
        "mpls_demo_2015.csv",
    ),
    "minneapolis_stops_cardata": ("minneapolis_stops_2017", "mpls_stops_2017.csv"),
    "minneapolis_force_openintro": (
        "minneapolis_use_of_force_2016_2021",
        "mn_police_use_of_force_2016_2021.csv",
    ),
}
# Sources that name the area in a column rather than giving coordinates.
BY_ATTRIBUTE = {"Minneapolis": [("stops", "neighborhood", "neighborhoods")]}


def load_city(workspace: Path, city: str) -> Path:
    files = {"New Orleans": NEW_ORLEANS, "Minneapolis": MINNEAPOLIS}[city]
    paths = {profile: real_data(*parts) for profile, parts in files.items()}
    with open_store(workspace) as store:
        for profile, path in paths.items():
            ingest_file(store, path, profile)
        for kind, column, area_set in BY_ATTRIBUTE.get(city, []):
            place_by_attribute(store, kind, column, area_set)
    return workspace
