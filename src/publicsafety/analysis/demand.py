"""Service demand (roadmap 1.1): calls and officer hours by category, responder, origin, priority,
disposition, hour of week, month and area, with every share stating its denominator.

Each table comes from one scan in the engine; only the aggregates reach pandas. Shares are given
twice, over all events and over community-generated calls only, because published figures
differ mostly on that choice. Officer hours are `calls.officer_minutes` (analysis/officer_time).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from publicsafety.analysis._sql import ALL_EVENTS, COMMUNITY_ONLY, Scope, frame, require_calls
from publicsafety.engine import Store
from publicsafety.errors import StoreError
from publicsafety.privacy import sensitive_sql

NOT_RECORDED = "not recorded"
WITHHELD = "withheld (sensitive call type)"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The value each dimension groups by (SQL over `calls`).
DIMENSIONS: dict[str, str] = {
    "category": "coalesce(category, 'unclassified')",
    "responder": "coalesce(responder, 'unclassified')",
    "origin": "coalesce(origin, 'unknown')",
    "agency": f"coalesce(agency, '{NOT_RECORDED}')",
    "priority": f"coalesce(priority, '{NOT_RECORDED}')",
    "disposition": f"coalesce(disposition, disposition_text, '{NOT_RECORDED}')",
    # Grouped on the truncated timestamp (cheap) and written as YYYY-MM only on the result rows.
    "month": "date_trunc('month', received_at)",
    "call_type": f"coalesce(call_type, call_type_code, '{NOT_RECORDED}')",
}
COMMUNITY = "origin = 'community'"
# How a grouped value is written in the result (default: as it is).
DISPLAY = {"month": f"coalesce(strftime(value, '%Y-%m'), '{NOT_RECORDED}')"}


def _long_sql(value: str, where: str, dimension: str, order: str, extra: bool) -> str:
    """One scan grouped by (value, community or not); both denominators, their shares and the
    long layout come from those few rows, still in the engine."""
    cat = ", any_value(category) AS category" if extra else ""
    cat_sum = ", any_value(category) AS category" if extra else ""
    cat_col = ", category" if extra else ""
    return f"""
        WITH g AS (
          SELECT {value} AS value, {COMMUNITY} AS comm, count(*) AS calls,
                 sum(officer_minutes) / 60.0 AS hours, count(officer_minutes) AS timed{cat}
          FROM calls WHERE {where} GROUP BY ALL),
        l AS (
          SELECT value, '{ALL_EVENTS}' AS denominator, sum(calls) AS calls, sum(hours) AS hours,
                 sum(timed) AS timed{cat_sum}
          FROM g GROUP BY value
          UNION ALL
          SELECT value, '{COMMUNITY_ONLY}', calls, hours, timed{cat_col} FROM g WHERE comm)
        SELECT {DISPLAY.get(dimension, "value")} AS {dimension}, denominator, CAST(calls AS BIGINT) AS calls,
               calls / sum(calls) OVER (PARTITION BY denominator) AS share_of_calls,
               CASE WHEN timed > 0 THEN hours END AS officer_hours,
               hours / nullif(sum(hours) OVER (PARTITION BY denominator), 0) AS share_of_officer_hours,
               CAST(timed AS BIGINT) AS calls_with_officer_time{cat_col}
        FROM l ORDER BY {order}"""


def demand_by(store: Store, scope: Scope, dimension: str) -> pd.DataFrame:
    """Calls and officer hours by one dimension (see DIMENSIONS), over both denominators
    (column `denominator`), sorted by calls (months in time order)."""
    if dimension not in DIMENSIONS:
        raise StoreError(
            f"no demand dimension {dimension!r}",
            fix=f"choose one of: {', '.join(DIMENSIONS)}",
        )
    where, params = scope.where()
    order = "denominator, value" if dimension == "month" else "denominator, calls DESC, value"
    sql = _long_sql(DIMENSIONS[dimension], where, dimension, order, dimension == "call_type")
    df = frame(store, sql, params)
    return df.astype(
        {"share_of_calls": float, "officer_hours": float, "share_of_officer_hours": float}
    )


def top_call_types(store: Store, scope: Scope, n: int = 20) -> pd.DataFrame:
    """The `n` call types with the most calls (all events), with their category and shares."""
    where, params = scope.where()
    value = DIMENSIONS["call_type"]
    # Only n rows come back; the shares' denominators are computed over every type in the engine.
    df = frame(
        store,
        f"""SELECT {value} AS call_type, count(*) AS calls,
                   count(*) / sum(count(*)) OVER () AS share_of_calls,
                   coalesce(sum(officer_minutes), 0) / 60.0 AS officer_hours,
                   sum(officer_minutes) / sum(sum(officer_minutes)) OVER () AS share_of_officer_hours,
                   count(officer_minutes) AS calls_with_officer_time, any_value(category) AS category
            FROM calls WHERE {where} GROUP BY ALL ORDER BY calls DESC, call_type LIMIT {int(n)}""",
        params,
    )
    df.insert(1, "denominator", ALL_EVENTS)
    df["officer_hours"] = df["officer_hours"].where(df["calls_with_officer_time"] > 0)
    cols = ["call_type", "denominator", "calls", "share_of_calls", "officer_hours"]
    return df[[*cols, "share_of_officer_hours", "calls_with_officer_time", "category"]]


def monthly(store: Store, scope: Scope, by: str = "category") -> pd.DataFrame:
    """Monthly trend: calls and officer hours per month and `by` value (all events)."""
    if by not in DIMENSIONS:
        raise StoreError(
            f"no demand dimension {by!r}", fix=f"choose one of: {', '.join(DIMENSIONS)}"
        )
    where, params = scope.where()
    return frame(
        store,
        f"""SELECT strftime(m, '%Y-%m') AS month, * EXCLUDE (m) FROM (
              SELECT date_trunc('month', received_at) AS m, {DIMENSIONS[by]} AS {by},
                     count(*) AS calls, coalesce(sum(officer_minutes), 0) / 60.0 AS officer_hours,
                     count(*) FILTER (WHERE {COMMUNITY}) AS community_calls
              FROM calls WHERE {where} AND received_at IS NOT NULL GROUP BY ALL)
            ORDER BY month, {by}""",
        params,
    )


def hour_of_week(store: Store, scope: Scope, *, withhold_sensitive: bool = False) -> pd.DataFrame:
    """Calls and officer hours per hour of the week (0 = Monday 00:00-00:59 ... 167 = Sunday
    23:00), with the number of times each hour occurred in the period (`slots`) and the average
    per week. Date-only calls have no hour and are left out (the table is then empty).

    With `withhold_sensitive`, sensitive call types (privacy.py) are counted in one extra row
    without a time, as the privacy rules require of public outputs.
    """
    where, params = scope.where()
    timed = f"{where} AND received_at IS NOT NULL AND NOT coalesce(date_only, false)"
    sens = sensitive_sql("call_type") if withhold_sensitive else "false"
    df = frame(
        store,
        f"""
        WITH c AS (
          SELECT CASE WHEN {sens} THEN NULL
                      ELSE (isodow(received_at) - 1) * 24 + hour(received_at) END AS how,
                 officer_minutes, {COMMUNITY} AS comm, received_at
          FROM calls WHERE {timed}
        ),
        agg AS (SELECT how, count(*) AS calls, count(*) FILTER (WHERE comm) AS community_calls,
                       coalesce(sum(officer_minutes), 0) / 60.0 AS officer_hours,
                       count(officer_minutes) AS calls_with_officer_time,
                       min(received_at) AS t0, max(received_at) AS t1
                FROM c GROUP BY how),
        -- The period from the same scan: the first and last day with a call.
        span AS (SELECT min(t0)::DATE AS d0, max(t1)::DATE AS d1 FROM agg),
        days AS (SELECT isodow(d) - 1 AS dow, count(*) AS n
                 FROM span, generate_series(span.d0, span.d1, INTERVAL 1 DAY) g(d) GROUP BY 1)
        SELECT agg.how AS hour_of_week, agg.how // 24 AS dow, agg.how % 24 AS hour,
               agg.calls, agg.community_calls, agg.officer_hours, agg.calls_with_officer_time,
               days.n AS slots
        FROM agg LEFT JOIN days ON days.dow = agg.how // 24
        ORDER BY agg.how NULLS LAST
        """,
        params,
    )
    df.insert(1, "day", [DAYS[int(d)] if pd.notna(d) else WITHHELD for d in df["dow"]])
    df["calls_per_week"] = df["calls"] / df["slots"]
    df["officer_hours_per_week"] = df["officer_hours"] / df["slots"]
    return df.drop(columns=["dow"])


def demand_by_area(
    store: Store, scope: Scope, area_set: str, *, withhold_sensitive: bool = False
) -> pd.DataFrame:
    """Calls and officer hours per area of `area_set` (through `placements`), with residents
    and calls per 1,000 residents where the population is known. Calls with no point or outside
    every area are one row with area_id NULL ("no area")."""
    where, params = scope.where("c")
    sens = sensitive_sql("c.call_type") if withhold_sensitive else "false"
    df = frame(
        store,
        f"""
        WITH pop AS (
          SELECT area_id, sum("count") AS residents FROM population
          WHERE city = ? AND area_set = ? AND dimension = 'total' GROUP BY area_id
        ),
        c AS (
          SELECT CASE WHEN {sens} THEN '{WITHHELD}' ELSE p.area_id END AS area_id,
                 c.officer_minutes, c.origin
          FROM calls c LEFT JOIN placements p
            ON p.kind = 'calls' AND p.row_id = c.row_id AND p.area_set = ?
          WHERE {where}
        ),
        agg AS (
          SELECT area_id, count(*) AS calls, count(*) FILTER (WHERE origin = 'community') AS community_calls,
                 count(*) FILTER (WHERE origin = 'officer') AS officer_initiated,
                 coalesce(sum(officer_minutes), 0) / 60.0 AS officer_hours
          FROM c GROUP BY area_id
        )
        SELECT agg.area_id, a.name, coalesce(pop.residents, a.population) AS residents,
               agg.calls, agg.community_calls, agg.officer_initiated, agg.officer_hours
        FROM agg
        LEFT JOIN (SELECT area_id, any_value(name) AS name, any_value(population) AS population
                   FROM areas WHERE city = ? AND area_set = ? GROUP BY area_id) a
          ON a.area_id = agg.area_id
        LEFT JOIN pop ON pop.area_id = agg.area_id
        ORDER BY agg.area_id NULLS LAST
        """,
        [scope.city, area_set, area_set, *params, scope.city, area_set],
    )
    res = df["residents"].where(df["residents"] > 0)
    df["calls_per_1000_residents"] = 1000 * df["calls"] / res
    df["share_of_calls"] = df["calls"] / df["calls"].sum()
    df["denominator"] = ALL_EVENTS
    return df


def area_sets(store: Store, city: str) -> list[str]:
    """Area sets the city's calls are placed in."""
    rows = store.con.execute(
        """SELECT DISTINCT p.area_set FROM placements p JOIN calls c
           ON p.kind = 'calls' AND p.row_id = c.row_id WHERE c.city = ? ORDER BY 1""",
        [city],
    ).fetchall()
    return [r[0] for r in rows]


@dataclass
class DemandTables:
    """Every demand table of one scope."""

    scope: Scope
    calls: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


TABLE_DIMENSIONS = ("category", "responder", "origin", "agency", "priority", "disposition", "month")


def demand_tables(
    store: Store,
    scope: Scope,
    *,
    areas: list[str] | None = None,
    top: int = 20,
    withhold_sensitive: bool = False,
) -> DemandTables:
    """All demand tables: by each dimension, top call types, monthly trend by category, hour of
    week, and per area of each area set the calls are placed in (or of `areas`)."""
    n = require_calls(store, scope)
    out = DemandTables(scope, n)
    for dim in TABLE_DIMENSIONS:
        out.tables[f"by_{dim}"] = demand_by(store, scope, dim)
    out.tables["top_call_types"] = top_call_types(store, scope, top)
    out.tables["monthly_by_category"] = monthly(store, scope, "category")
    how = hour_of_week(store, scope, withhold_sensitive=withhold_sensitive)
    if len(how):
        out.tables["hour_of_week"] = how
    else:
        out.notes.append("The source gives dates without times: no hour-of-week table.")
    for name in areas if areas is not None else area_sets(store, scope.city):
        out.tables[f"by_area_{name}"] = demand_by_area(
            store, scope, name, withhold_sensitive=withhold_sensitive
        )
    community = int(
        out.tables["by_origin"]
        .query("denominator == @ALL_EVENTS and origin == 'community'")["calls"]
        .sum()
    )
    out.notes.append(
        f"Shares are given over all events ({n:,}) and over community-generated calls only "
        f"({community:,}); the denominator column says which."
    )
    return out
