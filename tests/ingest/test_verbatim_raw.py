"""Quarantine keeps each CSV record verbatim: original quotes, spaces and line breaks."""

from __future__ import annotations

from pathlib import Path

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

DATA = Path(__file__).resolve().parents[1] / "data"
FILE = DATA / "ingest" / "quoted_bad_rows.csv"


def test_quarantined_rows_keep_the_file_text(store: Store) -> None:
    result = ingest_file(store, FILE, DATA / "messy" / "messy_calls.toml")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
    held = store.con.execute(
        "SELECT source_line, column_name, value, reason, raw FROM quarantine ORDER BY 1"
    ).fetchall()
    # Line 3 is a bad date in a record whose quoted value spans two lines (CRLF kept inside);
    # line 6 is excluded by the profile's TEST rule and holds an unparseable date too.
    assert held == [
        (3, "received", "02/30/2023 11:00", "received: is not a date and time",
         '"2",02/30/2023 11:00,"NOISE\r\nat the ""corner""", N ,2,1'),
        (6, "type", "TEST", "test event", '4,"soon",  TEST ,,4,1'),
    ]  # fmt: skip
    # The next record's line number is untouched by the extra line.
    assert store.con.execute("SELECT source_line FROM calls ORDER BY 1").fetchall() == [(2,), (5,)]
