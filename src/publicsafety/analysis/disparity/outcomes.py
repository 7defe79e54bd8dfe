"""After the stop: search, frisk, arrest, citation, warning and force rates by group, and the
outcome (hit-rate) test for searches, with 95% intervals.

Counts come from one engine query; a rate's denominator is the stops where the outcome was
recorded at all (an empty field is not a "no").
"""

from __future__ import annotations

from typing import Any

import ibis
import numpy as np
import pandas as pd

from publicsafety.analysis.disparity.groups import MIN_EVENTS, NOT_A_GROUP, TOO_FEW, group_expr
from publicsafety.engine import Store

Z95 = 1.959963984540054

OUTCOMES = {
    "search": "searched",
    "frisk": "frisked",
    "arrest": "arrested",
    "citation": "given a citation",
    "warning": "given a warning",
    "force": "subjected to force",
}

HIT_RATE_MEANS = (
    "The hit rate is the share of searches that found contraband. If officers search one group "
    "on weaker evidence, searches of that group find contraband less often, so a lower hit rate "
    "points to a lower bar for searching that group. It is not proof: groups can differ in how "
    "often they carry contraband and in how clearly it shows (the 'infra-marginality' problem), "
    "which is why the Stanford Open Policing Project adds a threshold test."
)


def _outcome_columns(t: ibis.Table) -> dict[str, Any]:
    searched = ibis.coalesce(t.search_conducted, t.search_person | t.search_vehicle)
    return {
        "search": searched,
        "frisk": t.frisk_performed,
        "arrest": t.arrest_made,
        "citation": t.citation_issued,
        "warning": t.warning_issued,
        "force": t.use_of_force,
        "hit": ibis.ifelse(searched, t.contraband_found, None),
    }


def outcome_counts(
    store: Store, dimension: str = "race", *, city: str | None = None
) -> pd.DataFrame:
    """Per group: stops, and for each outcome the stops where it happened (`<outcome>`) and the
    stops where it was recorded (`<outcome>_recorded`); `hit` counts searches that found
    contraband among searches with a recorded result."""
    t = store.table("stops")
    if city:
        t = t.filter(t.city == city)
    cols = _outcome_columns(t)
    t = t.mutate(group=group_expr(t, dimension), **{f"o_{k}": v for k, v in cols.items()})
    aggs: dict[str, Any] = {"stops": t.count()}
    for k in cols:
        col = t[f"o_{k}"]
        aggs[k] = col.cast("int64").sum().fill_null(0)
        aggs[f"{k}_recorded"] = col.count()
    out = t.group_by("group").aggregate(**aggs).order_by("group").to_pandas()
    for c in out.columns[1:]:
        out[c] = out[c].astype(int)
    return out


def wilson(k: float, n: float) -> tuple[float, float]:
    """Wilson 95% interval for a proportion."""
    if n <= 0:
        return float("nan"), float("nan")
    p = k / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def outcome_rates(counts: pd.DataFrame, *, reference: str | None) -> pd.DataFrame:
    """Long table: group, outcome, recorded, events, rate, interval, ratio to the reference group.

    Outcomes nobody recorded (every value empty) are left out. The ratio interval is the
    log-scale interval for a ratio of two proportions.
    """
    rows = []
    for outcome in OUTCOMES:
        if counts[f"{outcome}_recorded"].sum() == 0:
            continue
        ref = counts[counts["group"] == reference]
        rk = float(ref[outcome].iloc[0]) if len(ref) else 0.0
        rn = float(ref[f"{outcome}_recorded"].iloc[0]) if len(ref) else 0.0
        for rec in counts.to_dict("records"):
            k, n = float(rec[outcome]), float(rec[f"{outcome}_recorded"])
            row = _proportion_row(rec["group"], k, n, reference, rk, rn)
            rows.append({"group": rec["group"], "outcome": outcome, **row})
    return pd.DataFrame(rows)


def _proportion_row(
    group: str, k: float, n: float, reference: str | None, rk: float, rn: float
) -> dict[str, Any]:
    nan = float("nan")
    row: dict[str, Any] = {
        "recorded": int(n),
        "events": int(k),
        "rate": nan,
        "rate_low": nan,
        "rate_high": nan,
        "ratio": nan,
        "ratio_low": nan,
        "ratio_high": nan,
        "note": "",
    }
    if group in NOT_A_GROUP:
        row["note"] = "group not recorded"
        return row
    if k < MIN_EVENTS:
        row["note"] = TOO_FEW
        return row
    lo, hi = wilson(k, n)
    row.update(rate=k / n, rate_low=lo, rate_high=hi)
    if group == reference:
        row.update(ratio=1.0, ratio_low=1.0, ratio_high=1.0, note="comparison group")
    elif rk >= MIN_EVENTS and rn > 0:
        ratio = (k / n) / (rk / rn)
        half = Z95 * np.sqrt(max(1 / k - 1 / n + 1 / rk - 1 / rn, 0.0))
        row.update(ratio=ratio, ratio_low=ratio * np.exp(-half), ratio_high=ratio * np.exp(half))
    else:
        row["note"] = "comparison group has too few events to compare"
    return row


def hit_rates(counts: pd.DataFrame, *, reference: str | None) -> pd.DataFrame:
    """The outcome test: per group, searches with a recorded result, hits, hit rate (Wilson
    interval) and the difference from the reference group's hit rate (Wald interval)."""
    nan = float("nan")
    ref = counts[counts["group"] == reference]
    rk = float(ref["hit"].iloc[0]) if len(ref) else 0.0
    rn = float(ref["hit_recorded"].iloc[0]) if len(ref) else 0.0
    rows = []
    for rec in counts.to_dict("records"):
        k, n = float(rec["hit"]), float(rec["hit_recorded"])
        row: dict[str, Any] = {
            "group": rec["group"],
            "searches": int(n),
            "hits": int(k),
            "hit_rate": nan,
            "hit_rate_low": nan,
            "hit_rate_high": nan,
            "difference": nan,
            "difference_low": nan,
            "difference_high": nan,
            "note": "",
        }
        if rec["group"] in NOT_A_GROUP:
            row["note"] = "group not recorded"
        elif n < MIN_EVENTS:
            row["note"] = TOO_FEW
        else:
            lo, hi = wilson(k, n)
            row.update(hit_rate=k / n, hit_rate_low=lo, hit_rate_high=hi)
            if rec["group"] == reference:
                row.update(difference=0.0, difference_low=0.0, difference_high=0.0)
                row["note"] = "comparison group"
            elif rn >= MIN_EVENTS:
                p, q = k / n, rk / rn
                half = Z95 * np.sqrt(p * (1 - p) / n + q * (1 - q) / rn)
                row.update(
                    difference=p - q, difference_low=p - q - half, difference_high=p - q + half
                )
            else:
                row["note"] = "comparison group has too few searches to compare"
        rows.append(row)
    return pd.DataFrame(rows)
