"""Write public tables as CSV and XLSX, always through the privacy layer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from publicsafety.errors import PrivacyError
from publicsafety.privacy import Suppressed, published_small_counts, suppress_table


def publish(
    df: pd.DataFrame,
    count_columns: Sequence[str],
    *,
    partition: Sequence[str] = (),
    derived: Mapping[str, Sequence[str]] | None = None,
    additive_rows: bool = False,
    min_count: int | None = None,
) -> Suppressed:
    """Suppress small counts (and what derives from them) before a table leaves the toolkit."""
    return suppress_table(
        df,
        count_columns,
        partition=partition,
        derived=derived,
        additive_rows=additive_rows,
        min_count=min_count,
    )


def write_table(
    result: Suppressed, path: Path, count_columns: Sequence[str], *, xlsx: bool = False
) -> list[Path]:
    """Write a suppressed table as CSV (and XLSX); refuses a table with a small count left in it."""
    bad = published_small_counts(result.table, count_columns)
    if bad:
        raise PrivacyError(
            f"refusing to write {path.name}: {len(bad)} small counts are not suppressed"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    out = [path.with_suffix(".csv")]
    table = result.table
    table.to_csv(out[0], index=False, na_rep="suppressed" if result.cells_hidden else "")
    if xlsx:
        xpath = path.with_suffix(".xlsx")
        table.astype(object).where(table.notna(), "suppressed").to_excel(xpath, index=False)
        out.append(xpath)
    return out
