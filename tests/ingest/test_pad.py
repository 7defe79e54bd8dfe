"""`pad`: compact dates and times written without leading zeros (NYC SQF's 2072016 and 100)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from publicsafety.engine import Store
from publicsafety.errors import ProfileError
from publicsafety.ingest import ingest_file
from publicsafety.profiles import parse_profile


def profile(**columns: Any) -> Any:
    return parse_profile({
        "profile": {"name": "compact", "city": "Compact Town", "kind": "stops"},
        "columns": {"stop_id": "id", **columns},
    })  # fmt: skip


COLUMNS = {
    "date": {"from": "d", "parse": "date", "format": "%m%d%Y", "pad": 8},
    "time": {"from": "t", "parse": "time", "format": "%H%M", "pad": 4},
    "stopped_at": {"from": ["d", "t"], "parse": "datetime", "format": "%m%d%Y %H%M",
                   "pad": [8, 4]},
}  # fmt: skip


def test_pad_reads_unpadded_dates_and_times(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "compact.csv"
    # A value longer than the width is not cut: 123456789 stays and fails as a date.
    f.write_text("id,d,t\n1,2072016,100\n2,12312016,2359\n3,1012016,0\n4,123456789,5\n5,,\n")
    result = ingest_file(store, f, profile(**COLUMNS))
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 4, 1)
    rows = store.con.execute(
        "SELECT stop_id, date, time, stopped_at FROM stops ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("1", date(2016, 2, 7), time(1, 0), datetime(2016, 2, 7, 1, 0)),
        ("2", date(2016, 12, 31), time(23, 59), datetime(2016, 12, 31, 23, 59)),
        ("3", date(2016, 1, 1), time(0, 0), datetime(2016, 1, 1, 0, 0)),
        ("5", None, None, None),
    ]
    # The quarantine keeps the value as read, not the padded one.
    held = store.con.execute(
        "SELECT source_line, column_name, value, reason FROM quarantine"
    ).fetchall()
    assert held == [(5, "d", "123456789", "d: is not a date")]


def test_pad_must_be_a_width_per_source() -> None:
    with pytest.raises(ProfileError, match=r"pad = \[8\] is not a width"):
        profile(stopped_at={"from": ["d", "t"], "parse": "datetime", "pad": [8]})
    with pytest.raises(ProfileError, match="pad = 'x' is not a width"):
        profile(date={"from": "d", "parse": "date", "pad": "x"})
