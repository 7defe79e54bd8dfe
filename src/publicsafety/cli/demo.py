"""`publicsafety demo`: build the synthetic Sample City, ingest it, and say what it made and where."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from publicsafety.cli.common import (
    DEFAULT_WS,
    JsonOpt,
    WorkspaceOpt,
    console,
    emit_json,
    rich_table,
)
from publicsafety.sample_city import DEFAULT_CALLS, DEFAULT_SEED, LABEL
from publicsafety.sample_city.pipeline import run_demo


def _print(summary: dict[str, Any]) -> None:
    console.print(f"[bold]{LABEL}[/bold] (seed {summary['seed']})")
    console.print(
        rich_table(
            "Rows per table", [{"table": k, "rows": v} for k, v in summary["tables"].items()]
        )
    )
    console.print(
        rich_table(
            "Files loaded",
            [
                {
                    "file": r["file"],
                    "read": r["rows_read"],
                    "loaded": r["rows_loaded"],
                    "quarantined": r["rows_quarantined"],
                }
                for r in summary["loads"]
            ],
        )
    )
    if summary["quarantine"]:
        console.print(rich_table("Quarantined rows", summary["quarantine"]))
    missed = [t["key"] for t in summary["targets"] if not t["met"]]
    met = len(summary["targets"]) - len(missed)
    console.print(
        f"Calibration: {met} of {len(summary['targets'])} targets met"
        + (f" (missed: {', '.join(missed)})" if missed else "")
    )
    # Plain echo: paths must not wrap or be read as rich markup.
    for name, path in summary["outputs"].items():
        typer.echo(f"{name}: {path}")


def demo(
    workspace: WorkspaceOpt = DEFAULT_WS,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same city.")
    ] = DEFAULT_SEED,
    calls: Annotated[
        int, typer.Option(help="Calls for service to generate for the year.")
    ] = DEFAULT_CALLS,
    as_json: JsonOpt = False,
) -> None:
    """Build the synthetic Sample City, load it like real data, and print a summary."""
    say = None if as_json else (lambda step: console.print(f"[dim]… {step}[/dim]"))
    ctx = run_demo(workspace, seed=seed, calls=calls, on_step=say)
    if as_json:
        emit_json(ctx.summary)
    else:
        _print(ctx.summary)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
