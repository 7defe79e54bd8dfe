"""`publicsafety ingest` and `publicsafety status`: load files into the workspace store."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Ingest and status commands are added by publicsafety.ingest (issue 2)."""
