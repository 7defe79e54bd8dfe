"""Officer time per call and response times, measured in the engine by explicit, counted rules.

Officer time is the time units were committed to a call: from dispatch (or arrival) to clear,
times the number of units where the data has units. Every call falls under exactly one rule
(date-only source, no clear time, no start time, negative, over the limit, or measured) and
the rules are counted, so no call is ever dropped without a trace. `calls.officer_minutes`
holds the result (NULL where a rule gives no minutes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from publicsafety.analysis._sql import COMMUNITY_ONLY, Scope, convention, frame, require_calls
from publicsafety.engine import Store
from publicsafety.errors import ProfileError, StoreError

# Rule names, in the order they are tested (the first that applies wins).
DATE_ONLY = "date_only"
NO_CLEAR = "no_clear_time"
NO_START = "no_start_time"
NEGATIVE = "negative"
OVER_LIMIT = "over_limit"
MEASURED = "measured"
MEASURED_FALLBACK = "measured_from_fallback"
RULES = (DATE_ONLY, NO_CLEAR, NO_START, NEGATIVE, OVER_LIMIT, MEASURED_FALLBACK, MEASURED)


@dataclass(frozen=True)
class OfficerTimeRules:
    """How officer time is measured. `start` is "dispatch" or "arrival"; when the start time is
    missing the other one is used (counted as measured_from_fallback: officer-initiated events
    often have an arrival but no dispatch). Durations over `max_hours` are excluded or capped."""

    start: str = "dispatch"
    max_hours: float = 24.0
    over_limit: str = "exclude"  # or "cap"

    def __post_init__(self) -> None:
        if self.start not in ("dispatch", "arrival"):
            raise ProfileError(
                f"officer time start {self.start!r} is not known",
                where="demand_conventions.toml [officer_time] start",
                fix='use "dispatch" or "arrival"',
            )
        if self.over_limit not in ("exclude", "cap"):
            raise ProfileError(
                f"over_limit {self.over_limit!r} is not known",
                where="demand_conventions.toml [officer_time] over_limit",
                fix='use "exclude" or "cap"',
            )
        if not self.max_hours > 0:
            raise ProfileError(
                "max_hours must be more than 0",
                where="demand_conventions.toml [officer_time] max_hours",
                fix="use e.g. 24",
            )

    @property
    def primary(self) -> str:
        return "dispatched_at" if self.start == "dispatch" else "arrived_at"

    @property
    def fallback(self) -> str:
        return "arrived_at" if self.start == "dispatch" else "dispatched_at"

    def describe(self) -> str:
        first, other = (
            ("dispatch", "arrival") if self.start == "dispatch" else ("arrival", "dispatch")
        )
        limit = (
            "left out" if self.over_limit == "exclude" else f"counted as {self.max_hours:g} hours"
        )
        return (
            f"time from {first} (or {other} when there is no {first} time) to clear, times the "
            f"number of units where known; durations over {self.max_hours:g} hours are {limit}"
        )


RULE_TEXT = {
    DATE_ONLY: "the source gives dates without times: no minutes can be measured",
    NO_CLEAR: "no clear time: no minutes",
    NO_START: "neither a dispatch nor an arrival time: no minutes",
    NEGATIVE: "cleared before the start time (a recording error): no minutes",
    OVER_LIMIT: "longer than the limit",
    MEASURED_FALLBACK: "measured from the other start time (the chosen one is missing)",
    MEASURED: "measured",
}


def rules_for(city: str) -> OfficerTimeRules:
    """The officer-time rules of a city (demand_conventions.toml; defaults otherwise)."""
    c = convention(city, "officer_time")
    return OfficerTimeRules(
        start=str(c.get("start", "dispatch")),
        max_hours=float(c.get("max_hours", 24)),
        over_limit=str(c.get("over_limit", "exclude")),
    )


def _start(r: OfficerTimeRules) -> str:
    return f"coalesce({r.primary}, {r.fallback})"


def rule_sql(r: OfficerTimeRules) -> str:
    """SQL: the rule each call falls under (see RULES)."""
    start = _start(r)
    return f"""CASE
      WHEN coalesce(date_only, false) THEN '{DATE_ONLY}'
      WHEN cleared_at IS NULL THEN '{NO_CLEAR}'
      WHEN {start} IS NULL THEN '{NO_START}'
      WHEN cleared_at < {start} THEN '{NEGATIVE}'
      WHEN epoch(cleared_at - {start}) > {r.max_hours * 3600:.0f} THEN '{OVER_LIMIT}'
      WHEN {r.primary} IS NULL THEN '{MEASURED_FALLBACK}'
      ELSE '{MEASURED}' END"""


def minutes_sql(r: OfficerTimeRules) -> str:
    """SQL: officer minutes of a call under the rules (NULL where a rule gives none)."""
    start = _start(r)
    units = "CASE WHEN units >= 1 THEN units ELSE 1 END"
    raw = f"epoch(cleared_at - {start}) / 60.0"
    over = f"{r.max_hours * 60:.6f}" if r.over_limit == "cap" else "NULL"
    return f"""CASE
      WHEN coalesce(date_only, false) OR cleared_at IS NULL OR {start} IS NULL
           OR cleared_at < {start} THEN NULL
      WHEN epoch(cleared_at - {start}) > {r.max_hours * 3600:.0f} THEN {over} * {units}
      ELSE {raw} * {units} END"""


@dataclass
class OfficerTimeResult:
    """Per-rule counts of one city's officer-time measurement."""

    city: str
    rules: OfficerTimeRules
    table: pd.DataFrame  # rule, calls, share_of_calls, officer_hours, units_known, what_happens
    calls: int
    measured_calls: int
    officer_hours: float
    notes: list[str] = field(default_factory=list)


def measure_officer_time(
    store: Store, city: str, rules: OfficerTimeRules | None = None, *, update: bool = True
) -> OfficerTimeResult:
    """Fill calls.officer_minutes for one city (unless `update` is False) and count the rules.

    Every call of the city is counted under exactly one rule; the table's calls add up to the
    city's calls.
    """
    r = rules or rules_for(city)
    scope = Scope(city)
    total = require_calls(store, scope)
    if update:
        store.con.execute(
            f"UPDATE calls SET officer_minutes = {minutes_sql(r)} WHERE city = ?", [city]
        )
    df = frame(
        store,
        f"""
        SELECT {rule_sql(r)} AS rule, count(*) AS calls,
               coalesce(sum({minutes_sql(r)}), 0) / 60.0 AS officer_hours,
               count(*) FILTER (WHERE units >= 1) AS units_known
        FROM calls WHERE city = ? GROUP BY rule
        """,
        [city],
    )
    df = (
        pd.DataFrame({"rule": list(RULES)})
        .merge(df, on="rule", how="left")
        .fillna({"calls": 0, "officer_hours": 0.0, "units_known": 0})
    )
    df["calls"] = df["calls"].astype("int64")
    df["units_known"] = df["units_known"].astype("int64")
    df["share_of_calls"] = df["calls"] / total
    limit_text = (
        f"longer than {r.max_hours:g} hours: left out, no minutes"
        if r.over_limit == "exclude"
        else f"longer than {r.max_hours:g} hours: counted as {r.max_hours:g} hours"
    )
    df["what_happens"] = [limit_text if x == OVER_LIMIT else RULE_TEXT[x] for x in df["rule"]]
    df = df[["rule", "calls", "share_of_calls", "officer_hours", "units_known", "what_happens"]]
    by = dict(zip(df["rule"], df["calls"], strict=True))
    measured = (
        by[MEASURED] + by[MEASURED_FALLBACK] + (by[OVER_LIMIT] if r.over_limit == "cap" else 0)
    )
    notes = [f"Officer time is {r.describe()}."]
    if by[DATE_ONLY] == total:
        notes.append(
            f"{city}'s file gives dates without times, so no officer minutes or response times "
            "can be measured; call counts are still valid."
        )
    elif measured < total:
        notes.append(
            f"Officer time was measured on {measured:,} of {total:,} calls "
            f"({measured / total:.0%}); the rest are counted under the rules in the table."
        )
    if int(df["units_known"].sum()) == 0:
        notes.append("The data has no unit counts: each call counts one unit.")
    return OfficerTimeResult(city, r, df, total, measured, float(df["officer_hours"].sum()), notes)


# --- response time -------------------------------------------------------------------------

RESPONSE_GROUPS = ("priority", "initial_priority", "category", "responder", "agency", "origin")
SEGMENTS = {
    "received_to_arrived": ("received_at", "arrived_at"),
    "received_to_dispatched": ("received_at", "dispatched_at"),
    "dispatched_to_arrived": ("dispatched_at", "arrived_at"),
}


@dataclass(frozen=True)
class ResponseConvention:
    """Which calls a response-time figure counts (demand_conventions.toml [response_time])."""

    origins: tuple[str, ...] = ("community",)
    dispositions: tuple[str, ...] = ()
    min_minutes: float = 0.0
    max_minutes: float = 1440.0
    source: str = "toolkit default"

    @classmethod
    def for_city(cls, city: str) -> ResponseConvention:
        c = convention(city, "response_time")
        return cls(
            origins=tuple(c.get("origins", ("community",))),
            dispositions=tuple(str(d).upper() for d in c.get("dispositions", ())),
            min_minutes=float(c.get("min_minutes", 0)),
            max_minutes=float(c.get("max_minutes", 1440)),
            source=str(c.get("source", "toolkit default")),
        )

    def denominator(self) -> str:
        who = (
            COMMUNITY_ONLY
            if self.origins == ("community",)
            else "origin " + ", ".join(self.origins or ("any",))
        )
        disp = f"; dispositions {', '.join(self.dispositions)}" if self.dispositions else ""
        return f"{who}{disp}; {self.min_minutes:g} to {self.max_minutes:,.0f} minutes"


@dataclass
class ResponseTimes:
    city: str
    convention: ResponseConvention
    table: (
        pd.DataFrame
    )  # priority, segment, calls, median, mean, p90, share_over_20/60, denominator
    sample: pd.DataFrame  # step, calls: how the convention narrows the calls
    notes: list[str]


def _in(column: str, values: Sequence[str], upper: bool = False) -> tuple[str, list[Any]]:
    if not values:
        return "true", []
    col = f"upper({column})" if upper else column
    return f"{col} IN ({', '.join('?' for _ in values)})", list(values)


def response_times(
    store: Store,
    scope: Scope,
    convention_: ResponseConvention | None = None,
    *,
    by: str = "priority",
) -> ResponseTimes:
    """Response time (received to arrival) and its parts, by `by` and overall ("all"), with
    median, mean, 90th percentile and shares over 20 and 60 minutes, on the calls the convention
    keeps. `sample` counts the calls left after each step of the convention."""
    if by not in RESPONSE_GROUPS:
        raise StoreError(
            f"response times cannot be grouped by {by!r}",
            fix=f"choose one of: {', '.join(RESPONSE_GROUPS)}",
        )
    conv = convention_ or ResponseConvention.for_city(scope.city)
    where, params = scope.where()
    o_sql, o_par = _in("origin", conv.origins)
    d_sql, d_par = _in("disposition", conv.dispositions, upper=True)
    total = "epoch(arrived_at - received_at) / 60.0"
    window = f"{total} BETWEEN {conv.min_minutes} AND {conv.max_minutes}"
    steps = [
        ("calls in scope", "true"),
        ("origin " + (", ".join(conv.origins) or "any"), o_sql),
        ("disposition " + (", ".join(conv.dispositions) or "any"), d_sql),
        ("date and time recorded (not a date-only source)", "NOT coalesce(date_only, false)"),
        ("has an arrival time", "arrived_at IS NOT NULL"),
        (
            f"received to arrival within {conv.min_minutes:g} to {conv.max_minutes:,.0f} minutes",
            window,
        ),
    ]
    conds: list[str] = []
    cond_params: list[Any] = []
    selects, sel_params = [], []
    for i, (_, cond) in enumerate(steps):
        conds.append(cond)
        if i == 1:
            cond_params += o_par
        if i == 2:
            cond_params += d_par
        selects.append(f"count(*) FILTER (WHERE {' AND '.join(conds)}) AS s{i}")
        sel_params += list(cond_params)
    counts = store.con.execute(
        f"SELECT {', '.join(selects)} FROM calls WHERE {where}", sel_params + params
    ).fetchone()
    assert counts is not None
    sample = pd.DataFrame({"step": [s for s, _ in steps], "calls": [int(c) for c in counts]})
    keep = " AND ".join(c for _, c in steps)
    parts = []
    for name, (a, b) in SEGMENTS.items():
        mins = f"epoch({b} - {a}) / 60.0"
        parts.append(
            f"""SELECT coalesce(CAST({by} AS VARCHAR), 'not recorded') AS grp, '{name}' AS segment, {mins} AS m
                FROM kept WHERE {a} IS NOT NULL AND {b} IS NOT NULL AND {b} >= {a}"""
        )
    table = frame(
        store,
        f"""
        WITH kept AS (SELECT * FROM calls WHERE {where} AND {keep}),
        seg AS ({" UNION ALL ".join(parts)})
        SELECT coalesce(grp, 'all') AS {by}, segment, count(*) AS calls,
               quantile_cont(m, 0.5) AS median_minutes, avg(m) AS mean_minutes,
               quantile_cont(m, 0.9) AS p90_minutes,
               avg(CASE WHEN m > 20 THEN 1.0 ELSE 0.0 END) AS share_over_20,
               avg(CASE WHEN m > 60 THEN 1.0 ELSE 0.0 END) AS share_over_60
        FROM seg GROUP BY GROUPING SETS ((grp, segment), (segment))
        ORDER BY grp IS NULL, grp, segment
        """,
        params + o_par + d_par,
    )
    table["denominator"] = conv.denominator()
    notes = [f"Convention: {conv.source}."]
    if sample["calls"].iloc[3] == 0:
        notes.append("The source gives dates without times: response times cannot be measured.")
    else:
        kept = int(sample["calls"].iloc[-1])
        notes.append(
            f"Response times use {kept:,} of {int(sample['calls'].iloc[0]):,} calls in scope "
            f"({conv.denominator()}); the parts use the same calls where both times are recorded "
            "and in order."
        )
    return ResponseTimes(scope.city, conv, table, sample, notes)
