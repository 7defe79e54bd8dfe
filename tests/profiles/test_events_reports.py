"""Incident, arrest and use-of-force files in ../shared/data ingest with no row lost.

One test per file: rows read = loaded + quarantined with the SOURCE.md count, a known row in
canonical form, places, the date range and the coded columns (crime category, race, sex).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import IngestResult, ingest_file
from publicsafety.vocab import Race, Sex


def load(store: Store, folder: str, file: str, profile: str, table: str) -> IngestResult:
    result = ingest_file(store, real_data(folder, file), profile)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    sql = f'SELECT count(*) FROM "{table}" WHERE load_id = ?'
    loaded = store.con.execute(sql, [result.load_id]).fetchone()
    assert loaded == (result.rows_loaded,)
    return result


def one(store: Store, sql: str) -> tuple[Any, ...]:
    row = store.con.execute(sql).fetchone()
    assert row is not None
    return tuple(row)


def counts(store: Store, table: str, col: str) -> dict[Any, int]:
    sql = f'SELECT {col}, count(*) FROM "{table}" GROUP BY 1 ORDER BY 1'
    return dict(store.con.execute(sql).fetchall())


def test_new_orleans_epr_rtcc_subset_rows_per_person_and_charge(store: Store) -> None:
    r = load(
        store,
        "new_orleans_epr_2022_rtcc_subset",
        "rtcc_dump_2022_merged_w_police_reports_2022.csv",
        "new_orleans_incidents_rtcc",
        "incidents",
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (7174, 7174, 0)
    assert one(
        store,
        "SELECT incident_id, occurred_at, offense_code, offense, district, block_address"
        " FROM incidents WHERE source_line = 2",
    ) == (
        "A-00718-22",
        datetime(2022, 1, 1, 14, 15),
        "27-30S",
        "ATTEMPTED MURDER (SHOOTING)",
        "5",
        "Spain St & Decatur St",
    )
    # Several rows per report: 7,174 rows hold 2,425 reports.
    assert one(
        store,
        "SELECT count(DISTINCT incident_id), min(occurred_at), max(occurred_at),"
        " count(DISTINCT district) FROM incidents",
    ) == (2425, datetime(2022, 1, 1, 3, 0), datetime(2022, 11, 21, 22, 40), 8)
    assert counts(store, "incidents", "district")["8"] == 2003


def test_baltimore_part1_shapefile_copy_code_families_give_crime_category(store: Store) -> None:
    r = load(
        store,
        "baltimore_part1_crime_2019_2021",
        "baltimore_part1_crime_2019_2021.csv",
        "baltimore_incidents_shp",
        "incidents",
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (97737, 97737, 0)
    assert one(
        store,
        "SELECT incident_id, occurred_at, date_only, offense_code, offense, crime_category,"
        " block_address FROM incidents WHERE source_line = 2",
    ) == ("6", datetime(2021, 7, 14), True, "1A", "MURDER", "violent", "2400 GARRETT AV")
    # Codes 1-4 and 9 (homicide, rape, robbery, assault, shooting) are violent, 5-8 property.
    assert counts(store, "incidents", "crime_category") == {"property": 51829, "violent": 45908}
    assert counts(store, "incidents", "offense")["COMMON ASSAULT"] == 18983
    # The copy has no coordinates or districts (Latitude/Longitude are 0, not mapped).
    assert one(
        store,
        "SELECT min(occurred_at), max(occurred_at), count(DISTINCT offense_code),"
        " count(DISTINCT block_address),"
        " count(*) FILTER (WHERE lon IS NOT NULL OR district IS NOT NULL) FROM incidents",
    ) == (datetime(2019, 1, 1), datetime(2021, 7, 14), 81, 14859, 0)


def test_baltimore_arrests_race_codes_and_zero_coordinates(store: Store) -> None:
    r = load(
        store,
        "baltimore_arrests_2019_2021",
        "baltimore_arrests_2019_2021.csv",
        "baltimore_arrests_shp",
        "arrests",
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (41127, 41127, 0)
    assert one(
        store,
        "SELECT arrest_id, arrested_at, date_only, subject_age, subject_sex, subject_race,"
        " subject_race_raw, block_address, offense, charge_code, charge, district, beat,"
        " neighborhood, lat, lon FROM arrests WHERE source_line = 2",
    ) == (
        "21000024",
        datetime(2020, 12, 31),
        True,
        27,
        "male",
        "black",
        "B",
        "2900 PRESBURY ST",
        "96BINVESTIGATIVE STOP",
        "1 0692",
        "HAND GUN VIOLATION",
        "Southwest",
        "813",
        "Northwest Community Action",
        39.3073,
        -76.6662,
    )
    assert counts(store, "arrests", "subject_race") == {
        Race.ASIAN_PACIFIC_ISLANDER: 100,
        Race.BLACK: 34461,
        Race.NATIVE_AMERICAN: 101,
        Race.UNKNOWN: 1135 + 39,  # U + blank
        Race.WHITE: 5291,
    }
    assert counts(store, "arrests", "subject_sex") == {
        Sex.FEMALE: 8240,
        Sex.MALE: 32848,
        Sex.UNKNOWN: 39,
    }
    # 22,743 rows have no coordinates and 5 have 0.0, read as missing.
    assert one(
        store,
        "SELECT min(arrested_at), max(arrested_at), count(DISTINCT district),"
        " count(DISTINCT neighborhood), count(*) FILTER (WHERE lat IS NULL),"
        " count(DISTINCT arrest_id), count(*) FILTER (WHERE subject_age IS NULL) FROM arrests",
    ) == (datetime(2019, 1, 1), datetime(2021, 8, 7), 9, 272, 22743 + 5, 39605, 46)


def test_minneapolis_use_of_force_911_flag_and_unrecorded_injury(store: Store) -> None:
    r = load(
        store,
        "minneapolis_use_of_force_2016_2021",
        "mn_police_use_of_force_2016_2021.csv",
        "minneapolis_force_openintro",
        "force",
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (12925, 12925, 0)
    # `Assault in Progress ` keeps a trailing space in the source; it is trimmed.
    assert one(
        store,
        "SELECT occurred_at, problem, force_type, force_action, subject_race, subject_race_raw,"
        " subject_sex, subject_age, subject_injury, called_by_911, district, neighborhood"
        " FROM force WHERE source_line = 2",
    ) == (
        datetime(2016, 1, 1, 0, 47, 36),
        "Assault in Progress",
        "Bodily Force",
        "Body Weight to Pin",
        "black",
        "Black",
        "male",
        20,
        None,
        True,
        "1",
        "Downtown East",
    )
    assert counts(store, "force", "subject_race") == {
        Race.ASIAN_PACIFIC_ISLANDER: 129 + 6,  # Asian + Pacific Islander
        Race.BLACK: 7648,
        Race.NATIVE_AMERICAN: 784,
        Race.OTHER: 205,
        Race.UNKNOWN: 1024,
        Race.WHITE: 3129,
    }
    assert counts(store, "force", "subject_sex") == {Sex.FEMALE: 2144, Sex.MALE: 10280,
                                                     Sex.UNKNOWN: 501}  # fmt: skip
    assert counts(store, "force", "year(occurred_at)") == {
        2016: 2203,
        2017: 1927,
        2018: 1952,
        2019: 2021,
        2020: 2453,
        2021: 2369,
    }
    assert one(
        store,
        "SELECT count(*) FILTER (WHERE called_by_911), count(*) FILTER (WHERE subject_injury),"
        " count(*) FILTER (WHERE subject_injury IS NULL), count(*) FILTER (WHERE subject_age IS NULL),"
        " max(occurred_at), count(DISTINCT neighborhood) FROM force",
    ) == (7004, 1631, 9848, 1066, datetime(2021, 8, 31, 21, 34, 29), 86)


def test_wapo_fatal_shootings_city_from_column_pilot_and_national_files(store: Store) -> None:
    folder = "pilot_cities_fatal_police_shootings_wapo_2015_2022"
    r = load(store, folder, "pilot_cities_fatal_police_shootings_2015_2022.csv", "us_force_wapo",
             "force")  # fmt: skip
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (118, 118, 0)
    assert one(
        store,
        "SELECT city, incident_id, occurred_at, force_type, force_action, subject_race,"
        " subject_sex, subject_age, subject_injury, lon, lat FROM force WHERE source_line = 2",
    ) == ("Albuquerque", "46", datetime(2015, 1, 13), "fatal shooting", "shot", "white", "male",
          34, True, -106.586, 35.095)  # fmt: skip
    pilot = {"Albuquerque": 54, "Baltimore": 27, "Minneapolis": 11, "New Orleans": 10,
             "Stockton": 16}  # fmt: skip
    assert counts(store, "force", "city") == pilot
    assert counts(store, "force", "subject_race") == {
        Race.ASIAN_PACIFIC_ISLANDER: 4,
        Race.BLACK: 46,
        Race.HISPANIC: 32,
        Race.UNKNOWN: 22,  # blank race: the Post does not know
        Race.WHITE: 14,
    }
    assert one(
        store,
        "SELECT min(occurred_at), max(occurred_at), count(*) FILTER (WHERE lat IS NULL),"
        " count(*) FILTER (WHERE subject_age IS NULL) FROM force",
    ) == (datetime(2015, 1, 6), datetime(2022, 8, 28), 13, 13)

    national = load(store, folder, "us_fatal_police_shootings_2015_2022.csv.gz", "us_force_wapo",
                    "force")  # fmt: skip
    assert (national.rows_read, national.rows_loaded, national.rows_quarantined) == (7743, 7743, 0)
    # The national file, read through the same profile, holds the same pilot-city rows.
    same = store.con.execute(
        "SELECT city, count(*) FROM force WHERE load_id = ? AND incident_id IN"
        " (SELECT incident_id FROM force WHERE load_id = ?) GROUP BY 1 ORDER BY 1",
        [national.load_id, r.load_id],
    ).fetchall()
    assert dict(same) == pilot
