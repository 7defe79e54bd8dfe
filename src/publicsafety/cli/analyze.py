"""`publicsafety analyze ...`: the analysis command group; each analysis module adds a command."""

from __future__ import annotations

import typer

analyze_app = typer.Typer(help="Run an analysis on the workspace and write privacy-safe outputs.")


def register(app: typer.Typer) -> None:
    app.add_typer(analyze_app, name="analyze")
