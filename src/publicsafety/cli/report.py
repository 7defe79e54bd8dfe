"""`publicsafety report --city NAME`: run every analysis the city's data allows, then build the
report (HTML and print-ready PDF) from their privacy-checked outputs."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Annotated

import click
import typer

from publicsafety.analysis.places.city_options import as_arguments, city_options
from publicsafety.cli.common import DEFAULT_WS, WorkspaceOpt, console
from publicsafety.engine import open_store
from publicsafety.errors import PublicSafetyError
from publicsafety.report.build import RUN_LOG, build_report, slug


def plan(workspace: Path, city: str) -> list[tuple[str, list[str]]]:
    """The analyses this city's data allows, as (report section, command arguments)."""
    with open_store(workspace, read_only=True) as store:

        def has(table: str) -> bool:
            return store.count(table, f"city = '{city.replace(chr(39), chr(39) * 2)}'") > 0

        area_sets = [
            str(r[0])
            for r in store.con.execute(
                "SELECT DISTINCT area_set FROM areas WHERE city = ? ORDER BY 1", [city]
            ).fetchall()
        ]
        tables = {t: has(t) for t in ("calls", "stops", "arrests", "incidents", "budget")}
    base = ["-w", str(workspace), "--city", city]
    steps: list[tuple[str, list[str]]] = []
    if tables["calls"]:
        # Categories come from the city's call-type map; classify first so demand has them.
        steps.append(("demand", ["taxonomy", "classify", *base]))
        steps.append(("demand", ["analyze", "demand", *base]))
    if tables["stops"]:
        steps.append(("disparities", ["analyze", "disparities", *base]))
    enforcement = next(
        (t for t, ok in (("stops", tables["stops"]), ("arrests", tables["arrests"])) if ok),
        "officer_calls",
    )
    crime = "crime" if tables["incidents"] else "community_calls"
    for area_set in area_sets:
        options = as_arguments(city_options(city, area_set))
        steps.append(
            ("places", ["analyze", "places", "--areas", area_set, *base,
                        "--enforcement", enforcement, "--crime", crime, *options])
        )  # fmt: skip
    if tables["budget"]:
        out = workspace / "outputs" / slug(city) / "budget"
        steps.append(("budget", ["analyze", "budget", *base, "--out", str(out)]))
    return steps


def run_analyses(workspace: Path, city: str, say: bool = True) -> dict[str, str]:
    """Run each planned analysis in this process; returns section -> why it stopped."""
    from publicsafety.cli import app

    command = typer.main.get_command(app)
    problems: dict[str, str] = {}
    for section, args in plan(workspace, city):
        if say:
            console.print(
                f"[dim]… {' '.join(args[:2])} {args[3] if args[2] == '--areas' else ''}[/dim]"
            )
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                command.main(args, standalone_mode=False)
        except PublicSafetyError as exc:
            problems.setdefault(section, exc.message.splitlines()[0])
        except click.ClickException as exc:
            problems.setdefault(section, exc.format_message())
        except Exception as exc:  # one analysis's bug must not sink the whole report
            problems.setdefault(section, f"{type(exc).__name__}: {exc}")
    return problems


def report(
    city: Annotated[str, typer.Option("--city", help="City to report on (as in its profile).")],
    workspace: WorkspaceOpt = DEFAULT_WS,
    format: Annotated[
        str, typer.Option("--format", help="html, pdf or both.", case_sensitive=False)
    ] = "both",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder (default WORKSPACE/outputs/CITY/report)."),
    ] = None,
    run: Annotated[
        bool,
        typer.Option(
            "--run/--no-run", help="Run the analyses first (--no-run: use their last outputs)."
        ),
    ] = True,
) -> None:
    """Build the city report: a one-page summary in plain words, service demand, officer-initiated
    activity, places, disparities, budget, community priorities, methods, data quality."""
    formats = {"html": ("html",), "pdf": ("pdf",), "both": ("html", "pdf")}.get(format.lower())
    if formats is None:
        raise PublicSafetyError(f"--format {format!r} is not one of html, pdf, both",
                                fix="use --format html, --format pdf or --format both")  # fmt: skip
    folder = out or workspace / "outputs" / slug(city) / "report"
    if run:
        problems = run_analyses(workspace, city)
        folder.mkdir(parents=True, exist_ok=True)
        log = workspace / "outputs" / slug(city) / "report" / RUN_LOG
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(json.dumps({"problems": problems}, indent=2) + "\n", encoding="utf-8")
    for path in build_report(workspace, city, formats=formats, out=folder):
        typer.echo(f"report: {path}")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
