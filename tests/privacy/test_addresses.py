"""Hundred-block generaliser and sensitive call types."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publicsafety.privacy import hundred_block, sensitive_kind, sensitive_sql, strip_sensitive

STREET_WORDS = st.sampled_from(
    ["MAIN", "OAK", "MARTIN LUTHER KING", "5TH", "SAINT CHARLES", "N BROAD"]
)
SUFFIX = st.sampled_from(["ST", "AVE", "BLVD", "RD", "DR", "PL"])
SAFE = re.compile(r"^(\d*00|0) block of [A-Z0-9 .'\-]+$|^[A-Z0-9 .'\-]+( & [A-Z0-9 .'\-]+)?$")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234 Main St Apt 5", "1200 block of MAIN ST"),
        ("030XX Oliver White Ave", "3000 block of OLIVER WHITE AVE"),  # New Orleans block form
        ("1700 WESTWOOD AV", "1700 block of WESTWOOD AV"),  # Baltimore Part 1 crime
        ("COORS BL NW / SEQUOIA RD NW", "COORS BL NW & SEQUOIA RD NW"),  # Albuquerque
        ("5 ELM ST", "0 block of ELM ST"),
        ("45XX N BROAD ST", "4500 block of N BROAD ST"),
        ("1200-1210 BROADWAY", "1200 block of BROADWAY"),
        ("MAIN ST", "MAIN ST"),
        ("Walmart #5", None),  # a business name is a single place: withheld
        ("N/A", None),
        ("UNKNOWN", None),
        ("123", None),
        ("", None),
        (None, None),
        (42, None),
    ],
)
def test_known_addresses(raw: object, expected: str | None) -> None:
    assert hundred_block(raw) == expected


@settings(max_examples=300)
@given(
    st.integers(0, 99999), STREET_WORDS, SUFFIX, st.sampled_from(["", " APT 4", " #12", " UNIT B"])
)
def test_numbered_address_rounds_down_to_the_block(
    num: int, street: str, suffix: str, unit: str
) -> None:
    out = hundred_block(f"{num} {street} {suffix}{unit}")
    assert out == f"{num // 100 * 100} block of {street} {suffix}"


@settings(max_examples=1000)
@given(st.text(max_size=80))
def test_any_text_is_withheld_or_safe(text: str) -> None:
    out = hundred_block(text)
    if out is not None:
        assert SAFE.match(out), out
        # No house number finer than the hundred block survives.
        m = re.match(r"^(\d+) block", out)
        if m:
            assert int(m.group(1)) % 100 == 0


def test_sensitive_kinds() -> None:
    assert sensitive_kind("SIMPLE RAPE") == "sexual_assault"
    assert sensitive_kind("FAMILY DISPUTE") == "domestic"
    assert sensitive_kind("DOMESTIC DISTURBANCE") == "domestic"
    assert sensitive_kind("JUVENILE ARREST") == "juvenile"
    assert sensitive_kind("BURGLAR ALARM, SILENT") is None
    assert sensitive_kind(None) is None


def test_sensitive_rows_keep_count_lose_time_and_place() -> None:
    df = pd.DataFrame(
        {
            "call_type": ["SIMPLE RAPE", "THEFT", "DOMESTIC DISTURBANCE"],
            "received_at": pd.to_datetime(
                ["2022-01-01 10:00", "2022-01-01 11:00", "2022-01-02 09:00"]
            ),
            "block_address": ["100 block of A ST", "200 block of B ST", "300 block of C ST"],
        }
    )
    out = strip_sensitive(
        df, "call_type", time_columns=["received_at"], place_columns=["block_address"]
    )
    assert len(out) == 3
    assert out["block_address"].tolist() == [None, "200 block of B ST", None]
    assert out["received_at"].isna().tolist() == [True, False, True]


def test_sensitive_sql_matches_python(store) -> None:
    types = ["SIMPLE RAPE", "THEFT", "DOMESTIC DISTURBANCE", "RUNAWAY JUVENILE", None]
    con = store.con
    con.execute("CREATE TABLE t (call_type VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[t] for t in types])
    got = [r[0] for r in con.execute(f"SELECT {sensitive_sql('call_type')} FROM t").fetchall()]
    assert got == [sensitive_kind(t) is not None for t in types]
