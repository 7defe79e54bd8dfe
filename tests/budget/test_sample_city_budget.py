"""The demo's budget step on a small Sample City (5,000 calls, the default seed): Sample City's
budget is built from BJS per-resident spending and a 24% police share of the general fund, with
its 911 programme classed as dispatch, so the figures below follow from the generator's design."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from publicsafety.analysis.budget.classify import review
from publicsafety.analysis.budget.compare import budget_summary
from publicsafety.analysis.places.run import analyze_places
from publicsafety.cli.budget import demo_step
from publicsafety.engine import open_store
from publicsafety.sample_city import CITY, DEFAULT_SEED
from publicsafety.sample_city.pipeline import STEPS, run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("sample") / "workspace"
    steps = [*STEPS[:-1], ("budget", demo_step), STEPS[-1]]
    ctx = run_demo(ws, seed=DEFAULT_SEED, calls=5000, steps=steps)
    assert ctx.outputs["budget"] == ws / "outputs" / "budget"
    return ws


def test_sample_city_budget_figures(demo: Path) -> None:
    with open_store(demo, read_only=True) as store:
        row = budget_summary(store, CITY).iloc[0]
        sworn = store.con.execute(
            "SELECT sum(sworn_fte) FROM budget WHERE function = 'police'"
        ).fetchall()[0][0]
        agree = review(store, CITY)["agrees"]
    # Police: 24% of the fund less the 911 programme (6% of police, function dispatch).
    assert row["police_share_general_fund"] == pytest.approx(0.24 * 0.94, abs=1e-4)
    # $351.54 a resident less the same 6%, over the 400,000 residents of the population table.
    assert row["population"] == 400_000
    assert row["police_per_resident"] == pytest.approx(351.54 * 0.94, abs=0.01)
    assert row["general_fund_basis"] == "sum of general fund lines"
    assert len(agree) == 68 and agree.all()  # the rules give every line its generated function
    text = (demo / "outputs" / "budget" / "summary.txt").read_text(encoding="utf-8")
    hourly = row["police"] / (sworn * 2080)
    assert (
        f"Sample City: an officer-hour costs ${hourly:,.2f}. That is the police budget of "
        f"${row['police']:,.0f} spread over {sworn:,.1f} sworn positions at 2,080 paid hours a "
        "year (Sample City fiscal year 2025, sample_city_budget)." in text
    )


def test_sample_city_outputs(demo: Path) -> None:
    out = demo / "outputs" / "budget"
    for name in ("budgets.csv", "budgets.xlsx", "police_per_resident.svg", "cost_of_service.csv"):
        assert (out / name).exists(), name
    with open(out / "reallocation" / "areas.csv", encoding="utf-8", newline="") as f:
        areas = list(csv.DictReader(f))
    # Sample City has neighbourhood boundaries, so the places analysis's burden (investment)
    # index ranks them; its five highest share the 125 recipients.
    with open_store(demo, read_only=True) as store:
        burden = analyze_places(store, "neighborhoods", city=CITY).burden
    top = sorted(burden.index, key=lambda a: (burden.loc[a, "rank"], a))[:5]
    assert [a["area_id"] for a in areas] == top
    assert {a["ranked_by"] for a in areas} == {"investment (burden) index of the places analysis"}
    assert sum(int(float(a["recipients"])) for a in areas) == 125
    assert (out / "reallocation" / "money.svg").read_text(encoding="utf-8").startswith("<svg")
