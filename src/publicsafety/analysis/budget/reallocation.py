"""Reallocation scenarios (roadmap 5.1 and 5.2): a diversion scenario joined to the budget.

What moves out of the police budget, what the alternatives (community responders, co-response,
311, a focused basic income program) cost and how many people they need, and the net change.
Every figure is a row of `lines` with its assumption beside it, so a reader can check each one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd
from ibis import _

from publicsafety.analysis.budget.compare import lines_with_source
from publicsafety.analysis.budget.cost import OfficerCost, cost_from_store, derive_cost, given_cost
from publicsafety.analysis.budget.scenario_file import Reallocation
from publicsafety.analysis.budget.targeting import target_areas
from publicsafety.analysis.diversion import DiversionResult, run_diversion
from publicsafety.analysis.scenario_files import load_scenario
from publicsafety.analysis.scope import fetch
from publicsafety.engine import Store
from publicsafety.errors import StoreError

HOURS_PER_FTE_WEEK = 40.0


@dataclass
class ReallocationResult:
    scenario: Reallocation
    city: str
    fiscal_year: int | None
    police_budget: float
    police_budget_source: str
    officer_cost: OfficerCost | None
    diversion: DiversionResult | None
    programs: pd.DataFrame  # one row per diversion program: calls, hours, cost, positions
    areas: pd.DataFrame  # basic income: areas chosen, rank measure, recipients
    lines: pd.DataFrame  # item, value, unit, assumption
    totals: dict[str, float] = field(default_factory=dict)


def _police_budget(store: Store, s: Reallocation, city: str) -> tuple[float, int | None, str]:
    if s.police_budget is not None:
        return s.police_budget, s.fiscal_year, "given in the scenario file"
    t = lines_with_source(store)
    t = t.filter(t.city == city, t.function == "police")
    if s.fiscal_year is not None:
        t = t.filter(t.fiscal_year == s.fiscal_year)
    if s.budget_source:
        t = t.filter(t.profile == s.budget_source)
    df = fetch(t.group_by(["fiscal_year", "source"]).aggregate(police=_.amount.sum()))
    df = df.sort_values(["fiscal_year", "source"], ascending=[False, True], ignore_index=True)
    if df.empty:
        raise StoreError(
            f"no police budget for {city}"
            + (f" in fiscal year {s.fiscal_year}" if s.fiscal_year else "")
            + (f" from {s.budget_source}" if s.budget_source else ""),
            where=s.path.name,
            fix="load the city's budget with `publicsafety ingest`, or set police_budget in "
            "[reallocation]",
        )
    if df["source"].nunique() > 1 and not s.budget_source:
        raise StoreError(
            f"{city} has police budgets from several sources: {', '.join(sorted(df['source'].unique()))}",
            where=s.path.name,
            fix='choose one with budget_source = "..." in [reallocation]',
        )
    row = df.iloc[0]
    return (
        float(row["police"]),
        int(row["fiscal_year"]),
        f"{row['source']}, fiscal year {row['fiscal_year']}",
    )


def _officer_cost(
    store: Store, s: Reallocation, city: str, police: float, year: int | None
) -> OfficerCost | None:
    spec = s.officer_cost
    if spec is None:
        return None
    if spec.loaded_hourly_cost is not None:
        return given_cost(spec.loaded_hourly_cost, spec.source or "given in the scenario file")
    if s.police_budget is not None:
        if spec.sworn_fte is None:
            raise StoreError(
                "deriving the hourly officer cost needs sworn positions",
                where=s.path.name,
                fix="add sworn_fte to [officer_cost], or give loaded_hourly_cost",
            )
        return derive_cost(
            police, spec.sworn_fte, spec.hours_per_officer, spec.source or "scenario file"
        )
    return cost_from_store(
        store,
        city,
        year,
        source=s.budget_source,
        sworn_fte=spec.sworn_fte,
        hours_per_officer=spec.hours_per_officer,
    )


def _program_rows(d: DiversionResult) -> pd.DataFrame:
    df = d.programs.copy()
    staffed = df["cost_staffed_basis_per_year"].astype(float)
    per_call = df["cost_per_call_basis_per_year"].astype(float)
    # The staffed cost (teams on every shift) is what a city pays whether calls come or not,
    # so it is preferred; the per-call cost is used only when no staffing cost is given.
    df["alternative_cost_per_year"] = staffed.where(staffed.notna(), per_call).fillna(0.0)
    df["cost_basis"] = [
        "staffed shifts" if pd.notna(a) else "cost per call" if pd.notna(b) else "no cost given"
        for a, b in zip(staffed, per_call, strict=True)
    ]
    sizes = {p.name: p.team_size for p in d.scenario.programs}
    df["positions"] = [
        hours * sizes[name] / HOURS_PER_FTE_WEEK
        for name, hours in zip(df["program"], df["team_hours_per_week"], strict=True)
    ]
    return df


def run_reallocation(store: Store, s: Reallocation, city: str | None = None) -> ReallocationResult:
    """Join a diversion scenario, the police budget and a basic income program into one account."""
    chosen = city or s.city
    if not chosen:
        raise StoreError(
            "no city given", where=s.path.name, fix="set city in [reallocation] or pass --city"
        )
    police, year, police_src = _police_budget(store, s, chosen)
    cost = _officer_cost(store, s, chosen, police, year)
    lines: list[tuple[str, float, str, str]] = [
        ("Police budget", police, "dollars a year", police_src),
    ]
    if cost is not None:
        lines.append(("Loaded cost of an officer-hour", cost.hourly, "dollars", cost.source))
    diversion, programs = None, pd.DataFrame()
    if s.diversion is not None:
        div = load_scenario(s.diversion)
        if cost is not None:
            div = dataclasses.replace(
                div, officer_hourly_cost=cost.hourly, officer_cost_source=cost.source
            )
        diversion = run_diversion(store, div, chosen)
        programs = _program_rows(diversion)
        for row in programs.to_dict("records"):
            why = "; ".join(diversion.assumptions.get(row["program"], []))
            name = row["program"]
            lines += [
                (f"{name}: calls moved", row["calls_moved_per_year"], "calls a year", why),
                (
                    f"{name}: officer-hours freed",
                    row["officer_hours_freed_per_year"],
                    "hours a year",
                    why,
                ),
                (
                    f"{name}: value of officer time freed",
                    row["value_of_officer_time_freed_per_year"],
                    "dollars a year",
                    f"hours freed x ${div.officer_hourly_cost:,.2f} ({div.officer_cost_source})",
                ),
                (
                    f"{name}: cost",
                    row["alternative_cost_per_year"],
                    "dollars a year",
                    f"basis: {row['cost_basis']} (scenario {div.path.name})",
                ),
                (
                    f"{name}: staff positions",
                    row["positions"],
                    "full-time positions",
                    f"{row['team_hours_per_week']:,.0f} team-hours a week x team size / "
                    f"{HOURS_PER_FTE_WEEK:g} hours; before cover for leave and training",
                ),
            ]
    freed_value = (
        float(programs["value_of_officer_time_freed_per_year"].sum()) if not programs.empty else 0.0
    )
    freed_hours = (
        float(programs["officer_hours_freed_per_year"].sum()) if not programs.empty else 0.0
    )
    alt_cost = float(programs["alternative_cost_per_year"].sum()) if not programs.empty else 0.0
    m = s.move
    if m.basis == "officer_time_freed":
        moved, why = freed_value, "the value of the officer time freed by the diversion programs"
    elif m.basis == "amount":
        moved, why = float(m.amount or 0), "a fixed amount given in the scenario file"
    elif m.basis == "share_of_police":
        moved, why = police * float(m.share or 0), f"{float(m.share or 0):.1%} of the police budget"
    else:
        moved, why = 0.0, "no money is moved out of the police budget"
    why += f" ({m.source})" if m.source else ""
    areas = pd.DataFrame()
    income_year = income_total = 0.0
    if s.basic_income is not None:
        b = s.basic_income
        if b.areas > 0:
            areas = target_areas(store, chosen, b)
        income_total = b.monthly_amount * b.recipients * b.months * (1 + b.admin_cost_share)
        income_year = b.monthly_amount * b.recipients * min(b.months, 12) * (1 + b.admin_cost_share)
        terms = (
            f"${b.monthly_amount:,.0f} a month x {b.recipients:,} recipients x {b.months} months"
            + (f" + {b.admin_cost_share:.0%} administration" if b.admin_cost_share else "")
            + f"; {'; '.join(b.sources)}"
        )
        where = (
            f"; recipients in the {len(areas)} {areas['area_set'].iloc[0]} ranked highest by "
            f"{areas['ranked_by'].iloc[0]}"
            if not areas.empty
            else "; not tied to places"
        )
        lines += [
            ("Basic income: whole program", income_total, "dollars", terms + where),
            (
                "Basic income: a year",
                income_year,
                "dollars a year",
                f"the first {min(b.months, 12)} months of it",
            ),
        ]
    alternatives = alt_cost + income_year
    net = alternatives - moved
    totals = {
        "police_budget": police,
        "money_moved": moved,
        "police_budget_after": police - moved,
        "share_of_police_moved": moved / police if police else float("nan"),
        "officer_hours_freed": freed_hours,
        "officer_positions_freed": freed_hours / cost.hours_per_officer
        if cost is not None and cost.hours_per_officer
        else freed_hours / 2080.0,
        "alternatives_cost": alt_cost,
        "basic_income_per_year": income_year,
        "basic_income_total": income_total,
        "net_change": net,
    }
    lines += [
        ("Money moved out of the police budget", moved, "dollars a year", why),
        ("Police budget after", police - moved, "dollars a year", "police budget - money moved"),
        (
            "Alternatives' cost",
            alternatives,
            "dollars a year",
            "diversion programs + a year of basic income",
        ),
        (
            "Net change to city spending",
            net,
            "dollars a year",
            "alternatives' cost - money moved: above zero the city spends more overall, below "
            "zero it saves; freed officer time saves cash only if positions or overtime are cut",
        ),
    ]
    table = pd.DataFrame(lines, columns=["item", "value", "unit", "assumption"])
    return ReallocationResult(
        s, chosen, year, police, police_src, cost, diversion, programs, areas, table, totals
    )


def _pct(share: float) -> str:
    """A share in words; small shares keep two decimals so they do not read as zero."""
    return f"{share:.2%}" if share < 0.01 else f"{share:.1%}"


def sentences(r: ReallocationResult) -> list[str]:
    """Plain-language summary: what moves, what it buys, the net change."""
    t = r.totals
    out = [
        f"{r.city}: the scenario moves ${t['money_moved']:,.0f} a year out of a "
        f"${t['police_budget']:,.0f} police budget ({_pct(t['share_of_police_moved'])}; "
        f"{r.police_budget_source})."
    ]
    if r.diversion is not None:
        out.append(
            f"Community programs would take over about {t['officer_hours_freed']:,.0f} officer-hours a "
            f"year (about {t['officer_positions_freed']:,.1f} full-time officers' paid hours) and cost "
            f"${t['alternatives_cost']:,.0f} a year."
        )
    b = r.scenario.basic_income
    if b is not None:
        out.append(
            f"A basic income of ${b.monthly_amount:,.0f} a month for {b.recipients:,} residents over "
            f"{b.months} months costs ${t['basic_income_total']:,.0f} (${t['basic_income_per_year']:,.0f} a year)."
        )
    word = "more" if t["net_change"] > 0 else "less"
    out.append(
        f"In all the city would spend ${abs(t['net_change']):,.0f} a year {word} than today."
    )
    return out
