"""`publicsafety toolkit`: print the toolkit for a city in English or Spanish."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from publicsafety.cli.common import DEFAULT_WS, WorkspaceOpt
from publicsafety.documents.facts import workspace_facts
from publicsafety.documents.toolkit import build_toolkit


def register(app: typer.Typer) -> None:
    @app.command()
    def toolkit(
        city: Annotated[str, typer.Option(help="City name, e.g. 'New Orleans'.")],
        lang: Annotated[str, typer.Option(help="en or es")] = "en",
        fmt: Annotated[str, typer.Option("--format", help="pdf or html")] = "pdf",
        workspace: WorkspaceOpt = DEFAULT_WS,
        out: Annotated[Path | None, typer.Option(help="Output file.")] = None,
    ) -> None:
        """Build the printed toolkit: reform roadmap, data guide and assessment worksheets.
        City pages use the figures of the data loaded in the workspace, when there is any."""
        slug = city.lower().replace(" ", "_")
        path = build_toolkit(
            city,
            lang,
            fmt,
            out or workspace / "outputs" / slug / f"toolkit_{lang}.{fmt}",
            facts=workspace_facts(workspace, city),
        )
        typer.echo(f"Wrote {path}")
