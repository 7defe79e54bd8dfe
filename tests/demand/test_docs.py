"""docs/officer-time.md stays true: its Alexandria response-time table and rule counts are the
measured ones, and every option of `analyze demand` is documented."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from publicsafety.analysis.officer_time import measure_officer_time, response_times
from publicsafety.analysis.scope import Scope
from publicsafety.cli import app
from tests.conftest import ROOT
from tests.demand.real import load

DOC = (ROOT / "docs" / "officer-time.md").read_text(encoding="utf-8")


def doc_rows(header: str) -> dict[str, list[str]]:
    lines = DOC.split(header, 1)[1].splitlines()[2:]
    rows = {}
    for line in lines:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


def test_every_option_is_documented() -> None:
    help_text = CliRunner().invoke(app, ["analyze", "demand", "--help"], terminal_width=200).output
    for option in ("--workspace", "--city", "--out", "--agency", "--since", "--until", "--json"):
        assert option in help_text
        short = {"--workspace": "-w"}.get(option, option)
        assert short in DOC, option


@pytest.mark.real_data
def test_alexandria_figures_in_the_doc_are_measured() -> None:
    store = load("Alexandria")
    result = measure_officer_time(store, "Alexandria")
    counts = dict(zip(result.table["rule"], result.table["calls"], strict=True))
    row = doc_rows("| file | calls | measured |")["Alexandria CAD (all agencies)"]
    assert [int(x.replace(",", "")) for x in row[:7]] == [
        result.calls,
        counts["measured"],
        counts["no_clear_time"],
        counts["no_start_time"],
        counts["negative"],
        counts["over_limit"],
        counts["measured_from_fallback"],
    ]
    scope = Scope("Alexandria", agencies=("police",), since=date(2025, 10, 5))
    t = response_times(store, scope).table
    t = t[t["segment"] == "received_to_arrived"].set_index("priority")
    documented = doc_rows("| Alexandria police, weeks 41-52, community calls |")
    for name, cells in documented.items():
        r = t.loc[name.removeprefix("priority ")]
        assert cells == [
            f"{int(r['calls']):,}",
            f"{r['median_minutes']:.1f}",
            f"{r['p90_minutes']:.1f}",
            f"{r['share_over_20']:.0%}",
            f"{r['share_over_60']:.0%}",
        ], name
    store.close()
