"""`publicsafety analyze budget` and `publicsafety scenario run FILE`: budgets compared across
cities and years, the cost of each kind of call, and reallocation scenarios, written as
privacy-safe tables (CSV and XLSX), SVG charts and plain-language text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from publicsafety.analysis.budget.compare import (
    PILOT_CITIES,
    actual_vs_adopted,
    budget_summary,
    function_totals,
)
from publicsafety.analysis.budget.compare import sentences as budget_sentences
from publicsafety.analysis.budget.cost import (
    OfficerCost,
    cost_from_store,
    cost_of_service,
    cost_sentences,
    given_cost,
)
from publicsafety.analysis.budget.reallocation import ReallocationResult, run_reallocation
from publicsafety.analysis.budget.reallocation import sentences as realloc_sentences
from publicsafety.analysis.budget.scenario_file import load_reallocation
from publicsafety.analysis.scope import Scope, has_rows
from publicsafety.cli.analyze import analyze_app
from publicsafety.cli.common import DEFAULT_WS, CityOpt, JsonOpt, WorkspaceOpt, emit_json
from publicsafety.cli.scenario import scenario_app, write_diversion
from publicsafety.engine import Store, open_store
from publicsafety.errors import PublicSafetyError
from publicsafety.privacy import is_small
from publicsafety.report import charts
from publicsafety.report.export import publish, write_table

COST_COUNTS = ["calls", "calls_with_officer_time"]
COST_DERIVED = {
    c: ["calls"]
    for c in (
        "share_of_calls",
        "officer_hours",
        "share_of_officer_hours",
        "calls_per_year",
        "officer_hours_per_year",
        "cost_per_year",
        "cost_per_call",
        "share_of_cost",
    )
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "budget"


def _years(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["year"] = pd.to_datetime(out["fiscal_year"].astype(str) + "-01-01")
    out["series"] = out["city"] + " (" + out["source"] + ")"
    return out


def write_budget(summary: pd.DataFrame, folder: Path, year: int | None) -> list[Path]:
    """Budget comparison tables and charts. Budgets hold dollars, not counts of people, so
    nothing is small-count suppressed; the tables still go through the privacy layer."""
    written = write_table(publish(summary, []), folder / "budgets", [], xlsx=True)
    source = "city budgets as loaded"
    police = summary.dropna(subset=["police"])
    if police["fiscal_year"].nunique() > 1:
        svg = charts.line_chart(
            _years(police),
            x="year",
            y="police",
            series="series",
            title="Police budget by fiscal year",
            subtitle="Each compilation is its own line: they differ in funds and fiscal years",
            y_title="US dollars",
            source=source,
        )
        written.append(charts.write_svg(svg, folder / "police_budget_by_year.svg"))
    chosen = year if year is not None else int(police["fiscal_year"].max()) if len(police) else None
    per = police[(police["fiscal_year"] == chosen) & police["police_per_resident"].notna()]
    if len(per):
        bars = per.assign(label=per["city"] + " (" + per["source"] + ")")
        svg = charts.bar_chart(
            bars,
            category="label",
            value="police_per_resident",
            title=f"Police spending per resident, fiscal year {chosen}",
            subtitle="State and local police spending averaged $351.54 per resident in 2017 (BJS)",
            value_title="US dollars per resident",
            value_format=",.2f",
            source=f"budgets: {', '.join(sorted(set(per['source'])))}; residents: "
            + "; ".join(_population_sources(per)),
        )
        written.append(charts.write_svg(svg, folder / "police_per_resident.svg"))
    return written


def _population_sources(per: pd.DataFrame) -> list[str]:
    """Where the residents of each bar come from, as the budget table records it."""
    col = per["population_source"] if "population_source" in per else pd.Series(dtype="str")
    found = sorted({str(v) for v in col.dropna() if str(v)})
    return found or ["not recorded"]


def _officer_cost(
    store: Store, city: str, year: int | None, hourly: float | None, sworn: float | None
) -> OfficerCost | None:
    if hourly is not None:
        return given_cost(hourly, "given with --hourly-cost")
    try:
        return cost_from_store(store, city, year, sworn_fte=sworn)
    except PublicSafetyError:
        return None


def write_cost(
    df: pd.DataFrame, cost: OfficerCost, city: str, folder: Path, min_count: int
) -> list[Path]:
    table = publish(df, COST_COUNTS, derived=COST_DERIVED, min_count=min_count)
    written = write_table(table, folder / "cost_of_service", COST_COUNTS, xlsx=True)
    svg = charts.bar_chart(
        table.table,
        category="category",
        value="cost_per_year",
        title=f"{city}: officer time on calls, cost a year by kind of call",
        subtitle=f"Officer-hours x ${cost.hourly:,.2f} an hour",
        value_title="US dollars a year",
        value_format=",.0f",
        source=f"{city} calls (officer time) and budget: {cost.source}",
    )
    written.append(charts.write_svg(svg, folder / "cost_of_service.svg"))
    return written


@analyze_app.command("budget")
def budget_cmd(
    workspace: WorkspaceOpt = DEFAULT_WS,
    city: Annotated[
        list[str] | None,
        typer.Option("--city", help="City to compare (repeat); default: the five pilot cities."),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Fiscal year (the year it ends).")
    ] = None,
    hourly_cost: Annotated[
        float | None,
        typer.Option("--hourly-cost", help="Loaded cost of an officer-hour, if you know it."),
    ] = None,
    sworn: Annotated[
        float | None, typer.Option("--sworn", help="Sworn officers, when the budget does not say.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Police budgets side by side: share of the general fund and of the whole budget, dollars per
    resident, change on the year before; spending by function; and, for a city with timed calls,
    what each kind of call costs in officer time."""
    cities = tuple(city or PILOT_CITIES)
    folder = out or workspace / "outputs" / "budget"
    text: list[str] = []
    with open_store(workspace, read_only=True) as store:
        summary = budget_summary(store, cities=cities)
        if year is not None:
            summary = summary[summary["fiscal_year"] == year].reset_index(drop=True)
        written = write_budget(summary, folder, year)
        both = actual_vs_adopted(summary)
        if len(both):
            written += write_table(publish(both, []), folder / "actual_vs_adopted", [], xlsx=True)
        for row in summary.to_dict("records"):
            text += budget_sentences(row)
        for c in sorted(summary["city"].unique()):
            budgets = summary[summary["city"] == c][["source", "fiscal_year"]].drop_duplicates()
            for src, fy in budgets.itertuples(index=False):
                funcs = function_totals(store, c, int(fy), str(src))
                if len(funcs) > 1:  # line items with more than one function
                    name = f"by_function_{_slug(c)}_{fy}_{_slug(str(src))}"
                    written += write_table(publish(funcs, []), folder / name, [], xlsx=True)
            has_calls = has_rows(store, "calls", c)
            cost = _officer_cost(store, c, year, hourly_cost, sworn) if has_calls else None
            if cost is not None:
                df = cost_of_service(store, Scope(c), cost)
                written += write_cost(
                    df, cost, c, folder / _slug(c), store.settings.privacy.min_count
                )
                text += cost_sentences(df, cost, c)
    (folder / "summary.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    written.append(folder / "summary.txt")
    if as_json:
        emit_json(
            {
                "budgets": summary.astype(object).where(summary.notna(), None).to_dict("records"),
                "text": text,
                "files": [str(p) for p in written],
            }
        )
        return
    typer.echo("\n".join(text))
    typer.echo(f"\nWrote {len(written)} files to {folder}")


def reallocation_text(r: ReallocationResult) -> str:
    """Each figure with its assumption beside it, then the plain-language summary."""
    out = [r.scenario.name, ""]
    for row in r.lines.to_dict("records"):
        out.append(f"{row['item']}: {row['value']:,.2f} {row['unit']}")
        out.append(f"  because: {row['assumption']}")
    out += ["", *realloc_sentences(r)]
    if r.scenario.notes:
        out += ["", "Notes:", *[f"- {n}" for n in r.scenario.notes]]
    return "\n".join(out)


def public_lines(r: ReallocationResult, min_count: int) -> pd.DataFrame:
    """The figures table with call counts of 1 to min_count - 1 withheld (fail closed), and with
    them the officer-hours and dollars worked out from those few calls."""
    df = r.lines.copy()
    calls = df["unit"].str.startswith("calls")
    small = calls & df["value"].map(lambda v: is_small(round(float(v)), min_count))
    for item in df.loc[small, "item"]:
        program = str(item).rsplit(": ", 1)[0]
        small |= df["item"].isin(
            [f"{program}: officer-hours freed", f"{program}: value of officer time freed"]
        )
    df["value"] = (
        df["value"].astype(object).where(~small, f"suppressed (fewer than {min_count} calls)")
    )
    return df


def write_reallocation(r: ReallocationResult, folder: Path, min_count: int) -> list[Path]:
    written = write_table(
        publish(public_lines(r, min_count), []), folder / "figures", [], xlsx=True
    )
    if len(r.areas):
        counts = ["residents", "residents_below_poverty"]
        written += write_table(
            publish(r.areas, counts, min_count=min_count), folder / "areas", counts, xlsx=True
        )
    if r.diversion is not None:
        written += write_diversion(r.diversion, folder / "diversion", min_count)
    money = pd.DataFrame(
        {
            "item": ["Money moved from police", "Diversion programs", "Basic income (a year)"],
            "dollars": [
                r.totals["money_moved"],
                r.totals["alternatives_cost"],
                r.totals["basic_income_per_year"],
            ],
        }
    )
    svg = charts.bar_chart(
        money,
        category="item",
        value="dollars",
        title=f"{r.city}: {r.scenario.name}",
        subtitle=f"Net change to city spending: ${r.totals['net_change']:,.0f} a year",
        value_title="US dollars a year",
        value_format=",.0f",
        sort=list(money["item"]),
        source=f"scenario {r.scenario.path.name}; police budget {r.police_budget_source}",
    )
    written.append(charts.write_svg(svg, folder / "money.svg"))
    (folder / "summary.txt").write_text(reallocation_text(r) + "\n", encoding="utf-8")
    written.append(folder / "summary.txt")
    return written


@scenario_app.command("run")
def run_cmd(
    file: Annotated[Path, typer.Argument(help="Reallocation TOML file, or an example's name.")],
    workspace: WorkspaceOpt = DEFAULT_WS,
    city: CityOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a combined reallocation scenario: a diversion scenario, the police budget and a focused
    basic income program; money moved, the alternatives' cost and staffing, and the net change."""
    scenario = load_reallocation(file)
    with open_store(workspace, read_only=True) as store:
        r = run_reallocation(store, scenario, city)
        min_count = store.settings.privacy.min_count
    folder = out or workspace / "outputs" / _slug(r.city) / "reallocation" / _slug(scenario.name)
    written = write_reallocation(r, folder, min_count)
    if as_json:
        lines = public_lines(r, min_count)
        emit_json(
            {
                "scenario": scenario.name,
                "city": r.city,
                "figures": lines.to_dict("records"),
                "totals": r.totals,
                "text": realloc_sentences(r),
                "files": [str(p) for p in written],
            }
        )
        return
    typer.echo(reallocation_text(r))
    typer.echo(f"\nWrote {len(written)} files to {folder}")


def register(app: typer.Typer) -> None:
    """Commands join the `analyze` and `scenario` groups, registered by their own modules."""


def demo_step(ctx: Any) -> None:
    """The demo's budget step (publicsafety.sample_city.pipeline): Sample City's budget, the cost
    of its calls and the example reallocation, written under the demo's outputs folder. Calls not
    yet classified or timed are classified and timed first."""
    from publicsafety.analysis.officer_time import measure_officer_time
    from publicsafety.sample_city import CITY
    from publicsafety.taxonomy import classify

    store = ctx.open()
    city = CITY.replace("'", "''")
    if store.count("calls", f"city = '{city}' AND category IS NOT NULL") == 0:
        classify(store, CITY)
    if store.count("calls", f"city = '{city}' AND officer_minutes IS NOT NULL") == 0:
        measure_officer_time(store, CITY)
    folder = ctx.outputs_dir / "budget"
    min_count = store.settings.privacy.min_count
    summary = budget_summary(store, CITY)
    write_budget(summary, folder, None)
    text = [s for row in summary.to_dict("records") for s in budget_sentences(row)]
    cost = cost_from_store(store, CITY)
    df = cost_of_service(store, Scope(CITY), cost)
    write_cost(df, cost, CITY, folder, min_count)
    text += cost_sentences(df, cost, CITY)
    r = run_reallocation(store, load_reallocation("sample_city_reallocation.toml"))
    write_reallocation(r, folder / "reallocation", min_count)
    text += realloc_sentences(r)
    (folder / "summary.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    ctx.outputs["budget"] = folder
