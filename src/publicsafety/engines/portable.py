"""Ibis versions of the demand and places aggregations, so they run on any engine (Spark too).

analysis/demand.py and analysis/places/area_profiles.py build their aggregates as DuckDB SQL on
`store.con`, which only the embedded store has. The functions here build the same aggregates as
Ibis expressions on `store.table(...)` and return frames with the same columns, rows and order,
so analysis code can swap to them without a change in results (tests/engines checks both ways).
Only the grouped rows come back from the engine; the shares over those few rows are pandas.
"""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd

from publicsafety.analysis._sql import ALL_EVENTS, COMMUNITY_ONLY, Scope
from publicsafety.analysis.demand import NOT_RECORDED, TABLE_DIMENSIONS
from publicsafety.engine import Store
from publicsafety.errors import StoreError


def _month(t: ibis.Table) -> Any:
    # year-month built from parts: strftime patterns differ between engines.
    ts = t.received_at
    return ts.year().cast("string") + "-" + ts.month().cast("string").lpad(2, "0")


def _dimension(t: ibis.Table, name: str) -> Any:
    """The value `name` groups by: the same coalesces as analysis.demand.DIMENSIONS."""
    fallback = {
        "category": "unclassified",
        "responder": "unclassified",
        "origin": "unknown",
        "agency": NOT_RECORDED,
        "priority": NOT_RECORDED,
    }
    if name in fallback:
        return t[name].fill_null(fallback[name])
    if name == "disposition":
        return ibis.coalesce(t.disposition, t.disposition_text, ibis.literal(NOT_RECORDED))
    if name == "month":
        return ibis.coalesce(_month(t), ibis.literal(NOT_RECORDED))
    raise StoreError(
        f"no portable demand dimension {name!r}",
        fix=f"choose one of: {', '.join(TABLE_DIMENSIONS)}",
    )


def scoped_calls(store: Store, scope: Scope) -> ibis.Table:
    """The calls a Scope counts (the Ibis form of Scope.where)."""
    t = store.table("calls")
    cond = [t.city == scope.city]
    for column, values in (
        ("agency", scope.agencies),
        ("origin", scope.origins),
        ("category", scope.categories),
        ("call_type", scope.call_types),
    ):
        if values:
            cond.append(t[column].isin(list(values)))
    if scope.since is not None:
        cond.append(t.received_at >= pd.Timestamp(scope.since).to_pydatetime())
    if scope.until is not None:
        cond.append(t.received_at < pd.Timestamp(scope.until).to_pydatetime())
    return t.filter(*cond)


def demand_by(store: Store, scope: Scope, dimension: str) -> pd.DataFrame:
    """Calls and officer hours by one dimension over both denominators: the frame of
    analysis.demand.demand_by for the dimensions in TABLE_DIMENSIONS."""
    t = scoped_calls(store, scope)
    g = (
        t.mutate(value=_dimension(t, dimension), comm=(t.origin == "community").fill_null(False))
        .group_by(["value", "comm"])
        .aggregate(
            calls=lambda s: s.count(),
            minutes=lambda s: s.officer_minutes.sum(),
            timed=lambda s: s.officer_minutes.count(),
        )
        .to_pandas()
    )
    g["hours"] = g["minutes"] / 60.0
    every = g.groupby("value", as_index=False, dropna=False)[["calls", "hours", "timed"]].sum(
        min_count=1
    )
    every["denominator"] = ALL_EVENTS
    comm = g.loc[g["comm"].astype(bool), ["value", "calls", "hours", "timed"]].copy()
    comm["denominator"] = COMMUNITY_ONLY
    out = pd.concat([every, comm], ignore_index=True)
    den = out.groupby("denominator")
    out["share_of_calls"] = out["calls"] / den["calls"].transform("sum")
    hours_total = den["hours"].transform("sum")
    out["officer_hours"] = out["hours"].where(out["timed"] > 0).astype(float)
    out["share_of_officer_hours"] = (out["hours"] / hours_total.where(hours_total != 0)).astype(
        float
    )
    out["calls_with_officer_time"] = out["timed"].astype("int64")
    out["calls"] = out["calls"].astype("int64")
    keys = ["denominator", "value"] if dimension == "month" else ["denominator", "calls", "value"]
    asc = [True, True] if dimension == "month" else [True, False, True]
    out = out.sort_values(keys, ascending=asc, ignore_index=True).rename(
        columns={"value": dimension}
    )
    cols = [dimension, "denominator", "calls", "share_of_calls", "officer_hours"]
    return out[[*cols, "share_of_officer_hours", "calls_with_officer_time"]]


def demand_by_area(store: Store, scope: Scope, area_set: str) -> pd.DataFrame:
    """Calls and officer hours per area of `area_set`: the frame of
    analysis.demand.demand_by_area (without withholding sensitive call types)."""
    c = scoped_calls(store, scope)
    p = store.table("placements")
    p = p.filter(p.kind == "calls", p.area_set == area_set).select("row_id", "area_id")
    j = c.left_join(p, c.row_id == p.row_id)
    agg = j.group_by("area_id").aggregate(
        calls=lambda s: s.count(),
        community_calls=lambda s: s.count(where=s.origin == "community"),
        officer_initiated=lambda s: s.count(where=s.origin == "officer"),
        officer_hours=lambda s: s.officer_minutes.sum().fill_null(0) / 60.0,
    )
    a = store.table("areas")
    a = (
        a.filter(a.city == scope.city, a.area_set == area_set)
        .group_by("area_id")
        .aggregate(
            name=lambda s: s["name"].arbitrary(), population=lambda s: s.population.arbitrary()
        )
    )
    pop = store.table("population")
    pop = (
        pop.filter(pop.city == scope.city, pop.area_set == area_set, pop.dimension == "total")
        .group_by("area_id")
        .aggregate(residents=lambda s: s["count"].sum())
    )
    df = agg.to_pandas()
    names = a.to_pandas()
    people = pop.to_pandas()
    df = df.merge(names, on="area_id", how="left").merge(people, on="area_id", how="left")
    df["residents"] = df["residents"].fillna(df["population"]).astype(float)
    df = df.sort_values("area_id", na_position="last", ignore_index=True)
    cols = ["area_id", "name", "residents", "calls", "community_calls", "officer_initiated"]
    df = df[[*cols, "officer_hours"]].astype({c: "int64" for c in cols[3:]})
    res = df["residents"].where(df["residents"] > 0)
    df["calls_per_1000_residents"] = 1000 * df["calls"] / res
    df["share_of_calls"] = df["calls"] / df["calls"].sum()
    df["denominator"] = ALL_EVENTS
    return df


# The measures of analysis/places/area_profiles.MEASURES, as Ibis predicates on their table.
MEASURES: dict[str, tuple[str, Any]] = {
    "stops": ("stops", None),
    "arrests": ("arrests", None),
    "crime": ("incidents", None),
    "violent_crime": ("incidents", lambda t: t.crime_category == "violent"),
    "property_crime": ("incidents", lambda t: t.crime_category == "property"),
    "community_calls": ("calls", lambda t: t.origin == "community"),
    "officer_calls": ("calls", lambda t: t.origin == "officer"),
}


def place_counts(store: Store, city: str, area_set: str, measure: str) -> pd.DataFrame:
    """Events of `measure` per area of `area_set` through `placements`, one row per area_id
    (NULL: no point or in no area), sorted by area_id; the counts the places analysis ranks."""
    if measure not in MEASURES:
        raise StoreError(f"no measure {measure!r}", fix=f"choose one of: {', '.join(MEASURES)}")
    kind, predicate = MEASURES[measure]
    e = store.table(kind)
    e = e.filter(e.city == city) if predicate is None else e.filter(e.city == city, predicate(e))
    p = store.table("placements")
    p = p.filter(p.kind == kind, p.area_set == area_set).select("row_id", "area_id")
    j = e.left_join(p, e.row_id == p.row_id)
    df = j.group_by("area_id").aggregate(events=lambda s: s.count()).to_pandas()
    df["events"] = df["events"].astype("int64")
    return df.sort_values("area_id", na_position="last", ignore_index=True)
