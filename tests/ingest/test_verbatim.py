"""LineFinder: the text of chosen lines, read forward in chunks, as the CSV reader counts lines."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publicsafety.ingest import verbatim
from publicsafety.ingest.verbatim import LineFinder

LINE_BREAK = re.compile(rb"\r\n|\n|\r")


def test_lines_by_number_with_every_kind_of_line_break(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b'h\r\n1,2\r\n"x\r\ny",3\n4,5\r6\n7')
    finder = LineFinder(path, "utf-8")
    try:
        got = finder.texts([(2, 1), (3, 2), (6, 1), (7, 1), (8, 1)])
    finally:
        finder.close()
    # Line 8 does not exist; a record over two lines keeps its inner line break.
    assert got == {2: "1,2", 3: '"x\r\ny",3', 6: "6", 7: "7"}


def test_a_cp1252_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes("a\nCaf\xe9,1\n".encode("latin-1"))
    finder = LineFinder(path, "cp1252")
    try:
        assert finder.texts([(2, 1)]) == {2: "Café,1"}
    finally:
        finder.close()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([b"a", b"bc", b",", b"\n", b"\r\n", b"\r", b"\xc3\xa9"]), max_size=60),
    st.integers(1, 9),
    st.data(),
)
def test_any_lines_match_a_plain_split(
    pieces: list[bytes], chunk: int, data: st.DataObject
) -> None:
    raw = b"".join(pieces)
    lines = LINE_BREAK.split(raw)
    if raw and LINE_BREAK.search(raw[-2:]) and raw.endswith((b"\n", b"\r")):
        lines = lines[:-1]  # a final line break ends the last line; it does not start one
    n = len(lines) if raw else 0
    firsts = sorted(set(data.draw(st.lists(st.integers(1, n + 2), max_size=5))))
    wanted, last = [], 0
    for first in firsts:
        if first > last:
            count = data.draw(st.integers(1, 3))
            wanted.append((first, count))
            last = first + count - 1
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        mp.setattr(verbatim, "CHUNK", chunk)
        path = Path(tmp) / "f.csv"
        path.write_bytes(raw)
        finder = LineFinder(path, "utf-8")
        try:
            got = finder.texts(wanted)
        finally:
            finder.close()
    expected = {}
    for first, count in wanted:
        if first + count - 1 <= n:
            text = raw
            # The record's bytes: from the start of line `first` to the end of its last line.
            starts = [0] + [m.end() for m in LINE_BREAK.finditer(raw)]
            ends = [m.start() for m in LINE_BREAK.finditer(raw)] + [len(raw)]
            text = raw[starts[first - 1] : ends[first + count - 2]]
            expected[first] = text.decode("utf-8", errors="replace")
    assert got == expected
