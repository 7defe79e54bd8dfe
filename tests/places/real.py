"""Real city stores for the places tests, loaded once per test module through the real profiles.

New Orleans' tract ACS counts come from the tract shapefile's .dbf through the
new_orleans_population_tracts_acs2017 profile.
"""

from __future__ import annotations

from publicsafety.engine import Store, memory_store
from publicsafety.ingest import ingest_file
from publicsafety.ingest.areas import place_by_attribute
from tests.conftest import real_data

NOLA = {
    "new_orleans_zones": ("new_orleans_police_zones_geo", "NOPD_Police_Zones.shp"),
    "new_orleans_tracts": ("new_orleans_census_tracts_geo", "tracts.shp"),
    "new_orleans_population_tracts_acs2017": ("new_orleans_census_tracts_geo", "tracts.shp"),
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
    "minneapolis_population_neighborhoods_acs2016": (
        "minneapolis_neighborhood_acs_2012_2016",
        "MSP_CSV_2012_2016.csv",
    ),
    "minneapolis_stops_cardata": ("minneapolis_stops_2017", "mpls_stops_2017.csv"),
}
BALTIMORE = {
    "baltimore_neighborhoods": ("baltimore_neighborhoods_geo", "baltimore_neighborhoods.geojson"),
    "baltimore_csas": ("baltimore_csa_geo", "baltimore_csa2010.geojson"),
    "baltimore_population_csas_2010": (
        "baltimore_csa_vital_signs_2010_2018",
        "vital_signs_census_crime_wide.csv",
    ),
    "baltimore_incidents_shp": (
        "baltimore_part1_crime_2019_2021",
        "baltimore_part1_crime_2019_2021.csv",
    ),
    "baltimore_arrests_shp": ("baltimore_arrests_2019_2021", "baltimore_arrests_2019_2021.csv"),
}


def load(store: Store, files: dict[str, tuple[str, str]]) -> None:
    for profile, parts in files.items():
        ingest_file(store, real_data(*parts), profile)


def new_orleans() -> Store:
    store = memory_store(threads=1)
    load(store, NOLA)
    return store


def minneapolis() -> Store:
    store = memory_store(threads=1)
    load(store, MINNEAPOLIS)
    place_by_attribute(store, "stops", "neighborhood", "neighborhoods")
    return store


def baltimore() -> Store:
    store = memory_store(threads=1)
    load(store, BALTIMORE)
    for kind in ("arrests", "incidents"):
        place_by_attribute(store, kind, "neighborhood", "neighborhoods")
    return store
