"""`publicsafety analyze demand`: what the public asks police to do, what police do on their own,
and how much officer time each takes; writes privacy-checked CSV/XLSX tables, SVG charts and a
plain-language summary.md to WORKSPACE/outputs/CITY/demand/."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from publicsafety.analysis import officer_initiated as oi
from publicsafety.analysis import text
from publicsafety.analysis.demand import DAYS, demand_tables
from publicsafety.analysis.officer_time import (
    OfficerTimeResult,
    ResponseTimes,
    measure_officer_time,
    response_times,
)
from publicsafety.analysis.scope import ALL_EVENTS, Scope, cities
from publicsafety.cli.analyze import analyze_app
from publicsafety.cli.common import DEFAULT_WS, CityOpt, JsonOpt, WorkspaceOpt, emit_json
from publicsafety.engine import Store, open_store
from publicsafety.errors import InputError, StoreError
from publicsafety.privacy import Suppressed, count_text
from publicsafety.report.charts import bar_chart, line_chart, write_svg
from publicsafety.report.export import publish, write_table

# How each table is published: count columns, the groups whose counts add up to a public total,
# and the columns derived from counts (hidden with them).
COUNTS = ["calls", "calls_with_officer_time"]
DERIVED = {
    "share_of_calls": ["calls"],
    "officer_hours": ["calls_with_officer_time"],
    "share_of_officer_hours": ["calls_with_officer_time"],
}
Spec = tuple[list[str], list[str], dict[str, list[str]]]


def _spec(name: str, df: pd.DataFrame) -> Spec:
    if name.startswith("by_area_"):
        counts = ["calls", "community_calls", "officer_initiated"]
        derived = {
            "officer_hours": ["calls"],
            "calls_per_1000_residents": ["calls"],
            "share_of_calls": ["calls"],
        }
        if "officer_initiated_per_1000_residents" in df:
            derived = {
                "officer_initiated_per_1000_residents": ["officer_initiated"],
                "community_calls_per_1000_residents": ["community_calls"],
                "officer_per_community_call": ["officer_initiated", "community_calls"],
                "share_officer_initiated": ["officer_initiated", "calls"],
            }
        return counts, [], derived
    if name.endswith("hour_of_week"):
        return (
            ["calls", "community_calls", "calls_with_officer_time"],
            [],
            {
                "calls_per_week": ["calls"],
                "officer_hours": ["calls_with_officer_time"],
                "officer_hours_per_week": ["calls_with_officer_time"],
            },
        )
    if name == "monthly_by_category":
        return ["calls", "community_calls"], ["month"], {"officer_hours": ["calls"]}
    if name == "response_times":
        stats = ["median_minutes", "mean_minutes", "p90_minutes", "share_over_20", "share_over_60"]
        return ["calls"], ["segment"], {s: ["calls"] for s in stats}
    if name == "response_time_sample":
        return ["calls"], ["step"], {}
    if name == "officer_time_rules":
        return (
            ["calls", "units_known"],
            [],
            {"share_of_calls": ["calls"], "officer_hours": ["calls"]},
        )
    if name == "officer_initiated_outcomes":
        return ["calls"], ["origin"], {"share": ["calls"]}
    return COUNTS, ["denominator"], DERIVED


@dataclass
class DemandReport:
    """Everything `analyze demand` computes for one scope."""

    scope: Scope
    officer_time: OfficerTimeResult
    response: ResponseTimes
    share: oi.OriginShare
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def run(store: Store, scope: Scope) -> DemandReport:
    """Measure officer time, then compute every demand and officer-initiated table."""
    ot = measure_officer_time(store, scope.city)
    dt = demand_tables(store, scope, withhold_sensitive=True)
    rt = response_times(store, scope)
    share = oi.origin_share(store, scope)
    report = DemandReport(scope, ot, rt, share, dict(dt.tables), [*ot.notes, *dt.notes, *rt.notes])
    report.tables["officer_time_rules"] = ot.table
    report.tables["response_times"] = rt.table
    report.tables["response_time_sample"] = rt.sample
    if share.measurable:
        report.tables["officer_initiated_outcomes"] = oi.outcomes(store, scope)
        report.tables["officer_initiated_types"] = oi.by_type(store, scope)
        how = oi.by_hour_of_week(store, scope, withhold_sensitive=True)
        if len(how):
            report.tables["officer_initiated_hour_of_week"] = how
        for name in [k.removeprefix("by_area_") for k in dt.tables if k.startswith("by_area_")]:
            report.tables[f"by_area_{name}_officer_initiated"] = oi.by_area(
                store, scope, name, withhold_sensitive=True
            )
    return report


def published(report: DemandReport, min_count: int) -> dict[str, Suppressed]:
    """Every non-empty table through the privacy layer."""
    out = {}
    for name, df in report.tables.items():
        if df.empty:
            continue
        counts, partition, derived = _spec(name, df)
        derived = {k: v for k, v in derived.items() if k in df}
        out[name] = publish(df, counts, partition=partition, derived=derived, min_count=min_count)
    return out


def public_tables(report: DemandReport, min_count: int) -> dict[str, pd.DataFrame]:
    return {name: s.table for name, s in published(report, min_count).items()}


def sentences(
    report: DemandReport, public: Mapping[str, pd.DataFrame], min_count: int
) -> list[str]:
    lines = text.demand_sentences(report.tables["by_category"], min_count)
    lines.append(text.officer_time_sentence(report.officer_time))
    rt = text.response_sentence(report.response, min_count)
    if rt:
        lines.append(rt)
    lines += text.officer_initiated_sentences(
        report.share, report.tables.get("officer_initiated_outcomes", pd.DataFrame()), min_count
    )
    return lines


def _charts(public: Mapping[str, pd.DataFrame], folder: Path, source: str) -> list[Path]:
    out = []
    cat = public["by_category"]
    cat = cat[cat["denominator"] == ALL_EVENTS]
    for value, title in (
        ("share_of_calls", "Share of calls"),
        ("share_of_officer_hours", "Share of officer time"),
    ):
        if cat[value].notna().any():
            svg = bar_chart(
                cat.assign(category=cat["category"].map(text.in_words)),
                category="category",
                value=value,
                title=f"{title} by category",
                source=source,
                value_title=f"{title.lower()} (all events)",
                value_format=".0%",
                subtitle="Denominator: all events",
            )
            out.append(write_svg(svg, folder / f"{value}_by_category.svg"))
    if "hour_of_week" in public:
        how = public["hour_of_week"].dropna(subset=["hour_of_week"]).copy()
        # One line per weekday over the hours of a day (a fixed date gives a time axis).
        how["time"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(
            how["hour"].astype(int), unit="h"
        )
        svg = line_chart(
            how,
            x="time",
            y="calls_per_week",
            series="day",
            title="Calls in each hour of the day, by day of the week (average week)",
            source=source,
            y_title="calls in the hour, average week",
            x_format="%H:%M",
            series_order=DAYS,
        )
        out.append(write_svg(svg, folder / "hour_of_week.svg"))
    monthly = public["by_month"]
    monthly = monthly[
        (monthly["denominator"] == ALL_EVENTS) & (monthly["month"] != "not recorded")
    ].copy()
    if len(monthly) > 1:
        monthly["time"] = pd.to_datetime(monthly["month"] + "-01")
        svg = line_chart(
            monthly, x="time", y="calls", title="Calls per month", source=source, y_title="calls"
        )
        out.append(write_svg(svg, folder / "calls_by_month.svg"))
    rt = public.get("response_times")
    if rt is not None and len(rt):
        rt = rt[rt["segment"] == "received_to_arrived"]
        svg = bar_chart(
            rt,
            category="priority",
            value="median_minutes",
            title="Median minutes from call to arrival",
            source=source,
            value_format=".0f",
            value_title="minutes (median)",
            subtitle=str(rt["denominator"].iloc[0]),
            sort="ascending",
        )
        out.append(write_svg(svg, folder / "response_time_by_priority.svg"))
    outcomes = public.get("officer_initiated_outcomes")
    if outcomes is not None and len(outcomes):
        o = outcomes[outcomes["origin"] == "officer"]
        svg = bar_chart(
            o,
            category="meaning",
            value="share",
            title="How officer-initiated events end",
            source=source,
            value_format=".0%",
            subtitle="Denominator: officer-initiated events",
        )
        out.append(write_svg(svg, folder / "officer_initiated_outcomes.svg"))
    return out


def write_outputs(report: DemandReport, folder: Path, min_count: int) -> list[Path]:
    """Tables (CSV and XLSX, privacy-checked), charts (SVG) and summary.md."""
    suppressed = published(report, min_count)
    public = {name: s.table for name, s in suppressed.items()}
    written: list[Path] = []
    for name, result in suppressed.items():
        counts, _, _ = _spec(name, result.table)
        written += write_table(result, folder / name, counts, xlsx=True)
    source = f"{report.scope.describe()}; publicsafety analyze demand"
    written += _charts(public, folder, source)
    lines = sentences(report, public, min_count)
    rules = report.officer_time.table[["rule", "what_happens"]].copy()
    rules["calls"] = [count_text(n, min_count) for n in report.officer_time.table["calls"]]
    md = [
        f"# Service demand: {report.scope.describe()}",
        "",
        "## In plain words",
        text.Sentences(lines).markdown(),
        "",
        "## How the figures were made",
        *[f"- {n}" for n in report.notes],
        "",
        "### Officer-time rules (every call counted under one rule)",
        "",
        "| rule | calls | what happens |",
        "|---|---|---|",
        *[
            f"| {text.in_words(str(r.rule))} | {r.calls} | {r.what_happens} |"
            for r in rules.itertuples()
        ],
        "",
        f"Counts from 1 to {min_count - 1} are suppressed in every table, with enough other cells "
        "that they cannot be worked out from totals.",
    ]
    path = folder / "summary.md"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(md) + "\n", encoding="utf-8")
    return [*written, path]


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{value!r} is not a date", where=option, fix="write it as YYYY-MM-DD, e.g. 2025-10-05"
        ) from None


def _slug(city: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", city.lower()).strip("_")


def choose_city(store: Store, city: str | None) -> str:
    known = cities(store)
    if city is not None and city in known:
        return city
    if city is None and len(known) == 1:
        return known[0]
    raise StoreError(
        f"no calls loaded for {city!r}" if city else "choose a city",
        where=str(store.settings.store_path),
        fix=f"use --city with one of: {', '.join(known)}"
        if known
        else "load calls first: publicsafety ingest FILE --profile <city>_calls",
    )


def facts(
    report: DemandReport, public: Mapping[str, pd.DataFrame], min_count: int
) -> dict[str, Any]:
    return {
        "city": report.scope.city,
        "scope": report.scope.describe(),
        "calls": report.share.events,
        "sentences": sentences(report, public, min_count),
        "notes": report.notes,
        "tables": sorted(public),
    }


@analyze_app.command("demand")
def demand_cmd(
    workspace: WorkspaceOpt = DEFAULT_WS,
    city: CityOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder (default WORKSPACE/outputs/CITY/demand)."),
    ] = None,
    agency: Annotated[
        list[str] | None,
        typer.Option("--agency", help="Only these agencies (e.g. police); repeatable."),
    ] = None,
    since: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Day after the last, YYYY-MM-DD.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Calls and officer hours by category, responder, origin, priority, disposition, hour of
    week, month and area; officer time rules; response times; officer-initiated activity."""
    with open_store(workspace) as store:
        chosen = choose_city(store, city)
        scope = Scope(
            chosen,
            agencies=tuple(agency or ()),
            since=_day(since, "--since"),
            until=_day(until, "--until"),
        )
        report = run(store, scope)
        min_count = store.settings.privacy.min_count
    folder = out or workspace / "outputs" / _slug(chosen) / "demand"
    written = write_outputs(report, folder, min_count)
    public = public_tables(report, min_count)
    if as_json:
        emit_json({**facts(report, public, min_count), "files": [str(p) for p in written]})
        return
    for line in sentences(report, public, min_count):
        typer.echo(line)
    typer.echo(f"Wrote {len(written)} files to {folder}")


def register(app: typer.Typer) -> None:
    """The command is added to the `analyze` group when this module is imported."""


__all__: Sequence[str] = ("DemandReport", "demand_cmd", "run", "write_outputs")
