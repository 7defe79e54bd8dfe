"""Benchmarked rates: events (stops, force, arrests) per 1,000 of a benchmark (residents or
arrests) by group, citywide and per area, and the relative rate index against a reference group
with 95% intervals. Counting runs in the engine; only the group totals reach Python."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from publicsafety.analysis.disparity.groups import MIN_EVENTS, NOT_A_GROUP, TOO_FEW, group_expr
from publicsafety.engine import Store

Z95 = 1.959963984540054
PER = 1000

# What each benchmark stands for and where it misleads; printed beside every ratio.
BENCHMARKS = {
    "population": (
        "residents (census)",
        "Residents are not the people on the street or the road: commuters, visitors and "
        "through-traffic are stopped but not counted; census counts miss some groups; and people "
        "are not equally exposed to police (patrols are heavier in some neighbourhoods).",
    ),
    "arrests": (
        "arrests",
        "Arrests are themselves police decisions, so any bias in who gets arrested is built into "
        "the benchmark and hides the same bias in stops. Gelman, Fagan & Kiss (2007) use past "
        "arrests as an estimate of crime participation, not as a neutral yardstick.",
    ),
}

RATIO_MEANS = (
    "A ratio of 2 means people in the group were stopped twice as often, per benchmark person, "
    "as people in the comparison group. It does not by itself prove that any officer acted on "
    "bias, and it does not say why the gap exists: it depends on the benchmark chosen, and a "
    "different benchmark can give a different ratio."
)


def event_counts(
    store: Store,
    table: str = "stops",
    dimension: str = "race",
    *,
    city: str | None = None,
    area_set: str | None = None,
) -> pd.DataFrame:
    """Events per group (and per area of `area_set`, via placements): [area_id,] group, events."""
    t = store.table(table)
    if city:
        t = t.filter(t.city == city)
    keys = ["group"]
    if area_set:
        pl = store.table("placements")
        pl = pl.filter((pl.kind == table) & (pl.area_set == area_set) & pl.area_id.notnull())
        t = t.join(pl, t.row_id == pl.row_id)
        keys = ["area_id", "group"]
    t = t.mutate(group=group_expr(t, dimension))
    out = t.group_by(keys).aggregate(events=t.count()).order_by(keys).to_pandas()
    out["events"] = out["events"].astype(int)
    return out


def population_area_set(store: Store, dimension: str, city: str | None = None) -> str | None:
    """The area set whose population counts for `dimension` cover the most residents."""
    pop = store.table("population")
    pop = pop.filter(pop.dimension == dimension)
    if city:
        pop = pop.filter(pop.city == city)
    sums = pop.group_by("area_set").aggregate(n=pop["count"].sum()).order_by("area_set").to_pandas()
    if sums.empty:
        return None
    return str(sums.sort_values("n", ascending=False, kind="stable")["area_set"].iloc[0])


def benchmark_counts(
    store: Store,
    benchmark: str,
    dimension: str,
    *,
    city: str | None = None,
    area_set: str | None = None,
    by_area: bool = False,
) -> pd.DataFrame:
    """Benchmark per group (and area): [area_id,] group, benchmark."""
    keys = ["area_id", "group"] if by_area else ["group"]
    if benchmark == "population":
        area_set = area_set or population_area_set(store, dimension, city)
        pop = store.table("population")
        pop = pop.filter((pop.dimension == dimension) & (pop.area_set == (area_set or "")))
        if city:
            pop = pop.filter(pop.city == city)
        agg = pop.group_by(keys).aggregate(benchmark=pop["count"].sum()).order_by(keys)
        return agg.to_pandas()
    if benchmark == "arrests":
        out = event_counts(
            store, "arrests", dimension, city=city, area_set=area_set if by_area else None
        )
        return out.rename(columns={"events": "benchmark"})
    raise ValueError(f"unknown benchmark {benchmark!r}: use one of {', '.join(BENCHMARKS)}")


def poisson_interval(count: float) -> tuple[float, float]:
    """Exact (Garwood) 95% interval for a Poisson count."""
    low = 0.0 if count == 0 else stats.chi2.ppf(0.025, 2 * count) / 2
    high = stats.chi2.ppf(0.975, 2 * count + 2) / 2
    return float(low), float(high)


def benchmarked_rates(
    events: pd.DataFrame,
    benchmark: pd.DataFrame,
    *,
    reference: str | None,
    benchmark_is_count: bool = False,
    per: int = PER,
) -> pd.DataFrame:
    """Rates per `per` benchmark and relative rate index vs `reference`, per area when the
    inputs have `area_id`.

    Intervals: exact Poisson for a rate; for the ratio, the usual log-scale (Katz) interval,
    adding the benchmark counts' own variance when the benchmark is a count of events (arrests)
    rather than a census figure.
    """
    keys = ["area_id", "group"] if "area_id" in events.columns else ["group"]
    df = events.merge(benchmark, on=keys, how="outer")
    df["events"] = df["events"].fillna(0).astype(int)
    df["benchmark"] = df["benchmark"].astype(float)
    rows = []
    scopes = df.groupby("area_id", sort=True) if "area_id" in keys else [(None, df)]
    for _, part in scopes:
        ref = part[part["group"] == reference]
        ref_events = float(ref["events"].iloc[0]) if len(ref) else 0.0
        ref_bench = float(ref["benchmark"].iloc[0]) if len(ref) else float("nan")
        ref_ok = ref_events >= MIN_EVENTS and np.isfinite(ref_bench) and ref_bench > 0
        for rec in part.sort_values("group").to_dict("records"):
            rows.append(
                _rate_row(rec, reference, ref_events, ref_bench, ref_ok, benchmark_is_count, per)
            )
    return pd.DataFrame(rows, columns=[*keys, *RATE_COLUMNS])


RATE_COLUMNS = [
    "events",
    "benchmark",
    "rate",
    "rate_low",
    "rate_high",
    "ratio",
    "ratio_low",
    "ratio_high",
    "note",
]


def _rate_row(
    rec: dict,
    reference: str | None,
    ref_events: float,
    ref_bench: float,
    ref_ok: bool,
    benchmark_is_count: bool,
    per: int,
) -> dict:
    nan = float("nan")
    a, b = float(rec["events"]), float(rec["benchmark"])
    row = {**rec, **dict.fromkeys(RATE_COLUMNS[2:8], nan), "note": ""}
    if rec["group"] in NOT_A_GROUP:
        row["note"] = "group not recorded"
        return row
    if not np.isfinite(b) or b <= 0:
        row["note"] = "no benchmark for this group"
        return row
    if a < MIN_EVENTS:
        row["note"] = TOO_FEW
        return row
    lo, hi = poisson_interval(a)
    row.update(rate=a / b * per, rate_low=lo / b * per, rate_high=hi / b * per)
    if rec["group"] == reference:
        row.update(ratio=1.0, ratio_low=1.0, ratio_high=1.0, note="comparison group")
    elif ref_ok:
        ratio = (a / b) / (ref_events / ref_bench)
        var = 1 / a + 1 / ref_events
        if benchmark_is_count:
            var += 1 / b + 1 / ref_bench
        half = Z95 * np.sqrt(var)
        row.update(ratio=ratio, ratio_low=ratio * np.exp(-half), ratio_high=ratio * np.exp(half))
    else:
        row["note"] = "comparison group has too few events to compare"
    return row
