"""`publicsafety scenario diversion FILE` and `publicsafety analyze change`: what-if diversion
scenarios and the before/after test of a program, written as privacy-safe tables, SVG charts and
plain-language text.

`scenario` is a command group so combined scenarios (`publicsafety scenario FILE`, budget) can
join it later.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from typer.core import TyperGroup

from publicsafety.analysis.change import ChangeResult, ChangeSpec, interrupted_time_series
from publicsafety.analysis.change import sentences as change_sentences
from publicsafety.analysis.diversion import DiversionResult, run_diversion, sentences
from publicsafety.analysis.scenario_files import load_scenario
from publicsafety.analysis.scope import cities
from publicsafety.cli.analyze import analyze_app
from publicsafety.cli.common import DEFAULT_WS, CityOpt, JsonOpt, WorkspaceOpt, emit_json
from publicsafety.engine import Store, open_store
from publicsafety.errors import InputError
from publicsafety.privacy import Suppressed
from publicsafety.report import charts
from publicsafety.report.export import publish, write_table


class ScenarioGroup(TyperGroup):
    """`publicsafety scenario FILE` runs the file (the same as `scenario run FILE`); named
    subcommands (`diversion`, `run`) work as usual."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if (
            args
            and args[0] not in self.commands
            and args[0].endswith(".toml")
            and "run" in self.commands
        ):
            return "run", self.commands["run"], args
        return super().resolve_command(ctx, args)


scenario_app = typer.Typer(
    cls=ScenarioGroup, help="What-if scenarios: move calls to other responders and cost it."
)

OutOpt = Annotated[Path | None, typer.Option("--out", help="Output folder.")]
SinceOpt = Annotated[
    str | None, typer.Option("--since", help="Count calls received on or after YYYY-MM-DD.")
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", help="Count calls received before YYYY-MM-DD.")
]

PROGRAM_COUNTS = [
    "matching_calls",
    "outside_hours",
    "disqualified",
    "eligible_calls",
    "eligible_calls_timed",
]
FROM_ELIGIBLE = [
    "calls_moved",
    "share_of_all_calls",
    "share_of_community_calls",
    "officer_hours_moved",
    "officer_hours_freed",
    "value_of_officer_time_freed",
    "cost_per_call_basis",
    "calls_moved_per_year",
    "officer_hours_moved_per_year",
    "officer_hours_freed_per_year",
    "value_of_officer_time_freed_per_year",
    "cost_per_call_basis_per_year",
]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _date(value: str, option: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise InputError(
            f"{value!r} is not a date", where=option, fix="write it as YYYY-MM-DD"
        ) from exc


def diversion_text(r: DiversionResult) -> str:
    """The results with the assumptions printed beside each program."""
    lines = [r.scenario.name, ""]
    for sentence, program in zip(sentences(r), r.scenario.programs, strict=True):
        lines += [sentence, "  Assumptions:"]
        lines += [f"  - {a}" for a in r.assumptions[program.name]]
        lines.append("")
    lines += ["Notes:", *[f"- {n}" for n in (*r.notes, *r.scenario.notes)]]
    return "\n".join(lines)


def public_programs(r: DiversionResult, min_count: int) -> Suppressed:
    """The programs table as it may be published, with each program's assumptions beside it."""
    table = r.programs.assign(
        assumptions=["; ".join(r.assumptions[name]) for name in r.programs["program"]]
    )
    return publish(
        table,
        PROGRAM_COUNTS,
        partition=("program",),
        additive_rows=True,
        derived={c: ["eligible_calls"] for c in FROM_ELIGIBLE},
        min_count=min_count,
    )


def write_diversion(r: DiversionResult, folder: Path, min_count: int) -> list[Path]:
    """Programs, staffing and hour-of-week tables (small counts suppressed), charts and text."""
    written: list[Path] = []
    programs = public_programs(r, min_count)
    written += write_table(programs, folder / "programs", PROGRAM_COUNTS)
    if len(r.staffing):
        # The busiest hour's call rate is left out: it would publish small hourly counts.
        staff = r.staffing.drop(columns=["busiest_hour_calls"])
        written += write_table(publish(staff, [], min_count=min_count), folder / "staffing", [])
    how = publish(r.hour_of_week, ["calls"], partition=("program",), min_count=min_count)
    written += write_table(how, folder / "hour_of_week", ["calls"])
    source = f"{r.city} calls {r.start} to {r.end}; scenario {r.scenario.path.name}"
    chart = pd.DataFrame(programs.table[["program", "officer_hours_freed_per_year"]])
    svg = charts.bar_chart(
        chart,
        category="program",
        value="officer_hours_freed_per_year",
        title="Officer-hours a year the scenario would free",
        subtitle="Expected value under the scenario's shares; assumptions in summary.txt",
        value_title="officer-hours a year",
        source=source,
    )
    written.append(charts.write_svg(svg, folder / "officer_hours_freed.svg"))
    if len(r.staffing):
        teams = r.staffing.assign(when=r.staffing["day"] + " " + r.staffing["shift"])
        teams = teams[teams["hours_on_duty"] > 0]
        svg = charts.bar_chart(
            pd.DataFrame(teams.groupby("when", sort=False, as_index=False)["responders"].sum()),
            category="when",
            value="responders",
            title="Responders on duty by day and shift",
            source=source,
            sort=list(dict.fromkeys(teams["when"])),
        )
        written.append(charts.write_svg(svg, folder / "responders_by_shift.svg"))
    (folder / "summary.txt").write_text(diversion_text(r) + "\n", encoding="utf-8")
    written.append(folder / "summary.txt")
    return written


def change_text(r: ChangeResult) -> str:
    lines = [*change_sentences(r), "", "How this was measured:"]
    lines += [f"- {n}" for n in r.notes]
    lines += [f"- Model ({e['measure']}): {e['model']}" for e in r.estimates.to_dict("records")]
    lines += ["", "Read with care:", *[f"- {c}" for c in r.caveats]]
    return "\n".join(lines)


def write_change(r: ChangeResult, folder: Path, min_count: int) -> list[Path]:
    counts = ["calls", "response_calls"]
    # Observed hours go with their call counts; fitted and no-change lines are model values over
    # the whole series and reveal no single small count, so they stay (the chart needs them).
    derived = {c: ["calls"] for c in r.series.columns if c.startswith("officer_hours")}
    derived["median_response_minutes"] = ["response_calls"]
    series = publish(r.series, counts, derived=derived, min_count=min_count)
    written = write_table(series, folder / "series", counts)
    written += write_table(publish(r.estimates, [], min_count=min_count), folder / "estimates", [])
    lines, key = [], f"calls per {r.spec.freq}"
    for name, column in (
        ("observed", "calls"),
        ("fitted", "calls_fitted"),
        ("without the change", "calls_counterfactual"),
    ):
        part = pd.DataFrame(
            {"period": series.table["period"], "calls": series.table[column], key: name}
        )
        if column == "calls_counterfactual":
            # Before the start it is the fitted line itself; drawn after the start only.
            part = part[part["period"] >= pd.Timestamp(r.spec.start)]
        lines.append(part)
    what = ", ".join(r.spec.call_types or r.spec.categories) or "all calls"
    svg = charts.line_chart(
        pd.concat(lines, ignore_index=True).dropna(),
        x="period",
        y="calls",
        series=key,
        title=f"Calls per {r.spec.freq} before and after {r.spec.start}",
        subtitle=f"{r.spec.city}: {what}",
        source=f"{r.spec.city} calls; segmented Poisson regression with Newey-West intervals",
    )
    written.append(charts.write_svg(svg, folder / "calls.svg"))
    (folder / "summary.txt").write_text(change_text(r) + "\n", encoding="utf-8")
    written.append(folder / "summary.txt")
    return written


@scenario_app.command("diversion")
def diversion_cmd(
    file: Annotated[Path, typer.Argument(help="Scenario TOML file, or an example's name.")],
    workspace: WorkspaceOpt = DEFAULT_WS,
    city: CityOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    out: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Move calls to a community responder, co-responders or 311 as the scenario file says:
    calls and officer hours moved, responders per shift, costs, with every assumption shown."""
    scenario = load_scenario(file)
    with open_store(workspace, read_only=True) as store:
        r = run_diversion(
            store,
            scenario,
            city or scenario.city or _only_city(store),
            since=_date(since, "--since") if since else None,
            until=_date(until, "--until") if until else None,
        )
        min_count = store.settings.privacy.min_count
    folder = out or workspace / "outputs" / _slug(r.city) / "diversion" / _slug(scenario.name)
    written = write_diversion(r, folder, min_count)
    if as_json:
        table = public_programs(r, min_count).table.drop(columns=["assumptions"])
        emit_json(
            {
                "scenario": scenario.name,
                "city": r.city,
                "period": [r.start, r.end],
                "programs": table.astype(object).where(table.notna(), None).to_dict("records"),
                "assumptions": r.assumptions,
                "notes": r.notes,
                "files": [str(p) for p in written],
            }
        )
        return
    typer.echo(diversion_text(r))
    typer.echo(f"\nWrote {len(written)} files to {folder}")


@analyze_app.command("change")
def change_cmd(
    start: Annotated[str, typer.Option("--start", help="Program start date, YYYY-MM-DD.")],
    types: Annotated[
        list[str] | None, typer.Option("--types", help="A call type the program serves (repeat).")
    ] = None,
    categories: Annotated[
        list[str] | None, typer.Option("--category", help="A category it serves (repeat).")
    ] = None,
    agency: Annotated[
        list[str] | None, typer.Option("--agency", help="Only calls of this agency (repeat).")
    ] = None,
    origin: Annotated[
        list[str] | None,
        typer.Option("--origin", help="Only calls of this origin, e.g. community (repeat)."),
    ] = None,
    freq: Annotated[str, typer.Option("--freq", help="day, week or month.")] = "week",
    workspace: WorkspaceOpt = DEFAULT_WS,
    city: CityOpt = None,
    out: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Interrupted time series of calls, officer hours and response times around a program's
    start, with 95% intervals and the caveats that go with them."""
    with open_store(workspace, read_only=True) as store:
        chosen = city or _only_city(store)
        spec = ChangeSpec(
            chosen,
            _date(start, "--start"),
            call_types=tuple(types or ()),
            categories=tuple(categories or ()),
            agencies=tuple(agency or ()),
            origins=tuple(origin or ()),
            freq=freq,
        )
        r = interrupted_time_series(store, spec)
        min_count = store.settings.privacy.min_count
    folder = out or workspace / "outputs" / _slug(chosen) / "change" / str(spec.start)
    written = write_change(r, folder, min_count)
    if as_json:
        emit_json(
            {
                "estimates": r.estimates.to_dict("records"),
                "sentences": change_sentences(r),
                "notes": r.notes,
                "caveats": list(r.caveats),
                "files": [str(p) for p in written],
            }
        )
        return
    typer.echo(change_text(r))
    typer.echo(f"\nWrote {len(written)} files to {folder}")


def _only_city(store: Store) -> str:
    known = cities(store)
    if len(known) != 1:
        raise InputError(
            f"the store holds calls of {len(known)} known",
            where="--city",
            fix="choose one with --city: " + (", ".join(known) or "(load calls first)"),
        )
    return str(known[0])


def register(app: typer.Typer) -> None:
    app.add_typer(scenario_app, name="scenario")
