"""Property tests: random messy CSV never loses or invents a row.

Rows read must equal rows loaded + rows quarantined, and must equal a count taken by Python's
csv module on the same bytes; every record's start line must match the line Python's reader was
on when the record began.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publicsafety.engine import memory_store
from publicsafety.ingest import ingest_file
from publicsafety.profiles import parse_profile

PROFILE = parse_profile({
    "profile": {"name": "random_calls", "city": "Random", "kind": "calls"},
    "columns": {"call_id": "a", "call_type": {"from": "b", "optional": True}},
})  # fmt: skip
HEADER = ["a", "b", "c", "d"]

# Field text: ordinary characters, the delimiter, quotes, line breaks, and bytes that are not
# valid UTF-8 on their own.
PIECES = st.sampled_from(
    [b"x", b"Y", b"7", b" ", b",", b'"', b"\n", b"\r\n", b"\r", b"\xe9", b"\xff", b"\xc3\xa9", b"-"]
)
FIELD = st.lists(PIECES, max_size=6).map(b"".join)


@st.composite
def messy_csv(draw: st.DrawFn) -> bytes:
    ncols = draw(st.integers(1, 4))
    eol = draw(st.sampled_from([b"\n", b"\r\n"]))
    out = [b",".join(h.encode() for h in HEADER[:ncols]) + eol]
    for _ in range(draw(st.integers(0, 12))):
        width = draw(st.integers(0, ncols + 2))  # ragged on purpose, and blank lines
        fields = []
        for _ in range(width):
            f = draw(FIELD)
            if draw(st.booleans()):
                f = b'"' + f.replace(b'"', b'""') + b'"'
            fields.append(f)
        out.append(b",".join(fields) + draw(st.sampled_from([eol, b"\n", b"\r\n"])))
    data = b"".join(out)
    if draw(st.booleans()):
        data = data.rstrip(b"\r\n")  # no line break after the last record
    return data


def python_records(data: bytes, ncols: int) -> list[int]:
    """Start lines of the records Python's csv module finds (the same blank-record rule)."""
    text = data.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    starts = []
    header_done = False
    while True:
        begin = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        if not header_done:
            header_done = True
            continue
        # Every field empty or white space, whatever the field count: blank, not a record.
        blank = all(not f.strip(" \t\r\n") for f in row)
        if not blank:
            starts.append(begin)
    return starts


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_csv())
def test_random_csv_never_loses_or_invents_a_row(data: bytes) -> None:
    ncols = len(data.split(b"\n", 1)[0].rstrip(b"\r").split(b","))
    prof = PROFILE
    if ncols < 2:
        cols = {"call_id": PROFILE.columns["call_id"]}
        prof = parse_profile({"profile": {"name": "one", "city": "Random", "kind": "calls"},
                              "columns": {"call_id": "a"}})  # fmt: skip
        assert set(prof.columns) == set(cols)
    expected = python_records(data, ncols)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.csv"
        path.write_bytes(data)
        store = memory_store(threads=1)
        try:
            r = ingest_file(store, path, prof)
            lines = sorted(
                row[0]
                for row in store.con.execute(
                    "SELECT source_line FROM calls UNION ALL SELECT source_line FROM quarantine"
                ).fetchall()
            )
            loaded = store.count("calls")
        finally:
            store.close()
    assert r.rows_read == r.rows_loaded + r.rows_quarantined
    assert loaded == r.rows_loaded
    assert r.rows_read == len(expected)
    assert lines == expected
