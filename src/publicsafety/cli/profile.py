"""`publicsafety profile ...`: list, show and draft city profiles."""

from __future__ import annotations

from typing import Annotated

import typer

from publicsafety.cli.common import JsonOpt, console, emit_json, rich_table
from publicsafety.profiles import list_profiles, load_profile

profile_app = typer.Typer(help="City profiles: how a source's columns map onto the canonical tables.")


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


def register(app: typer.Typer) -> None:
    app.add_typer(profile_app, name="profile")
