"""`publicsafety demo` end to end into a temporary workspace: every raw row accounted for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from publicsafety.cli import app
from publicsafety.engine import open_store
from publicsafety.errors import StoreError
from publicsafety.sample_city import FILES, LABEL
from publicsafety.sample_city.measure import quirks
from publicsafety.sample_city.pipeline import run_demo

CALLS = 20_000
SEED = 5


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    ws = tmp_path_factory.mktemp("demo") / "workspace"
    result = CliRunner().invoke(
        app, ["demo", "--workspace", str(ws), "--seed", str(SEED), "--calls", str(CALLS), "--json"]
    )
    assert result.exit_code == 0, result.output
    return ws, json.loads(result.output)


def test_every_file_is_loaded_and_rows_add_up(demo: tuple[Path, dict]) -> None:
    _, summary = demo
    loads = {r["profile"]: r for r in summary["loads"]}
    assert list(loads) == [profile for _, profile in FILES.values()]
    for r in loads.values():
        assert r["rows_read"] == r["rows_loaded"] + r["rows_quarantined"]
        assert r["rows_read"] > 0
    assert loads["sample_city_neighborhoods"]["rows_loaded"] == 25
    assert loads["sample_city_population"]["rows_read"] == 25
    assert loads["sample_city_calls"]["rows_read"] == CALLS
    assert loads["sample_city_stops"]["rows_read"] == CALLS // 10


def test_duplicate_void_and_test_calls_are_quarantined_with_their_reason(
    demo: tuple[Path, dict],
) -> None:
    ws, summary = demo
    q = quirks(ws / "sample_city" / "raw")
    by_reason = {(r["table"], r["reason"]): r["rows"] for r in summary["quarantine"]}
    assert by_reason == {
        ("calls", "duplicate call (Disposition DUP)"): q["duplicate"],
        ("calls", "test call (Disposition TST)"): q["test"],
        ("calls", "void call (Disposition VOI)"): q["void"],
    }
    calls = next(r for r in summary["loads"] if r["profile"] == "sample_city_calls")
    assert calls["rows_quarantined"] == q["duplicate"] + q["void"] + q["test"] == 1_150
    # The 01/01/1900 dispatch sentinel is read as missing and counted, not quarantined.
    assert calls["dates_sentinel"] == q["dispatch_1900_sentinel"] == 20


def test_store_holds_what_was_loaded(demo: tuple[Path, dict]) -> None:
    ws, summary = demo
    loads = {r["profile"]: r for r in summary["loads"]}
    tables = summary["tables"]
    for kind in ("calls", "stops", "incidents", "arrests", "areas", "budget"):
        assert tables[kind] == loads[FILES[kind][1]]["rows_loaded"]
    assert tables["population"] == 25 * 18  # 18 groups per neighbourhood, melted long
    with open_store(ws, read_only=True) as store:
        con = store.con
        origins = dict(con.execute("SELECT origin, count(*) FROM calls GROUP BY ALL").fetchall())
        raw = con.execute(
            f"""SELECT CallSource, count(*) FROM read_csv('{ws / "sample_city" / "raw" / FILES["calls"][0]}',
                skip = 1, header = true, all_varchar = true)
                WHERE Disposition NOT IN ('DUP', 'VOI', 'TST') GROUP BY ALL"""
        ).fetchall()
        by_source = dict(raw)
        assert origins == {
            "officer": by_source["ONVIEW"],
            "alarm": by_source["ALARM CALL"],
            "community": sum(n for s, n in raw if s not in ("ONVIEW", "ALARM CALL")),
        }
        # Negative and over-24-hour durations load as they are, for the analyses to handle.
        q = quirks(ws / "sample_city" / "raw")
        negative = con.execute(
            "SELECT count(*) FROM calls WHERE cleared_at < arrived_at"
        ).fetchone()
        assert negative == (q["negative_duration"],) == (40,)
        long = con.execute(
            "SELECT count(*) FROM calls WHERE cleared_at > received_at + INTERVAL 24 HOUR"
        ).fetchone()
        assert long == (q["over_24_hours"],)
        assert con.execute("SELECT count(*) FROM calls WHERE arrived_at IS NULL").fetchone() == (
            q["missing_arrival"],
        )
        categories = con.execute(
            "SELECT DISTINCT crime_category FROM incidents ORDER BY 1"
        ).fetchall()
        assert categories == [("other",), ("property",), ("violent",)]
        races = {r[0] for r in con.execute("SELECT DISTINCT subject_race FROM arrests").fetchall()}
        assert races <= {
            "white",
            "black",
            "hispanic",
            "asian/pacific islander",
            "native american",
            "other",
        }
        assert {"white", "black", "hispanic"} <= races
        assert con.execute(
            "SELECT count(*) FROM calls WHERE dispatched_at < '2000-01-01'"
        ).fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM calls WHERE lon IS NULL").fetchone() == (100,)
        total = con.execute(
            "SELECT sum(count) FROM population WHERE dimension = 'total' AND area_set = 'neighborhoods'"
        ).fetchone()
        assert total == (400_000,)
        police = con.execute(
            "SELECT sum(amount) FROM budget WHERE department = 'Police Department'"
        ).fetchone()
        assert police is not None and police[0] == pytest.approx(351.54 * 400_000, rel=1e-6)


def test_points_are_placed_in_neighbourhoods(demo: tuple[Path, dict]) -> None:
    _, summary = demo
    placed = summary["placed"]
    assert placed["calls"]["placed"] == CALLS - 1_150 - 100  # all kept calls with a location
    assert placed["stops"] == {"placed": CALLS // 10, "not_placed": 0}


def test_summary_says_synthetic_and_where_outputs_are(demo: tuple[Path, dict]) -> None:
    ws, summary = demo
    assert summary["label"] == LABEL
    readme = Path(summary["outputs"]["about Sample City"])
    assert readme == ws / "sample_city" / "SAMPLE_CITY.md"
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Sample City — synthetic data")
    assert "Vera Institute" in text and "BJS" in text
    assert Path(summary["outputs"]["store"]).is_file()


def test_running_again_changes_nothing(demo: tuple[Path, dict]) -> None:
    ws, summary = demo
    again = run_demo(ws, seed=SEED, calls=CALLS).summary
    assert again["tables"] == summary["tables"]
    assert all(r["skipped"] for r in again["loads"])


def test_a_different_city_in_the_same_workspace_is_refused(demo: tuple[Path, dict]) -> None:
    ws, _ = demo
    with pytest.raises(StoreError, match="seed 5"):
        run_demo(ws, seed=SEED + 1, calls=CALLS)


def test_human_summary_names_the_outputs(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "--workspace", str(tmp_path / "ws"), "--calls", "5000"]
    )
    assert result.exit_code == 0, result.output
    assert "Sample City — synthetic data" in result.output
    assert "SAMPLE_CITY.md" in result.output
    assert "void call (Disposition VOI)" in result.output
