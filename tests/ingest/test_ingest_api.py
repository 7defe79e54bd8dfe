"""Ingest beyond CSV quirks: re-ingest, errors, XLSX, Parquet, wide-to-long rows, x/y, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pyproj
import pytest
from typer.testing import CliRunner

from publicsafety.cli import app
from publicsafety.engine import Store
from publicsafety.errors import InputError, ProfileError
from publicsafety.ingest import ingest_file, status
from publicsafety.profiles import parse_profile

MESSY = Path(__file__).resolve().parents[1] / "data" / "messy"
PROFILE_PATH = MESSY / "messy_calls.toml"


def snapshot(store: Store) -> list[list[tuple]]:
    tables = ("calls", "quarantine", "loads")
    return [store.con.execute(f"SELECT * EXCLUDE (seconds) FROM {t} ORDER BY ALL").fetchall()
            if t == "loads" else
            store.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables]  # fmt: skip


def test_reingest_changes_nothing(file_store: Store, workspace: Path) -> None:
    first = ingest_file(file_store, MESSY / "crlf.csv", PROFILE_PATH)
    before = snapshot(file_store)
    again = ingest_file(file_store, MESSY / "crlf.csv", PROFILE_PATH)
    assert again.skipped and not first.skipped
    assert (again.load_id, again.rows_read, again.rows_loaded, again.rows_quarantined) == (
        1,
        4,
        2,
        2,
    )
    assert again.quarantine_reasons == first.quarantine_reasons
    assert snapshot(file_store) == before
    # Quarantined rows are also a CSV people can open.
    text = (workspace / "quarantine" / "crlf.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "source_file,source_line,column_name,value,reason,raw"
    assert "crlf.csv,3,received,02/30/2023 11:00,received: is not a date and time" in text


def test_a_renamed_copy_of_a_loaded_file_changes_nothing(file_store: Store, tmp_path: Path) -> None:
    """A new name means the checksum is taken beside the load, not before it: the copy is
    still recognised, its load rolled back, and the first load reported."""
    ingest_file(file_store, MESSY / "crlf.csv", PROFILE_PATH)
    before = snapshot(file_store)
    copy = tmp_path / "calls_again.csv"
    copy.write_bytes((MESSY / "crlf.csv").read_bytes())
    again = ingest_file(file_store, copy, PROFILE_PATH)
    assert again.skipped and again.load_id == 1 and again.file == "crlf.csv"
    assert "already loaded" in again.messages[-1]
    assert snapshot(file_store) == before


def test_row_ids_stay_unique_across_files(store: Store) -> None:
    ingest_file(store, MESSY / "crlf.csv", PROFILE_PATH)
    ingest_file(store, MESSY / "bom.csv", PROFILE_PATH)
    ids = store.con.execute("SELECT count(DISTINCT row_id), count(*) FROM calls").fetchall()
    assert ids == [(4, 4)]
    assert [s["rows"] for s in status(store) if s["table"] == "calls"] == [4]
    files = next(s["files"] for s in status(store) if s["table"] == "calls")
    assert [(f["file"], f["rows_read"], f["rows_quarantined"]) for f in files] == [
        ("crlf.csv", 4, 2),
        ("bom.csv", 2, 0),
    ]


def test_missing_column_names_the_closest_headers(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text("id,recieved,type,beat,units,self\n1,01/02/2023 10:00,X,1,1,N\n")
    with pytest.raises(InputError) as err:
        ingest_file(store, path, PROFILE_PATH)
    assert "'received' (closest in the file: recieved)" in err.value.message
    assert store.count("calls") == 0 and store.count("loads") == 0


def test_unknown_profile_lists_known_ones(store: Store) -> None:
    with pytest.raises(ProfileError, match="profile list"):
        ingest_file(store, MESSY / "bom.csv", "no_such_city_calls")


def _pop_profile() -> dict:
    return {
        "profile": {"name": "t_population", "city": "Testville", "kind": "population"},
        "read": {"format": "xlsx", "sheet": "Data", "skip_lines": 1, "header_rows": 2},
        "population": {"area_set": "tracts", "id": "Tract GEOID", "year": 2019, "source": "ACS"},
        "rows": [
            {"count": {"from": "Total People", "parse": "number"},
             "dimension": {"const": "total"}, "group": {"const": "total"}},
            {"count": {"from": "Race Black", "parse": "number"},
             "dimension": {"const": "race"}, "group": {"const": "black"}},
        ],
    }  # fmt: skip


def test_xlsx_with_two_header_rows_melts_wide_to_long(store: Store, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["Table 1: people by tract"])
    sheet.append(["Tract", "Total", "Race"])
    sheet.append(["GEOID", "People", "Black"])
    sheet.append(["35001000100", 4120, 312.0])
    sheet.append(["35001000200", "1,050", None])  # no Black count: that output row is skipped
    sheet.append(["35001000300", "n/a", 7])
    book.save(tmp_path / "pop.xlsx")
    r = ingest_file(store, tmp_path / "pop.xlsx", parse_profile(_pop_profile()))
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (3, 2, 1)
    got = store.con.execute(
        'SELECT area_set, area_id, dimension, "group", count, year, source, source_line'
        " FROM population ORDER BY area_id, dimension"
    ).fetchall()
    assert got == [
        ("tracts", "35001000100", "race", "black", 312.0, 2019, "ACS", 4),
        ("tracts", "35001000100", "total", "total", 4120.0, 2019, "ACS", 4),
        ("tracts", "35001000200", "total", "total", 1050.0, 2019, "ACS", 5),
    ]
    q = store.con.execute("SELECT source_line, column_name, value FROM quarantine").fetchall()
    assert q == [(6, "Total People", "n/a")]


def test_parquet_and_projected_coordinates(store: Store, tmp_path: Path) -> None:
    pq.write_table(
        pa.table({
            "id": ["a", "b", "c"],
            "when": ["2022-01-01 10:00:00", "2022-01-02 11:30:00", "not a time"],
            # New Orleans state-plane feet (EPSG:3452): a point in the French Quarter.
            "x": [3681403.0, None, 3681403.0],
            "y": [531537.0, None, 531537.0],
            "selfinit": [True, False, None],
        }),
        tmp_path / "calls.parquet",
    )  # fmt: skip
    prof = parse_profile({
        "profile": {"name": "t_calls", "city": "New Orleans", "kind": "calls"},
        "read": {"format": "parquet", "crs": "EPSG:3452"},
        "columns": {"call_id": "id", "received_at": "when", "x": "x", "y": "y",
                    "origin": "selfinit"},
        "values": {"origin": {"map": {"true": "officer", "false": "community"}}},
    })  # fmt: skip
    r = ingest_file(store, tmp_path / "calls.parquet", prof)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (3, 2, 1)
    rows = store.con.execute(
        "SELECT call_id, round(lon, 3), round(lat, 3), origin, source_line FROM calls ORDER BY 1"
    ).fetchall()
    lon, lat = pyproj.Transformer.from_crs(3452, 4326, always_xy=True).transform(
        3681403.0, 531537.0
    )
    assert (round(lon, 3), round(lat, 3)) == (-90.068, 29.956)  # the French Quarter
    assert rows == [("a", -90.068, 29.956, "officer", 1), ("b", None, None, "community", 2)]


def test_cli_ingest_json_and_status(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "ingest",
            str(MESSY / "ragged.csv"),
            "--profile",
            str(PROFILE_PATH),
            "-w",
            str(ws),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    (out,) = json.loads(res.output)
    assert (out["rows_read"], out["rows_loaded"], out["rows_quarantined"]) == (4, 2, 2)
    res = runner.invoke(app, ["status", "-w", str(ws), "--json"])
    calls = next(t for t in json.loads(res.output) if t["table"] == "calls")
    assert (calls["rows"], calls["quarantined"], calls["files"][0]["file"]) == (2, 2, "ragged.csv")
    res = runner.invoke(
        app, ["ingest", str(MESSY / "ragged.csv"), "--profile", str(PROFILE_PATH), "-w", str(ws)]
    )
    assert "already loaded (load 1); nothing changed" in res.output


def test_budget_city_from_a_column_money_shares_and_rules(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "budgets.csv"
    path.write_text(
        "City,FY,Dept,Total,Police share,Basis\n"
        'Baltimore,2021,Police,"$1,234,500",40%,Adopted\n'
        'Stockton,2021,Police,"(2,000)",12.5,adopted\n'
        "Stockton,2021,Fire,100,x,Adopted\n"
        "Detroit,2021,Police,300,10,Proposed\n"
    )
    prof = parse_profile({
        "profile": {"name": "t_budget", "city": "multiple", "kind": "budget"},
        "read": {"null_values": ["", "x"]},
        "columns": {"city": "City", "fiscal_year": "FY", "department": "Dept",
                    "basis": "Basis", "function": {"const": "police"}},
        "rows": [
            {"amount": {"from": "Total", "parse": "number"}, "program": {"const": "all"}},
            {"amount": {"from": "Police share", "parse": "share", "of": "Total", "scale": 100},
             "program": {"const": "police share"}},
        ],
        "exclude": [{"column": "Basis", "not_values": ["adopted"], "reason": "not adopted"}],
    })  # fmt: skip
    r = ingest_file(store, path, prof)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (4, 2, 2)
    got = store.con.execute(
        "SELECT city, fiscal_year, department, program, amount FROM budget ORDER BY row_id"
    ).fetchall()
    # "40%" is not a number: the input row is quarantined. Fire's share is missing ("x" is a
    # null value), so that output row is skipped and the input row still loads.
    assert got == [
        ("Stockton", 2021, "Police", "all", -2000.0),
        ("Stockton", 2021, "Police", "police share", -250.0),
        ("Stockton", 2021, "Fire", "all", 100.0),
    ]
    q = store.con.execute("SELECT source_line, reason FROM quarantine ORDER BY 1").fetchall()
    assert q == [(2, "Police share (share of Total): is not a number"), (5, "not adopted")]


def test_a_load_that_fails_leaves_nothing_behind(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from publicsafety.ingest.placing import Placer

    def broken(*args: object) -> None:
        raise RuntimeError("area assignment failed")

    monkeypatch.setattr(Placer, "points", broken)
    with pytest.raises(RuntimeError, match="area assignment failed"):
        ingest_file(store, MESSY / "ragged.csv", PROFILE_PATH)
    counts = [store.count(t) for t in ("calls", "quarantine", "loads")]
    assert counts == [0, 0, 0]
    monkeypatch.undo()
    assert ingest_file(store, MESSY / "ragged.csv", PROFILE_PATH).rows_loaded == 2


def test_rows_lost_between_reader_and_store_stop_the_load(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import publicsafety.ingest.quarantine as quarantine

    monkeypatch.setattr(quarantine, "insert_bad", lambda *args: None)  # ragged rows vanish
    with pytest.raises(InputError, match="reader counted 2 loaded and 2 quarantined"):
        ingest_file(store, MESSY / "ragged.csv", PROFILE_PATH)
    assert [store.count(t) for t in ("calls", "quarantine", "loads")] == [0, 0, 0]
