"""A catalogue of CSV quirks from real city files, each a tiny hand-written file in tests/data/messy.

For each: exact rows read, loaded and quarantined, and the line and reason of every quarantined
row. Line 1 is the header.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file
from publicsafety.profiles import load_profile

MESSY = Path(__file__).resolve().parents[1] / "data" / "messy"
PROFILE = load_profile(MESSY / "messy_calls.toml")

# file: (read, loaded, quarantined, [(line, reason), ...])
EXPECTED = {
    "bom.csv": (2, 2, 0, []),
    "mixed_encoding.csv": (3, 3, 0, []),
    "ragged.csv": (
        4,
        2,
        2,
        [(3, "has 3 fields, the header has 6"), (4, "has 7 fields, the header has 6")],
    ),
    "unclosed_quote.csv": (
        2,
        1,
        1,
        [
            (
                3,
                "unclosed quote: the record starting at line 3 runs to the end of the file (3 lines)",
            )
        ],
    ),
    "unclosed_quote_last_field.csv": (
        2,
        1,
        1,
        [
            (
                3,
                "unclosed quote: the record starting at line 3 runs to the end of the file (2 lines)",
            )
        ],
    ),
    "excel_numbers.csv": (3, 2, 1, [(4, "units: is not a whole number")]),
    "day_first.csv": (
        3,
        1,
        2,
        [(2, "received: is not a date and time"), (4, "received: is not a date and time")],
    ),
    "sentinel_dates.csv": (3, 3, 0, []),
    "empty.csv": (0, 0, 0, []),
    "header_only.csv": (0, 0, 0, []),
    "duplicate_headers.csv": (2, 2, 0, []),
    "crlf.csv": (4, 2, 2, [(3, "received: is not a date and time"), (4, "test event")]),
    "quoted_newlines.csv": (4, 3, 1, [(7, "received: is not a date and time")]),
    "blank_lines.csv": (3, 2, 1, [(7, "received: is not a date and time")]),
}


def quarantined(store: Store) -> list[tuple[int, str]]:
    return [
        (int(line), str(reason))
        for line, reason in store.con.execute(
            "SELECT source_line, reason FROM quarantine ORDER BY source_line"
        ).fetchall()
    ]


def calls(store: Store, columns: str) -> list[tuple]:
    return store.con.execute(f"SELECT {columns} FROM calls ORDER BY row_id").fetchall()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_counts_lines_and_reasons(store: Store, name: str) -> None:
    read, loaded, held, reasons = EXPECTED[name]
    r = ingest_file(store, MESSY / name, PROFILE)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (read, loaded, held)
    assert r.rows_read == r.rows_loaded + r.rows_quarantined
    assert store.count("calls") == loaded
    assert quarantined(store) == reasons
    assert sum(r.quarantine_reasons.values()) == held


def test_bom_is_stripped_from_the_first_header(store: Store) -> None:
    ingest_file(store, MESSY / "bom.csv", PROFILE)
    assert calls(store, "call_id, call_type, origin") == [
        ("1", "THEFT", "community"),
        ("2", "NOISE", "officer"),
    ]


def test_cp1252_file_decodes_with_its_profile_encoding(store: Store) -> None:
    prof = dataclasses.replace(PROFILE, read=dataclasses.replace(PROFILE.read, encoding="cp1252"))
    r = ingest_file(store, MESSY / "cp1252.csv", prof)
    assert r.bytes_replaced == 0
    assert calls(store, "call_type") == [("CAFÉ DISTURBANCE",), ("\u201cLOUD\u201d MUSIC",)]


def test_cp1252_file_read_as_utf8_keeps_rows_and_says_so(store: Store) -> None:
    r = ingest_file(store, MESSY / "cp1252.csv", PROFILE)
    assert (r.rows_loaded, r.bytes_replaced) == (2, 3)
    assert calls(store, "call_type") == [("CAF\ufffd DISTURBANCE",), ("\ufffdLOUD\ufffd MUSIC",)]
    assert any('set encoding = "cp1252"' in m for m in r.messages)


def test_mixed_encoding_keeps_the_row_with_a_replacement_character(store: Store) -> None:
    # Decision: a byte that is not valid UTF-8 becomes U+FFFD and the row is kept (counted in
    # bytes_replaced and reported), rather than losing a whole call over one letter of a name.
    r = ingest_file(store, MESSY / "mixed_encoding.csv", PROFILE)
    assert r.bytes_replaced == 1
    assert calls(store, "source_line, call_type") == [
        (2, "CAFÉ DISTURBANCE"),
        (3, "CAF\ufffd DISTURBANCE"),
        (4, "THEFT"),
    ]


def test_ragged_rows_are_kept_verbatim(store: Store) -> None:
    ingest_file(store, MESSY / "ragged.csv", PROFILE)
    raw = store.con.execute("SELECT raw FROM quarantine ORDER BY source_line").fetchall()
    assert raw == [("2,01/02/2023 11:00,NOISE",), ("3,01/02/2023 12:00,ALARM,3C,1,N,EXTRA",)]
    assert calls(store, "source_line, call_id") == [(2, "1"), (5, "4")]


def test_unclosed_quote_is_reported_not_swallowed_silently(store: Store) -> None:
    r = ingest_file(store, MESSY / "unclosed_quote.csv", PROFILE)
    (raw,) = store.con.execute("SELECT raw FROM quarantine").fetchall()[0]
    assert raw.startswith('2,01/02/2023 11:00,"NOISE,2B,2,Y')
    assert raw.endswith("4,01/02/2023 13:00,THEFT,4D,1,Y")
    assert any("unclosed quote" in m and "line 3" in m for m in r.messages)


def test_excel_mangled_codes_and_numbers(store: Store) -> None:
    ingest_file(store, MESSY / "excel_numbers.csv", PROFILE)
    # Beat "8E01" became 8.00E+01 in Excel; 123E03 became 1.23E+05. Units 8.00E+01 is 80.
    assert calls(store, "beat, units") == [("8E01", 80), ("123E03", 2)]
    assert store.con.execute("SELECT value FROM quarantine").fetchall() == [("2.5",)]


def test_day_first_dates_quarantined_with_a_hint(store: Store) -> None:
    r = ingest_file(store, MESSY / "day_first.csv", PROFILE)
    assert r.messages[0] == (
        'day_first.csv line 2, column received: "25/12/2023 10:00" is not a date and time.'
        " 2 rows like this were moved to quarantine (the quarantine table). If the file uses"
        ' day-first dates, set date_formats = ["%d/%m/%Y"] (and datetime_formats to match) in'
        " your city profile."
    )


def test_day_first_dates_load_with_a_day_first_profile(store: Store) -> None:
    read = dataclasses.replace(PROFILE.read, datetime_formats=("%d/%m/%Y %H:%M",))
    r = ingest_file(store, MESSY / "day_first.csv", dataclasses.replace(PROFILE, read=read))
    assert (r.rows_loaded, r.rows_quarantined) == (3, 0)
    assert calls(store, "received_at") == [
        (datetime(2023, 12, 25, 10, 0),),
        (datetime(2023, 2, 1, 11, 0),),
        (datetime(2023, 1, 13, 9, 30),),
    ]


def test_sentinel_dates_read_as_missing_and_counted(store: Store) -> None:
    r = ingest_file(store, MESSY / "sentinel_dates.csv", PROFILE)
    assert r.dates_sentinel == 2
    assert calls(store, "received_at, units, origin") == [
        (None, 1, "community"),
        (None, 1, "community"),
        (datetime(2023, 1, 2, 10, 0), None, "unknown"),  # NULL sentinel; missing origin
    ]


def test_duplicate_headers_are_renamed_and_reported(store: Store) -> None:
    cols = {**PROFILE.columns}
    cols["initial_call_type"] = dataclasses.replace(
        PROFILE.columns["call_type"], sources=("type_2",)
    )
    r = ingest_file(
        store, MESSY / "duplicate_headers.csv", dataclasses.replace(PROFILE, columns=cols)
    )
    assert r.duplicate_headers == ["type"]
    assert calls(store, "call_type, initial_call_type") == [
        ("THEFT", "VEHICLE"),
        ("NOISE", "PARTY"),
    ]
    assert any("repeats type" in m for m in r.messages)


def test_crlf_values_carry_no_carriage_return(store: Store) -> None:
    ingest_file(store, MESSY / "crlf.csv", PROFILE)
    assert calls(store, "source_line, call_id, origin") == [
        (2, "1", "community"),
        (5, "4", "unknown"),
    ]


def test_quoted_newlines_keep_line_numbers_right(store: Store) -> None:
    ingest_file(store, MESSY / "quoted_newlines.csv", PROFILE)
    assert calls(store, "source_line, call_type") == [
        (2, "THEFT\nFROM AUTO"),
        (4, "NOISE\r\nLOUD\nPARTY"),
        (8, 'SAID "HELP"'),
    ]


def test_blank_lines_are_counted_apart(store: Store) -> None:
    r = ingest_file(store, MESSY / "blank_lines.csv", PROFILE)
    assert r.rows_blank == 3
    assert calls(store, "source_line") == [(2,), (5,)]
