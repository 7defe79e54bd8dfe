"""`publicsafety ingest` and `publicsafety status`: load files into the workspace store."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from publicsafety.cli.common import (
    DEFAULT_WS,
    JsonOpt,
    WorkspaceOpt,
    console,
    emit_json,
    rich_table,
)
from publicsafety.engine import open_store
from publicsafety.ingest import ingest_file, status


def ingest_cmd(
    files: Annotated[list[Path], typer.Argument(help="CSV, Parquet, XLSX or area files to load.")],
    profile: Annotated[str, typer.Option("--profile", "-p", help="Profile name or TOML path.")],
    workspace: WorkspaceOpt = DEFAULT_WS,
    city: Annotated[
        str | None,
        typer.Option(
            help="City of the rows, for profiles that serve any city (e.g. acs_population_tracts)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Load files into the workspace through a city profile; rows that cannot be read go to
    quarantine, and rows read = rows loaded + rows quarantined is checked for every file."""
    results = []
    with open_store(workspace) as store, ExitStack() as stack:
        bar = None
        if not as_json:
            bar = stack.enter_context(
                Progress(
                    "{task.description}",
                    BarColumn(),
                    DownloadColumn(),
                    TimeRemainingColumn(),
                    console=console,
                    transient=True,
                )
            )
        for path in files:
            task = bar.add_task(path.name, total=None) if bar else None

            def tick(done: int, total: int, task: object = task) -> None:
                if bar is not None and task is not None:
                    bar.update(task, completed=done, total=total)  # type: ignore[arg-type]

            results.append(ingest_file(store, path, profile, progress=tick, city=city))
    if as_json:
        emit_json([r.as_dict() for r in results])
        return
    for r in results:
        if r.skipped:
            console.print(f"{r.file}: already loaded (load {r.load_id}); nothing changed.")
            continue
        console.print(
            f"{r.file}: read {r.rows_read:,} rows, loaded {r.rows_loaded:,} into {r.kind},"
            f" quarantined {r.rows_quarantined:,} ({r.seconds:.1f} s, load {r.load_id})."
        )
        for message in r.messages:
            console.print(f"  {message}", highlight=False, markup=False)


def status_cmd(workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False) -> None:
    """What the workspace holds: rows per table and per loaded file, with quarantine counts."""
    with open_store(workspace, read_only=True) as store:
        tables = status(store)
    if as_json:
        emit_json(tables)
        return
    console.print(
        rich_table("Tables", [{k: v for k, v in t.items() if k != "files"} for t in tables])
    )
    keep = ("load_id", "file", "profile", "rows_read", "rows_loaded", "rows_quarantined")
    files = [{"table": t["table"], **{k: f[k] for k in keep}} for t in tables for f in t["files"]]
    if files:
        console.print(rich_table("Files", files))
    else:
        console.print("No files loaded yet: run `publicsafety ingest FILE --profile NAME`.")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_cmd)
    app.command("status")(status_cmd)
