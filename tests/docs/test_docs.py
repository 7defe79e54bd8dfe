"""The docs keep up with the code: the command reference is regenerated from --help and must
match, and every command is named in the analyst's guide."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import typer

from publicsafety.cli import app

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _gen_cli():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_cli", DOCS / "gen_cli.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_command_reference_is_current() -> None:
    gen = _gen_cli()
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == gen.render(), (
        "docs/cli.md is out of date: run python docs/gen_cli.py"
    )


def test_every_command_is_in_the_reference_and_the_guide() -> None:
    gen = _gen_cli()
    reference = (DOCS / "cli.md").read_text(encoding="utf-8")
    guide = (DOCS / "analyst.md").read_text(encoding="utf-8")
    paths = [p for p in gen.command_paths(typer.main.get_command(app)) if p]
    assert len(paths) > 20
    missing_ref = [p for p in paths if f"## publicsafety {' '.join(p)}\n" not in reference]
    missing_guide = sorted({p[0] for p in paths if f"publicsafety {p[0]}" not in guide})
    assert missing_ref == []
    assert missing_guide == [], f"name these commands in docs/analyst.md: {missing_guide}"


def test_audience_guides_exist_and_point_to_the_report_and_dashboard() -> None:
    for name in ("community.md", "facilitator.md", "analyst.md"):
        text = (DOCS / name).read_text(encoding="utf-8")
        assert "dashboard" in text and "report" in text, name
