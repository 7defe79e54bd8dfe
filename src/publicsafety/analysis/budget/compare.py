"""Compare budgets across cities and years: the police budget, its share of the general fund and of
the whole city budget, spending per resident, and change from one year to the next.

A budget here is one city's lines from one source (the profile it was loaded with) for one fiscal
year and basis: compilations disagree on funds and fiscal years, so sources are never mixed.
Sums run in the engine; one row per budget comes back. Residents come from populations.csv (the
decennial census, sources beside each figure) or, for a city not in it, the population table.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
from ibis import _

from publicsafety.analysis.scope import fetch
from publicsafety.engine import Store
from publicsafety.errors import StoreError

POPULATIONS_FILE = Path(__file__).resolve().parent / "populations.csv"
PILOT_CITIES = ("Albuquerque", "Baltimore", "Minneapolis", "New Orleans", "Stockton")
# BJS Justice Expenditure and Employment (Buehler & Scott, July 2020): state plus local police
# spending per resident in 2017, for scale beside a city's own figure.
BJS_PER_CAPITA_2017 = 351.54


def lines_with_source(store: Store) -> ibis.Table:
    """Budget lines with the source they came from: the profile of their load."""
    b = store.table("budget")
    loads = store.table("loads").select("load_id", "profile")
    j = b.left_join(loads, b.load_id == loads.load_id)
    source = ibis.coalesce(
        j.profile,
        ibis.literal("load ") + j.load_id.cast("string"),
        ibis.literal("source not recorded"),
    )
    return j.mutate(source=source)


def _summary(store: Store, chosen: tuple[str, ...]) -> pd.DataFrame:
    """One row per (city, source, fiscal year, basis). "General fund" is a total line of the
    general fund or, when a source gives line items but no total, the sum of its general fund
    lines; the whole budget is a total line of all funds (or of no stated fund)."""
    t = lines_with_source(store)
    if chosen:
        t = t.filter(t.city.isin(list(chosen)))
    total = t.function == "total"
    not_total = t.function.fill_null("") != "total"
    general = t.fund.ilike("%general%")
    df = fetch(
        t.group_by(["city", "source", "fiscal_year", "basis"]).aggregate(
            police=t.amount.sum(where=t.function == "police"),
            lines_total=t.amount.sum(where=not_total),
            gf_line=t.amount.sum(where=total & general),
            gf_lines=t.amount.sum(where=not_total & general),
            whole=t.amount.sum(where=total & (t.fund.isnull() | ~general)),
            sworn_fte=t.sworn_fte.sum(where=t.function == "police"),
            lines=t.count(),
        )
    )
    return df.sort_values(["city", "source", "fiscal_year", "basis"], ignore_index=True)


@cache
def _census() -> pd.DataFrame:
    with open(POPULATIONS_FILE, encoding="utf-8", newline="") as f:
        return pd.DataFrame(list(csv.DictReader(f))).astype({"year": int, "population": float})


def population(store: Store | None, city: str, year: int) -> tuple[float | None, str]:
    """Residents of a city in a year and where the figure comes from.

    Census counts are interpolated linearly between census years (a year outside them takes the
    nearest census). A city not in populations.csv takes the largest total of any area set in
    the population table (the area set that covers the most residents)."""
    census = _census()
    rows = census[census["city"] == city].sort_values("year")
    if not rows.empty:
        years, pops = rows["year"].tolist(), rows["population"].tolist()
        if year in years:
            i = years.index(year)
            return pops[i], str(rows["source"].iloc[i])
        if year <= years[0] or year >= years[-1]:
            i = 0 if year <= years[0] else len(years) - 1
            return pops[i], f"{rows['source'].iloc[i]} (nearest census to {year})"
        for i in range(len(years) - 1):
            (y0, p0), (y1, p1) = (years[i], pops[i]), (years[i + 1], pops[i + 1])
            if y0 <= year <= y1:
                value = p0 + (p1 - p0) * (year - y0) / (y1 - y0)
                return value, f"interpolated between the {y0} and {y1} censuses (populations.csv)"
    if store is not None:
        pop = store.table("population")
        pop = pop.filter(pop.city == city, pop.dimension == "total", pop["group"] == "total")
        df = fetch(
            pop.group_by("area_set").aggregate(
                source=pop.source.arbitrary(),
                year=pop.year.arbitrary(),
                residents=pop["count"].sum(),
            )
        )
        df = df.sort_values(["residents", "area_set"], ascending=[False, True]).head(1)
        if not df.empty and df["residents"].iloc[0]:
            r = df.iloc[0]
            return float(
                r["residents"]
            ), f"the {r['area_set']} population table, from {r['source']}"
    return None, "no population for this city (add it to populations.csv or load a population file)"


def budget_summary(
    store: Store, city: str | None = None, *, cities: tuple[str, ...] = ()
) -> pd.DataFrame:
    """One row per budget (city, source, fiscal year, basis): police spending, the general fund
    and whole budget, police shares of each, spending per resident, and change on the year
    before in the same source."""
    chosen = (city,) if city else cities
    df = _summary(store, chosen)
    if df.empty:
        known = sorted(fetch(store.table("budget").select("city").distinct())["city"].tolist())
        raise StoreError(
            f"no budget lines for {', '.join(chosen) or 'any city'}",
            where=str(store.settings.store_path),
            fix="load a budget file with `publicsafety ingest FILE --profile NAME`"
            + (f"; cities with budgets: {', '.join(known[:20])}" if known else ""),
        )
    df["general_fund"] = df["gf_line"].fillna(df["gf_lines"])
    df["general_fund_basis"] = (
        df["gf_line"]
        .notna()
        .map({True: "general fund total line", False: "sum of general fund lines"})
        .where(df["general_fund"].notna(), None)
    )
    df["police_share_general_fund"] = df["police"] / df["general_fund"]
    df["police_share_whole_budget"] = df["police"] / df["whole"]
    pops = [
        population(store, c, int(y)) for c, y in zip(df["city"], df["fiscal_year"], strict=True)
    ]
    df["population"] = [p[0] for p in pops]
    df["population_source"] = [p[1] for p in pops]
    df["police_per_resident"] = df["police"] / df["population"]
    df = df.rename(columns={"whole": "whole_budget"})
    keys = ["city", "source", "basis"]
    df = df.sort_values([*keys, "fiscal_year"], kind="stable").reset_index(drop=True)
    prev = df.groupby(keys, sort=False)[["fiscal_year", "police"]].shift(1)
    follows = prev["fiscal_year"] == df["fiscal_year"] - 1  # a gap year is not "the year before"
    df["police_change"] = (df["police"] - prev["police"]).where(follows)
    df["police_change_pct"] = (df["police_change"] / prev["police"]).where(follows)
    return df[
        [
            "city",
            "source",
            "fiscal_year",
            "basis",
            "police",
            "general_fund",
            "general_fund_basis",
            "whole_budget",
            "lines_total",
            "police_share_general_fund",
            "police_share_whole_budget",
            "population",
            "population_source",
            "police_per_resident",
            "police_change",
            "police_change_pct",
            "sworn_fte",
            "lines",
        ]
    ]


def actual_vs_adopted(summary: pd.DataFrame) -> pd.DataFrame:
    """Police spending as adopted and as actually spent, side by side, for the budgets of
    `budget_summary` that have both (same city, source and fiscal year)."""
    wide = summary.pivot_table(
        index=["city", "source", "fiscal_year"], columns="basis", values="police", aggfunc="sum"
    )
    if not {"adopted", "actual"} <= set(wide.columns):
        return pd.DataFrame(columns=["city", "source", "fiscal_year", "adopted", "actual"])
    out = wide[["adopted", "actual"]].dropna().reset_index()
    out.columns.name = None
    out["actual_minus_adopted"] = out["actual"] - out["adopted"]
    out["actual_minus_adopted_pct"] = out["actual_minus_adopted"] / out["adopted"]
    return out


def pilot_cities(
    store: Store, fiscal_year: int, cities: tuple[str, ...] = PILOT_CITIES
) -> pd.DataFrame:
    """The pilot cities side by side for one fiscal year, one row per city and source."""
    df = budget_summary(store, cities=cities)
    out = df[df["fiscal_year"] == fiscal_year].reset_index(drop=True)
    missing = sorted(set(cities) - set(out["city"]))
    out.attrs["missing"] = missing
    return out


def function_totals(
    store: Store, city: str, fiscal_year: int, source: str | None = None
) -> pd.DataFrame:
    """Spending by function for one city and year (line-item budgets), largest first."""
    t = lines_with_source(store)
    t = t.filter(t.city == city, t.fiscal_year == fiscal_year, t.function.fill_null("") != "total")
    if source:
        t = t.filter(t.profile == source)
    df = fetch(
        t.mutate(function=t.function.fill_null("unclassified"))
        .group_by("function")
        .aggregate(amount=_.amount.sum(), lines=_.count(), sworn_fte=_.sworn_fte.sum())
    )
    return df.sort_values(["amount", "function"], ascending=[False, True], ignore_index=True)


def sentences(row: Mapping[Any, Any]) -> list[str]:
    """Plain-language sentences for one budget row of `budget_summary`."""
    out = []
    city, year, police = row["city"], row["fiscal_year"], row["police"]
    if police is None or pd.isna(police):
        return [f"{city} {year} ({row['source']}): no police lines in this budget."]
    text = f"In fiscal year {year}, {city} budgeted ${float(police):,.0f} for police ({row['source']}, {row['basis']})"
    shares = []
    for col, label in (
        ("police_share_general_fund", "of the general fund"),
        ("police_share_whole_budget", "of the whole city budget"),
    ):
        v = row[col]
        if v is not None and not pd.isna(v):
            shares.append(f"{float(v):.1%} {label}")
    out.append(text + (": " + " and ".join(shares) if shares else "") + ".")
    per = row["police_per_resident"]
    if per is not None and not pd.isna(per):
        out.append(
            f"That is ${float(per):,.2f} per resident ({float(row['population']):,.0f} residents: "
            f"{row['population_source']}); state and local police spending averaged "
            f"${BJS_PER_CAPITA_2017} per resident nationally in 2017 (BJS)."
        )
    change = row["police_change"]
    if change is not None and not pd.isna(change):
        word = "up" if float(change) >= 0 else "down"
        out.append(
            f"The police budget was {word} ${abs(float(change)):,.0f} "
            f"({abs(float(row['police_change_pct'])):.1%}) on the year before in the same source."
        )
    return out
