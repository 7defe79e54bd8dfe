"""parse = "sum" adds number columns; parse = "fiscal_year" reads "2007/8" and "FY 2018-19"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publicsafety.engine import Store
from publicsafety.ingest import ingest_file
from publicsafety.profiles import parse_profile

ROWS = """fy,civilian,sworn,amount
2007/8,10,"1,200",5
FY 2018-19,2.5,,6
1999/00,,,7
2018-2019,N/A,3,8
FY2020,x,4,9
2019/20,1,y,10
20/21,1,1,11
"""


def profile() -> Any:
    return parse_profile({
        "profile": {"name": "fte", "city": "Budget Town", "kind": "budget"},
        "read": {"null_values": ["", "N/A"]},
        "columns": {
            "fiscal_year": {"from": "fy", "parse": "fiscal_year"},
            "fte": {"from": ["civilian", "sworn"], "parse": "sum"},
            "amount": {"from": "amount", "parse": "number"},
            "department": {"const": "Police"},
        },
    })  # fmt: skip


def test_sum_and_fiscal_year(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "fte.csv"
    f.write_text(ROWS)
    result = ingest_file(store, f, profile())
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (7, 4, 3)
    rows = store.con.execute(
        "SELECT source_line, fiscal_year, fte FROM budget ORDER BY 1"
    ).fetchall()
    # One missing part adds as 0; all parts missing stays missing.
    assert rows == [(2, 2008, 1210.0), (3, 2019, 2.5), (4, 2000, None), (5, 2019, 3.0)]
    held = store.con.execute(
        "SELECT source_line, column_name, value, reason FROM quarantine ORDER BY 1"
    ).fetchall()
    assert held == [
        (6, "civilian + sworn", "x 4", "civilian + sworn: is not a number"),
        (7, "civilian + sworn", "1 y", "civilian + sworn: is not a number"),
        (8, "fy", "20/21", "fy: is not a fiscal year"),
    ]
