"""`publicsafety profile ...`: list, show and draft city profiles."""

from __future__ import annotations

from typing import Annotated

import typer

from publicsafety.cli.common import JsonOpt, console, emit_json, rich_table
from publicsafety.profiles import list_profiles, load_profile

profile_app = typer.Typer(
    help="City profiles: how a source's columns map onto the canonical tables."
)


@profile_app.command("list")
def list_cmd(
    city: Annotated[str | None, typer.Option(help="Only profiles of this city.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only profiles of this kind.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the built-in profiles."""
    rows = [
        {"name": p.name, "city": p.city, "kind": p.kind, "title": p.title}
        for p in list_profiles()
        if (city is None or p.city.lower() == city.lower()) and (kind is None or p.kind == kind)
    ]
    if as_json:
        emit_json(rows)
    else:
        console.print(rich_table(f"{len(rows)} profiles", rows))


@profile_app.command("show")
def show_cmd(name: Annotated[str, typer.Argument(help="Profile name or TOML path.")]) -> None:
    """Print a profile's TOML."""
    p = load_profile(name)
    assert p.path is not None
    typer.echo(p.path.read_text(encoding="utf-8"))


@profile_app.command("draft")
def draft_cmd(
    file: Annotated[str, typer.Argument(help="A CSV (gzip too), XLSX or Parquet file.")],
    kind: Annotated[str, typer.Option(help="calls | stops | incidents | arrests | force")],
    out: Annotated[
        str, typer.Option(help="Where to write the draft; its name is the profile name.")
    ],
    city: Annotated[
        str | None, typer.Option(help="City name (also picks state-plane zone and time zone).")
    ] = None,
    crs: Annotated[str | None, typer.Option(help="CRS of projected x/y, e.g. EPSG:2263.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Draft a profile for a file never seen before, for a person to review and then use."""
    from publicsafety.profiles.draft import draft_profile

    d = draft_profile(file, kind, out, city=city, crs=crs)
    if as_json:
        emit_json(d.as_dict() | {"out": str(out)})
        return
    rows = [
        {"column": m.column, "from": m.source if m.source is not None else f"= {m.const}",
         "confidence": f"{m.confidence:.2f}", "reason": m.reason}
        for m in d.mappings.values()
    ]  # fmt: skip
    console.print(
        rich_table(
            f"{d.name}: {len(rows)} columns mapped from {d.sample_rows:,} sampled rows", rows
        )
    )
    if d.unmapped:
        console.print(f"Not mapped ({len(d.unmapped)}): " + ", ".join(d.unmapped))
    console.print(f"Wrote {out}. Review it, then: publicsafety ingest {file} --profile {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(profile_app, name="profile")
