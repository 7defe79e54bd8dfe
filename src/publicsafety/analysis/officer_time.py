"""Officer time per call and response times, measured in the engine by explicit, counted rules.

Officer time is the time units were committed to a call: from dispatch (or arrival) to clear,
times the number of units where the data has units. Every call falls under exactly one rule
(date-only source, no clear time, no start time, negative, over the limit, or measured) and
the rules are counted, so no call is ever dropped without a trace. `calls.officer_minutes`
holds the result (NULL where a rule gives no minutes), written on the embedded DuckDB store;
on another engine the rules are counted from the column as it was written there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ibis
import pandas as pd
import sqlglot
from ibis import _
from sqlglot import exp

from publicsafety.analysis.scope import (
    COMMUNITY_ONLY,
    Scope,
    convention,
    fetch,
    minutes,
    one_row,
    require_calls,
)
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


def rule_expr(t: ibis.Table, r: OfficerTimeRules) -> Any:
    """The rule each call of `t` falls under (see RULES)."""
    start = ibis.coalesce(t[r.primary], t[r.fallback])
    return ibis.cases(
        (t.date_only.fill_null(False), DATE_ONLY),
        (t.cleared_at.isnull(), NO_CLEAR),
        (start.isnull(), NO_START),
        (t.cleared_at < start, NEGATIVE),
        (minutes(start, t.cleared_at) > r.max_hours * 60, OVER_LIMIT),
        (t[r.primary].isnull(), MEASURED_FALLBACK),
        else_=MEASURED,
    )


def minutes_expr(t: ibis.Table, r: OfficerTimeRules) -> Any:
    """Officer minutes of each call of `t` under the rules (NULL where a rule gives none)."""
    start = ibis.coalesce(t[r.primary], t[r.fallback])
    units = ibis.ifelse(t.units >= 1, t.units, 1).cast("float64")
    raw = minutes(start, t.cleared_at)
    over = ibis.literal(r.max_hours * 60.0) if r.over_limit == "cap" else ibis.null("float64")
    none = t.date_only.fill_null(False) | t.cleared_at.isnull() | start.isnull()
    return ibis.cases(
        (none | (t.cleared_at < start), ibis.null("float64")),
        (raw > r.max_hours * 60, over * units),
        else_=raw * units,
    )


def column_sql(t: ibis.Table, expr: Any) -> str:
    """DuckDB SQL of an expression over the columns of table `t`, unqualified (for an UPDATE of
    that table): the one definition in Ibis serves both the store's UPDATE and every engine."""
    query = sqlglot.parse_one(ibis.to_sql(t.select(v=expr), dialect="duckdb"), read="duckdb")
    assert isinstance(query, exp.Select)
    value = query.expressions[0].this

    def bare(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column):
            return exp.column(node.name, quoted=True)
        return node

    return value.transform(bare).sql(dialect="duckdb")


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
    if update and store.is_duckdb:
        calls = store.table("calls")
        store.con.execute(
            f"UPDATE calls SET officer_minutes = {column_sql(calls, minutes_expr(calls, r))}"
            " WHERE city = ?",
            [city],
        )
    t = scope.calls(store)
    df = fetch(
        t.group_by(rule=rule_expr(t, r)).aggregate(
            calls=_.count(),
            minutes=minutes_expr(t, r).sum(),
            units_known=_.count(where=_.units >= 1),
        )
    )
    df["officer_hours"] = df["minutes"].fillna(0) / 60.0
    df = df[["rule", "calls", "officer_hours", "units_known"]]
    total = int(df["calls"].sum()) or require_calls(store, scope)  # none: a clear error
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
    t = scope.calls(store)
    total = minutes(t.received_at, t.arrived_at)
    steps: list[tuple[str, Any]] = [
        ("calls in scope", ibis.literal(True)),
        ("origin " + (", ".join(conv.origins) or "any"),
         t.origin.isin(list(conv.origins)) if conv.origins else ibis.literal(True)),
        ("disposition " + (", ".join(conv.dispositions) or "any"),
         t.disposition.upper().isin(list(conv.dispositions)) if conv.dispositions
         else ibis.literal(True)),
        ("date and time recorded (not a date-only source)", ~t.date_only.fill_null(False)),
        ("has an arrival time", t.arrived_at.notnull()),
        (f"received to arrival within {conv.min_minutes:g} to {conv.max_minutes:,.0f} minutes",
         total.between(conv.min_minutes, conv.max_minutes)),
    ]  # fmt: skip
    conds, counts = [], {}
    for i, (_step, cond) in enumerate(steps):
        conds.append(cond)
        counts[f"s{i}"] = t.count(where=ibis.and_(*conds).fill_null(False))
    got = one_row(t.aggregate(**counts))
    sample = pd.DataFrame(
        {"step": [s for s, _ in steps], "calls": [int(got[f"s{i}"]) for i in range(len(steps))]}
    )
    kept = t.filter(ibis.and_(*conds).fill_null(False))
    parts = []
    for name, (a, b) in SEGMENTS.items():
        seg = kept.filter(kept[a].notnull(), kept[b].notnull(), kept[b] >= kept[a])
        parts.append(seg.select(
            grp=seg[by].cast("string").fill_null("not recorded"),
            segment=ibis.literal(name),
            m=minutes(seg[a], seg[b]),
        ))  # fmt: skip
    segs = ibis.union(*parts, distinct=False)
    stats = {
        "calls": segs.count(),
        "median_minutes": segs.m.quantile(0.5),
        "mean_minutes": segs.m.mean(),
        "p90_minutes": segs.m.quantile(0.9),
        "share_over_20": (segs.m > 20).cast("float64").mean(),
        "share_over_60": (segs.m > 60).cast("float64").mean(),
    }
    groups = fetch(segs.group_by(["grp", "segment"]).aggregate(**stats))
    overall = fetch(segs.group_by("segment").aggregate(**stats))
    groups = groups.sort_values(["grp", "segment"], ignore_index=True)
    overall = overall.sort_values("segment", ignore_index=True)
    overall.insert(0, "grp", "all")
    table = pd.concat([groups, overall], ignore_index=True).rename(columns={"grp": by})
    table[by] = table[by].astype("str")
    table["segment"] = table["segment"].astype("str")
    table["calls"] = table["calls"].astype("int64")
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
