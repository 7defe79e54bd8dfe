"""The fast ingest paths give exactly what the careful ones give.

Three shortcuts make large loads fast: Arrow reads a plain UTF-8 file itself (instead of the
Python decoding stream), parse checks are verified by counting after the insert (instead of
testing every row first), and a grid places most points (tests/geo/test_grid.py). Each is
checked here against the path it replaces, on the messy-CSV corpus and on random files.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publicsafety.engine import memory_store
from publicsafety.ingest import csvread, ingest_file
from publicsafety.ingest.normalize import Plan
from publicsafety.profiles import load_profile, parse_profile

MESSY = Path(__file__).parents[1] / "data" / "messy"
MESSY_PROFILE = load_profile(MESSY / "messy_calls.toml")

# Dates that parse, that do not, a sentinel, and empty; types, one of them excluded.
DATES = st.sampled_from(["01/02/2023 10:00", "2023-03-04 05:06", "13/45/2023 99:99", "soon",
                         "01/01/1900 00:00", "", " 02/03/2023 04:05 ", "NULL"])  # fmt: skip
TYPES = st.sampled_from(["THEFT", "TEST", " test ", "", "ALARM"])
PIECES = st.sampled_from(["x", ",", '"', "\n", "\r\n", "é", "\udcff", " "])


@st.composite
def calls_csv(draw: st.DrawFn) -> bytes:
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    lines = ["id,received,type,beat,units,self"]
    for i in range(draw(st.integers(0, 15))):
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", ",,", "1,2", '"open'])))  # blank or ragged
            continue
        note = "".join(draw(st.lists(PIECES, max_size=4)))
        fields = [str(i), draw(DATES), draw(TYPES), draw(st.sampled_from(["1A", "8.00E+01", ""])),
                  draw(st.sampled_from(["1", "2", "x", ""])), draw(st.sampled_from(["Y", "N", "Q", ""]))]  # fmt: skip
        if note:
            fields[3] = '"' + (fields[3] + note).replace('"', '""') + '"'
        lines.append(",".join(fields))
    text = eol.join(lines) + draw(st.sampled_from(["", eol]))
    return text.encode("utf-8", errors="surrogateescape")


def _snapshot(path: Path, prof: Any) -> tuple[Any, ...]:
    store = memory_store(threads=1)
    try:
        r = ingest_file(store, path, prof)
        calls = store.con.execute(
            "SELECT * EXCLUDE (load_id) FROM calls ORDER BY row_id"
        ).fetchall()
        quarantine = store.con.execute(
            "SELECT * EXCLUDE (load_id) FROM quarantine ORDER BY source_line, reason"
        ).fetchall()
    finally:
        store.close()
    counts = (r.rows_read, r.rows_loaded, r.rows_quarantined, r.rows_blank, r.dates_sentinel,
              r.bytes_replaced, r.unmapped)  # fmt: skip
    return counts, calls, quarantine


def _careful(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch off both shortcuts: the decoding stream, and checks tested row by row."""
    monkeypatch.setattr(csvread, "is_plain_utf8", lambda *args: False)
    monkeypatch.setattr(Plan, "verifiable", lambda self: None)


def _both(path: Path, prof: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    fast = _snapshot(path, prof)
    with pytest.MonkeyPatch.context() as mp:
        _careful(mp)
        careful = _snapshot(path, prof)
    return fast, careful


@pytest.mark.parametrize("name", sorted(p.name for p in MESSY.glob("*.csv")))
def test_messy_corpus_loads_the_same_either_way(name: str) -> None:
    fast, careful = _both(MESSY / name, MESSY_PROFILE)
    assert fast == careful


def test_the_fast_path_is_taken_for_the_corpus_profile() -> None:
    """Otherwise the comparisons above would compare the careful path with itself."""
    plan = Plan(MESSY_PROFILE, ["id", "received", "type", "beat", "units", "self"], "x.csv")
    verify = plan.verifiable()
    assert verify is not None
    assert set(verify.checked.values()) == {"received_at", "units", "beat"}
    assert set(verify.dated.values()) == {"received_at"}
    assert csvread.is_plain_utf8(MESSY / "crlf.csv", "utf-8")


def test_a_group_with_a_bad_date_is_tested_row_by_row(tmp_path: Path) -> None:
    """The count after the insert finds the failed parse; the group is redone carefully."""
    path = tmp_path / "calls.csv"
    path.write_text(
        "id,received,type,beat,units,self\n"
        "1,01/02/2023 10:00,THEFT,1A,1,Y\n"
        "2,not a date,THEFT,1A,1,N\n"
        "3,01/01/1900 00:00,TEST,1A,1,N\n"
        "4,01/01/1900 00:00,ALARM,1A,2,N\n"
    )
    (counts, calls, quarantine), careful = _both(path, MESSY_PROFILE)
    assert (counts, calls, quarantine) == careful
    assert counts[:5] == (4, 2, 2, 0, 1)  # read, loaded, quarantined, blank, sentinel dates
    assert [(q[3], q[6]) for q in quarantine] == [  # line, reason
        (3, "received: is not a date and time"),
        (4, "test event"),
    ]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls_csv())
def test_random_calls_load_the_same_either_way(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "calls.csv"
        path.write_bytes(data)
        fast, careful = _both(path, MESSY_PROFILE)
    assert fast == careful


def test_stray_bytes_in_a_ragged_row_fall_back_to_the_stream(tmp_path: Path) -> None:
    """Arrow cannot hand a malformed row with invalid UTF-8 to the handler: the load starts
    again through the decoding stream and still accounts for every row."""
    path = tmp_path / "calls.csv"
    path.write_bytes(b"id,type\n1,THEFT\n2,a,\xe9b\n3,x\xe9\n")
    prof = parse_profile({"profile": {"name": "two", "city": "Random", "kind": "calls"},
                          "columns": {"call_id": "id", "call_type": "type"}})  # fmt: skip
    fast, careful = _both(path, prof)
    assert fast == careful
    counts, calls, quarantine = fast
    assert counts[:3] == (3, 2, 1)
    assert counts[5] == 2  # bytes replaced
    assert len(calls) == 2
    assert quarantine[0][3] == 3 and "\ufffd" in quarantine[0][-1]
