"""Run the analyses on Apache Spark through Ibis's PySpark backend, and place points there.

Ingest always writes the embedded DuckDB store; for work that outgrows one machine the canonical
tables are copied to Spark as Parquet (`copy_tables`) and the analyses read them through the
same `Store.table` interface (`spark_store`). Area assignment runs in Spark too (`place`): the
polygons (a few hundred at most) are broadcast as WKB and each partition of points goes through
the same shapely code as the DuckDB path (`geo.assign_points`) in `mapInPandas`.

Local mode is set for a small shared machine: two cores, four shuffle partitions, 2 GB of driver
memory, no web UI and no network beyond the loopback.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import shapely

from publicsafety import tables
from publicsafety.config import Settings
from publicsafety.engine import Store, open_store
from publicsafety.errors import StoreError
from publicsafety.ingest import geo
from publicsafety.ingest.placing import EVENT_KINDS, PlaceSummary

LOCAL_URL = "pyspark://local"

LOCAL_CONF: dict[str, str] = {
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "4",
    "spark.driver.memory": "2g",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    # Local mode needs no network: bind the driver to the loopback only.
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    # Store timestamps are local wall-clock times without a zone; UTC keeps Spark from shifting them.
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}

_copies = itertools.count()


def session(master: str = "local[2]", conf: dict[str, str] | None = None) -> Any:
    """A SparkSession (the running one if there is one) with the small-machine settings."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - pyspark is a pinned dependency
        raise StoreError(
            "the Spark engine needs pyspark",
            fix="install the project's dependencies (pip install -e .) and a Java 17 runtime",
        ) from exc
    # Python workers must run the driver's interpreter: a different minor version is refused.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName("publicsafety")
    for key, value in {**LOCAL_CONF, **(conf or {})}.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:
        raise StoreError(
            f"cannot start Spark: {exc}",
            where=master,
            fix="Spark needs a Java 17 runtime: apt-get install openjdk-17-jre-headless",
        ) from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _columns(name: str) -> str:
    # Spark has no TIME type: clock times (stops.time) travel as 'HH:MM:SS' text.
    return ", ".join(
        f'CAST("{c.name}" AS VARCHAR) AS "{c.name}"' if c.type == "TIME" else f'"{c.name}"'
        for c in tables.columns(name)
    )


def copy_tables(
    store: Store, spark: Any, folder: Path, names: list[str] | None = None
) -> dict[str, int]:
    """Copy canonical tables (all, or `names`) from a DuckDB store to Spark through Parquet in
    `folder`, registering each as a temporary view of the same name. Returns rows per table."""
    folder.mkdir(parents=True, exist_ok=True)
    copied = {}
    for name in names or list(tables.TABLES):
        path = folder / f"{name}-{next(_copies)}.parquet"
        quoted = str(path).replace("'", "''")
        store.con.execute(
            f"COPY (SELECT {_columns(name)} FROM \"{name}\") TO '{quoted}' (FORMAT parquet)"
        )
        frame = spark.read.parquet(str(path))
        frame.createOrReplaceTempView(name)
        copied[name] = store.count(name)
    return copied


def spark_store(spark: Any, cfg: Settings) -> Store:
    """A Store whose tables are the Spark session's views (see `copy_tables`)."""
    return Store(cfg, None, ibis.pyspark.connect(spark))


def open_local(cfg: Settings) -> Store:
    """The workspace's store on Spark local mode: its tables copied to Parquet under the
    workspace (folder `spark`), then read by Spark. Ingest still needs the DuckDB store."""
    spark = session()
    # An explicit DuckDB URL: PUBLICSAFETY_ENGINE may name Spark, which would lead back here.
    with open_store(cfg.workspace, engine_url=f"duckdb://{cfg.store_path}", read_only=True) as duck:
        copy_tables(duck, spark, cfg.workspace / "spark")
    return spark_store(spark, cfg)


def _session_of(store: Store) -> Any:
    spark = getattr(store.backend, "_session", None)
    if spark is None:
        raise StoreError(
            "this operation needs a store on Spark",
            where=store.settings.engine_url,
            fix=f"open the store with engine URL {LOCAL_URL}",
        )
    return spark


def _assigner(kind: str, area_set: str, ids: list[str], wkb: Any, bbox: geo.BBox) -> Any:
    """The per-partition function for mapInPandas: (row_id, lon, lat) batches in, placements
    plus the flags PlaceSummary counts out."""

    def assign(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        # Parse the broadcast polygons once per partition, not once per batch.
        geoms = list(shapely.from_wkb(wkb.value))
        names = np.array(ids, dtype=object)
        for pdf in batches:
            lon = pdf["lon"].to_numpy(dtype="float64", na_value=np.nan)
            lat = pdf["lat"].to_numpy(dtype="float64", na_value=np.nan)
            # Same rule as ingest/areas.py: no point, NaN or the (0, 0) sentinel.
            missing = np.isnan(lon) | np.isnan(lat) | ((lon == 0) & (lat == 0))
            lon = np.where(missing, np.nan, lon)
            lat = np.where(missing, np.nan, lat)
            found = geo.assign_points(lon, lat, geoms)
            area = np.where(found.index >= 0, names[np.maximum(found.index, 0)], None)
            yield pd.DataFrame(
                {
                    "kind": kind,
                    "row_id": pdf["row_id"].to_numpy(dtype="int64"),
                    "area_set": area_set,
                    "area_id": pd.array(area, dtype=object),
                    "missing": missing,
                    "multiple": found.multiple,
                    "on_boundary": found.on_boundary,
                    "outside": geo.outside_bbox(lon, lat, bbox),
                }
            )

    return assign


SCHEMA = (
    "kind string, row_id long, area_set string, area_id string, missing boolean,"
    " multiple boolean, on_boundary boolean, outside boolean"
)


def place(store: Store, kind: str, city: str, area_set: str, folder: Path) -> PlaceSummary:
    """Place the city's `kind` points in `area_set` on Spark, replacing their rows of the
    `placements` view (rewritten as Parquet in `folder`); the same result as ingest's `place`."""
    from pyspark.sql import functions as F

    if kind not in EVENT_KINDS:
        raise StoreError(
            f"{kind!r} is not an event table with points", fix=f"use one of {EVENT_KINDS}"
        )
    spark = _session_of(store)
    areas = (
        spark.table("areas")
        .where((F.col("city") == city) & (F.col("area_set") == area_set))
        .orderBy("area_id", "row_id")
        .select("area_id", "geometry")
        .collect()
    )
    if not areas:
        raise StoreError(
            f"{city} has no area set {area_set!r}",
            fix="load the boundaries first with `publicsafety ingest FILE --profile NAME`",
        )
    wkb = [bytes(r["geometry"]) for r in areas]
    xmin, ymin, xmax, ymax = shapely.total_bounds(shapely.from_wkb(wkb))
    lon_col = "lng" if "lng" in tables.column_names(kind) else "lon"
    points = spark.table(kind).where(F.col("city") == city)
    points = points.select("row_id", F.col(lon_col).alias("lon"), "lat")
    assign = _assigner(
        kind,
        area_set,
        [r["area_id"] for r in areas],
        spark.sparkContext.broadcast(wkb),
        geo.BBox(xmin, ymin, xmax, ymax),
    )
    path = folder / f"placements-{next(_copies)}.parquet"
    placed = points.mapInPandas(assign, SCHEMA)
    placed.write.parquet(str(path))
    new = spark.read.parquet(str(path))
    old = spark.table("placements")
    keep = old.join(
        new.select("kind", "row_id", "area_set"), ["kind", "row_id", "area_set"], "left_anti"
    )
    out = folder / f"placements-{next(_copies)}.parquet"
    keep.unionByName(new.select(*tables.column_names("placements"))).write.parquet(str(out))
    spark.read.parquet(str(out)).createOrReplaceTempView("placements")
    flags = new.agg(
        F.count("*").alias("rows"),
        F.count("area_id").alias("placed"),
        F.sum(F.col("missing").cast("int")).alias("missing"),
        F.sum(F.col("multiple").cast("int")).alias("multiple"),
        F.sum(F.col("on_boundary").cast("int")).alias("on_boundary"),
        F.sum(F.col("outside").cast("int")).alias("outside"),
    ).collect()[0]
    rows, n_placed = int(flags["rows"]), int(flags["placed"])
    return PlaceSummary(
        kind=kind,
        city=city,
        area_set=area_set,
        rows=rows,
        placed=n_placed,
        not_placed=rows - n_placed - int(flags["missing"] or 0),
        no_coordinates=int(flags["missing"] or 0),
        multiple=int(flags["multiple"] or 0),
        on_boundary=int(flags["on_boundary"] or 0),
        outside_bbox=int(flags["outside"] or 0),
    )
