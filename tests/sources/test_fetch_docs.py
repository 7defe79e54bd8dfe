"""docs/fetch.md documents every option of `publicsafety fetch`, and the census path of the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from publicsafety.cli import app

from .conftest import DATA, json_reply, static_file

DOC = (Path(__file__).resolve().parents[2] / "docs" / "fetch.md").read_text(encoding="utf-8")


def test_every_fetch_option_is_in_the_docs():
    fetch = typer.main.get_command(app).commands["fetch"]  # type: ignore[attr-defined]
    options = [o for p in fetch.params for o in p.opts if o.startswith("--")]
    assert len(options) == 8
    for option in options:
        assert f"`{option}`" in DOC, option
    assert "`CITY`" in DOC and "`DATASET`" in DOC
    assert "PUBLICSAFETY_CENSUS_API" in DOC and "PUBLICSAFETY_TIGER_URL" in DOC


def test_fetch_census_acs_and_tracts_through_the_cli(portal, workspace, monkeypatch):
    table = json.loads((DATA / "census_acs5_2019_22071.json").read_text())
    portal.routes["/data/2019/acs/acs5"] = lambda q, h: json_reply(table)
    static_file(
        portal, "/tiger/TIGER2019/TRACT/tl_2019_22_tract.zip", b"PK\x03\x04" + b"\x00" * 500
    )
    monkeypatch.setenv("PUBLICSAFETY_CENSUS_API", f"{portal.base}/data")
    monkeypatch.setenv("PUBLICSAFETY_TIGER_URL", f"{portal.base}/tiger")
    monkeypatch.delenv("CENSUS_API_KEY", raising=False)
    ws = ["--workspace", str(workspace)]
    out = CliRunner().invoke(
        app,
        ["fetch", "census", "--state", "22", "--county", "071", "--year", "2019", *ws, "--json"],
    )
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["file"] == str(workspace / "raw" / "census" / "acs5" / "2019.22071.csv")
    # The default variables were asked for, in two groups; the fixture answers three of them.
    assert [len(q["get"].split(",")) for q in portal.hits("/data/2019/acs/acs5")] == [49, 10]
    assert result["manifest"]["rows"] == 3
    out = CliRunner().invoke(
        app, ["fetch", "census", "tracts", "--state", "22", "--year", "2019", *ws]
    )
    assert out.exit_code == 0, out.output
    assert "504 bytes" in out.output
    assert (workspace / "raw" / "census" / "tracts" / "2019.22.zip").read_bytes()[:2] == b"PK"


def test_census_without_state_is_a_clean_error(workspace):
    out = CliRunner().invoke(
        app, ["fetch", "census", "--year", "2019", "--workspace", str(workspace)]
    )
    assert out.exit_code != 0
    assert "census data needs --state and a --year" in str(out.exception)
