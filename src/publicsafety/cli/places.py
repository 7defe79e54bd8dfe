"""`publicsafety analyze places`: where enforcement and crime diverge, and which areas carry the
most burden (roadmap 2.1, 3.1), as privacy-safe tables and print-quality maps."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from publicsafety.analysis.places.area_profiles import MEASURES
from publicsafety.analysis.places.burden import COMPONENTS, DEFAULT_WEIGHTS
from publicsafety.analysis.places.run import (
    PlacesReport,
    analyze_places,
    map_specs,
    public_tables,
    source_line,
)
from publicsafety.cli.analyze import analyze_app
from publicsafety.cli.common import DEFAULT_WS, CityOpt, JsonOpt, WorkspaceOpt, console, emit_json
from publicsafety.engine import open_store
from publicsafety.errors import InputError
from publicsafety.report.export import write_table
from publicsafety.report.maps import render


def _pairs(values: list[str], option: str) -> dict[str, str]:
    out = {}
    for v in values:
        key, sep, val = v.partition("=")
        if not sep or not key or not val:
            raise InputError(
                f"{option} {v!r} is not NAME=VALUE",
                where=option,
                fix=f"write it like {option} stops=beat",
            )
        out[key.strip()] = val.strip()
    return out


def _weights(values: list[str]) -> dict[str, float]:
    w = dict(DEFAULT_WEIGHTS)
    for key, val in _pairs(values, "--weight").items():
        if key not in COMPONENTS:
            raise InputError(
                f"unknown burden component {key!r}",
                where="--weight",
                fix=f"use {', '.join(COMPONENTS)}",
            )
        try:
            w[key] = float(val)
        except ValueError as exc:
            raise InputError(f"weight {val!r} is not a number", where="--weight") from exc
    return w


@analyze_app.command("places")
def places_cmd(
    areas: Annotated[
        str, typer.Option("--areas", help="Area set: neighborhoods, tracts_2010, zones ...")
    ],
    workspace: WorkspaceOpt = DEFAULT_WS,
    city: CityOpt = None,
    enforcement: Annotated[
        str, typer.Option(help="Enforcement measure: stops, arrests or officer_calls.")
    ] = "stops",
    crime: Annotated[
        str,
        typer.Option(help="Crime measure: crime, violent_crime, property_crime, community_calls."),
    ] = "crime",
    area_key: Annotated[
        str | None,
        typer.Option(help="Merge areas whose ids share this regex group, e.g. '([A-Za-z])$'."),
    ] = None,
    attribute: Annotated[
        list[str] | None,
        typer.Option(
            help="Count a table by a column naming the area: TABLE=COLUMN, e.g. stops=beat."
        ),
    ] = None,
    population_from: Annotated[
        str | None, typer.Option(help="Take residents from another area set by area of overlap.")
    ] = None,
    weight: Annotated[
        list[str] | None, typer.Option(help="Burden weight COMPONENT=W (crime, policing, need).")
    ] = None,
    label: Annotated[
        str | None, typer.Option(help="What to call the areas in map titles, e.g. 'zone letters'.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder (default WORKSPACE/outputs/CITY/places_AREAS)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Area profiles, divergence of enforcement from crime, Moran's I, burden index and maps."""
    with open_store(workspace, read_only=True) as store:
        report = analyze_places(
            store,
            areas,
            city=city,
            enforcement=enforcement,
            crime=crime,
            area_key=area_key,
            attribute=_pairs(attribute or [], "--attribute"),
            population_from=population_from,
            weights=_weights(weight or []),
            label=label,
        )
        source = source_line(store, report)
    public = public_tables(report)
    slug = re.sub(r"[^a-z0-9]+", "_", report.city.lower()).strip("_")
    folder = out or workspace / "outputs" / slug / f"places_{areas}"
    written: list[str] = []
    for name, table in public.items():
        counts = {
            "areas": [m for m in MEASURES if m in table.table.columns],
            "divergence": ["crime", "observed"],
            "placement": ["placed", "unplaced"],
        }.get(name, [])  # fmt: skip
        written += [str(p) for p in write_table(table, folder / name, counts)]
    captions: list[dict[str, Any]] = []
    for spec in map_specs(report, public):
        path = folder / f"{spec['name']}.svg"
        path.write_text(render(spec, report.frame.geometry, source), encoding="utf-8")
        written.append(str(path))
        captions.append({"map": spec["name"], "caption": spec["caption"]})
    written.append(str(_summary_md(report, captions, folder / "summary.md")))
    div = report.divergence
    summary: dict[str, Any] = {
        "city": report.city,
        "area_set": areas,
        "areas": len(report.frame.table),
        "notes": report.notes,
        "placement": report.frame.placement.to_dict(orient="records"),
        "divergence": None
        if div is None
        else {
            "enforcement": div.enforcement,
            "crime": div.crime,
            "slope_on_log_crime": float(div.negbin.params[1]),
            "negbin_alpha": div.negbin.alpha,
            "above": int((public["divergence"].table["flag"] == "above").sum()),
            "below": int((public["divergence"].table["flag"] == "below").sum()),
        },
        "morans_i": None
        if report.moran is None
        else {
            "of": report.moran_of,
            "i": report.moran.i,
            "p": report.moran.p_permutation,
            "areas": report.moran.n,
        },
        "maps": captions,
        "files": written,
    }
    if as_json:
        emit_json(summary)
        return
    console.print(f"[bold]{report.city}, {areas}[/bold]: {summary['areas']} areas")
    for note in report.notes:
        console.print(f"- {note}")
    if report.moran is not None:
        console.print(
            f"- Moran's I of the {report.moran_of}: {report.moran.i:.3f}"
            f" (permutation p = {report.moran.p_permutation:.3f})"
        )
    for c in captions:
        console.print(f"- {c['caption']}")
    console.print(f"Wrote {len(written)} files to {folder}")


def register(app: typer.Typer) -> None:
    """Commands attach to the analyze group on import; nothing to add to the top level."""


def _summary_md(report: PlacesReport, captions: list[dict[str, Any]], path: Path) -> Path:
    """What the maps show (where enforcement departs from crime and the burden index first)
    and the notes a reader needs to read them (what was left out, and why)."""
    first = sorted(captions, key=lambda c: not ("_vs_" in c["map"] or "burden" in c["map"]))
    lines = [f"# Places: {report.city}, {report.label or report.area_set}", ""]
    if first:
        lines += ["## What the maps show", "", *[f"- {c['caption']}" for c in first], ""]
    if report.notes:
        lines += ["## Notes", "", *[f"- {n}" for n in report.notes], ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
