"""Measure Sample City's raw files against its calibration targets (targets.py), in DuckDB.

Reads the raw CSVs as text, as a person checking the data would, so the figures describe what was
written rather than the generator's intentions. Only aggregates come back to Python.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np

from publicsafety.sample_city import FILES, budget, calls, geography

EXCLUDED = ("DUP", "VOI", "TST")
TS = "%m/%d/%Y %H:%M:%S"


def _read(con: duckdb.DuckDBPyConnection, raw_dir: Path, kind: str, name: str) -> None:
    path = str(raw_dir / FILES[kind][0]).replace("'", "''")
    con.execute(
        f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_csv('{path}', skip = 1, header = true,"
        " all_varchar = true, quote = '\"', escape = '\"')"
    )


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    rows = con.execute(sql).fetchall()
    row = rows[0] if rows else None
    return float(row[0]) if row and row[0] is not None else float("nan")


def measure(raw_dir: Path) -> dict[str, float]:
    """Achieved value of every target in targets.TARGETS, keyed by target key."""
    con = duckdb.connect(":memory:", config={"threads": 1})
    for kind, name in (
        ("calls", "raw_calls"),
        ("stops", "raw_stops"),
        ("population", "raw_pop"),
        ("budget", "raw_budget"),
    ):
        _read(con, raw_dir, kind, name)
    types = calls.call_types()
    con.execute(
        "CREATE TABLE types (code VARCHAR, vera_group VARCHAR, violent BOOLEAN, serious BOOLEAN)"
    )
    con.executemany(
        "INSERT INTO types VALUES (?, ?, ?, ?)",
        [(t.code, t.vera_group, t.violent, t.serious_violent) for t in types],
    )
    excluded = ", ".join(f"'{c}'" for c in EXCLUDED)
    con.execute(
        f"""
        CREATE TABLE c AS SELECT
          r.CallSource = '{calls.OFFICER_SOURCE}' AS officer,
          r.Disposition IN ({excluded}) AS excluded,
          r.Disposition AS disposition,
          strptime(r.TimeCreate, '{TS}') AS created,
          NULLIF(strptime(r.TimeDispatch, '{TS}'), TIMESTAMP '1900-01-01') AS dispatched,
          strptime(r.TimeArrive, '{TS}') AS arrived,
          strptime(r.TimeClosed, '{TS}') AS closed,
          t.vera_group, t.violent, t.serious
        FROM raw_calls r JOIN types t ON t.code = r.Type
        """
    )
    out: dict[str, float] = {}
    kept = "FROM c WHERE NOT excluded"
    out["officer_initiated_share"] = _one(con, f"SELECT avg(officer::INT) {kept}")
    out["serious_violent_call_share"] = _one(con, f"SELECT avg(serious::INT) {kept}")
    minutes = "date_diff('second', coalesce(dispatched, arrived), closed) / 60.0"
    out["serious_violent_time_share"] = _one(
        con,
        f"SELECT sum(CASE WHEN serious THEN m END) / sum(m) FROM (SELECT serious, {minutes} AS m {kept})"
        " WHERE m BETWEEN 0 AND 1440",
    )
    for key, group in (
        ("public_order_share", "public_order"),
        ("emergency_services_share", "emergency_services"),
        ("crime_related_share", "crime"),
    ):
        out[key] = _one(con, f"SELECT avg((vera_group = '{group}')::INT) {kept} AND NOT officer")
    out["violent_public_share"] = _one(con, f"SELECT avg(violent::INT) {kept} AND NOT officer")
    out["excluded_disposition_share"] = _one(con, "SELECT avg(excluded::INT) FROM c")
    out["median_response_minutes"] = _one(
        con,
        "SELECT median(m) FROM (SELECT date_diff('second', created, arrived) / 60.0 AS m FROM c"
        " WHERE NOT officer AND disposition IN ('NAT', 'RTF', 'UNF', 'GOA')) WHERE m BETWEEN 0 AND 1440",
    )
    days = con.execute(
        "SELECT month(created) AS mo, count(*) FROM c GROUP BY mo ORDER BY mo"
    ).fetchall()
    per_month = dict(days)
    out["summer_winter_ratio"] = ((per_month[7] + per_month[8]) / 62) / (
        (per_month[1] + per_month[2]) / 59
    )
    hours = np.array(
        [
            n
            for _, n in con.execute(
                "SELECT hour(created) AS h, count(*) FROM c GROUP BY h ORDER BY h"
            ).fetchall()
        ]
    )
    out["peak_trough_hour_ratio"] = float(hours.max() / hours.min())

    pop = {
        g: _one(con, f"SELECT sum({col}::BIGINT) FROM raw_pop")
        for g, col in geography.RACE_COLUMNS.items()
        if g in ("white", "black", "hispanic")
    }
    stops = dict(
        con.execute("SELECT subject_race, count(*) FROM raw_stops GROUP BY ALL").fetchall()
    )
    searched = dict(
        con.execute(
            "SELECT subject_race, avg((search_conducted = 'TRUE')::INT) FROM raw_stops GROUP BY ALL"
        ).fetchall()
    )
    for g, key in (("black", "black"), ("hispanic", "hispanic")):
        out[f"stop_ratio_{key}_white"] = (stops[g] / pop[g]) / (stops["white"] / pop["white"])
        out[f"search_ratio_{key}_white"] = searched[g] / searched["white"]

    total_pop = _one(con, "SELECT sum(total::BIGINT) FROM raw_pop")
    amount = "replace(replace(\"Adopted Budget\", '$', ''), ',', '')::DOUBLE"
    police = _one(con, f"SELECT sum({amount}) FROM raw_budget WHERE Department = '{budget.POLICE}'")
    fund = _one(con, f"SELECT sum({amount}) FROM raw_budget WHERE Fund = '{budget.FUND}'")
    out["police_budget_share"] = police / fund
    out["police_per_capita"] = police / total_pop
    b, w = (
        np.array(
            [
                r[0]
                for r in con.execute(f"SELECT {c}::BIGINT FROM raw_pop ORDER BY nbhd_id").fetchall()
            ]
        )
        for c in ("black", "white")
    )
    out["dissimilarity_black_white"] = geography.dissimilarity(b, w)
    out["poverty_rate"] = _one(
        con, "SELECT sum(below_poverty::BIGINT) / sum(total::BIGINT) FROM raw_pop"
    )
    con.close()
    return out


def quirks(raw_dir: Path) -> dict[str, int]:
    """Counts of the planted data-quality quirks in the raw calls file."""
    con = duckdb.connect(":memory:", config={"threads": 1})
    _read(con, raw_dir, "calls", "raw_calls")
    row = con.execute(
        f"""
        SELECT count(*),
          count(*) FILTER (Disposition = 'DUP'),
          count(*) FILTER (Disposition = 'VOI'),
          count(*) FILTER (Disposition = 'TST'),
          count(*) FILTER (TimeArrive IS NULL AND TimeDispatch IS NOT NULL),
          count(*) FILTER (TimeDispatch LIKE '01/01/1900%'),
          count(*) FILTER (strptime(TimeClosed, '{TS}') < strptime(TimeArrive, '{TS}')),
          count(*) FILTER (strptime(TimeClosed, '{TS}') > strptime(TimeCreate, '{TS}') + INTERVAL 24 HOUR),
          count(*) FILTER (Location IS NULL)
        FROM raw_calls
        """
    ).fetchall()[0]
    con.close()
    assert row is not None
    keys = (
        "rows",
        "duplicate",
        "void",
        "test",
        "missing_arrival",
        "dispatch_1900_sentinel",
        "negative_duration",
        "over_24_hours",
        "missing_location",
    )
    return dict(zip(keys, (int(v) for v in row), strict=True))
