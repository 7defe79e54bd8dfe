"""Options and output helpers shared by the command modules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)

WorkspaceOpt = Annotated[
    Path,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder holding the store.",
        envvar="PUBLICSAFETY_WORKSPACE",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
CityOpt = Annotated[
    str | None,
    typer.Option(
        "--city", help="City to analyse (as in its profile); default: the only city loaded."
    ),
]
DEFAULT_WS = Path("workspace")


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


def rich_table(title: str, rows: list[dict[str, Any]]) -> Table:
    t = Table(title=title)
    if not rows:
        return t
    for key in rows[0]:
        t.add_column(str(key), justify="right" if isinstance(rows[0][key], int | float) else "left")
    for row in rows:
        t.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row.values()))
    return t
