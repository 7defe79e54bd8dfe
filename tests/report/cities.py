"""Real city workspaces for the report tests: each city's real files through its real profiles,
into a store on disk (the report reads the workspace like a user's)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import real_data

from publicsafety.engine import open_store
from publicsafety.ingest import ingest_file
from publicsafety.ingest.areas import place_by_attribute

NEW_ORLEANS = {
    "new_orleans_zones": ("new_orleans_police_zones_geo", "NOPD_Police_Zones.shp"),
    "new_orleans_tracts": ("new_orleans_census_tracts_geo", "tracts.shp"),
    "new_orleans_neighborhoods": ("new_orleans_neighborhoods_geo", "neighborhoods.geojson"),
    "new_orleans_population_neighborhoods_2018": (
        "new_orleans_neighborhood_profiles_datacenter_2020",
        "Neighborhood profiles data tables.xlsx",
    ),
    "new_orleans_stops_sopp": ("new_orleans_stops_sopp_2011_2018", "nola_stops_sopp.csv"),
    "new_orleans_calls_rtcc": (
        "new_orleans_cfs_2022_rtcc_subset",
        "rtcc_dump_2022_merged_w_calls_for_service_2022.csv",
    ),
    "new_orleans_incidents_rtcc": (
        "new_orleans_epr_2022_rtcc_subset",
        "rtcc_dump_2022_merged_w_police_reports_2022.csv",
    ),
}
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
