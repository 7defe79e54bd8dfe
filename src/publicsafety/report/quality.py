"""Data sources and data quality for one city: files loaded, rows set aside, coverage in time, and
events that could not be placed in an area. Counts are aggregated in the engine and published
through the privacy layer like any other table."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from publicsafety.engine import Store
from publicsafety.ingest.areas import placement_summary
from publicsafety.report.export import publish

# Event tables and the column that dates their rows.
DATED = {
    "calls": "received_at",
    "stops": "date",
    "incidents": "reported_at",
    "force": "occurred_at",
}


@dataclass
class Quality:
    loads: pd.DataFrame
    quarantine: pd.DataFrame
    coverage: pd.DataFrame
    placement: pd.DataFrame
    rows: dict[str, int] = field(default_factory=dict)  # loaded rows per table (exact, internal)


def _public(df: pd.DataFrame, counts: list[str]) -> pd.DataFrame:
    if df.empty:
        return df
    return publish(df, counts).table


def city_quality(store: Store, city: str) -> Quality:
    con = store.con
    loads = con.execute(
        "SELECT kind AS table_name, regexp_extract(source_file, '[^/\\\\]+$') AS file,"
        " rows_read, rows_loaded, rows_quarantined FROM loads WHERE city = ? ORDER BY load_id",
        [city],
    ).df()
    quarantine = con.execute(
        "SELECT kind AS table_name, reason, count(*) AS rows FROM quarantine WHERE city = ?"
        " GROUP BY ALL ORDER BY rows DESC, reason",
        [city],
    ).df()
    coverage = []
    rows: dict[str, int] = {}
    for table, column in DATED.items():
        got = con.execute(
            f"SELECT count(*), min({column})::DATE, max({column})::DATE,"
            f' count(*) FILTER (WHERE {column} IS NULL) FROM "{table}" WHERE city = ?',
            [city],
        ).fetchall()[0]
        rows[table] = int(got[0])
        if got[0]:
            coverage.append({"table_name": table, "rows": int(got[0]),
                             "first_day": str(got[1] or "no dates"),
                             "last_day": str(got[2] or "no dates"),
                             "rows_without_date": int(got[3])})  # fmt: skip
    placement = pd.DataFrame([r for r in placement_summary(store) if r["city"] == city])
    if not placement.empty:
        placement = placement.drop(columns=["city"]).rename(columns={"kind": "table_name"})
    return Quality(
        # Read = loaded + quarantined: a hidden part must not be recoverable from the other two.
        loads=loads
        if loads.empty
        else publish(
            loads,
            ["rows_loaded", "rows_quarantined"],
            additive_rows=True,
            derived={"rows_read": ["rows_loaded", "rows_quarantined"]},
        ).table,
        quarantine=_public(quarantine, ["rows"]),
        coverage=_public(pd.DataFrame(coverage), ["rows", "rows_without_date"]),
        placement=_public(placement, ["rows", "placed", "not_placed", "no_coordinates", "pending"]),
        rows=rows,
    )
