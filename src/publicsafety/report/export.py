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
    table = labelled(result)
    table.to_csv(out[0], index=False)
    if xlsx:
        xpath = path.with_suffix(".xlsx")
        table.to_excel(xpath, index=False)
        out.append(xpath)
    return out


def labelled(result: Suppressed) -> pd.DataFrame:
    """The table as published: cells hidden by the privacy rules read "suppressed", cells missing
    in the data stay empty. Without a record of which cells were hidden, every empty cell of a
    table with hidden cells reads "suppressed" (fails closed)."""
    table = result.table.copy()
    for col in table.columns:
        values = (
            pd.to_numeric(table[col], errors="coerce")
            if table[col].dtype.kind in "fiu" or str(table[col].dtype) in {"Float64", "Int64"}
            else None
        )
        if values is not None and values.notna().any() and (values.dropna() % 1 == 0).all():
            table[col] = values.astype("Int64")
    table = table.astype(object)
    if result.hidden is not None:
        mask = result.hidden.reindex(index=table.index, columns=table.columns, fill_value=False)
        mask = mask.astype(bool)
    elif result.cells_hidden:
        mask = table.isna()
    else:
        mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    return table.mask(mask, "suppressed").where(table.notna() | mask, "")
