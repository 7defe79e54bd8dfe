"""The budget commands end to end on a workspace holding real budgets, New Orleans calls and tract
poverty: files written, figures in them, small call counts withheld."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from publicsafety.analysis.officer_time import measure_officer_time
from publicsafety.cli import app
from publicsafety.engine import open_store
from publicsafety.ingest import ingest_file
from publicsafety.taxonomy import classify
from tests.budget.conftest import BUDGET_SETS
from tests.conftest import real_data
from tests.taxonomy.realtypes import REAL_FILES
from tests.taxonomy.test_end_to_end import PROFILES

pytestmark = pytest.mark.real_data
runner = CliRunner()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("budget") / "workspace"
    with open_store(ws, threads=1) as s:
        for folder, name, profile in BUDGET_SETS:
            ingest_file(s, real_data(folder, name), profile)
        ingest_file(
            s,
            real_data(
                "pilot_counties_tract_pop_poverty_fara2019", "pilot_county_tracts_fara2019.csv"
            ),
            "pilot_cities_population_tracts_fara2019",
        )
        folder, name, _, _ = REAL_FILES["New Orleans"]
        ingest_file(s, real_data(folder, name), PROFILES["New Orleans"])
        classify(s, "New Orleans")
        measure_officer_time(s, "New Orleans")
    return ws


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_analyze_budget_writes_tables_charts_and_text(workspace: Path) -> None:
    out = workspace / "out"
    result = runner.invoke(
        app,
        [
            "analyze",
            "budget",
            "-w",
            str(workspace),
            "--city",
            "Albuquerque",
            "--city",
            "Seattle",
            "--city",
            "New Orleans",
            "--sworn",
            "1000",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    budgets = rows(out / "budgets.csv")
    abq = [
        r
        for r in budgets
        if r["city"] == "Albuquerque"
        and r["fiscal_year"] == "2019"
        and r["source"] == "us_cities_budgets_abc7"
    ]
    assert float(abq[0]["police"]) == 197_141_000
    assert (out / "budgets.xlsx").exists()
    for svg in (
        "police_budget_by_year.svg",
        "police_per_resident.svg",
        "new_orleans/cost_of_service.svg",
    ):
        assert (out / svg).read_text(encoding="utf-8").startswith("<svg")
    seattle = rows(out / "by_function_seattle_2020_seattle_budget_functions_2020.csv")
    assert sum(float(r["amount"]) for r in seattle) == 409_111_840
    # Cost of service: New Orleans has timed calls; categories with 1-10 calls are withheld.
    cost = {r["category"]: r for r in rows(out / "new_orleans" / "cost_of_service.csv")}
    assert cost["violent_crime"]["calls"] == "1852"
    assert cost["administrative"]["calls"] == "suppressed"  # 3 calls
    text = (out / "summary.txt").read_text(encoding="utf-8")
    assert "In fiscal year 2019, Albuquerque budgeted $197,141,000 for police" in text
    assert "New Orleans: an officer-hour costs $" in text


def test_scenario_run_stockton_seed(workspace: Path) -> None:
    out = workspace / "seed"
    result = runner.invoke(
        app, ["scenario", "run", "stockton_seed.toml", "-w", str(workspace), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    figures = {r["item"]: r for r in rows(out / "figures.csv")}
    assert float(figures["Money moved out of the police budget"]["value"]) == 750_000
    assert float(figures["Police budget"]["value"]) == 130_394_165
    assert "Stockton SEED" in figures["Basic income: whole program"]["assumption"]
    assert sum(int(float(r["recipients"])) for r in rows(out / "areas.csv")) == 125
    assert (out / "money.svg").exists() and (out / "figures.xlsx").exists()
    assert "In all the city would spend $0 a year less than today." in result.output


def test_scenario_run_combined_withholds_few_calls(workspace: Path) -> None:
    out = workspace / "nola"
    result = runner.invoke(
        app,
        [
            "scenario",
            "run",
            "new_orleans_reallocation.toml",
            "-w",
            str(workspace),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    figures = {r["item"]: r["value"] for r in rows(out / "figures.csv")}
    # The community responder takes about 5.6 calls a year in this subset: withheld, with the
    # hours and dollars worked out from them; 311's 719 calls a year are published.
    for item in ("calls moved", "officer-hours freed", "value of officer time freed"):
        assert figures[f"Community responder: {item}"] == "suppressed (fewer than 11 calls)"
    assert round(float(figures["Telephone and online reports (311): calls moved"])) == 719
    assert (out / "diversion" / "programs.csv").exists()


def test_scenario_run_error_is_a_clean_message(workspace: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[reallocation]\nname = 'x'\n[move]\nbasis = 'everything'\n", encoding="utf-8")
    result = runner.invoke(app, ["scenario", "run", str(bad), "-w", str(workspace)])
    assert result.exit_code != 0
    assert "move.basis" in str(result.exception)
