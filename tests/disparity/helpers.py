"""Stops built row by row for the disparity tests (inserted into a store by column name)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from publicsafety.engine import Store


def insert(store: Store, table: str, rows: list[dict[str, Any]] | pd.DataFrame) -> None:
    df = pd.DataFrame(rows) if not isinstance(rows, pd.DataFrame) else rows
    store.con.register("_rows", df)
    store.con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _rows')
    store.con.unregister("_rows")


def stops(
    race: str, n: int, *, searched: int = 0, hits: int = 0, arrests: int = 0, **extra: Any
) -> list[dict[str, Any]]:
    """`n` stops of one group: the first `searched` searched (the first `hits` of those found
    contraband), the first `arrests` arrested; search result empty when not searched."""
    return [
        {
            "city": "Testville",
            "subject_race": race,
            "subject_sex": "male",
            "subject_age": 30,
            "search_conducted": i < searched,
            "contraband_found": (i < hits) if i < searched else None,
            "arrest_made": i < arrests,
            **extra,
        }
        for i in range(n)
    ]


def numbered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "row_id": i} for i, r in enumerate(rows)]
