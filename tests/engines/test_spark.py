"""The analyses run unchanged on Spark local mode and give DuckDB's results.

Sample City (every kind of data: calls, stops, reported crime, budget, neighbourhoods with
residents) is built into a workspace on DuckDB, classified and timed there; then the same
workspace is opened on Spark (PUBLICSAFETY_ENGINE=pyspark://local) and every analysis is run on
both and compared: demand and officer-initiated tables, response times, officer-time rules,
change over time, diversion, places, disparities and budgets, and the `analyze` commands' files.
New Orleans' real calls are placed in their neighbourhoods on Spark and compared with ingest.
One SparkSession for the module; deselect with `-m "not spark"`.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from publicsafety.analysis import demand, officer_initiated
from publicsafety.analysis.budget import compare, cost
from publicsafety.analysis.change import ChangeSpec, series
from publicsafety.analysis.disparity.run import analyze_disparities
from publicsafety.analysis.diversion import run_diversion
from publicsafety.analysis.officer_time import measure_officer_time, response_times
from publicsafety.analysis.places.run import analyze_places
from publicsafety.analysis.scenario_files import load_scenario
from publicsafety.analysis.scope import Scope
from publicsafety.cli import app
from publicsafety.engine import Store, open_store
from publicsafety.engines import spark
from publicsafety.errors import StoreError
from publicsafety.ingest.placing import PlaceSummary, place
from publicsafety.sample_city import CITY
from publicsafety.sample_city.pipeline import STEPS, run_demo
from publicsafety.taxonomy import classify
from tests.demand.real import load

pytestmark = [
    pytest.mark.spark,
    # One worker runs the whole module under `pytest -n 2 --dist loadgroup`: one SparkSession.
    pytest.mark.xdist_group("spark"),
    # pyspark 4.0's Arrow conversion passes pandas 3 a deprecated keyword; nothing of ours.
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]
SCOPE = Scope(CITY)
NOLA = "New Orleans"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("spark") / "workspace"
    run_demo(ws, seed=11, calls=4000, steps=[s for s in STEPS if s[0] in ("generate", "ingest")])
    with open_store(ws) as store:
        classify(store, CITY)
        measure_officer_time(store, CITY)
    return ws


@pytest.fixture(scope="module")
def duck(workspace: Path) -> Iterator[Store]:
    store = open_store(workspace, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def on_spark(workspace: Path) -> Iterator[Store]:
    # Chosen by URL, as PUBLICSAFETY_ENGINE=pyspark://local would.
    store = open_store(workspace, engine_url=spark.LOCAL_URL)
    assert not store.is_duckdb
    yield store
    spark.session().stop()


def frames(obj: Any, prefix: str = "") -> dict[str, Any]:
    """The frames and plain values of a result (dataclasses and dicts walked through)."""
    out: dict[str, Any] = {}
    if isinstance(obj, pd.DataFrame):
        out[prefix] = obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            out.update(frames(getattr(obj, f.name), f"{prefix}.{f.name}"))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out.update(frames(v, f"{prefix}[{k}]"))
    elif isinstance(obj, str | int | float | bool | date | type(None)) or (
        isinstance(obj, list) and all(isinstance(v, str | int | float) for v in obj)
    ):
        out[prefix] = obj
    return out


def assert_same(on_duck: Any, on_spark: Any) -> int:
    """Every frame and value equal (floats to 1e-9: sums may add in another order)."""
    a, b = frames(on_duck), frames(on_spark)
    assert a.keys() == b.keys()
    for key, x in a.items():
        y = b[key]
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(y, x, check_exact=False, rtol=1e-9, obj=key)
        elif isinstance(x, float):
            assert y == pytest.approx(x, rel=1e-9, nan_ok=True), key
        else:
            assert y == x, key
    return sum(isinstance(x, pd.DataFrame) for x in a.values())


ANALYSES = {
    "demand tables": lambda s: demand.demand_tables(s, SCOPE, withhold_sensitive=True),
    "demand by call type": lambda s: demand.demand_by(s, SCOPE, "call_type"),
    "officer-initiated by area": lambda s: officer_initiated.by_area(s, SCOPE, "neighborhoods"),
    "officer-initiated types": lambda s: officer_initiated.by_type(s, SCOPE),
    "officer-initiated outcomes": lambda s: officer_initiated.outcomes(s, SCOPE),
    "origin share": lambda s: officer_initiated.origin_share(s, SCOPE),
    "response times": lambda s: response_times(s, SCOPE),
    "officer time rules": lambda s: measure_officer_time(s, CITY, update=False),
    "change series": lambda s: series(s, ChangeSpec(CITY, date(2025, 7, 1), categories=("disorder",))),
    "diversion": lambda s: run_diversion(s, load_scenario("community_responder.toml"), CITY),
    "places": lambda s: analyze_places(s, "neighborhoods", enforcement="stops", crime="crime"),
    "disparities": lambda s: analyze_disparities(s, city=CITY, area_set="neighborhoods"),
    "budget summary": lambda s: compare.budget_summary(s, CITY),
    "cost of service": lambda s: cost.cost_of_service(s, SCOPE, cost.given_cost(80.0, "test")),
}  # fmt: skip


@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_identical_on_spark(duck: Store, on_spark: Store, name: str) -> None:
    run = ANALYSES[name]
    assert assert_same(run(duck), run(on_spark)) >= 1 or name == "origin share"


def test_analyze_commands_write_the_same_files(
    workspace: Path, on_spark: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`publicsafety analyze ...` as a user runs it, on DuckDB and then with the engine set
    (on a copy of the workspace: the module's own connection to it stays open)."""
    copy = tmp_path / "workspace"
    shutil.copytree(workspace, copy, ignore=shutil.ignore_patterns("spark"))
    workspace = copy
    commands = {
        "demand": ["analyze", "demand", "--city", CITY],
        "places": ["analyze", "places", "--areas", "neighborhoods"],
        "budget": ["analyze", "budget", "--city", CITY],
    }
    written: dict[str, dict[str, dict[str, str]]] = {}
    for engine in ("duckdb", spark.LOCAL_URL):
        if engine != "duckdb":
            monkeypatch.setenv("PUBLICSAFETY_ENGINE", engine)
        for name, args in commands.items():
            out = tmp_path / engine.replace(":", "").replace("/", "") / name
            result = CliRunner().invoke(app, [*args, "-w", str(workspace), "--out", str(out)])
            assert result.exit_code == 0, result.output
            files = sorted(out.rglob("*.csv"))
            assert files, name
            written.setdefault(name, {})[engine] = {
                str(f.relative_to(out)): f.read_text(encoding="utf-8") for f in files
            }
    for name, by_engine in written.items():
        on_duck, on_spark_ = by_engine["duckdb"], by_engine[spark.LOCAL_URL]
        assert on_duck.keys() == on_spark_.keys(), name
        for file, text in on_duck.items():
            # Hidden cells read as missing, so numbers compare as numbers (to 1e-9).
            a = pd.read_csv(io.StringIO(text), na_values=["suppressed"])
            b = pd.read_csv(io.StringIO(on_spark_[file]), na_values=["suppressed"])
            assert (a.isna() == b.isna()).all().all(), file
            pd.testing.assert_frame_equal(b, a, check_exact=False, rtol=1e-9, obj=file)


def test_writes_need_the_workspace_store(on_spark: Store) -> None:
    with pytest.raises(StoreError, match="embedded DuckDB store"):
        on_spark.count("calls")


@pytest.mark.real_data
def test_place_on_spark_matches_ingest(on_spark: Store, tmp_path: Path) -> None:
    """Area assignment on Spark: New Orleans' 2022 calls in their neighbourhoods, as ingest
    placed them on DuckDB (7,203 calls, 6,969 in a neighbourhood)."""
    duck = load(
        NOLA,
        areas=(
            ("new_orleans_neighborhoods_geo", "neighborhoods.geojson", "new_orleans_neighborhoods"),
        ),
    )
    # A session of its own (same Spark context): its views do not replace Sample City's.
    session = spark.session().newSession()
    copied = spark.copy_tables(duck, session, tmp_path)
    assert copied["calls"] == 7203
    store = spark.spark_store(session, duck.settings)
    # Throw away ingest's placements of the calls, so the comparison rests on Spark's own.
    session.sql("SELECT * FROM placements WHERE kind <> 'calls'").createOrReplaceTempView(
        "placements"
    )
    summary: PlaceSummary = spark.place(store, "calls", NOLA, "neighborhoods", tmp_path)
    assert summary.rows == 7203 and summary.placed == 6969
    (expected,) = place(duck, "calls", area_set="neighborhoods")
    assert summary == expected
    mine = store.table("placements").to_pandas()
    theirs = duck.con.execute("SELECT * FROM placements").df()
    key = ["kind", "area_set", "row_id"]
    pd.testing.assert_frame_equal(
        mine.sort_values(key, ignore_index=True)[theirs.columns],
        theirs.sort_values(key, ignore_index=True),
        check_dtype=False,
    )
    # The demand tables then agree per neighbourhood too.
    scope = Scope(NOLA)
    pd.testing.assert_frame_equal(
        demand.demand_by_area(store, scope, "neighborhoods"),
        demand.demand_by_area(duck, scope, "neighborhoods"),
        check_exact=False,
        rtol=1e-12,
    )
    duck.close()
