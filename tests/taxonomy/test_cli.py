"""`publicsafety taxonomy ...` end to end through the CLI: suggest from a file, edit, load,
classify, unmapped; errors are short messages, not tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from publicsafety.cli import app
from publicsafety.engine import open_store
from tests.conftest import FIXTURES
from tests.taxonomy.test_classify import load

runner = CliRunner()
TYPES = FIXTURES / "taxonomy" / "springfield_types.csv"


def test_suggest_from_file_edit_load_classify(tmp_path: Path) -> None:
    out = tmp_path / "springfield_map.csv"
    ws = tmp_path / "ws"
    res = runner.invoke(app, ["taxonomy", "suggest", "--from", str(TYPES), "--out", str(out)])
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())  # rich wraps long lines
    assert "Wrote 6 call types" in flat and "5 have a proposal (99.5% of 555 calls)" in flat
    proposed = pd.read_csv(out, keep_default_na=False)
    assert list(proposed.columns) == [
        "call_type_code",
        "call_type",
        "category",
        "responder",
        "rule",
        "note",
        "version",
        "calls",
        "confidence",
    ]
    got = {
        r.call_type: (r.category, r.responder, r.rule, r.confidence) for r in proposed.itertuples()
    }
    # Another city's reviewed map has the exact name (0.9), else the keyword rule's confidence.
    assert got["SHOTS FIRED"] == ("violent_crime", "police", "seen:albuquerque", 0.9)
    assert got["MENTAL SUBJECT WITH KNIFE"] == (
        "mental_health_welfare",
        "police",
        "kw:mental_health_armed",
        0.8,
    )
    assert got["SIMPLE ASSAULT"][:2] == ("other_crime", "police")
    assert got["ZEBRA ON THE LOOSE"] == ("unmapped", "unmapped", "none", 0.0)

    # Loading it unedited fails on the row still 'unmapped', naming file, line and column.
    res = runner.invoke(app, ["taxonomy", "load", str(out), "--city", "Springfield", "-w", str(ws)])
    assert res.exit_code != 0
    assert "springfield_map.csv, line 7, column category" in str(res.exception)

    proposed.loc[
        proposed["call_type"] == "ZEBRA ON THE LOOSE", ["category", "responder", "rule"]
    ] = [
        "disorder",
        "civilian",
        "animal",
    ]
    proposed.to_csv(out, index=False)
    res = runner.invoke(app, ["taxonomy", "load", str(out), "--city", "Springfield", "-w", str(ws)])
    assert res.exit_code == 0, res.output
    assert (ws / "taxonomy" / "springfield.csv").exists()

    with open_store(ws) as store:
        load(store, city="Springfield")
    res = runner.invoke(
        app, ["taxonomy", "classify", "--city", "Springfield", "-w", str(ws), "--json"]
    )
    assert res.exit_code == 0, res.output
    body = json.loads(res.output)
    assert body["note"].startswith("Calls are classified on the final call type")
    [city] = body["cities"]
    assert (city["map"], city["calls"], city["by_map"], city["by_keyword"], city["unmapped"]) == (
        "springfield.csv",
        10,
        5,
        3,
        2,
    )

    res = runner.invoke(
        app, ["taxonomy", "unmapped", "--city", "Springfield", "-w", str(ws), "--json"]
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    # Types the Springfield map does not cover (keyword proposals and the unmapped ones).
    assert sorted(
        (" ".join(r["call_type"].split()).upper(), r["calls"], r["officer_hours"]) for r in rows
    ) == [
        ("ARMED ROBBERY OF A BANK", 1, None),
        ("DISTURBANCE - PRIORITY", 1, None),
        ("QUIET QUAGGA", 1, None),
        ("SOMETHING ELSE", 1, None),
        ("THEFT - COLD", 1, None),
    ]


def test_suggest_needs_exactly_one_source(tmp_path: Path) -> None:
    res = runner.invoke(app, ["taxonomy", "suggest", "--out", str(tmp_path / "x.csv")])
    assert res.exit_code != 0
    assert "give exactly one of --city and --from" in str(res.exception)


def test_suggest_for_city_in_store_ignores_its_own_map(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    with open_store(ws) as store:
        load(store, city="Portland")
    out = tmp_path / "p.csv"
    res = runner.invoke(
        app, ["taxonomy", "suggest", "--city", "Portland", "--out", str(out), "-w", str(ws)]
    )
    assert res.exit_code == 0, res.output
    rules = set(pd.read_csv(out, keep_default_na=False)["rule"])
    assert not any(r == "seen:portland" for r in rules)
