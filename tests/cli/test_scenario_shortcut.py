"""`publicsafety scenario FILE` is the combined scenario run, as the issue names it."""

from __future__ import annotations

from typer.testing import CliRunner

from publicsafety.cli import app


def test_scenario_file_runs_the_combined_scenario() -> None:
    runner = CliRunner()
    short = runner.invoke(app, ["scenario", "my_city.toml", "--help"])
    long = runner.invoke(app, ["scenario", "run", "--help"])
    assert short.exit_code == 0, short.output
    assert "combined reallocation scenario" in short.output
    assert (
        short.output.split("Usage:")[1].splitlines()[1:]
        == long.output.split("Usage:")[1].splitlines()[1:]
    )


def test_named_subcommands_still_work() -> None:
    res = CliRunner().invoke(app, ["scenario", "diversion", "--help"])
    assert res.exit_code == 0 and "community responder" in res.output
