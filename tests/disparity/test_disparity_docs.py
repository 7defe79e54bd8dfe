"""docs/disparities.md documents every option of `publicsafety analyze disparities`."""

from __future__ import annotations

import typer.main

import publicsafety.cli.disparities  # noqa: F401  (registers the command)
from publicsafety.cli.analyze import analyze_app
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "disparities.md").read_text(encoding="utf-8")


def test_every_option_is_documented() -> None:
    group = typer.main.get_command(analyze_app)
    command = group.commands["disparities"]  # type: ignore[attr-defined]
    options = [p.opts[0] for p in command.params if p.opts[0] != "--help"]
    assert sorted(options) == sorted(
        [
            "--workspace",
            "--city",
            "--out",
            "--lat",
            "--lon",
            "--all-stop-types",
            "--area-set",
            "--json",
        ]
    )
    for opt in options:
        assert f"`{opt}`" in DOC, opt
    assert "publicsafety analyze disparities" in DOC
