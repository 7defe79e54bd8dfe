"""The `publicsafety` command: thin Typer commands, each calling one library function.

Each module in this package adds its commands with `register(app)`. Library errors become a
short message with a hint, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys

import duckdb
import typer

from publicsafety.errors import PublicSafetyError

app = typer.Typer(
    name="publicsafety",
    help="The Equitable Public Safety Toolkit: load city data, analyse it, publish privacy-safe results.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules, in the order their commands appear in --help.
MODULES = (
    "data",
    "profile",
    "analyze",
    "request",
    "toolkit",
    "web",
    "demo",
    "taxonomy",
    "disparities",
    "assessment",
    "demand",
    "scenario",
    "places",
    "budget",
    "fetch",
    "report",
)

for _name in MODULES:
    importlib.import_module(f"publicsafety.cli.{_name}").register(app)


def main() -> None:
    try:
        app()
    except PublicSafetyError as exc:
        typer.secho(f"Error: {exc.message}", fg=typer.colors.RED, err=True)
        sys.exit(2)
    except duckdb.Error as exc:
        if os.environ.get("PUBLICSAFETY_DEBUG"):
            raise
        first = str(exc).splitlines()[0]
        typer.secho(
            f"Error: the data engine stopped: {first}\n"
            "How to fix: check the file against its profile (`publicsafety profile show NAME`);"
            " run again with PUBLICSAFETY_DEBUG=1 for the full traceback and report it if it persists.",
            fg=typer.colors.RED,
            err=True,
        )
        sys.exit(3)
