"""docs/places.md documents every option of `publicsafety analyze places` and every column of the
divergence table, and its figures are the ones the code uses."""

from __future__ import annotations

import typer.main

from publicsafety.analysis.places import area_profiles, burden, divergence
from publicsafety.cli import app
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "places.md").read_text(encoding="utf-8")


def test_every_option_documented() -> None:
    group = typer.main.get_command(app)
    cmd = group.commands["analyze"].commands["places"]  # type: ignore[attr-defined]
    options = [o for p in cmd.params for o in p.opts if o.startswith("--")]
    assert len(options) >= 10
    missing = [o for o in options if f"| `{o}` |" not in DOC]
    assert not missing, f"options not in docs/places.md: {missing}"


def test_documented_numbers_are_the_code_defaults() -> None:
    assert f"(under {area_profiles.MIN_POPULATION})" in DOC
    assert f"(under {area_profiles.MIN_EVENTS})" in DOC
    assert f"fewer than {divergence.MIN_POPULATION_FIT} residents" in DOC
    assert f"at least {divergence.THRESHOLD}" in DOC
    assert f"recomputed {burden.DRAWS:,} times" in DOC
    assert f"concentration {burden.CONCENTRATION:g}" in DOC
    assert set(burden.COMPONENTS) == {"crime", "policing", "need"}
    for c in burden.COMPONENTS:
        assert f"| `{c}` |" in DOC


def test_divergence_columns_documented() -> None:
    for col in ("observed", "expected", "ratio", "ratio_shrunk", "flag"):
        assert f"| `{col}` |" in DOC
    assert "| `ratio_low`, `ratio_high` |" in DOC
