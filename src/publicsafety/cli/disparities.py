"""`publicsafety analyze disparities`: who is stopped, searched and arrested, by race, sex and age."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from publicsafety.analysis.disparity import (
    analyze_disparities,
    public_tables,
    summarize,
    write_outputs,
)
from publicsafety.analysis.disparity.run import only_city
from publicsafety.analysis.disparity.summary import facts
from publicsafety.cli.analyze import analyze_app
from publicsafety.cli.common import DEFAULT_WS, CityOpt, JsonOpt, WorkspaceOpt, emit_json
from publicsafety.engine import open_store


def _slug(city: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", city.lower()).strip("_")


@analyze_app.command("disparities")
def disparities_cmd(
    workspace: WorkspaceOpt = DEFAULT_WS,
    city: CityOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder (default WORKSPACE/outputs/CITY/disparities)."),
    ] = None,
    lat: Annotated[
        float | None, typer.Option(help="City latitude for sunset times (default: from the data).")
    ] = None,
    lon: Annotated[float | None, typer.Option(help="City longitude for sunset times.")] = None,
    all_stop_types: Annotated[
        bool,
        typer.Option(
            "--all-stop-types",
            help="Veil of darkness on all stops when the source does not mark vehicle stops.",
        ),
    ] = False,
    area_set: Annotated[
        str | None, typer.Option(help="Area set for per-area rates and models.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Rates per resident and per arrest, search/frisk/arrest/citation/force rates, the hit-rate
    test, area-adjusted models and the veil of darkness; writes privacy-safe CSV, SVG charts and
    a plain-language summary."""
    with open_store(workspace, read_only=True) as store:
        chosen = only_city(store, city)
        report = analyze_disparities(
            store,
            city=chosen,
            area_set=area_set,
            location=(lat, lon) if lat is not None and lon is not None else None,
            vehicular_only=not all_stop_types,
        )
        min_count = store.settings.privacy.min_count
    folder = out or workspace / "outputs" / _slug(chosen) / "disparities"
    written = write_outputs(report, folder, min_count)
    if as_json:
        emit_json(
            {**facts(public_tables(report, min_count), report), "files": [str(p) for p in written]}
        )
        return
    typer.echo(summarize(public_tables(report, min_count), report))
    typer.echo(f"Wrote {len(written)} files to {folder}")


def register(app: typer.Typer) -> None:
    """The command is added to the `analyze` group when this module is imported."""
