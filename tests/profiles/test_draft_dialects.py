"""`profile draft` on small files written here, one quirk each: encodings, delimiters, a title
line above the header, null sentinels, day-first and ambiguous dates, the 1900-01-01 sentinel,
WKT points, duplicate headers, XLSX, Parquet, empty and header-only files, and the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from publicsafety.cli import app
from publicsafety.engine import Store
from publicsafety.errors import InputError, ProfileError
from publicsafety.ingest import ingest_file
from publicsafety.profiles import load_profile
from publicsafety.profiles.draft import draft_profile, header_score, words

# A CAD export from a European-made system: cp1252, semicolons, a title line, NULL for missing,
# day-first dates, the 1900-01-01 "never happened" date and WKT points.
CP1252_ROWS = [
    "Export CAD - Ville d'Exemple",
    "Call Number;Date Created;Arrived Time;Nature;Priority;Auto_Initiated;Secteur;Geo",
    "A-1;25/03/2021 14:05;25/03/2021 14:30;BRUIT VOISINAGE;2;N;S1;POINT (-90.07 29.95)",
    "A-2;26/03/2021 09:00;01/01/1900 00:00;CONTRÔLE ROUTIER;3;Y;S2;POINT (-90.08 29.96)",
    "A-3;27/03/2021 23:59;NULL;DÉTRESSE;1;N;S1;POINT (-90.06 29.94)",
    "A-4;13/04/2021 07:15;13/04/2021 07:40;VOL À L'ÉTALAGE;2;N;NULL;POINT (-90.05 29.93)",
]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_header_words_and_scores() -> None:
    assert words("TimeCreate") == ("time", "create")
    assert words("BLOCK_ADDRESS") == ("block", "address")
    assert words("idNum") == ("id", "num")
    assert header_score("Incident_Dispatch_Time", ["incident dispatch time"]) == (
        1.0,
        "incident dispatch time",
    )
    assert header_score("Priority_Number", ["priority"]) == (0.7, "priority")
    assert header_score("Signal Code", ["type code", "call type code"]) == (0.0, "")
    # dBase cuts shapefile headers at 10 characters.
    assert header_score("Neighborho", ["neighborhood"]) == (0.9, "neighborhood")


def test_cp1252_semicolons_title_line_day_first_and_sentinels(tmp_path: Path, store: Store) -> None:
    src = write(tmp_path, "cad.csv", "\r\n".join(CP1252_ROWS) + "\r\n", "cp1252")
    draft = draft_profile(src, "calls", tmp_path / "ville_calls.toml")
    assert draft.read["encoding"] == "cp1252"
    assert draft.read["delimiter"] == ";"
    assert draft.read["skip_lines"] == 1
    assert draft.read["null_values"] == ["", "NULL"]
    assert draft.read["datetime_formats"] == ["%d/%m/%Y %H:%M"]
    assert draft.read["date_sentinels"] == ["1900-01-01"]
    assert "day-first dates" in draft.text
    assert "CRLF line endings" in draft.text
    assert draft.role("call_id") == "Call Number"
    assert draft.role("received_at") == "Date Created"
    assert draft.role("arrived_at") == "Arrived Time"
    assert draft.role("priority") == "Priority"
    assert draft.role("lon") == draft.role("lat") == "Geo"
    assert draft.mappings["lon"].parse == "wkt_x"
    assert draft.role("origin") is None  # "Auto_Initiated" is not a known flag name
    assert "Auto_Initiated" in draft.unmapped
    result = ingest_file(store, src, tmp_path / "ville_calls.toml")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 4, 0)
    got = store.con.execute("SELECT lon, lat, priority FROM calls ORDER BY source_line").fetchall()
    assert got == [
        (-90.07, 29.95, "2"),
        (-90.08, 29.96, "3"),
        (-90.06, 29.94, "1"),
        (-90.05, 29.93, "2"),
    ]
    assert store.count("calls", "arrived_at IS NULL") == 2  # the sentinel and the NULL
    types = store.con.execute("SELECT call_type FROM calls ORDER BY source_line").fetchall()
    assert types[1] == ("CONTRÔLE ROUTIER",)


def test_bom_tabs_and_an_officer_flag(tmp_path: Path, store: Store) -> None:
    text = (
        "\ufeffIncident Number\tCall Date Time\tCall Type\tDescription\tSelf Initiated\tBeat\tLatitude\tLongitude\n"
        "24-1\t2024-05-01 10:00:00\tTS\tTRAFFIC STOP\tY\t3A\t44.98\t-93.27\n"
        "24-2\t2024-05-01 10:05:00\tDIST\tDISTURBANCE\tN\t3B\t44.97\t-93.26\n"
        "24-3\t2024-05-01 10:07:00\tALM\tALARM\tN\t3A\t\t\n"
    )
    src = write(tmp_path, "calls.tsv", text)
    draft = draft_profile(src, "calls", tmp_path / "mn_calls.toml", city="Minneapolis")
    assert draft.read["encoding"] == "utf-8-sig" and draft.read["delimiter"] == "\t"
    assert draft.read["timezone"] == "America/Chicago"
    assert "byte-order mark" in draft.text
    assert draft.role("call_id") == "Incident Number"
    assert draft.role("received_at") == "Call Date Time"
    assert draft.role("call_type_code") == "Call Type"
    assert draft.role("call_type") == "Description"
    assert draft.role("origin") == "Self Initiated"
    assert draft.values["origin"]["map"] == {"N": "community", "Y": "officer"}
    assert (draft.role("lat"), draft.role("lon")) == ("Latitude", "Longitude")
    result = ingest_file(store, src, tmp_path / "mn_calls.toml")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    origins = store.con.execute("SELECT origin FROM calls ORDER BY source_line").fetchall()
    assert origins == [("officer",), ("community",), ("community",)]


def test_ambiguous_dates_are_read_month_first_and_flagged(tmp_path: Path) -> None:
    text = "call_id,received\n1,03/04/2022 10:00\n2,05/06/2022 11:00\n3,12/11/2022 12:00\n"
    draft = draft_profile(write(tmp_path, "a.csv", text), "calls", tmp_path / "a_calls.toml")
    assert draft.mappings["received_at"].format == "%m/%d/%Y %H:%M"
    assert "no day above 12 in the sample: month-first assumed" in draft.text


def test_latin1_only_bytes(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252: only latin-1 reads it.
    path = tmp_path / "l.csv"
    path.write_bytes(b"call_id,type\n1,A\x81B\n")
    draft = draft_profile(path, "calls", tmp_path / "l_calls.toml")
    assert draft.read["encoding"] == "latin-1"


def test_duplicate_headers_are_not_mapped(tmp_path: Path) -> None:
    text = "call_id,Priority,Priority,Disposition\n1,1,2,GOA\n2,2,3,RTF\n"
    draft = draft_profile(write(tmp_path, "d.csv", text), "calls", tmp_path / "d_calls.toml")
    assert draft.role("priority") is None
    assert draft.role("disposition") == "Disposition"
    assert "duplicate headers, not mapped: Priority" in draft.text


def test_header_only_file_maps_by_names_with_low_confidence(tmp_path: Path) -> None:
    text = "race,sex,age,stop_date\n"
    draft = draft_profile(write(tmp_path, "h.csv", text), "stops", tmp_path / "h_stops.toml")
    assert draft.sample_rows == 0
    assert (draft.role("subject_race"), draft.role("subject_age")) == ("race", "age")
    assert draft.mappings["subject_age"].parse == "int"
    assert all(m.confidence <= 0.75 for m in draft.mappings.values())
    assert load_profile(tmp_path / "h_stops.toml").columns["subject_sex"].sources == ("sex",)


def test_empty_file_and_unknown_kind_are_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        draft_profile(write(tmp_path, "e.csv", "\n\n"), "calls", tmp_path / "e_calls.toml")
    with pytest.raises(ProfileError, match="cannot draft a profile of kind 'budget'"):
        draft_profile(write(tmp_path, "b.csv", "a,b\n1,2\n"), "budget", tmp_path / "b.toml")
    assert not (tmp_path / "e_calls.toml").exists()


def test_xlsx_stops(tmp_path: Path, store: Store) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Stops 2023"
    ws.append(
        ["Stop Date", "Stop Time", "Subject Race", "Subject Sex", "Subject Age", "Arrest Made"]
    )
    ws.append(["2023-01-02", "08:15:00", "Black", "M", 34, "Y"])
    ws.append(["2023-01-03", "21:40:00", "White Hispanic", "F", 19, "N"])
    ws.append(["2023-01-04", "02:05:00", "Asian", "M", 51, "N"])
    wb.save(tmp_path / "stops.xlsx")
    draft = draft_profile(tmp_path / "stops.xlsx", "stops", tmp_path / "x_stops.toml")
    assert draft.read["format"] == "xlsx" and draft.read["sheet"] == "Stops 2023"
    assert draft.role("stopped_at") == ["Stop Date", "Stop Time"]
    assert draft.values["subject_race"]["map"] == {
        "Black": "black",
        "White Hispanic": "hispanic",
        "Asian": "asian/pacific islander",
    }
    assert draft.values["subject_sex"]["map"] == {"M": "male", "F": "female"}
    result = ingest_file(store, tmp_path / "stops.xlsx", tmp_path / "x_stops.toml")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    ages = store.con.execute("SELECT subject_age, arrest_made FROM stops ORDER BY 1").fetchall()
    assert ages == [(19, False), (34, True), (51, False)]


def test_parquet_state_plane_needs_a_city_to_choose_the_zone(tmp_path: Path) -> None:
    table = pa.table(
        {
            "EventID": ["e1", "e2", "e3"],
            "CreatedAt": ["2016-08-01 10:00:00", "2016-08-01 11:00:00", "2016-08-02 09:30:00"],
            "X_Coord": [7639201.0, 7640405.0, 7644614.0],
            "Y_Coord": [683983.0, 684344.0, 686128.0],
        }
    )
    pq.write_table(table, tmp_path / "events.parquet")
    blind = draft_profile(tmp_path / "events.parquet", "calls", tmp_path / "p_calls.toml")
    assert blind.read["format"] == "parquet"
    assert (blind.role("x"), blind.role("y")) == ("X_Coord", "Y_Coord")
    assert blind.read["crs"] == "EPSG:2269"  # the only NAD83 feet zone holding the point
    told = draft_profile(
        tmp_path / "events.parquet", "calls", None, city="Portland", crs="EPSG:2913"
    )
    assert told.read["crs"] == "EPSG:2913" and "given with --crs" in told.text


def test_cli_writes_the_draft_and_reports_json(tmp_path: Path) -> None:
    src = write(tmp_path, "c.csv", "CAD Event Number,Priority,Call Type\n1,2,911\n2,7,ONVIEW\n")
    out = tmp_path / "cli_calls.toml"
    res = CliRunner().invoke(
        app, ["profile", "draft", str(src), "--kind", "calls", "--out", str(out), "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["name"] == "cli_calls" and data["sample_rows"] == 2
    got = {m["column"]: m["source"] for m in data["mappings"]}
    assert got == {"call_id": "CAD Event Number", "priority": "Priority", "origin": "Call Type",
                   "origin_raw": "Call Type"}  # fmt: skip
    assert load_profile(out).values["origin"].lookup("onview") == "officer"


def test_x_y_by_range_wgs84_or_state_plane(tmp_path: Path) -> None:
    """ArcGIS exports call both WGS84 degrees and projected feet X / Y: the values decide."""
    degrees = "OBJECTID,X,Y\n1,-106.65,35.08\n2,-106.60,35.10\n"
    d = draft_profile(
        write(tmp_path, "deg.csv", degrees), "incidents", tmp_path / "deg_incidents.toml"
    )
    assert (d.role("lon"), d.role("lat"), d.role("x")) == ("X", "Y", None)
    assert "crs" not in d.read
    feet = "OBJECTID,X,Y\n1,3692036,543335\n2,3674955,527281\n"
    f = draft_profile(write(tmp_path, "ft.csv", feet), "incidents", tmp_path / "ft_incidents.toml")
    assert (f.role("x"), f.role("y"), f.role("lon")) == ("X", "Y", None)
    # Louisiana North, South and Offshore all hold this point; without a city the draft
    # takes one, says so with a low confidence and lists the others.
    assert f.read["crs"] == "EPSG:3451"
    assert "3 zones hold the median point" in f.text and "EPSG:3452" in f.text
    nola = draft_profile(tmp_path / "ft.csv", "incidents", None, city="New Orleans")
    assert nola.read["crs"] == "EPSG:3452"
