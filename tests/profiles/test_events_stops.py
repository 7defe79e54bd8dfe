"""Every stops file in ../shared/data ingests through its profile with no row lost.

Race and sex come out in the Stanford Open Policing vocabulary (vocab.Race, vocab.Sex); the
counts below are the file's own value counts (SOURCE.md) regrouped by those conventions.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import IngestResult, ingest_file
from publicsafety.vocab import Race, Sex


def load(store: Store, folder: str, file: str, profile: str) -> IngestResult:
    result = ingest_file(store, real_data(folder, file), profile)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert store.con.execute("SELECT count(*) FROM stops").fetchone() == (result.rows_loaded,)
    return result


def one(store: Store, sql: str) -> tuple[Any, ...]:
    row = store.con.execute(sql).fetchone()
    assert row is not None
    return tuple(row)


def counts(store: Store, col: str) -> dict[Any, int]:
    rows = store.con.execute(f"SELECT {col}, count(*) FROM stops GROUP BY 1 ORDER BY 1").fetchall()
    return dict(rows)


def test_minneapolis_2017_east_african_is_black_and_non_mdc_blanks_stay_missing(
    store: Store,
) -> None:
    r = load(store, "minneapolis_stops_2017", "mpls_stops_2017.csv", "minneapolis_stops_cardata")
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (51920, 51920, 0)
    assert one(
        store,
        "SELECT stop_id, stopped_at, date, time, type, reason_for_stop, citation_issued,"
        " search_person, search_vehicle, subject_race, subject_race_raw, subject_sex, lat, lng,"
        " district, neighborhood FROM stops WHERE source_line = 2",
    ) == (
        "17-000003",
        datetime(2017, 1, 1, 0, 0, 42),
        date(2017, 1, 1),
        time(0, 0, 42),
        "unknown",
        "suspicious",
        None,
        False,
        False,
        "unknown",
        "Unknown",
        "unknown",
        44.96661711,
        -93.24645826,
        "1",
        "Cedar Riverside",
    )
    assert counts(store, "subject_race") == {
        Race.ASIAN_PACIFIC_ISLANDER: 647,
        Race.BLACK: 15220 + 2188,  # Black + East African
        Race.HISPANIC: 1858,
        Race.NATIVE_AMERICAN: 1516,
        Race.OTHER: 1348,
        Race.UNKNOWN: 9219 + 8221,  # Unknown + blank (not recorded off the in-car computer)
        Race.WHITE: 11703,
    }
    assert counts(store, "subject_sex") == {
        Sex.FEMALE: 10015,
        Sex.MALE: 27131,
        Sex.UNKNOWN: 6492 + 8282,
    }
    assert counts(store, "type") == {"unknown": 25822, "vehicular": 26098}
    assert one(
        store,
        "SELECT count(*) FILTER (WHERE search_person), count(*) FILTER (WHERE search_vehicle),"
        " count(*) FILTER (WHERE citation_issued), count(*) FILTER (WHERE search_person IS NULL)"
        " FROM stops",
    ) == (5237, 3120, 3211, 8221)
    assert one(
        store,
        "SELECT min(stopped_at), max(stopped_at), count(DISTINCT neighborhood),"
        " count(DISTINCT district) FROM stops",
    ) == (datetime(2017, 1, 1, 0, 0, 42), datetime(2017, 12, 31, 23, 52, 35), 87, 5)


def test_new_orleans_sopp_extract_keeps_sopp_values_and_arrest_flag(store: Store) -> None:
    r = load(
        store, "new_orleans_stops_sopp_2011_2018", "nola_stops_sopp.csv", "new_orleans_stops_sopp"
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (395457, 395457, 0)
    assert one(
        store,
        "SELECT date, time, stopped_at, beat, subject_age, subject_race, subject_sex, arrest_made"
        " FROM stops WHERE source_line = 2",
    ) == (date(2012, 1, 1), time(13, 1), datetime(2012, 1, 1, 13, 1), "E", 35, "black", "female",
          False)  # fmt: skip
    assert counts(store, "subject_race") == {
        Race.ASIAN_PACIFIC_ISLANDER: 3039,
        Race.BLACK: 275461,
        Race.HISPANIC: 10850,
        Race.OTHER: 279,
        Race.UNKNOWN: 2822,
        Race.WHITE: 103006,
    }
    assert counts(store, "subject_sex") == {Sex.FEMALE: 119935, Sex.MALE: 275522}
    # 91,611 arrests = 23.2%; rows are not in date order, so the range is a real min / max.
    assert one(
        store,
        "SELECT count(*) FILTER (WHERE arrest_made), min(date), max(date), count(DISTINCT beat),"
        " min(subject_age), max(subject_age) FROM stops",
    ) == (91611, date(2011, 7, 1), date(2018, 7, 18), 25, 10, 110)


def test_nyc_sqf_2016_bom_crlf_blank_last_row_and_hispanic_codes(store: Store) -> None:
    r = load(store, "nyc_stop_question_frisk_2016", "sqf-2016.csv", "nyc_stops_sqf")
    # The last row is only spaces (and has no line ending): blank, not a record.
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined, r.rows_blank) == (12404, 12404, 0, 1)
    assert one(store, "SELECT max(source_line) FROM stops") == (12405,)
    # The BOM is not part of the first header (`year`), or the exclusion could not read it.
    lng, lat = one(store, "SELECT lng, lat FROM stops WHERE source_line = 2")
    assert (round(lng, 5), round(lat, 5)) == (-73.89487, 40.8089)  # x 1013353, y 234000 ft
    assert one(
        store,
        "SELECT stop_id, type, reason_for_stop, subject_race, subject_race_raw, subject_sex,"
        " subject_age, frisk_performed, search_conducted, contraband_found, arrest_made,"
        " citation_issued, district, beat FROM stops WHERE source_line = 2",
    ) == ("22", "pedestrian", "BURG", "black", "B", "male", 48, True, True, False, False, True,
          "41", "2")  # fmt: skip
    assert counts(store, "subject_race") == {
        Race.ASIAN_PACIFIC_ISLANDER: 737,
        Race.BLACK: 6498,
        Race.HISPANIC: 2753 + 873,  # Q white-Hispanic + P black-Hispanic
        Race.NATIVE_AMERICAN: 38,
        Race.OTHER: 140,
        Race.UNKNOWN: 95,
        Race.WHITE: 1270,
    }
    assert counts(store, "subject_sex") == {Sex.FEMALE: 896, Sex.MALE: 11450, Sex.UNKNOWN: 58}
    # Unpadded MDDYYYY and HHMM (pad = 8, pad = 4): line 2 is 2072016 at 100, line 3 2182016 at 30.
    assert one(store, "SELECT date, time, stopped_at FROM stops WHERE source_line = 2") == (
        date(2016, 2, 7), time(1, 0), datetime(2016, 2, 7, 1, 0))  # fmt: skip
    assert one(store, "SELECT stopped_at FROM stops WHERE source_line = 3") == (
        datetime(2016, 2, 18, 0, 30),)  # fmt: skip
    assert one(
        store,
        "SELECT count(*) FILTER (WHERE year(date) = 2016 AND stopped_at IS NOT NULL"
        " AND CAST(stopped_at AS DATE) = date AND CAST(stopped_at AS TIME) = time),"
        " min(date), max(date) FROM stops",
    ) == (12404, date(2016, 1, 1), date(2016, 12, 31))
    # Blank fields are one space: read as missing (351 stops without coordinates, 34 ages).
    assert one(
        store,
        "SELECT count(*) FILTER (WHERE frisk_performed), count(*) FILTER (WHERE search_conducted),"
        " count(*) FILTER (WHERE arrest_made), count(*) FILTER (WHERE lng IS NULL),"
        " count(*) FILTER (WHERE subject_age IS NULL), count(DISTINCT district),"
        " min(lng) > -74.3, max(lng) < -73.7, min(lat) > 40.49, max(lat) < 40.92 FROM stops",
    ) == (7939, 2958, 2643, 351, 34, 77, True, True, True, True)
