"""Rows of only spaces are blank like empty rows (NYC SQF ends with ` , , , ...` and no newline)."""

from __future__ import annotations

from pathlib import Path

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file

DATA = Path(__file__).resolve().parents[1] / "data"


def test_space_rows_are_blank_whatever_their_width(store: Store) -> None:
    result = ingest_file(
        store, DATA / "ingest" / "space_rows.csv", DATA / "messy" / "messy_calls.toml"
    )
    # Lines 3, 4 (tab and a quoted blank), 6 (one field of spaces), 7 (three fields on a
    # six-column header) and 9 (spaces, no line ending) are blank; line 8 has data in `units`.
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    assert result.rows_blank == 5
    rows = store.con.execute("SELECT source_line, call_id, units FROM calls ORDER BY 1").fetchall()
    assert rows == [(2, "1", 1), (5, "2", 1), (8, "3", 7)]
