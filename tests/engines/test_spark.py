"""The demand and places aggregations on Spark local mode give the same results as on DuckDB.

New Orleans' 2022 RTCC calls (7,203 loaded) with neighbourhood boundaries and 2018 populations:
the calls are placed in the neighbourhoods by ingest on DuckDB and again by Spark (`place`), and
every demand table by dimension, the per-area table and the places counts are compared. One
SparkSession for the module; deselect with `-m "not spark"`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from publicsafety.analysis import demand
from publicsafety.analysis._sql import ALL_EVENTS, Scope
from publicsafety.config import settings
from publicsafety.engine import Store, open_store
from publicsafety.engines import portable, spark
from publicsafety.errors import StoreError
from publicsafety.ingest.placing import PlaceSummary, place
from tests.demand.real import load

pytestmark = [
    pytest.mark.spark,
    pytest.mark.real_data,
    # One worker runs the whole module under `pytest -n 2 --dist loadgroup`: one SparkSession.
    pytest.mark.xdist_group("spark"),
    # pyspark 4.0's Arrow conversion passes pandas 3 a deprecated keyword; nothing of ours.
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]
CITY = "New Orleans"
SCOPE = Scope(CITY)
AREAS = (
    ("new_orleans_neighborhoods_geo", "neighborhoods.geojson", "new_orleans_neighborhoods"),
    (
        "new_orleans_neighborhood_profiles_datacenter_2020",
        "Neighborhood profiles data tables.xlsx",
        "new_orleans_population_neighborhoods_2018",
    ),
)


@pytest.fixture(scope="module")
def duck() -> Iterator[Store]:
    store = load(CITY, areas=AREAS)
    yield store
    store.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("spark")


@pytest.fixture(scope="module")
def on_spark(duck: Store, folder: Path) -> Iterator[tuple[Store, PlaceSummary]]:
    session = spark.session()
    copied = spark.copy_tables(duck, session, folder)
    assert copied["calls"] == 7203
    store = spark.spark_store(session, duck.settings)
    # Throw away ingest's placements of the calls, so the per-area tables below rest on Spark's.
    session.sql("SELECT * FROM placements WHERE kind <> 'calls'").createOrReplaceTempView(
        "placements"
    )
    summary = spark.place(store, "calls", CITY, "neighborhoods", folder)
    yield store, summary
    session.stop()


def test_place_on_spark_matches_ingest(duck: Store, on_spark: tuple[Store, PlaceSummary]) -> None:
    store, summary = on_spark
    assert summary.rows == 7203 and summary.placed == 6969
    # Ingest's own placement of the same points, run again on DuckDB.
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


@pytest.mark.parametrize("dimension", demand.TABLE_DIMENSIONS)
def test_demand_by_dimension_identical(
    duck: Store, on_spark: tuple[Store, PlaceSummary], dimension: str
) -> None:
    expected = demand.demand_by(duck, SCOPE, dimension)
    assert int(expected.loc[expected["denominator"] == ALL_EVENTS, "calls"].sum()) == 7203
    for store in (duck, on_spark[0]):
        got = portable.demand_by(store, SCOPE, dimension)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_demand_by_area_identical(duck: Store, on_spark: tuple[Store, PlaceSummary]) -> None:
    expected = demand.demand_by_area(duck, SCOPE, "neighborhoods")
    assert int(expected.loc[expected["area_id"].isna(), "calls"].iloc[0]) == 7203 - 6969
    for store in (duck, on_spark[0]):
        got = portable.demand_by_area(store, SCOPE, "neighborhoods")
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("measure", ["community_calls", "officer_calls"])
def test_place_counts_identical(
    duck: Store, on_spark: tuple[Store, PlaceSummary], measure: str
) -> None:
    origin = portable.MEASURES[measure][0]
    assert origin == "calls"
    where = "origin = 'community'" if measure == "community_calls" else "origin = 'officer'"
    # The places analysis' own count, as SQL on DuckDB (area_profiles._counts).
    expected = duck.con.execute(
        f"""SELECT p.area_id, count(*) AS events FROM calls e LEFT JOIN placements p
            ON p.kind = 'calls' AND p.row_id = e.row_id AND p.area_set = 'neighborhoods'
            WHERE e.city = ? AND {where} GROUP BY 1 ORDER BY 1 NULLS LAST""",
        [CITY],
    ).df()
    assert int(expected["events"].sum()) == duck.count("calls", where)
    for store in (duck, on_spark[0]):
        got = portable.place_counts(store, CITY, "neighborhoods", measure)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_engine_url_runs_the_workspace_on_spark(
    duck: Store,
    on_spark: tuple[Store, PlaceSummary],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The workspace's store file, as ingest would have left it.
    duck.con.execute(f"ATTACH '{settings(tmp_path).store_path}' AS ws")
    duck.con.execute("COPY FROM DATABASE memory TO ws")
    duck.con.execute("DETACH ws")
    # Chosen by the setting, as a user would: PUBLICSAFETY_ENGINE=pyspark://local.
    monkeypatch.setenv("PUBLICSAFETY_ENGINE", spark.LOCAL_URL)
    store = open_store(tmp_path)
    assert not store.is_duckdb
    assert (tmp_path / "spark").is_dir()
    got = portable.demand_by(store, SCOPE, "category")
    pd.testing.assert_frame_equal(got, demand.demand_by(duck, SCOPE, "category"))
    with pytest.raises(StoreError, match="embedded DuckDB store"):
        store.count("calls")
