"""The `publicsafety` command: thin Typer commands, each calling one library function.

Each module in this package adds its commands with `register(app)`. Library errors become a
short message with a hint, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

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
MODULES = ("data", "profile", "analyze", "request", "toolkit", "web", "demo", "taxonomy", "disparities")

for _name in MODULES:
    importlib.import_module(f"publicsafety.cli.{_name}").register(app)


def main() -> None:
    try:
        app()
    except PublicSafetyError as exc:
        typer.secho(f"Error: {exc.message}", fg=typer.colors.RED, err=True)
        sys.exit(2)
