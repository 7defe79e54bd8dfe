"""`publicsafety analyze places` on a Sample City workspace: tables through the privacy layer, SVG
maps with captions, a JSON summary, burden weights from the command line; clean errors for bad
options. (The real-city runs are tested through the Python API in the other places tests.)"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from publicsafety.cli import app
from publicsafety.errors import InputError, StoreError
from publicsafety.sample_city.pipeline import STEPS, run_demo

# Generate and ingest only: the demo's later steps (summary, report) are not needed here.
LOAD = [s for s in STEPS if s[0] in ("generate", "ingest")]


@pytest.fixture(scope="module")
def workspace_with_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("places") / "workspace"
    run_demo(ws, seed=5, calls=5_000, steps=LOAD)
    return ws


def test_cli_writes_tables_and_maps(workspace_with_demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["analyze", "places", "--areas", "neighborhoods", "-w", str(workspace_with_demo),
         "--out", str(out), "--weight", "need=0.5", "--enforcement", "arrests", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["city"] == "Sample City" and summary["areas"] == 25
    assert summary["divergence"]["enforcement"] == "arrests"
    assert summary["morans_i"]["of"] == "residuals of arrests modelled on crime"
    names = {p.name for p in out.iterdir()}
    assert {"areas.csv", "divergence.csv", "burden.csv", "placement.csv"} <= names
    assert {"arrests_vs_crime.svg", "burden_index.svg", "stops_per_1000.svg"} <= names
    assert sorted(summary["files"]) == sorted(str(out / n) for n in names)
    areas = pd.read_csv(out / "areas.csv")
    arrests = pd.to_numeric(areas["arrests"], errors="coerce")  # hidden cells read "suppressed"
    assert not arrests.between(1, 10).any()
    assert (areas.loc[arrests.isna(), "arrests"] == "suppressed").all()
    svg = (out / "arrests_vs_crime.svg").read_text(encoding="utf-8")
    assert 'class="legend"' in svg and 'class="source-line"' in svg
    assert "sample_city_arrests" in svg  # the source line names the files behind the figures
    burden = pd.read_csv(out / "burden.csv")
    top = burden.iloc[0].copy()
    for col in ("crime", "policing", "need", "burden_index"):
        top[col] = float(top[col])
    # --weight need=0.5, the others 1/3: index = (crime/3 + policing/3 + need/2) / (7/6).
    want = (top["crime"] / 3 + top["policing"] / 3 + top["need"] / 2) / (1 / 3 + 1 / 3 + 1 / 2)
    assert top["burden_index"] == pytest.approx(want, rel=1e-12)


def test_cli_rejects_a_bad_weight(workspace_with_demo: Path) -> None:
    result = CliRunner().invoke(
        app, ["analyze", "places", "--areas", "neighborhoods", "-w", str(workspace_with_demo),
              "--weight", "wealth=2"],
    )  # fmt: skip
    assert isinstance(result.exception, InputError)
    assert "crime, policing, need" in str(result.exception.fix)


def test_cli_rejects_a_bad_attribute(workspace_with_demo: Path) -> None:
    result = CliRunner().invoke(
        app, ["analyze", "places", "--areas", "neighborhoods", "-w", str(workspace_with_demo),
              "--attribute", "stops"],
    )  # fmt: skip
    assert isinstance(result.exception, InputError)
    assert "NAME=VALUE" in result.exception.what


def test_cli_names_the_missing_area_set(workspace_with_demo: Path) -> None:
    result = CliRunner().invoke(
        app, ["analyze", "places", "--areas", "wards", "-w", str(workspace_with_demo)]
    )
    assert isinstance(result.exception, StoreError)
    assert "no city has an area set named 'wards'" in result.exception.what


def test_cli_names_the_columns_an_attribute_can_use(workspace_with_demo: Path) -> None:
    result = CliRunner().invoke(
        app, ["analyze", "places", "--areas", "neighborhoods", "-w", str(workspace_with_demo),
              "--attribute", 'stops=zone"; DROP TABLE stops; --'],
    )  # fmt: skip
    assert isinstance(result.exception, StoreError)
    assert "stops has no column" in result.exception.what
    assert "beat" in str(result.exception.fix)
