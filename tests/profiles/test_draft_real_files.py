"""`profile draft` on every calls and stops file in ../shared/data: the roles it proposes are the
ones each file's SOURCE.md documents, the draft loads as a profile, and ingesting the file with
the draft as it stands accounts for every row (read = loaded + quarantined).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import real_data

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file
from publicsafety.profiles import load_profile
from publicsafety.profiles.draft import Draft, draft_profile

pytestmark = pytest.mark.real_data


@dataclass
class Case:
    folder: str
    file: str
    kind: str
    city: str
    roles: dict[str, Any]  # canonical column -> source column(s); None = must stay unmapped
    parse: dict[str, str] = field(default_factory=dict)  # canonical column -> parser
    read: dict[str, Any] = field(default_factory=dict)  # [read] keys the draft must set
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # raw -> canonical
    loaded: int = 0  # rows ingest loads with the draft as it is
    read_rows: int = 0


CASES = [
    Case(
        "new_orleans_cfs_2022_rtcc_subset",
        "rtcc_dump_2022_merged_w_calls_for_service_2022.csv",
        "calls",
        "New Orleans",
        roles={
            "call_id": "item_number",
            "received_at": "TimeCreate",
            "dispatched_at": "TimeDispatch",
            "arrived_at": "TimeArrive",
            "cleared_at": "TimeClosed",
            "call_type_code": "Type",
            "call_type": "TypeText",
            "initial_call_type_code": "InitialType",
            "initial_call_type": "InitialTypeText",
            "priority": "Priority",
            "initial_priority": "InitialPriority",
            "disposition": "Disposition",
            "disposition_text": "DispositionText",
            "origin": "SelfInitiated",
            "beat": "Beat",
            "district": "PoliceDistrict",
            "block_address": "BLOCK_ADDRESS",
            "lon": "Location",
            "lat": "Location",
            "x": None,
            "y": None,
        },
        # ~580 beats were turned into numbers by Excel (8.00E+01); lon/lat come from WKT.
        parse={"beat": "excel_text", "lon": "wkt_x", "lat": "wkt_y", "received_at": "datetime"},
        read={
            "encoding": "utf-8",
            "datetime_formats": ["%m/%d/%Y %H:%M"],
            "timezone": "America/Chicago",
        },
        values={"origin": {"Y": "officer", "N": "community"}},
        loaded=7476,
        read_rows=7476,
    ),
    Case(
        "portland_cfs_2016_aug_oct",
        "portland_cfs_2016_08_10.csv",
        "calls",
        "Portland",
        roles={
            "received_at": "occ_date",
            "call_type_code": "final_case_type",
            "call_type": "CASE DESC",
            "x": "x_coordinate",
            "y": "y_coordinate",
            "priority": None,
            "disposition": None,
            "origin": None,
            "dispatched_at": None,
        },
        # Oregon North ft; SOURCE.md names the HARN realisation (EPSG:2913), within a metre.
        read={"date_formats": ["%Y-%m-%d"], "crs": "EPSG:2269"},
        loaded=55508,
        read_rows=55508,
    ),
    Case(
        "sacramento_cad_2019_jan",
        "sacramento_dispatch_2019_01.csv",
        "calls",
        "Sacramento",
        roles={
            "call_id": "Record_ID",
            "received_at": "Received_Date",
            "dispatched_at": "Dispatch_Date",
            "enroute_at": "Enroute_Date",
            "arrived_at": "At_Scene_Date",
            "cleared_at": "Clear_Date",
            "call_type_code": "Call_Type",
            "call_type": "Description",
            "beat": "Beat",
            "district": "Police_District",
            "block_address": "Location",
            "x": "X_Coordinate",
            "y": "Y_Coordinate",
            "priority": None,
            "origin": None,
            "disposition": None,
        },
        read={"date_sentinels": ["1900-01-01"], "crs": "EPSG:2226"},
        loaded=25000,
        read_rows=25000,
    ),
    Case(
        "seattle_cfs_sample_2018_2023",
        "db_call_data_2018-2023.csv",
        "calls",
        "Seattle",
        roles={
            "call_id": "CAD Event Number",
            "received_at": "Original Time Queued",
            "arrived_at": "Arrived Time",
            "call_type": "Final Call Type",
            "initial_call_type": "Initial Call Type",
            "priority": "Priority",
            "origin": "Call Type",
            "disposition": "Event Clearance Description",
            "district": "Precinct",
            "beat": "Beat",
            "lon": "Blurred_Longitude",
            "lat": "Blurred_Latitude",
        },
        read={"datetime_formats": ["%m/%d/%Y %I:%M:%S %p"]},
        values={
            "origin": {
                "ONVIEW": "officer",
                "911": "community",
                "ALARM CALL (NOT POLICE ALARM)": "alarm",
            }
        },
        loaded=222,
        read_rows=222,
    ),
    Case(
        "alexandria_va_cad_2025_aug_dec",
        "alexandria_va_cad_2025w35_w52.csv.gz",
        "calls",
        "Alexandria",
        roles={
            "call_id": "Master_Incident_Number",
            "received_at": "Response_Date",
            "dispatched_at": "Incident_Dispatch_Time",
            "enroute_at": "Incident_Enroute_Time",
            "arrived_at": "Incident_Arrival_Time",
            "call_type": "Problem",
            "priority": "Priority_Number",
            "origin": "Call_Reception",
            "disposition": "Disposition",
            "agency": "Agency",
            "beat": None,
            "district": None,
            "lon": None,
            "x": None,
            "block_address": None,
        },
        read={"null_values": ["", "NULL"], "datetime_formats": ["%Y-%m-%d %H:%M:%S.%f"]},
        values={
            "origin": {
                "OFFICER": "officer",
                "Phone": "community",
                "E-911": "community",
                "C2C": "other",
                "NOT CAPTURED": "unknown",
            }
        },
        loaded=28751,
        read_rows=28751,
    ),
    Case(
        "albuquerque_apd_incidents_2020_may_nov",
        "abq_apd_incidents_2020.csv.gz",
        "calls",
        "Albuquerque",
        roles={
            "call_id": "object_id",
            "received_at": "date",
            "call_type": "description",
            "block_address": "location",
            "lon": "longitude",
            "lat": "latitude",
            "priority": None,
            "origin": None,
            "disposition": None,
            "beat": None,
        },
        read={"date_formats": ["%Y-%m-%d"], "timezone": "America/Denver"},
        loaded=30000,
        read_rows=30000,
    ),
    Case(
        "minneapolis_stops_2017",
        "mpls_stops_2017.csv",
        "stops",
        "Minneapolis",
        roles={
            "stop_id": "idNum",
            "stopped_at": "date",
            "date": "date",
            "time": "date",
            "subject_race": "race",
            "subject_sex": "gender",
            "search_person": "personSearch",
            "search_vehicle": "vehicleSearch",
            "citation_issued": "citationIssued",
            "lat": "lat",
            "lng": "long",
            "district": "policePrecinct",
            "neighborhood": "neighborhood",
            "subject_age": None,
        },
        parse={"search_person": "bool", "citation_issued": "bool", "time": "time"},
        values={
            "subject_race": {
                "East African": "black",
                "Latino": "hispanic",
                "Native American": "native american",
                "Unknown": "unknown",
            },
            "subject_sex": {"Male": "male", "Female": "female"},
        },
        loaded=51920,
        read_rows=51920,
    ),
    Case(
        "new_orleans_stops_sopp_2011_2018",
        "nola_stops_sopp.csv",
        "stops",
        "New Orleans",
        roles={
            "date": "date",
            "time": "time",
            "stopped_at": ["date", "time"],
            "beat": "zone",
            "subject_age": "age",
            "subject_race": "race",
            "subject_sex": "sex",
            "arrest_made": "arrested",
            "lat": None,
            "lng": None,
        },
        parse={"arrest_made": "bool", "subject_age": "int"},
        values={"subject_race": {"asian/pacific islander": "asian/pacific islander"}},
        loaded=395457,
        read_rows=395457,
    ),
    Case(
        "nyc_stop_question_frisk_2016",
        "sqf-2016.csv",
        "stops",
        "New York",
        roles={
            "date": "datestop",
            "time": "timestop",
            "subject_race": "race",
            "subject_sex": "sex",
            "subject_age": "age",
            "frisk_performed": "frisked",
            "search_conducted": "searched",
            "contraband_found": "contrabn",
            "arrest_made": "arstmade",
            "citation_issued": "sumissue",
            "district": "pct",
            "beat": "beat",
            "x": "xcoord",
            "y": "ycoord",
            "location": "stname",
        },
        read={"encoding": "utf-8-sig", "crs": "EPSG:2263", "date_formats": ["%m%d%Y"]},
        values={
            "subject_race": {
                "B": "black",
                "Q": "hispanic",
                "P": "hispanic",
                "W": "white",
                "I": "native american",
                "Z": "other",
                "U": "unknown",
            },
            "subject_sex": {"M": "male", "F": "female", "Z": "unknown"},
        },
        # datestop is MDDYYYY without zero-padding (2072016): DuckDB's strptime reads only the
        # October-December stops. The draft says so beside the mapping; the rest is quarantined.
        loaded=2591,
        read_rows=12404,  # the last row, only spaces, is blank: not read as a record
    ),
]


_DRAFTS: dict[str, Draft] = {}


def _draft(case: Case, tmp_path: Path) -> Draft:
    """The draft of a case's file, written to tmp_path; drafted once per test session."""
    out = tmp_path / f"draft_{case.kind}.toml"
    if case.folder not in _DRAFTS:
        path = real_data(case.folder, case.file)
        _DRAFTS[case.folder] = draft_profile(path, case.kind, out, city=case.city)
    out.write_text(_DRAFTS[case.folder].text, encoding="utf-8")
    return _DRAFTS[case.folder]


@pytest.mark.parametrize("case", CASES, ids=[c.folder for c in CASES])
def test_draft_proposes_the_documented_roles(case: Case, tmp_path: Path) -> None:
    draft = _draft(case, tmp_path)
    for column, source in case.roles.items():
        assert draft.role(column) == source, (column, draft.mappings.get(column))
    for column, parse in case.parse.items():
        assert draft.mappings[column].parse == parse, column
    for key, value in case.read.items():
        assert draft.read[key] == value, key
    for column, expected in case.values.items():
        seen = draft.values[column]["map"]
        assert {raw: seen[raw] for raw in expected} == expected
    for m in draft.mappings.values():
        assert 0 < m.confidence <= 1 and m.reason
    # Every header is either mapped or listed for the reviewer.
    used = {
        s
        for m in draft.mappings.values()
        for s in ([m.source] if isinstance(m.source, str) else m.source or [])
    }
    assert used | set(draft.unmapped) == set(draft.headers) - {""}


@pytest.mark.parametrize("case", CASES, ids=[c.folder for c in CASES])
def test_draft_loads_and_ingests_as_is(case: Case, tmp_path: Path, store: Store) -> None:
    draft = _draft(case, tmp_path)
    out = tmp_path / f"draft_{case.kind}.toml"
    profile = load_profile(out)
    assert profile.name == f"draft_{case.kind}" and profile.kind == case.kind
    assert set(profile.columns) == set(draft.mappings)
    for column, source in case.roles.items():
        if source is not None:
            sources = list(profile.columns[column].sources)
            assert sources == (source if isinstance(source, list) else [source])
    result = ingest_file(store, real_data(case.folder, case.file), out)
    assert result.rows_read == case.read_rows
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert result.rows_loaded == case.loaded
    assert store.count(case.kind) == case.loaded


def test_calls_without_an_origin_column_say_unknown(tmp_path: Path) -> None:
    for case in (CASES[1], CASES[2], CASES[5]):  # Portland, Sacramento, Albuquerque
        draft = _draft(case, tmp_path)
        assert draft.mappings["origin"].const == "unknown", case.folder
        assert 'origin = { const = "unknown" }' in draft.text


def test_void_duplicate_and_test_dispositions_are_suggested_not_applied(tmp_path: Path) -> None:
    """New Orleans codes VOI / DUP; Alexandria writes TEST-Test Call and DUPPD-Duplicate Police."""
    nola = _draft(CASES[0], tmp_path)
    assert '# values = ["DUP", "VOI"]' in nola.text
    assert load_profile(tmp_path / "draft_calls.toml").exclude == ()
    alexandria = _draft(CASES[4], tmp_path)
    hint = next(line for line in alexandria.text.splitlines() if line.startswith("# values ="))
    assert "DUPPD-Duplicate Police" in hint


def test_other_kinds_baltimore_arrests(tmp_path: Path, store: Store) -> None:
    """Not a calls or stops file, but drafts the same way: letters for race, cut shapefile names."""
    path = real_data("baltimore_arrests_2019_2021", "baltimore_arrests_2019_2021.csv")
    draft = draft_profile(path, "arrests", tmp_path / "balt_arrests.toml", city="Baltimore")
    expected = {
        "arrest_id": "ArrestNumb", "arrested_at": "ArrestDate", "subject_race": "Race",
        "subject_sex": "Gender", "subject_age": "Age", "district": "District", "beat": "Post",
        "neighborhood": "Neighborho", "lat": "Latitude", "lon": "Longitude",
    }  # fmt: skip
    assert {k: draft.role(k) for k in expected} == expected
    assert draft.values["subject_race"]["map"]["B"] == "black"
    result = ingest_file(store, path, tmp_path / "balt_arrests.toml")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (41127, 41127, 0)


def test_new_orleans_origin_counts_match_the_source(tmp_path: Path, store: Store) -> None:
    """SOURCE.md: SelfInitiated is 836 Y (officer) and 6,640 N (community)."""
    draft = _draft(CASES[0], tmp_path)
    ingest_file(store, real_data(CASES[0].folder, CASES[0].file), tmp_path / "draft_calls.toml")
    got = store.con.execute("SELECT origin, count(*) FROM calls GROUP BY 1 ORDER BY 1").fetchall()
    assert got == [("community", 6640), ("officer", 836)]
    assert draft.mappings["beat"].parse == "excel_text"
    assert store.count("calls", "beat LIKE '%E+%'") == 0


def test_seattle_and_alexandria_origin_counts_match_the_source(
    tmp_path: Path, store: Store
) -> None:
    """Seattle: 911 107 + telephone 66 community, 36 alarm, 13 ONVIEW; Alexandria: 3,398 OFFICER."""
    for case in (CASES[3], CASES[4]):
        _draft(case, tmp_path)
        ingest_file(store, real_data(case.folder, case.file), tmp_path / "draft_calls.toml")
    rows = store.con.execute(
        "SELECT city, origin, count(*) FROM calls GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    seattle = {o: n for c, o, n in rows if c == "Seattle"}
    assert seattle == {"community": 173, "alarm": 36, "officer": 13}
    alexandria = {o: n for c, o, n in rows if c == "Alexandria"}
    assert alexandria["officer"] == 3398
    assert sum(alexandria.values()) == 28751


def test_sacramento_sentinel_dates_are_missing(tmp_path: Path, store: Store) -> None:
    """SOURCE.md: Dispatch_Date is 1900-01-01 on 6,672 rows, At_Scene_Date on 7,560."""
    case = CASES[2]
    _draft(case, tmp_path)
    ingest_file(store, real_data(case.folder, case.file), tmp_path / "draft_calls.toml")
    assert store.count("calls", "dispatched_at IS NULL") == 6672
    assert store.count("calls", "arrived_at IS NULL") == 7560
    assert store.count("calls", "date_only") == 25000


def test_minneapolis_race_follows_sopp(tmp_path: Path, store: Store) -> None:
    """SOURCE.md: Black 15,220 + East African 2,188 are black; blank (8,221) is unknown."""
    case = CASES[6]
    _draft(case, tmp_path)
    ingest_file(store, real_data(case.folder, case.file), tmp_path / "draft_stops.toml")
    got = dict(store.con.execute("SELECT subject_race, count(*) FROM stops GROUP BY 1").fetchall())
    assert got["black"] == 15220 + 2188
    assert got["unknown"] == 9219 + 8221
    assert got["hispanic"] == 1858


def test_nyc_draft_warns_about_unpadded_dates(tmp_path: Path) -> None:
    draft = _draft(CASES[8], tmp_path)
    assert "not zero-padded (e.g. 2072016" in draft.text
    assert draft.mappings["date"].confidence < 0.8
    assert draft.mappings["time"].optional
