"""`publicsafety analyze places` on a workspace holding the real Minneapolis files: tables through
the privacy layer, SVG maps with captions, a JSON summary; and clean errors for bad options."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from publicsafety.cli import app
from publicsafety.engine import open_store
from publicsafety.errors import InputError, StoreError
from publicsafety.ingest.areas import place_by_attribute
from tests.places import real

pytestmark = pytest.mark.real_data


@pytest.fixture(scope="module")
def mpls_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("places") / "workspace"
    with open_store(ws, threads=1) as store:
        real.load(store, real.MINNEAPOLIS)
        place_by_attribute(store, "stops", "neighborhood", "neighborhoods")
    return ws


def test_cli_writes_tables_and_maps(mpls_workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["analyze", "places", "--areas", "neighborhoods", "-w", str(mpls_workspace),
         "--out", str(out), "--weight", "need=0.5", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["city"] == "Minneapolis" and summary["areas"] == 87
    assert summary["placement"] == [
        {"measure": "stops", "rows": 51_920, "placed": 51_920, "unplaced": 0}
    ]
    assert summary["divergence"] is None
    assert summary["morans_i"]["of"] == "log stops per 1,000 residents (shrunk)"
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "areas.csv", "burden.csv", "burden_index.svg", "placement.csv", "stops_per_1000.svg",
    ]  # fmt: skip
    areas = pd.read_csv(out / "areas.csv")
    assert areas["stops"].sum() == 51_920 and not areas["stops"].between(1, 10).any()
    svg = (out / "stops_per_1000.svg").read_text(encoding="utf-8")
    assert 'class="legend"' in svg and 'class="source-line"' in svg
    assert "mpls_stops_2017.csv" in svg  # the source line names the files behind the figures
    burden = pd.read_csv(out / "burden.csv")
    assert burden["rank"].notna().sum() == 84
    # --weight need=0.5 with crime absent: index = (policing / 3 + need / 2) / (1/3 + 1/2).
    top = burden.iloc[0]
    assert top["name"] == "Hawthorne"
    assert top["burden_index"] == pytest.approx(
        (top["policing"] / 3 + top["need"] / 2) / (1 / 3 + 1 / 2), rel=1e-12
    )
    assert top["burden_index"] == pytest.approx(0.928571, abs=1e-6)


def test_cli_rejects_a_bad_weight(mpls_workspace: Path) -> None:
    result = CliRunner().invoke(
        app, ["analyze", "places", "--areas", "neighborhoods", "-w", str(mpls_workspace),
              "--weight", "wealth=2"],
    )  # fmt: skip
    assert isinstance(result.exception, InputError)
    assert "crime, policing, need" in str(result.exception.fix)


def test_cli_names_the_loaded_area_sets(mpls_workspace: Path) -> None:
    result = CliRunner().invoke(
        app, ["analyze", "places", "--areas", "wards", "-w", str(mpls_workspace)]
    )
    assert isinstance(result.exception, StoreError)
    assert "no city has an area set named 'wards'" in result.exception.what
