"""Cost of service: what each kind of call costs the city per year in officer time.

A loaded hourly officer cost is the police budget divided by the hours its sworn officers are
paid for (or a figure the user gives); officer hours by call category come from service demand
(calls.officer_minutes). Cost per category = officer hours a year x the hourly cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from ibis import _

from publicsafety.analysis.budget.compare import lines_with_source
from publicsafety.analysis.demand import demand_by
from publicsafety.analysis.scope import (
    ALL_EVENTS,
    Scope,
    fetch,
    one_row,
    per_year,
    require_calls,
)
from publicsafety.analysis.text import in_words
from publicsafety.engine import Store
from publicsafety.errors import StoreError

# 40 hours x 52 weeks: the hours a full-time position is paid for. Hours on patrol are fewer
# (leave, training, court); using paid hours gives the cost of an hour of an officer's paid time.
PAID_HOURS_PER_YEAR = 2080.0


@dataclass(frozen=True)
class OfficerCost:
    """A loaded hourly cost of an officer and what it rests on."""

    hourly: float
    source: str
    police_budget: float | None = None
    sworn_fte: float | None = None
    hours_per_officer: float | None = None
    assumptions: tuple[str, ...] = field(default_factory=tuple)
    budget: str = ""  # which budget the police budget and sworn positions come from


def given_cost(hourly: float, source: str) -> OfficerCost:
    """An hourly cost the user gives (e.g. salary plus benefits per hour from payroll)."""
    if hourly <= 0:
        raise StoreError(
            f"an hourly officer cost must be above zero (got {hourly})",
            fix="give the department's salary plus benefits per paid hour",
        )
    return OfficerCost(hourly, source, assumptions=(f"Given by the user: {source}.",))


def derive_cost(
    police_budget: float,
    sworn_fte: float,
    hours_per_officer: float = PAID_HOURS_PER_YEAR,
    source: str = "",
) -> OfficerCost:
    """Police budget / (sworn officers x paid hours): every police dollar (civilian staff,
    vehicles, buildings) is carried by officer hours, which is what 'loaded' means here."""
    if sworn_fte <= 0 or hours_per_officer <= 0:
        raise StoreError(
            "sworn staffing and hours per officer must be above zero",
            fix="give sworn_fte (sworn positions) and hours_per_officer (2,080 = full time)",
        )
    hourly = police_budget / (sworn_fte * hours_per_officer)
    text = (
        f"${police_budget:,.0f} police budget / ({sworn_fte:,.1f} sworn positions x "
        f"{hours_per_officer:,.0f} paid hours a year) = ${hourly:,.2f} an officer-hour"
    )
    return OfficerCost(
        hourly,
        f"{text}{' (' + source + ')' if source else ''}",
        police_budget,
        sworn_fte,
        hours_per_officer,
        (
            text + ".",
            "Loaded cost: the whole police budget (civilian staff, vehicles, buildings, "
            "overhead) is spread over sworn officers' paid hours.",
            f"{hours_per_officer:,.0f} paid hours a year per position (40 x 52); hours actually "
            "on duty are fewer, so the cost of an hour on the street is higher.",
        ),
        source,
    )


def cost_from_store(
    store: Store,
    city: str,
    fiscal_year: int | None = None,
    *,
    source: str | None = None,
    sworn_fte: float | None = None,
    hours_per_officer: float = PAID_HOURS_PER_YEAR,
) -> OfficerCost:
    """Derive the hourly cost from a city's budget lines of function police (latest year unless
    given) and the sworn positions on those lines (or `sworn_fte` when the budget has none)."""
    t = lines_with_source(store)
    t = t.filter(t.city == city, t.function == "police")
    if source:
        t = t.filter(t.profile == source)
    df = fetch(
        t.group_by(["fiscal_year", "source"]).aggregate(
            police=_.amount.sum(), sworn=_.sworn_fte.sum()
        )
    )
    df["no_sworn"] = df["sworn"].isna()
    df = df.sort_values(
        ["no_sworn", "fiscal_year", "source"], ascending=[True, False, True], ignore_index=True
    )
    if fiscal_year is not None:
        df = df[df["fiscal_year"] == fiscal_year]
    if df.empty:
        raise StoreError(
            f"no police budget lines for {city}"
            + (f" in fiscal year {fiscal_year}" if fiscal_year else ""),
            where=str(store.settings.store_path),
            fix="load the city's budget (`publicsafety ingest FILE --profile NAME`) or give "
            "the hourly officer cost yourself",
        )
    row = df.iloc[0]
    sworn = sworn_fte if sworn_fte is not None else row["sworn"]
    if sworn is None or pd.isna(sworn):
        raise StoreError(
            f"the {city} budget ({row['source']}, {row['fiscal_year']}) gives no sworn positions",
            fix="give the number of sworn officers (sworn_fte / --sworn) or the hourly cost",
        )
    return derive_cost(
        float(row["police"]),
        float(sworn),
        hours_per_officer,
        f"{city} fiscal year {int(row['fiscal_year'])}, {row['source']}"
        + ("" if sworn_fte is None else "; sworn positions given by the user"),
    )


def period_days(store: Store, scope: Scope) -> int:
    t = scope.calls(store)
    row = one_row(t.aggregate(a=t.received_at.min(), b=t.received_at.max()))
    return int((pd.Timestamp(row["b"]).normalize() - pd.Timestamp(row["a"]).normalize()).days) + 1


def cost_of_service(store: Store, scope: Scope, cost: OfficerCost) -> pd.DataFrame:
    """Officer hours and their cost by call category, for the period and per year (all events).

    Hours count only calls with a measured officer time; `calls_with_officer_time` says how
    many that is, so a category with few timed calls is read with care."""
    require_calls(store, scope)
    df = demand_by(store, scope, "category")
    df = df[df["denominator"] == ALL_EVENTS].drop(columns="denominator").reset_index(drop=True)
    factor = per_year(period_days(store, scope))
    df["calls_per_year"] = df["calls"] * factor
    df["officer_hours_per_year"] = df["officer_hours"] * factor
    df["cost_per_year"] = df["officer_hours_per_year"] * cost.hourly
    df["cost_per_call"] = (
        df["officer_hours"]
        * cost.hourly
        / df["calls_with_officer_time"].where(df["calls_with_officer_time"] > 0)
    )
    total = df["cost_per_year"].sum(min_count=1)
    df["share_of_cost"] = df["cost_per_year"] / total if total else float("nan")
    df["hourly_cost"] = cost.hourly
    return df.sort_values(["cost_per_year", "category"], ascending=[False, True]).reset_index(
        drop=True
    )


def cost_sentences(df: pd.DataFrame, cost: OfficerCost, city: str) -> list[str]:
    """Plain-language sentences: the hourly cost and the three costliest kinds of call."""
    out = [f"{city}: an officer-hour costs ${cost.hourly:,.2f}. {_basis(cost)}"]
    for row in df.dropna(subset=["cost_per_year"]).head(3).to_dict("records"):
        out.append(
            f"{in_words(str(row['category'])).capitalize()} calls take about "
            f"{row['officer_hours_per_year']:,.0f} officer-hours a year, costing about "
            f"${row['cost_per_year']:,.0f} ({row['share_of_cost']:.0%} of the officer time "
            f"on calls; ${row['cost_per_call']:,.0f} for each call with a recorded officer time)."
        )
    return out


def _basis(cost: OfficerCost) -> str:
    """What the hourly cost rests on, as a sentence."""
    if cost.police_budget is None or not cost.sworn_fte or not cost.hours_per_officer:
        return f"Source: {cost.source}."
    return (
        f"That is the police budget of ${cost.police_budget:,.0f} spread over "
        f"{cost.sworn_fte:,.1f} sworn positions at {cost.hours_per_officer:,.0f} paid hours a year"
        + (f" ({cost.budget})." if cost.budget else ".")
    )
