"""The privacy layer every public output passes through (DESIGN.md "Outputs").

- Small-cell suppression: no published count from 1 to `min_count - 1` (default 1-10), with
  complementary suppression so no hidden cell can be recovered from row or column totals.
- Addresses generalised to the hundred block.
- Sensitive call types (sexual assault, juvenile, domestic) counted but stripped of time and place.

Everything fails closed: a count that is missing or not a number is withheld, an address that
cannot be parsed is withheld.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from publicsafety.config import PrivacySettings
from publicsafety.errors import PrivacyError

DEFAULT = PrivacySettings()

# ---------------------------------------------------------------------------------------------
# Small-cell suppression


def is_small(value: object, min_count: int = DEFAULT.min_count) -> bool:
    """True when a count may not be published: 1..min_count-1, or not a finite number."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    if not np.isfinite(v):
        return True
    return 0 < v < min_count


def count_text(n: float, min_count: int = DEFAULT.min_count) -> str:
    """A count for a sentence: "fewer than 11" when it may not be published."""
    if is_small(n, min_count):
        return f"fewer than {min_count}"
    return f"{int(n):,}"


def _complement(
    hidden: np.ndarray, values: np.ndarray, lines: list[np.ndarray], min_count: int
) -> None:
    """Hide more cells until no line (a set of cells with a published total) gives a hidden
    count away: each line holds no hidden cell, or at least two whose sum is 0 or at least
    `min_count`. (Two hidden cells that add up to 4 tell a reader both are 4 or less; the
    line total minus the visible cells always gives the hidden cells' sum.)

    `lines` holds index arrays into the flat cell arrays; each line's total is assumed public.
    The cell added is the smallest visible cell of the line (zeros last: a hidden zero protects
    nothing when readers know it is zero, but it is better than leaving one cell exposed).
    """
    changed = True
    while changed:
        changed = False
        for line in lines:
            h = hidden[line]
            n = int(h.sum())
            if n == 0 or n == len(line):
                continue
            total = float(values[line[h]].sum())
            if n >= 2 and (total == 0 or total >= min_count):
                continue
            visible = line[~h]
            vals = values[visible]
            order = np.lexsort((vals, vals == 0))  # positive cells first, smallest first
            hidden[visible[order[0]]] = True
            changed = True


def suppress_matrix(
    table: pd.DataFrame, min_count: int = DEFAULT.min_count, *, totals: bool = True
) -> pd.DataFrame:
    """Suppress a wide table of counts (rows x columns); hidden cells become <NA>.

    With `totals`, row and column totals are taken as public, so complementary cells are hidden
    until every row and column holds zero or at least two hidden cells. A one-cell row or column
    with a hidden cell cannot be protected by a complement; its total must not be published, and
    `row_total_safe` / `col_total_safe` in the result's attrs say which totals are safe.
    """
    values = table.to_numpy(dtype=float, na_value=np.nan)
    flat = values.ravel()
    hidden = np.array([is_small(v, min_count) for v in flat], dtype=bool)
    nrow, ncol = values.shape
    idx = np.arange(flat.size).reshape(nrow, ncol)
    if totals:
        lines = [idx[i, :] for i in range(nrow)] + [idx[:, j] for j in range(ncol)]
        _complement(hidden, np.nan_to_num(flat, nan=0.0), lines, min_count)
    out = table.astype("Float64").copy()
    mask = hidden.reshape(nrow, ncol)
    out = out.mask(mask)
    out.attrs["suppressed_cells"] = int(mask.sum())
    out.attrs["row_total_safe"] = [bool(mask[i].sum() != 1) for i in range(nrow)]
    out.attrs["col_total_safe"] = [bool(mask[:, j].sum() != 1) for j in range(ncol)]
    return out


@dataclass(frozen=True)
class Suppressed:
    """A suppressed table and what was hidden."""

    table: pd.DataFrame
    cells_hidden: int
    primary: int  # cells hidden because they were small
    complementary: int  # cells hidden so that small ones cannot be recovered
    # True where a cell was hidden by the privacy rules (as opposed to missing in the data);
    # None when the producer did not record it.
    hidden: pd.DataFrame | None = None


def suppress_table(
    df: pd.DataFrame,
    count_columns: Sequence[str],
    *,
    partition: Sequence[str] = (),
    additive_rows: bool = False,
    derived: Mapping[str, Sequence[str]] | None = None,
    min_count: int | None = None,
) -> Suppressed:
    """Suppress a long table: hidden counts become <NA>.

    Each count column, within each `partition` group, is treated as adding up to a public
    total (the usual case: calls by category add up to all calls). With `additive_rows`, the
    count columns of one row also add up to a public row total (e.g. stops by race in columns).
    `derived` maps a column computed from counts (a rate, a share, a ratio) to the counts it
    depends on; it is hidden wherever any of them is.
    """
    min_count = DEFAULT.min_count if min_count is None else min_count
    missing = [c for c in [*count_columns, *partition] if c not in df.columns]
    if missing:
        raise PrivacyError(f"columns not in the table: {', '.join(missing)}")
    out = df.copy().reset_index(drop=True)
    ncol = len(count_columns)
    values = out[list(count_columns)].to_numpy(dtype=float, na_value=np.nan)
    if np.nanmin(values, initial=0) < 0:
        raise PrivacyError("a count is negative; counts must be 0 or more")
    flat = values.ravel()
    primary = np.array([is_small(v, min_count) for v in flat], dtype=bool)
    hidden = primary.copy()
    idx = np.arange(flat.size).reshape(len(out), ncol)
    lines: list[np.ndarray] = []
    groups: Iterable[np.ndarray]
    if partition:
        groups = [np.asarray(g) for g in out.groupby(list(partition), sort=False).indices.values()]
    else:
        groups = [np.arange(len(out))]
    for rows in groups:
        lines.extend(idx[rows, j] for j in range(ncol))
    if additive_rows and ncol > 1:
        lines.extend(idx[i, :] for i in range(len(out)))
    _complement(hidden, np.nan_to_num(flat, nan=0.0), lines, min_count)
    mask = hidden.reshape(len(out), ncol)
    for j, col in enumerate(count_columns):
        out[col] = out[col].astype("Float64").mask(mask[:, j])
    for col, sources in (derived or {}).items():
        hide = np.zeros(len(out), dtype=bool)
        for src in sources:
            hide |= mask[:, list(count_columns).index(src)]
        out[col] = out[col].astype("Float64").mask(hide)
    hidden_cells = pd.DataFrame(False, index=out.index, columns=out.columns)
    for j, col in enumerate(count_columns):
        hidden_cells[col] = mask[:, j]
    for col, sources in (derived or {}).items():
        hidden_cells[col] = np.any([mask[:, list(count_columns).index(s)] for s in sources], axis=0)
    n_hidden = int(mask.sum())
    return Suppressed(
        out, n_hidden, int(primary.sum()), n_hidden - int(primary.sum()), hidden_cells
    )


def published_small_counts(
    df: pd.DataFrame, count_columns: Sequence[str], min_count: int = DEFAULT.min_count
) -> list[tuple[int, str, float]]:
    """Cells of a table about to be published that break the small-count rule (for checks)."""
    bad = []
    for col in count_columns:
        for i, v in enumerate(df[col].tolist()):
            if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                continue
            if 0 < float(v) < min_count:
                bad.append((i, col, float(v)))
    return bad


# ---------------------------------------------------------------------------------------------
# Hundred-block addresses

_SPACE = re.compile(r"\s+")
# House number: digits, or digits with trailing X masking (NOPD "030XX"), optional letter suffix,
# optional range "1200-1210".
_NUMBERED = re.compile(
    r"^(?P<num>\d{1,6}X{0,3})(?:[A-Z])?(?:\s*-\s*\d{1,6}X{0,3}[A-Z]?)?\s+(?:BLOCK\s+(?:OF\s+)?|BLK\s+)?(?P<street>.+)$"
)
_INTERSECTION = re.compile(r"\s*(?:/|&|\bAND\b|@|\bAT\b)\s*")
_UNIT = re.compile(r"\s*(?:#|\b(?:APT|APARTMENT|UNIT|STE|SUITE|RM|ROOM|FL|FLOOR|LOT|SPC)\b\.?).*$")
# Street text: letters, digits (numbered streets like "5TH ST", "I-10"), and simple punctuation.
_STREET = re.compile(r"^[A-Z0-9][A-Z0-9 .'\-]*[A-Z0-9.]$|^[A-Z]$")
_HAS_LETTER = re.compile(r"[A-Z]")
# A bare name (no house number) is published only when it reads as a street, not as a business
# or landmark, which could be a single precise place.
_STREET_TYPE = re.compile(
    r"\b(?:ST|STREET|AVE?|AVENUE|RD|ROAD|BLVD?|BOULEVARD|DR|DRIVE|LN|LANE|WAY|PL|PLACE|CT|COURT|"
    r"PKWY|PARKWAY|HWY|HIGHWAY|TER|TERRACE|CIR|CIRCLE|EXPY|EXPRESSWAY|FWY|FREEWAY|TRL|TRAIL|"
    r"SQ|SQUARE|ALY|ALLEY|ROW|LOOP|PIKE|PATH|RUN|WALK|CRES|BYP|CSWY|HY|PKY|I-\d+|US-?\d+)\b"
)
_PLACEHOLDER = {"UNKNOWN", "NONE", "NULL", "N/A", "NA", "UNK", "REDACTED", "NOT PROVIDED"}


def _clean_street(text: str) -> str | None:
    street = _UNIT.sub("", text).strip(" ,")
    if not street or not _STREET.match(street) or not _HAS_LETTER.search(street):
        return None
    # A street that still starts with a house-like number followed by another number is unclear.
    if re.match(r"^\d+\s+\d+", street):
        return None
    return street


def hundred_block(address: object) -> str | None:
    """Generalise an address to the hundred block; None (withheld) when it cannot be parsed.

    "1234 Main St Apt 5" -> "1200 block of MAIN ST"; "030XX Oliver White Ave" -> "3000 block of
    OLIVER WHITE AVE"; "COORS BL NW / SEQUOIA RD NW" -> "COORS BL NW & SEQUOIA RD NW"
    (intersections are coarser than a block); a bare street name is kept as is.
    """
    if not isinstance(address, str):
        return None
    text = _SPACE.sub(" ", address.upper().replace(",", " ")).strip()
    if not text or len(text) > 120:
        return None
    m = _NUMBERED.match(text)
    if m:
        digits = m.group("num").replace("X", "0")
        street = _clean_street(m.group("street"))
        if street is None or _INTERSECTION.search(street):
            return None
        block = int(digits) // 100 * 100
        return f"{block} block of {street}"
    if text[0].isdigit() or text in _PLACEHOLDER:
        return None
    parts = [p for p in _INTERSECTION.split(text) if p]
    if len(parts) == 2 and _INTERSECTION.search(text):
        a, b = (_clean_street(p) for p in parts)
        if a and b and min(len(a), len(b)) >= 2 and not a[0].isdigit() and not b[0].isdigit():
            return f"{a} & {b}"
        return None
    if len(parts) == 1:
        street = _clean_street(text)
        return street if street and _STREET_TYPE.search(street) else None
    return None


# ---------------------------------------------------------------------------------------------
# Sensitive call types

SENSITIVE_PATTERNS: dict[str, str] = {
    "sexual_assault": r"RAPE|SEXUAL|SEX OFF|SEX CRIME|MOLEST|INDECENT|CARNAL|SODOMY|\bSEX\b",
    "juvenile": r"JUVENILE|\bJUV\b|CHILD ABUSE|CHILD NEGLECT|RUNAWAY|MISSING CHILD|TRUANT",
    "domestic": r"DOMESTIC|FAMILY (?:DISPUTE|FIGHT|VIOLENCE)|\bDV\b|PROTECTIVE ORDER|DOM VIOL",
}


def sensitive_kind(
    call_type: object, kinds: Sequence[str] = DEFAULT.sensitive_categories
) -> str | None:
    """Which sensitive kind a call type belongs to, or None."""
    if not isinstance(call_type, str):
        return None
    text = call_type.upper()
    for kind in kinds:
        if re.search(SENSITIVE_PATTERNS[kind], text):
            return kind
    return None


def sensitive_expr(column: Any, kinds: Sequence[str] = DEFAULT.sensitive_categories) -> Any:
    """An Ibis boolean expression: is this call type (an Ibis string column) sensitive?"""
    pattern = "|".join(f"(?:{SENSITIVE_PATTERNS[k]})" for k in kinds)
    return column.fill_null("").upper().re_search(pattern)


def sensitive_sql(column: str, kinds: Sequence[str] = DEFAULT.sensitive_categories) -> str:
    """A DuckDB boolean expression: is this call type sensitive? (runs in the engine)."""
    pattern = "|".join(f"(?:{SENSITIVE_PATTERNS[k]})" for k in kinds)
    return f"regexp_matches(upper(coalesce({column}, '')), '{pattern}')"


def strip_sensitive(
    df: pd.DataFrame,
    type_column: str,
    *,
    time_columns: Sequence[str] = (),
    place_columns: Sequence[str] = (),
    kinds: Sequence[str] = DEFAULT.sensitive_categories,
) -> pd.DataFrame:
    """Rows of sensitive call types keep their count but lose time and place."""
    out = df.copy()
    mask = out[type_column].map(lambda t: sensitive_kind(t, kinds) is not None).astype(bool)
    for col in [*time_columns, *place_columns]:
        out[col] = out[col].astype("object").where(~mask, None)
    return out


def generalise_addresses(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """Replace an address column with its hundred block (None where it cannot be parsed)."""
    out = df.copy()
    out[column] = out[column].map(hundred_block)
    return out
