"""Every calls file in ../shared/data ingests through its profile with no row lost.

Each test loads the real file, checks rows read = loaded + quarantined against the count in the
folder's SOURCE.md, then checks a known row, the places, the date range and the origin split.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import IngestResult, ingest_file


def load(store: Store, folder: str, file: str, profile: str) -> IngestResult:
    result = ingest_file(store, real_data(folder, file), profile)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    n = store.con.execute("SELECT count(*) FROM calls").fetchone()
    assert n == (result.rows_loaded,)
    return result


def one(store: Store, sql: str) -> Any:
    row = store.con.execute(sql).fetchone()
    assert row is not None
    return row


def row_at(store: Store, line: int, cols: str) -> tuple[Any, ...]:
    """The loaded call that starts on `line` of the raw file (1 = header)."""
    return tuple(one(store, f"SELECT {cols} FROM calls WHERE source_line = {line}"))


def counts(store: Store, col: str) -> dict[Any, int]:
    rows = store.con.execute(f"SELECT {col}, count(*) FROM calls GROUP BY 1 ORDER BY 1").fetchall()
    return dict(rows)


def test_new_orleans_rtcc_subset_excel_beats_selfinitiated_and_void_duplicates(
    store: Store,
) -> None:
    r = load(
        store,
        "new_orleans_cfs_2022_rtcc_subset",
        "rtcc_dump_2022_merged_w_calls_for_service_2022.csv",
        "new_orleans_calls_rtcc",
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (7476, 7203, 273)
    assert r.quarantine_reasons == {
        "void call (Disposition VOI)": 157,
        "duplicate call (Disposition DUP)": 116,
    }
    assert row_at(
        store,
        2,
        "call_id, received_at, dispatched_at, arrived_at, cleared_at, call_type_code, call_type,"
        " initial_call_type_code, initial_call_type, priority, initial_priority, origin,"
        " disposition, beat, district, block_address, lon, lat",
    ) == (
        "A0011722",
        datetime(2022, 1, 1, 1, 7),
        datetime(2022, 1, 1, 7, 30),
        datetime(2022, 1, 1, 7, 38),
        datetime(2022, 1, 1, 8, 16),
        "100",
        "HIT & RUN",
        "20",
        "AUTO ACCIDENT",
        "1G",
        "1E",
        "community",
        "RTF",
        "5Q02",
        "5",
        "030XX Oliver White Ave",
        -90.03437791,
        29.98765875,
    )
    # SelfInitiated is 836 Y / 6,640 N in the file; 5 Y and 268 N calls were void or duplicate.
    assert counts(store, "origin_raw") == {"N": 6372, "Y": 831}
    assert counts(store, "origin") == {"community": 6372, "officer": 831}
    # Excel turned beats like 8E01 into 8.00E+01; every one is restored, JEFF is kept as given.
    assert one(store, "SELECT count(*) FROM calls WHERE beat LIKE '%E+%'") == (0,)
    assert one(store, "SELECT count(*) FROM calls WHERE beat = '8E01'") == (63,)
    assert counts(store, "beat").get("JEFF") == 1
    assert one(store, "SELECT count(DISTINCT beat), count(DISTINCT district) FROM calls") == (
        430,
        9,
    )
    assert one(store, "SELECT min(received_at), max(received_at) FROM calls") == (
        datetime(2022, 1, 1, 1, 7),
        datetime(2022, 11, 22, 1, 56),
    )
    # POINT (0 0) means "no location" (234 kept calls): missing, never a point off Africa.
    assert one(
        store,
        "SELECT count(*) FILTER (WHERE lon IS NULL), min(lon) > -90.2, max(lon) < -89.7,"
        " min(lat) > 29.8, max(lat) < 30.1 FROM calls",
    ) == (234, True, True, True, True)
    # Dispatch is blank on 1,932 rows and arrival on 641 in the file, fewer after exclusions.
    assert one(
        store,
        "SELECT count(*) FILTER (WHERE dispatched_at IS NULL),"
        " count(*) FILTER (WHERE arrived_at IS NULL) FROM calls",
    ) == (1728, 418)
    first_void = one(store, "SELECT min(source_line) FROM quarantine WHERE reason LIKE 'void%'")
    assert first_void == (34,)


def test_portland_nij_dates_only_and_oregon_state_plane_feet(store: Store) -> None:
    r = load(store, "portland_cfs_2016_aug_oct", "portland_cfs_2016_08_10.csv", "portland_calls")
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (55508, 55508, 0)
    # The source pads codes with spaces (`DISTP `); they come out trimmed.
    assert row_at(store, 2, "received_at, date_only, call_type_code, call_type, origin") == (
        datetime(2016, 8, 1),
        True,
        "DISTP",
        "DISTURBANCE - PRIORITY",
        "unknown",
    )
    lon, lat = row_at(store, 2, "lon, lat")
    assert lon == pytest.approx(-122.696509, abs=1e-6)  # x 7639201 ft, EPSG:2913
    assert lat == pytest.approx(45.521793, abs=1e-6)
    assert one(
        store,
        "SELECT min(received_at), max(received_at), count(DISTINCT call_type_code) FROM calls",
    ) == (datetime(2016, 8, 1), datetime(2016, 10, 31), 81)
    assert one(
        store,
        "SELECT count(*) FILTER (WHERE lon IS NULL), min(lon) > -123, max(lon) < -122.3,"
        " min(lat) > 45.3, max(lat) < 45.7 FROM calls",
    ) == (0, True, True, True, True)
    assert counts(store, "origin") == {"unknown": 55508}


def test_sacramento_1900_sentinel_dates_and_zero_coordinates(store: Store) -> None:
    r = load(
        store, "sacramento_cad_2019_jan", "sacramento_dispatch_2019_01.csv", "sacramento_calls"
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (25000, 25000, 0)
    # 1900-01-01: 6,672 dispatch + 6,735 en route + 7,560 at scene + 1 clear date.
    assert r.dates_sentinel == 20968
    assert row_at(
        store,
        2,
        "call_id, received_at, dispatched_at, arrived_at, cleared_at, call_type_code, call_type,"
        " district, beat, block_address, date_only",
    ) == (
        "7303185",
        datetime(2019, 1, 1),
        None,
        None,
        datetime(2019, 1, 1),
        "927S",
        "SHOTS FIRED - LESS THAN 15 AGO",
        "5",
        "5A",
        "1963 BONAVISTA WAY",
        True,
    )
    lon, lat = row_at(store, 2, "lon, lat")
    assert (round(lon, 5), round(lat, 5)) == (-121.49329, 38.47614)  # EPSG:2226 feet
    assert one(
        store,
        "SELECT min(received_at), max(received_at), count(DISTINCT beat),"
        " count(*) FILTER (WHERE dispatched_at IS NULL), count(*) FILTER (WHERE arrived_at IS NULL),"
        " count(*) FILTER (WHERE lon IS NULL) FROM calls",
    ) == (datetime(2019, 1, 1), datetime(2019, 2, 1), 27, 6672, 7560, 168)
    assert counts(store, "district") == {
        "1": 2982,
        "2": 4426,
        "3": 5572,
        "4": 3249,
        "5": 3174,
        "6": 4941,
        "UI": 488,
        None: 168,
    }
    assert one(store, "SELECT count(*) FROM calls WHERE call_type = 'TRAFFIC STOP'") == (2662,)


def test_seattle_call_type_tells_911_from_onview_and_alarms_crlf(store: Store) -> None:
    r = load(store, "seattle_cfs_sample_2018_2023", "db_call_data_2018-2023.csv", "seattle_calls")
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (222, 222, 0)
    assert row_at(
        store,
        2,
        "call_id, received_at, arrived_at, call_type, initial_call_type, priority, origin,"
        " origin_raw, disposition_text, district, beat, lon, lat",
    ) == (
        "2023000319821",
        datetime(2023, 11, 4, 18, 8, 26),
        datetime(2023, 11, 4, 18, 51, 6),
        "--SUSPICIOUS CIRCUM. - SUSPICIOUS PERSON",
        "BURN - RECKLESS BURNING",
        "2",
        "community",
        "911",
        "UNABLE TO LOCATE INCIDENT OR COMPLAINANT",
        "EAST",
        "C3",
        -122.28112,
        47.6176603,
    )
    # 911 107 + telephone 66 = community; ALARM CALL 36; ONVIEW 13.
    assert counts(store, "origin") == {"alarm": 36, "community": 173, "officer": 13}
    assert one(
        store,
        "SELECT min(received_at), max(received_at), count(*) FILTER (WHERE arrived_at IS NULL),"
        " count(DISTINCT beat) FROM calls",
    ) == (datetime(2018, 1, 5, 14, 56, 53), datetime(2023, 12, 28, 14, 56, 21), 36, 1)


def test_alexandria_cad_keeps_fire_and_ems_with_agency_and_drops_tests(store: Store) -> None:
    r = load(
        store,
        "alexandria_va_cad_2025_aug_dec",
        "alexandria_va_cad_2025w35_w52.csv.gz",
        "alexandria_calls",
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (28751, 28646, 105)
    assert r.quarantine_reasons == {
        "duplicate call (Disposition DUPPD / DUPFD)": 84,
        "test call (Disposition TEST / TST)": 21,
    }
    assert row_at(
        store,
        2,
        "call_id, received_at, dispatched_at, enroute_at, arrived_at, cleared_at, call_type,"
        " priority, origin, origin_raw, disposition, agency",
    ) == (
        "25-071089",
        datetime(2025, 8, 24, 0, 7, 6),
        datetime(2025, 8, 24, 0, 9, 46, 810000),
        datetime(2025, 8, 24, 0, 13, 10, 710000),
        datetime(2025, 8, 24, 0, 23, 51, 860000),
        datetime(2025, 8, 24, 0, 35, 47, 260000),
        "ALARM COMMERCIAL",
        "2",
        "community",
        "Phone",
        "FALSE-False Alarm",
        "police",
    )
    by_agency = dict(
        store.con.execute("SELECT agency, count(*) FROM calls GROUP BY 1 ORDER BY 1").fetchall()
    )
    assert by_agency == {"ems": 6639, "fire": 3097, "police": 18910}
    officer = store.con.execute(
        "SELECT agency, count(*) FROM calls WHERE origin = 'officer' GROUP BY 1"
    ).fetchall()
    # OFFICER is 3,398 rows in the file, all police; 19 of them were duplicate or test calls.
    assert officer == [("police", 3379)]
    assert counts(store, "origin") == {
        "community": 21268,
        "officer": 3379,
        "other": 3159,
        "unknown": 840,
    }
    # The string NULL is missing: no arrival on 3,294 kept calls, no close on 1,551.
    assert one(
        store,
        "SELECT min(received_at), max(received_at), count(*) FILTER (WHERE arrived_at IS NULL),"
        " count(*) FILTER (WHERE cleared_at IS NULL), count(*) FILTER (WHERE call_id IS NULL)"
        " FROM calls",
    ) == (datetime(2025, 8, 24, 0, 7, 6), datetime(2025, 12, 27, 23, 57, 7), 3294, 1551, 11)
    assert one(store, "SELECT count(*) FROM calls WHERE beat IS NOT NULL OR lon IS NOT NULL") == (
        0,
    )


def test_albuquerque_onsite_types_are_officer_initiated(store: Store) -> None:
    r = load(
        store,
        "albuquerque_apd_incidents_2020_may_nov",
        "abq_apd_incidents_2020.csv.gz",
        "albuquerque_calls_2020",
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (30000, 30000, 0)
    assert row_at(
        store, 2, "call_id, received_at, date_only, call_type, origin, block_address, lat, lon"
    ) == (
        "45420744",
        datetime(2020, 5, 10),
        True,
        "ONSITE SUSPICIOU",
        "officer",
        "TOMASITA ST NE / FREEWAY PL NE",
        35.08069570025693,
        -106.52380340942526,
    )
    # ONSITE SUSPICIOU 1,641 + ONSITE TRAFFIC 493 + ONSITE DISTURBAN 103 + ONSITE AUTO THEF 38
    # + TRAFFIC STOP 4,233.
    assert counts(store, "origin") == {"community": 23492, "officer": 6508}
    assert one(
        store,
        "SELECT min(received_at), max(received_at), count(DISTINCT received_at),"
        " count(*) FILTER (WHERE lat IS NULL), count(DISTINCT call_type) FROM calls",
    ) == (datetime(2020, 5, 10), datetime(2020, 11, 3), 98, 1124, 48)


def test_seattle_reads_the_api_iso_timestamps_too(store: Store, tmp_path: Path) -> None:
    """The Socrata API writes Original Time Queued as a floating ISO 8601 timestamp; the
    download file writes MM/DD/YYYY h:mm:ss AM/PM. The profile reads both, to the same time."""
    header = (
        "CAD Event Number,Event Clearance Description,Call Type,Priority,Initial Call Type,"
        "Final Call Type,Original Time Queued,Arrived Time,Precinct,Sector,Beat,"
        "Blurred_Longitude,Blurred_Latitude"
    )
    rows = [
        "1,DONE,911,2,A,B,11/04/2023 6:08:26 PM,11/04/2023 6:51:06 PM,EAST,C,C3,-122.28,47.61",
        "2,DONE,911,2,A,B,2023-11-04T18:08:26.000,2023-11-04T18:51:06,EAST,C,C3,-122.28,47.61",
    ]
    path = tmp_path / "seattle_api.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    r = ingest_file(store, path, "seattle_calls")
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (2, 2, 0)
    got = store.con.execute("SELECT DISTINCT received_at, arrived_at FROM calls").fetchall()
    assert got == [(datetime(2023, 11, 4, 18, 8, 26), datetime(2023, 11, 4, 18, 51, 6))]
