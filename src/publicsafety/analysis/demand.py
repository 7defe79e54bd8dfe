"""Service demand (roadmap 1.1): calls and officer hours by category, responder, origin, priority,
disposition, hour of week, month and area, with every share stating its denominator.

Each table is one grouped aggregate on the engine (Ibis: DuckDB or Spark); only the grouped rows
reach pandas, where both denominators and their shares are worked out. Shares are given twice,
over all events and over community-generated calls only, because published figures differ
mostly on that choice. Officer hours are `calls.officer_minutes` (analysis/officer_time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ibis
import numpy as np
import pandas as pd
from ibis import _

from publicsafety.analysis.places.area_profiles import population
from publicsafety.analysis.scope import (
    ALL_EVENTS,
    COMMUNITY_ONLY,
    Scope,
    fetch,
    require_calls,
)
from publicsafety.engine import Store
from publicsafety.errors import StoreError
from publicsafety.privacy import sensitive_expr

NOT_RECORDED = "not recorded"
WITHHELD = "withheld (sensitive call type)"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DIMENSIONS = (
    "category",
    "responder",
    "origin",
    "agency",
    "priority",
    "disposition",
    "month",
    "call_type",
)
FALLBACK = {"category": "unclassified", "responder": "unclassified", "origin": "unknown",
            "agency": NOT_RECORDED, "priority": NOT_RECORDED}  # fmt: skip


def value(t: ibis.Table, dimension: str) -> Any:
    """The value a demand table groups `t` (calls) by."""
    if dimension in FALLBACK:
        return t[dimension].fill_null(FALLBACK[dimension])
    if dimension == "disposition":
        return ibis.coalesce(t.disposition, t.disposition_text, ibis.literal(NOT_RECORDED))
    if dimension == "call_type":
        return ibis.coalesce(t.call_type, t.call_type_code, ibis.literal(NOT_RECORDED))
    if dimension == "month":
        # Grouped on the truncated timestamp; written as YYYY-MM on the result rows only.
        return t.received_at.truncate("M")
    raise StoreError(
        f"no demand dimension {dimension!r}", fix=f"choose one of: {', '.join(DIMENSIONS)}"
    )


def _month_text(values: pd.Series) -> pd.Series:
    text = pd.to_datetime(values).dt.strftime("%Y-%m")
    return text.where(values.notna(), NOT_RECORDED).astype("str")


def _sums() -> dict[str, Any]:
    """calls, officer minutes and calls with officer time of a group."""
    return {
        "calls": _.count(),
        "minutes": _.officer_minutes.sum(),
        "timed": _.officer_minutes.count(),
    }


def demand_by(store: Store, scope: Scope, dimension: str) -> pd.DataFrame:
    """Calls and officer hours by one dimension (see DIMENSIONS), over both denominators
    (column `denominator`), sorted by calls (months in time order)."""
    if dimension not in DIMENSIONS:
        raise StoreError(
            f"no demand dimension {dimension!r}", fix=f"choose one of: {', '.join(DIMENSIONS)}"
        )
    t = scope.calls(store)
    extra = {"category": _.category.arbitrary()} if dimension == "call_type" else {}
    g = fetch(
        t.group_by(value=value(t, dimension), comm=t.origin == "community").aggregate(
            **_sums(), **extra
        )
    )
    if dimension == "month":
        g["value"] = _month_text(g["value"])
    g["hours"] = g["minutes"] / 60.0
    keep = ["calls", "hours", "timed"]
    every = g.groupby("value", as_index=False, dropna=False)[keep].sum(min_count=1)
    if extra:
        # Every call of a type has the same category: any row's will do.
        every = every.merge(
            g.dropna(subset=["category"]).drop_duplicates("value")[["value", "category"]],
            on="value",
            how="left",
        )
    every["denominator"] = ALL_EVENTS
    comm = g.loc[g["comm"].eq(True), ["value", *keep, *extra]].copy()
    comm["denominator"] = COMMUNITY_ONLY
    out = pd.concat([every, comm], ignore_index=True)
    by = out.groupby("denominator")
    out["share_of_calls"] = out["calls"] / by["calls"].transform("sum")
    total_hours = by["hours"].transform("sum")
    out["officer_hours"] = out["hours"].where(out["timed"] > 0).astype(float)
    out["share_of_officer_hours"] = (out["hours"] / total_hours.where(total_hours != 0)).astype(
        float
    )
    out["calls_with_officer_time"] = out["timed"].astype("int64")
    out["calls"] = out["calls"].astype("int64")
    if dimension == "month":
        keys, ascending = ["denominator", "value"], [True, True]
    else:
        keys, ascending = ["denominator", "calls", "value"], [True, False, True]
    out = out.sort_values(keys, ascending=ascending, ignore_index=True, kind="stable")
    out = out.rename(columns={"value": dimension})
    cols = [dimension, "denominator", "calls", "share_of_calls", "officer_hours"]
    cols += ["share_of_officer_hours", "calls_with_officer_time", *extra]
    return _text(out[cols], [dimension, "denominator", *extra])


def _text(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    for col in columns:
        df[col] = df[col].astype("str")
    return df


def top_call_types(store: Store, scope: Scope, n: int = 20) -> pd.DataFrame:
    """The `n` call types with the most calls (all events), with their category and shares."""
    t = scope.calls(store)
    # One row per call type comes back (hundreds, not millions): the shares' denominators are
    # their sums, and the top n are taken here. A plain aggregate compiles and runs faster
    # than a windowed, ordered and limited one.
    grouped = fetch(
        t.group_by(call_type=value(t, "call_type")).aggregate(
            **_sums(), category=_.category.arbitrary()
        )
    )
    totals = {
        "all_calls": grouped["calls"].sum(),
        "all_minutes": grouped["minutes"].sum(min_count=1),
    }
    top = grouped.sort_values(
        ["calls", "call_type"], ascending=[False, True], ignore_index=True, kind="stable"
    ).head(int(n))
    out = pd.DataFrame({"call_type": top["call_type"], "denominator": ALL_EVENTS})
    out["calls"] = top["calls"].astype("int64")
    out["share_of_calls"] = out["calls"] / float(totals["all_calls"])
    out["officer_hours"] = (top["minutes"].fillna(0) / 60.0).where(top["timed"] > 0)
    minutes = float(totals["all_minutes"]) if pd.notna(totals["all_minutes"]) else np.nan
    out["share_of_officer_hours"] = top["minutes"] / minutes
    out["calls_with_officer_time"] = top["timed"].astype("int64")
    out["category"] = top["category"]
    return _text(out, ["call_type", "denominator", "category"])


def monthly(store: Store, scope: Scope, by: str = "category") -> pd.DataFrame:
    """Monthly trend: calls and officer hours per month and `by` value (all events)."""
    if by not in DIMENSIONS:
        raise StoreError(
            f"no demand dimension {by!r}", fix=f"choose one of: {', '.join(DIMENSIONS)}"
        )
    t = scope.calls(store).filter(lambda c: c.received_at.notnull())
    df = fetch(
        t.group_by(m=t.received_at.truncate("M"), key=value(t, by)).aggregate(
            calls=_.count(),
            minutes=_.officer_minutes.sum(),
            community_calls=_.count(where=_.origin == "community"),
        )
    )
    out = pd.DataFrame({"month": _month_text(df["m"]), by: df["key"]})
    out["calls"] = df["calls"].astype("int64")
    out["officer_hours"] = df["minutes"].fillna(0) / 60.0
    out["community_calls"] = df["community_calls"].astype("int64")
    out = out.sort_values(["month", by], ignore_index=True, kind="stable")
    return _text(out, ["month", by])


def hour_of_week(store: Store, scope: Scope, *, withhold_sensitive: bool = False) -> pd.DataFrame:
    """Calls and officer hours per hour of the week (0 = Monday 00:00-00:59 ... 167 = Sunday
    23:00), with the number of times each hour occurred in the period (`slots`) and the average
    per week. Date-only calls have no hour and are left out (the table is then empty).

    With `withhold_sensitive`, sensitive call types (privacy.py) are counted in one extra row
    without a time, as the privacy rules require of public outputs.
    """
    t = scope.calls(store)
    t = t.filter(t.received_at.notnull(), ~t.date_only.fill_null(False))
    how = t.received_at.day_of_week.index().cast("int64") * 24 + t.received_at.hour()
    if withhold_sensitive:
        how = ibis.ifelse(sensitive_expr(t.call_type), ibis.null("int64"), how)
    df = fetch(
        t.group_by(how=how).aggregate(
            calls=_.count(),
            community_calls=_.count(where=_.origin == "community"),
            minutes=_.officer_minutes.sum(),
            timed=_.officer_minutes.count(),
            t0=_.received_at.min(),
            t1=_.received_at.max(),
        )
    )
    cols = ["hour_of_week", "day", "hour", "calls", "community_calls", "officer_hours",
            "calls_with_officer_time", "slots", "calls_per_week", "officer_hours_per_week"]  # fmt: skip
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    df = df.sort_values("how", na_position="last", ignore_index=True)
    # The period from the same scan: the first and last day with a call.
    d0, d1 = pd.Timestamp(df["t0"].min()).normalize(), pd.Timestamp(df["t1"].max()).normalize()
    days = pd.date_range(d0, d1, freq="D")
    slots = pd.Series(days.day_of_week).value_counts()
    how_ = df["how"].astype("Int64")
    dow = how_ // 24
    out = pd.DataFrame({"hour_of_week": how_})
    out["day"] = [DAYS[int(d)] if pd.notna(d) else WITHHELD for d in dow]
    out["day"] = out["day"].astype("str")
    out["hour"] = how_ % 24
    out["calls"] = df["calls"].astype("int64")
    out["community_calls"] = df["community_calls"].astype("int64")
    out["officer_hours"] = df["minutes"].fillna(0) / 60.0
    out["calls_with_officer_time"] = df["timed"].astype("int64")
    out["slots"] = dow.map(lambda d: int(slots.get(int(d), 0)) if pd.notna(d) else pd.NA).astype(
        "Int64"
    )
    out["calls_per_week"] = out["calls"] / out["slots"]
    out["officer_hours_per_week"] = out["officer_hours"] / out["slots"]
    if how_.notna().all():  # no withheld row: plain numbers
        out = out.astype({"hour_of_week": "int64", "hour": "int64", "slots": "int64",
                          "calls_per_week": "float64", "officer_hours_per_week": "float64"})  # fmt: skip
    return out[cols]


def demand_by_area(
    store: Store, scope: Scope, area_set: str, *, withhold_sensitive: bool = False
) -> pd.DataFrame:
    """Calls and officer hours per area of `area_set` (through `placements`), with residents
    and calls per 1,000 residents where the population is known. Calls with no point or outside
    every area are one row with area_id NULL ("no area")."""
    c = scope.calls(store)
    p = store.table("placements")
    p = p.filter(p.kind == "calls", p.area_set == area_set).select("row_id", "area_id")
    j = c.left_join(p, c.row_id == p.row_id)
    area = j.area_id
    if withhold_sensitive:
        area = ibis.ifelse(sensitive_expr(j.call_type), ibis.literal(WITHHELD), area)
    agg = fetch(
        j.group_by(area=area).aggregate(
            calls=_.count(),
            community_calls=_.count(where=_.origin == "community"),
            officer_initiated=_.count(where=_.origin == "officer"),
            minutes=_.officer_minutes.sum(),
        )
    )
    a = store.table("areas")
    names = fetch(
        a.filter(a.city == scope.city, a.area_set == area_set)
        .group_by("area_id")
        .aggregate(name=a["name"].arbitrary(), population=a.population.arbitrary())
    )
    # Residents as the places analysis reads them: one population source, never two added up.
    people = population(store, scope.city, area_set)
    df = agg.rename(columns={"area": "area_id"})
    df = df.merge(names, on="area_id", how="left")
    df["residents"] = df["area_id"].map(people).astype(float).fillna(df["population"].astype(float))
    df["officer_hours"] = df["minutes"].fillna(0) / 60.0
    df = df.sort_values("area_id", na_position="last", ignore_index=True, kind="stable")
    cols = ["area_id", "name", "residents", "calls", "community_calls", "officer_initiated"]
    df = df[[*cols, "officer_hours"]].astype({c: "int64" for c in cols[3:]})
    res = df["residents"].where(df["residents"] > 0)
    df["calls_per_1000_residents"] = 1000 * df["calls"] / res
    df["share_of_calls"] = df["calls"] / df["calls"].sum()
    df["denominator"] = ALL_EVENTS
    return _text(df, ["area_id", "name", "denominator"])


def area_sets(store: Store, city: str) -> list[str]:
    """Area sets the city's calls are placed in."""
    p, c = store.table("placements"), store.table("calls")
    c = c.filter(c.city == city).select("row_id")
    p = p.filter(p.kind == "calls")
    found = p.inner_join(c, p.row_id == c.row_id).select("area_set").distinct()
    return sorted(str(v) for v in fetch(found)["area_set"])


@dataclass
class DemandTables:
    """Every demand table of one scope."""

    scope: Scope
    calls: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


TABLE_DIMENSIONS = ("category", "responder", "origin", "agency", "priority", "disposition", "month")


def demand_tables(
    store: Store,
    scope: Scope,
    *,
    areas: list[str] | None = None,
    top: int = 20,
    withhold_sensitive: bool = False,
) -> DemandTables:
    """All demand tables: by each dimension, top call types, monthly trend by category, hour of
    week, and per area of each area set the calls are placed in (or of `areas`)."""
    n = require_calls(store, scope)
    out = DemandTables(scope, n)
    for dim in TABLE_DIMENSIONS:
        out.tables[f"by_{dim}"] = demand_by(store, scope, dim)
    out.tables["top_call_types"] = top_call_types(store, scope, top)
    out.tables["monthly_by_category"] = monthly(store, scope, "category")
    how = hour_of_week(store, scope, withhold_sensitive=withhold_sensitive)
    if len(how):
        out.tables["hour_of_week"] = how
    else:
        out.notes.append("The source gives dates without times: no hour-of-week table.")
    for name in areas if areas is not None else area_sets(store, scope.city):
        out.tables[f"by_area_{name}"] = demand_by_area(
            store, scope, name, withhold_sensitive=withhold_sensitive
        )
    by_origin = out.tables["by_origin"]
    community = int(
        by_origin.loc[
            (by_origin["denominator"] == ALL_EVENTS) & (by_origin["origin"] == "community"), "calls"
        ].sum()
    )
    out.notes.append(
        f"Shares are given over all events ({n:,}) and over community-generated calls only "
        f"({community:,}); the denominator column says which."
    )
    return out
