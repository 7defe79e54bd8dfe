"""Small-cell suppression: no count 1-10 published, no hidden cell recoverable from totals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publicsafety.errors import PrivacyError
from publicsafety.privacy import (
    published_small_counts,
    suppress_matrix,
    suppress_table,
)

counts = st.integers(min_value=0, max_value=60)


def _hidden_per_line(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return mask.sum(axis=1), mask.sum(axis=0)


def _gives_away(values: np.ndarray, mask: np.ndarray) -> bool:
    """True when a line with visible cells left hides cells whose sum (its total minus the
    visible cells) is from 1 to 10: the hidden cells are then known to be small."""
    n = mask.sum()
    if n == 0 or n == mask.size:
        return False
    total = values[mask].sum()
    return bool(0 < total < 11)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda ncol: st.lists(
            st.lists(counts, min_size=ncol, max_size=ncol), min_size=1, max_size=12
        )
    )
)
def test_matrix_never_publishes_small_or_lone_hidden_cells(rows: list[list[int]]) -> None:
    table = pd.DataFrame(rows)
    original = table.to_numpy(dtype=float)
    out = suppress_matrix(table)
    mask = out.isna().to_numpy()
    visible = out.to_numpy(dtype=float, na_value=np.nan)[~mask]
    assert not ((visible > 0) & (visible < 11)).any()
    per_row, per_col = _hidden_per_line(mask)
    ncol = table.shape[1]
    nrow = table.shape[0]
    # A line with exactly one hidden cell would let a reader recover it from the line total,
    # unless the line has a single cell (then the total itself is flagged unsafe).
    if ncol > 1:
        assert not (per_row == 1).any()
    if nrow > 1:
        assert not (per_col == 1).any()
    # Nor may the hidden cells of a line add up to a small count.
    assert not any(_gives_away(original[i], mask[i]) for i in range(nrow))
    assert not any(_gives_away(original[:, j], mask[:, j]) for j in range(ncol))
    # Unchanged cells keep their values exactly.
    assert np.array_equal(original[~mask], visible)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["north", "south", "east"]), counts, counts),
        min_size=1,
        max_size=15,
    )
)
def test_long_table_partitions_are_protected(rows: list[tuple[str, int, int]]) -> None:
    df = pd.DataFrame(rows, columns=["district", "calls", "stops"])
    out = suppress_table(df, ["calls", "stops"], partition=["district"], additive_rows=True).table
    assert published_small_counts(out, ["calls", "stops"]) == []
    mask = out[["calls", "stops"]].isna().to_numpy()
    values = df[["calls", "stops"]].to_numpy(dtype=float)
    for _, idx in out.groupby("district").indices.items():
        if len(idx) > 1:
            assert not (mask[idx].sum(axis=0) == 1).any()
        for j in range(2):
            assert not _gives_away(values[idx, j], mask[idx, j])
    assert not (mask.sum(axis=1) == 1).any()
    assert not any(_gives_away(values[i], mask[i]) for i in range(len(df)))


def test_complement_is_the_smallest_other_cell() -> None:
    df = pd.DataFrame({"area": list("abcd"), "calls": [5, 100, 200, 50]})
    result = suppress_table(df, ["calls"])
    assert result.table["calls"].isna().tolist() == [True, False, False, True]
    assert (result.primary, result.complementary) == (1, 1)


def test_hidden_cells_never_add_up_to_a_small_count() -> None:
    # 1 hidden beside a 0 would let the total minus the rest give away the 1 (the pair adds up
    # to 1); likewise 3 and 1 (they add up to 4): the next smallest cell is hidden too.
    df = pd.DataFrame({"g": list("abcde"), "n": [1, 0, 3, 250, 40]})
    out = suppress_table(df, ["n"]).table
    assert out["n"].isna().tolist() == [True, False, True, False, True]
    # A zero is no complement while a positive cell is left.
    df = pd.DataFrame({"g": list("abc"), "n": [1, 0, 500]})
    assert suppress_table(df, ["n"]).table["n"].isna().tolist() == [True, False, True]


def test_zero_is_published_and_eleven_is_the_smallest_visible() -> None:
    df = pd.DataFrame({"g": ["a", "b", "c"], "n": [0, 11, 12]})
    out = suppress_table(df, ["n"]).table
    assert out["n"].tolist() == [0, 11, 12]


def test_derived_rates_hidden_with_their_counts() -> None:
    df = pd.DataFrame({"g": ["a", "b", "c"], "n": [3, 40, 50], "rate": [0.1, 0.2, 0.3]})
    out = suppress_table(df, ["n"], derived={"rate": ["n"]}).table
    assert out["rate"].isna().tolist() == [True, True, False]


def test_missing_count_fails_closed() -> None:
    df = pd.DataFrame({"g": ["a", "b", "c"], "n": [None, 40, 50]})
    out = suppress_table(df, ["n"]).table
    assert out["n"].isna().tolist() == [True, True, False]


def test_negative_count_is_an_error() -> None:
    with pytest.raises(PrivacyError):
        suppress_table(pd.DataFrame({"n": [-1, 20]}), ["n"])


def test_configurable_threshold() -> None:
    df = pd.DataFrame({"n": [4, 5, 30, 40]})
    out = suppress_table(df, ["n"], min_count=5).table
    assert out["n"].isna().tolist() == [True, True, False, False]
