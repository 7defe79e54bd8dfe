"""Portal profiles of the five pilot cities read a file with the portal's published header.

The fixtures in tests/data/portal/ carry the header as published (see each profile's notes for
what is verified) and a few plausible rows; each test checks counts, a row in canonical form and
the quirk the profile exists to handle.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import FIXTURES

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file
from publicsafety.profiles import list_profiles, load_profile

PORTAL = FIXTURES / "portal"
PILOT_CITIES = {"Albuquerque", "Baltimore", "Minneapolis", "New Orleans", "Stockton"}
EVENT_KINDS = {"calls", "stops", "incidents", "arrests", "force"}


def portal_profiles() -> list[str]:
    return sorted(
        p.name
        for p in list_profiles()
        if p.portal and p.city in PILOT_CITIES and p.kind in EVENT_KINDS
    )


# profile -> (rows read, loaded, quarantined, {column: value} of the row on line 2 or 3)
CASES: dict[str, tuple[int, int, int, int, dict[str, Any]]] = {
    "new_orleans_calls": (5, 4, 1, 3, {
        "call_id": "A0000215", "received_at": datetime(2015, 1, 1, 0, 0, 36),
        "dispatched_at": None, "call_type_code": "21", "origin": "officer", "beat": "8E01",
        "district": "8",
    }),
    "new_orleans_calls_2020": (4, 3, 1, 2, {
        "call_id": "A0011722", "received_at": datetime(2022, 1, 1, 1, 7), "call_type_code": "100",
        "initial_call_type": "AUTO ACCIDENT", "origin": "community", "lon": -90.03437791,
        "lat": 29.98765875,
    }),
    "new_orleans_stops": (4, 4, 0, 4, {
        "stop_id": "17416", "stopped_at": datetime(2010, 1, 1, 2, 6), "district": "5",
        "beat": "D", "subject_race": "native american", "subject_race_raw": "AMER. IND.",
        "subject_sex": "male", "subject_age": 18, "reason_for_stop": "CALL FOR SERVICE",
    }),
    "new_orleans_incidents": (4, 4, 0, 2, {
        "incident_id": "A-00718-22", "occurred_at": datetime(2022, 1, 1, 14, 15),
        "offense_code": "27-30S", "offense": "ATTEMPTED MURDER (SHOOTING)", "district": "5",
    }),
    "minneapolis_stops": (4, 4, 0, 4, {
        "stop_id": "16-395269", "stopped_at": datetime(2016, 11, 1, 0, 5, 4),
        "type": "vehicular", "reason_for_stop": "Equipment Violation", "citation_issued": False,
        "subject_race": "black", "subject_race_raw": "East African", "subject_sex": "male",
        "district": "5", "neighborhood": "Whittier",
    }),
    "minneapolis_incidents": (3, 3, 0, 3, {
        "incident_id": "MP-2018-000044", "reported_at": datetime(2018, 1, 1, 2, 10),
        "occurred_at": None, "offense_code": "THEFT", "nibrs_code": "7", "district": "5",
        "lon": -93.2779, "lat": 44.948,
    }),
    "minneapolis_force": (3, 3, 0, 2, {
        "incident_id": "16-000015", "occurred_at": datetime(2016, 1, 1, 0, 47, 36),
        "problem": "Assault in Progress", "force_type": "Bodily Force", "subject_race": "black",
        "subject_injury": None, "called_by_911": True, "subject_age": 20,
    }),
    "baltimore_calls": (3, 3, 0, 2, {
        "call_id": "P173271183", "received_at": datetime(2017, 11, 23, 16, 41),
        "priority": "Non-Emergency", "call_type": "911/NO  VOICE", "district": "NE",
        "origin": "unknown",
    }),
    "baltimore_incidents": (4, 4, 0, 4, {
        "incident_id": "3", "occurred_at": datetime(2021, 7, 14, 20, 3), "offense_code": "4E",
        "crime_category": "violent", "district": "CENTRAL", "beat": "141", "lon": None,
        "lat": None,
    }),
    "baltimore_arrests": (4, 4, 0, 2, {
        "arrest_id": "17049173", "arrested_at": datetime(2017, 4, 1, 23, 55),
        "subject_race": "black", "subject_sex": "male", "subject_age": 27,
        "charge_code": "2 0480", "district": "Northeastern", "beat": "411",
    }),
    "albuquerque_calls": (4, 4, 0, 3, {
        "call_id": "45420746", "received_at": datetime(2020, 5, 10), "date_only": True,
        "call_type": "TRAFFIC STOP", "origin": "officer",
    }),
    "stockton_calls": (3, 3, 0, 3, {
        "call_id": "P24000102", "received_at": datetime(2024, 1, 1, 0, 7, 45),
        "call_type_code": "246", "call_type": "SHOTS FIRED AT DWELLING", "priority": "1",
        "district": "SOUTH", "beat": "S3", "lon": -121.2681, "lat": 37.9384,
    }),
}  # fmt: skip


def test_every_pilot_city_has_portal_profiles_with_a_fixture_and_a_case() -> None:
    names = portal_profiles()
    assert names == sorted(CASES)
    assert {load_profile(n).city for n in names} == PILOT_CITIES
    for name in names:
        prof = load_profile(name)
        assert prof.portal["type"] in {"socrata", "arcgis"}
        assert prof.portal["domain"]
        assert "VERIFIED" in prof.notes  # every portal profile says what was checked
        assert (PORTAL / f"{name}.csv").is_file()


@pytest.mark.parametrize("name", sorted(CASES))
def test_portal_fixture_loads(store: Store, name: str) -> None:
    read, loaded, quarantined, line, expected = CASES[name]
    prof = load_profile(name)
    path: Path = PORTAL / f"{name}.csv"
    # The fixture header is the profile's columns plus others the portal publishes.
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert prof.source_columns() <= set(header.split(","))
    r = ingest_file(store, path, name)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (read, loaded, quarantined)
    cols = ", ".join(expected)
    row = store.con.execute(
        f'SELECT {cols} FROM "{prof.table}" WHERE source_line = ?', [line]
    ).fetchone()
    assert row is not None
    got = dict(zip(expected, row, strict=True))
    assert got == expected


def test_new_orleans_portal_excludes_void_and_duplicates_and_unmangles_beats(
    store: Store,
) -> None:
    r = ingest_file(store, PORTAL / "new_orleans_calls.csv", "new_orleans_calls")
    assert r.quarantine_reasons == {"void call (Disposition VOI)": 1}
    # `4.00E+01` (Excel) is beat 4E01; state-plane MapX/MapY become lon/lat in the French Quarter.
    got = store.con.execute(
        "SELECT beat, round(lon, 3), round(lat, 3) FROM calls WHERE call_id IN"
        " ('A0000915', 'A0000115') ORDER BY call_id"
    ).fetchall()
    assert got == [("8D06", -90.065, 29.959), ("4E01", -90.035, 29.939)]
    r = ingest_file(store, PORTAL / "new_orleans_calls_2020.csv", "new_orleans_calls_2020")
    assert r.quarantine_reasons == {"duplicate call (Disposition DUP)": 1}
    beats = store.con.execute(
        "SELECT beat FROM calls WHERE load_id = ? ORDER BY source_line", [r.load_id]
    ).fetchall()
    assert beats == [("5Q02",), ("4C02",), ("8E01",)]


def test_portal_origin_and_race_maps(store: Store) -> None:
    ingest_file(store, PORTAL / "minneapolis_stops.csv", "minneapolis_stops")
    assert store.con.execute(
        "SELECT type, subject_race, subject_sex FROM stops ORDER BY source_line"
    ).fetchall() == [
        ("pedestrian", "unknown", "male"),
        ("vehicular", "black", "female"),
        ("vehicular", "black", "male"),
        ("vehicular", "unknown", "unknown"),  # blank race / sex off the in-car computer
    ]
    ingest_file(store, PORTAL / "albuquerque_calls.csv", "albuquerque_calls")
    assert store.con.execute(
        "SELECT origin, count(*) FROM calls GROUP BY 1 ORDER BY 1"
    ).fetchall() == [("community", 2), ("officer", 2)]
