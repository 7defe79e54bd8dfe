"""`publicsafety scenario diversion` and `publicsafety analyze change` end to end: files written,
small counts suppressed, assumptions printed beside the results."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from publicsafety.cli import app
from publicsafety.engine import Store, open_store
from publicsafety.errors import ScenarioError
from publicsafety.ingest import ingest_file
from publicsafety.taxonomy import classify
from tests.conftest import real_data
from tests.diversion.test_diversion_arithmetic import SCENARIO, insert_calls

runner = CliRunner()


def test_diversion_command_on_hand_calls(
    file_store: Store, workspace: Path, tmp_path: Path
) -> None:
    insert_calls(file_store)
    file_store.close()
    scenario = tmp_path / "hand.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(
        app, ["scenario", "diversion", str(scenario), "-w", str(workspace), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "Responder: about 52 calls a year" in res.output
    assert "  - Takes 50% of eligible calls" in res.output  # assumptions beside the result
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "hour_of_week.csv",
        "officer_hours_freed.svg",
        "programs.csv",
        "responders_by_shift.svg",
        "staffing.csv",
        "summary.txt",
    ]
    rows = list(csv.DictReader((out / "programs.csv").open()))
    # Eight matching calls, four eligible: every count here is under 11, so all are withheld,
    # and so is everything computed from the eligible calls.
    assert {rows[0][c] for c in ("matching_calls", "eligible_calls", "calls_moved")} == {
        "suppressed"
    }
    assert rows[0]["share_taken"] == "0.5"
    assert rows[0]["assumptions"].startswith("Takes 50% of eligible calls (categories")
    assert (
        "Source: Testville calls 2024-01-01 to 2024-01-14"
        in (out / "officer_hours_freed.svg").read_text()
    )


def test_diversion_json_and_bad_file(file_store: Store, workspace: Path, tmp_path: Path) -> None:
    insert_calls(file_store)
    file_store.close()
    scenario = tmp_path / "hand.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    res = runner.invoke(
        app, ["scenario", "diversion", str(scenario), "-w", str(workspace), "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["period"] == ["2024-01-01", "2024-01-14"]
    assert data["programs"][0]["eligible_calls"] is None  # suppressed
    assert data["programs"][0]["team_hours_per_week"] == 40
    assert (workspace / "outputs" / "testville" / "diversion" / "hand_checked").is_dir()
    bad = tmp_path / "bad.toml"
    bad.write_text(SCENARIO.replace("share = 0.5", "share = 5"), encoding="utf-8")
    res = runner.invoke(app, ["scenario", "diversion", str(bad), "-w", str(workspace)])
    assert isinstance(res.exception, ScenarioError)
    assert "bad.toml, column program[0].share: 5 is out of range" in res.exception.message


@pytest.mark.real_data
def test_change_command_on_alexandria(workspace: Path) -> None:
    with open_store(workspace, threads=1) as store:
        path = real_data("alexandria_va_cad_2025_aug_dec", "alexandria_va_cad_2025w35_w52.csv.gz")
        ingest_file(store, path, "alexandria_calls")
        classify(store, "Alexandria")
    res = runner.invoke(
        app,
        [
            "analyze",
            "change",
            "--start",
            "2025-10-05",
            "--agency",
            "ems",
            "--freq",
            "day",
            "-w",
            str(workspace),
        ],
    )
    assert res.exit_code == 0, res.output
    assert res.output.startswith("Calls per day changed by -7% at the start")
    assert "Calls are not incidents (Wheeler)" in res.output
    folder = workspace / "outputs" / "alexandria" / "change" / "2025-10-05"
    rows = list(csv.DictReader((folder / "series.csv").open()))
    assert len(rows) == 126 and rows[0]["period"].startswith("2025-08-24")
    assert (folder / "calls.svg").read_text().count("without the change") >= 1
    res = runner.invoke(
        app,
        [
            "scenario",
            "diversion",
            "community_responder.toml",
            "-w",
            str(workspace),
            "--since",
            "2025-10-05",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    programs = json.loads(res.output)["programs"]
    assert [p["eligible_calls"] for p in programs] == [136, 3056]
