"""Diversion scenarios (roadmap 5.1): which calls a community responder, a co-responder team or
311 could take, the officer time that frees, the teams needed per shift and what it costs.

Eligibility and counting run as one aggregate over `calls` on the engine; only per-program
totals and hour-of-week counts come back to Python, where staffing (Erlang C or a utilisation rule) and
costs are worked out. Shares are applied as expected values (eligible calls x share), so every
figure can be checked by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import ibis
import pandas as pd
from ibis import _

from publicsafety.analysis.officer_time import minutes_expr, rules_for
from publicsafety.analysis.scenario_files import DAY_NAMES, Program, Scenario
from publicsafety.analysis.scope import (
    ALL_EVENTS,
    COMMUNITY_ONLY,
    Scope,
    fetch,
    one_row,
    per_year,
    require_calls,
)
from publicsafety.engine import Store
from publicsafety.errors import StoreError

DENOMINATOR_TRAP = (
    "Shares of calls depend on the denominator. CAHOOTS answered 16,479 of 109,855 "
    "public-initiated Eugene police calls in 2021 (about 15%), yet the National League of Cities "
    "puts the calls police would otherwise have handled at only 3-8%: many calls a community "
    "responder takes would never have reached police. The calls counted here are calls police "
    "did receive, so they measure police work moved, not the size of the program."
)


def _in(column: Any, values: tuple[str, ...], upper: bool = False) -> Any:
    """`column` is one of `values` (a missing value is not)."""
    if not values:
        return ibis.literal(False)
    col = column.upper() if upper else column
    return col.isin([v.upper() if upper else v for v in values]).fill_null(False)


def _flags(t: ibis.Table, p: Program) -> tuple[Any, Any, Any]:
    """Whether each call of `t` matches the program, falls in its hours, is disqualified."""
    kinds = (
        _in(t.category, p.categories)
        | _in(t.call_type, p.call_types, upper=True)
        | _in(t.call_type_code, p.call_types, upper=True)
        | _in(t.responder, p.taxonomy_responders)
    )
    match = _in(t.origin, p.origins) & kinds
    days = [DAY_NAMES.index(d) for d in p.days]
    hour = t.received_at.hour()
    window = (
        t.received_at.day_of_week.index().isin(days) & (hour >= p.hours[0]) & (hour < p.hours[1])
    )
    # Weapon words disqualify on either the intake or the final call type.
    text = (t.call_type.fill_null("") + " " + t.initial_call_type.fill_null("")).upper()
    dq = _in(t.priority, p.exclude_priorities)
    for word in p.exclude_keywords:
        dq |= text.contains(word.upper())
    return match, window, dq


def _flagged(store: Store, scenario: Scenario, scope: Scope, city: str) -> ibis.Table:
    """Calls in scope with officer minutes, the program flags, and the program that takes each."""
    t = scope.calls(store).filter(lambda c: c.received_at.notnull())
    cols: dict[str, Any] = {}
    takes = []
    for i, p in enumerate(scenario.programs):
        m, w, d = _flags(t, p)
        cols.update({f"m{i}": m, f"w{i}": w, f"d{i}": d})
        takes.append((m & w & ~d, i))
    # Stored officer minutes win; calls not measured yet get them by the city's rules.
    minutes = ibis.coalesce(t.officer_minutes, minutes_expr(t, rules_for(city)))
    program = ibis.cases(*takes, else_=ibis.null("int64")) if takes else ibis.null("int64")
    return t.mutate(minutes=minutes, program=program, **cols)


def erlang_c_wait_share(teams: int, load: float) -> float:
    """Erlang C: the chance a call finds every team busy (`load` = offered team-hours per hour)."""
    if load <= 0:
        return 0.0
    if teams <= load:
        return 1.0
    b = 1.0  # Erlang B by the stable recursion, then C from B
    for k in range(1, teams + 1):
        b = load * b / (k + load * b)
    return teams * b / (teams - load * (1 - b))


def teams_needed(rate: float, minutes_per_call: float, p: Program) -> int:
    """Fewest teams for one hour with `rate` calls an hour (at least one while on duty)."""
    load = rate * minutes_per_call / 60.0
    s = p.staffing
    if s.method == "utilisation":
        return max(1, math.ceil(load / s.max_utilisation - 1e-9))
    teams = max(1, math.floor(load) + 1)
    while True:
        waits = erlang_c_wait_share(teams, load)
        late = waits * math.exp(-(teams - load) * s.target_wait_minutes / minutes_per_call)
        if 1 - late >= s.service_level:
            return teams
        teams += 1


def weekday_counts(start: date, end: date) -> list[int]:
    """How many Mondays ... Sundays lie in [start, end]."""
    counts = [0] * 7
    days = (end - start).days + 1
    for k in range(7):
        counts[(start + timedelta(days=k)).weekday()] += days // 7 + (1 if k < days % 7 else 0)
    return counts


def _staffing(p: Program, slots: pd.DataFrame, weekdays: list[int]) -> pd.DataFrame:
    """Teams per day and shift: each shift staffs for its busiest hour inside the program's
    window; hours outside the window need no team."""
    calls = {
        (int(dow), int(hour)): float(n)
        for dow, hour, n in zip(slots["dow"], slots["hour"], slots["calls"], strict=True)
    }
    rows = []
    for d, day in enumerate(DAY_NAMES):
        for shift in p.staffing.shifts:
            need, hours_on, busiest = 0, 0, 0.0
            for k in range(shift.hours):
                dd, hh = (d + (shift.start + k) // 24) % 7, (shift.start + k) % 24
                if DAY_NAMES[dd] not in p.days or not p.hours[0] <= hh < p.hours[1]:
                    continue
                rate = calls.get((dd + 1, hh), 0.0) * p.share / max(weekdays[dd], 1)
                need = max(need, teams_needed(rate, p.minutes_per_call, p))
                hours_on += 1
                busiest = max(busiest, rate)
            rows.append(
                {
                    "program": p.name,
                    "day": day,
                    "shift": shift.name,
                    "hours_on_duty": hours_on,
                    "busiest_hour_calls": busiest,
                    "teams": need,
                    "responders": need * p.team_size,
                    "team_hours": need * hours_on,
                }
            )
    return pd.DataFrame(rows)


@dataclass
class DiversionResult:
    scenario: Scenario
    city: str
    start: date
    end: date
    calls: int  # all calls in scope (all events)
    community_calls: int
    programs: pd.DataFrame  # one row per program: counts, hours, costs (period and per year)
    staffing: pd.DataFrame  # program, day, shift, teams, responders, team_hours (per week)
    hour_of_week: pd.DataFrame  # program, dow (1 = Monday), hour, eligible calls in the period
    assumptions: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def per_year(self) -> float:
        return per_year(self.days)


def _assumptions(p: Program, s: Scenario) -> list[str]:
    staffing = (
        f"Erlang C: enough teams that {p.staffing.service_level:.0%} of calls wait no more than "
        f"{p.staffing.target_wait_minutes:g} minutes for a free team (random arrivals)"
        if p.staffing.method == "erlang_c"
        else f"utilisation rule: teams kept busy at most {p.staffing.max_utilisation:.0%} of the hour"
    )
    what = [f"categories {', '.join(p.categories)}"] if p.categories else []
    what += [f"call types {', '.join(p.call_types)}"] if p.call_types else []
    what += (
        [f"calls the taxonomy sends to {', '.join(p.taxonomy_responders)}"]
        if p.taxonomy_responders
        else []
    )
    lines = [
        f"Takes {p.share:.0%} of eligible calls ({'; '.join(what)}) started by "
        f"{', '.join(p.origins)}, {p.window()}.",
        "Disqualified: "
        + (
            "; ".join(
                x
                for x in (
                    f"priority {', '.join(p.exclude_priorities)}" if p.exclude_priorities else "",
                    f"call types naming {', '.join(p.exclude_keywords)}"
                    if p.exclude_keywords
                    else "",
                )
                if x
            )
            or "nothing"
        )
        + ".",
        f"Officers still spend {p.officer_time_retained:.0%} of these calls' time (backup or "
        f"joint response); the rest is freed at ${s.officer_hourly_cost:,.2f} an officer-hour "
        f"({s.officer_cost_source}).",
    ]
    if p.staffed:
        lines.append(
            f"A team of {p.team_size} spends {p.minutes_per_call:g} minutes a call; staffing by "
            f"{staffing}; each shift is staffed for its busiest hour."
        )
    if p.cost_per_call is not None:
        lines.append(f"Cost ${p.cost_per_call:,.2f} a call.")
    if p.cost_per_team_hour is not None:
        lines.append(f"Cost ${p.cost_per_team_hour:,.2f} a team-hour on duty.")
    lines += [f"Source: {src}" for src in p.sources]
    return lines


def run_diversion(
    store: Store,
    scenario: Scenario,
    city: str | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
) -> DiversionResult:
    """Apply a scenario to one city's calls received from `since` to before `until`: calls and
    officer hours moved, teams per shift, costs, and the assumptions behind each figure."""
    chosen = city or scenario.city
    if not chosen:
        raise StoreError(
            "no city given",
            where=scenario.path.name,
            fix="set city in [scenario] or pass --city",
        )
    scope = Scope(chosen, agencies=scenario.agencies, since=since, until=until)
    require_calls(store, scope)
    t = scope.calls(store)
    if int(t.category.count().to_pandas()) == 0:
        raise StoreError(
            f"the calls of {chosen} are not classified yet",
            where=str(store.settings.store_path),
            fix=f'run `publicsafety taxonomy classify --city "{chosen}"` first',
        )
    flagged = _flagged(store, scenario, scope, chosen)
    per: dict[str, Any] = {}
    for i in range(len(scenario.programs)):
        m, w, d, take = _[f"m{i}"], _[f"w{i}"], _[f"d{i}"], _.program == i
        per[f"match_{i}"] = _.count(where=m)
        per[f"outside_{i}"] = _.count(where=m & ~w)
        per[f"dq_{i}"] = _.count(where=m & w & d)
        per[f"elig_{i}"] = _.count(where=take)
        per[f"timed_{i}"] = _.minutes.count(where=take)
        per[f"min_{i}"] = _.minutes.sum(where=take).fill_null(0)
    head = one_row(
        flagged.aggregate(
            calls=_.count(),
            comm=_.count(where=_.origin == "community"),
            first=_.received_at.min(),
            last=_.received_at.max(),
            **per,
        )
    )
    slots = fetch(
        flagged.filter(_.program.notnull())
        .mutate(
            dow=(_.received_at.day_of_week.index() + 1).cast("int64"),
            hour=_.received_at.hour().cast("int64"),
        )
        .group_by(["program", "dow", "hour"])
        .aggregate(calls=_.count())
    ).sort_values(["program", "dow", "hour"], ignore_index=True)
    start, end = pd.Timestamp(head["first"]).date(), pd.Timestamp(head["last"]).date()
    weekdays = weekday_counts(start, end)
    result = DiversionResult(
        scenario,
        chosen,
        start,
        end,
        int(head["calls"]),
        int(head["comm"]),
        pd.DataFrame(),
        pd.DataFrame(),
        pd.DataFrame(),
    )
    rows, staffing = [], []
    for i, p in enumerate(scenario.programs):
        eligible = int(head[f"elig_{i}"])
        moved = eligible * p.share
        hours_moved = float(head[f"min_{i}"]) / 60.0 * p.share
        freed = hours_moved * (1 - p.officer_time_retained)
        table = _staffing(p, slots[slots["program"] == i], weekdays) if p.staffed else None
        team_hours_week = float(table["team_hours"].sum()) if table is not None else 0.0
        if table is not None:
            staffing.append(table)
        call_cost = moved * p.cost_per_call if p.cost_per_call is not None else None
        staffed_cost = (
            team_hours_week * result.days / 7 * p.cost_per_team_hour
            if p.cost_per_team_hour is not None and p.staffed
            else None
        )
        rows.append(
            {
                "program": p.name,
                "responder": p.responder,
                "matching_calls": int(head[f"match_{i}"]),
                "outside_hours": int(head[f"outside_{i}"]),
                "disqualified": int(head[f"dq_{i}"]),
                "eligible_calls": eligible,
                "eligible_calls_timed": int(head[f"timed_{i}"]),
                "share_taken": p.share,
                "calls_moved": moved,
                "share_of_all_calls": moved / result.calls,
                "share_of_community_calls": moved / result.community_calls
                if result.community_calls
                else None,
                "officer_hours_moved": hours_moved,
                "officer_hours_freed": freed,
                "value_of_officer_time_freed": freed * scenario.officer_hourly_cost,
                "team_hours_per_week": team_hours_week,
                "peak_teams": int(table["teams"].max()) if table is not None else 0,
                "cost_per_call_basis": call_cost,
                "cost_staffed_basis": staffed_cost,
            }
        )
        result.assumptions[p.name] = _assumptions(p, scenario)
    df = pd.DataFrame(rows)
    for col in (
        "calls_moved",
        "officer_hours_moved",
        "officer_hours_freed",
        "value_of_officer_time_freed",
        "cost_per_call_basis",
        "cost_staffed_basis",
    ):
        df[f"{col}_per_year"] = df[col].astype(float) * result.per_year
    result.programs = df
    result.staffing = pd.concat(staffing, ignore_index=True) if staffing else pd.DataFrame()
    result.hour_of_week = slots.assign(
        program=[scenario.programs[int(i)].name for i in slots["program"]]
    )
    result.notes = _notes(result) + _priority_check(store, scenario, scope)
    return result


def _priority_check(store: Store, scenario: Scenario, scope: Scope) -> list[str]:
    """Priority codes are each city's own: say when a screened-out priority never occurs."""
    wanted = sorted({x for p in scenario.programs for x in p.exclude_priorities})
    if not wanted:
        return []
    t = scope.calls(store)
    found = fetch(t.filter(t.priority.isin(wanted)).select("priority").distinct())
    missing = [x for x in wanted if x not in set(found["priority"])]
    if not missing:
        return []
    codes = fetch(t.group_by("priority").aggregate(n=_.count()))
    codes = codes.sort_values(["n", "priority"], ascending=[False, True]).head(8)
    seen = ", ".join(str(x) for x in codes["priority"])
    return [
        f"No call has priority {', '.join(missing)}, so that screen removes nothing here; this "
        f"city's commonest priorities are {seen}. Priority codes differ between cities: set "
        "exclude_priorities to this city's codes for life-threatening calls."
    ]


def _notes(r: DiversionResult) -> list[str]:
    agencies = f" ({', '.join(r.scenario.agencies)} calls)" if r.scenario.agencies else ""
    notes = [
        f"{r.city}{agencies}: {r.calls:,} calls ({ALL_EVENTS}) received {r.start} to {r.end} ({r.days} days); "
        f"{r.community_calls:,} of them community-generated ({COMMUNITY_ONLY}). Per-year figures "
        f"scale the period by {r.per_year:.2f}.",
        "Officer hours count only calls with a measured officer time "
        "(see eligible_calls_timed); calls without one add no hours.",
        "Freed officer time is capacity, not cash: it saves money only if positions or overtime "
        "are cut, otherwise it becomes time for other work.",
        DENOMINATOR_TRAP,
    ]
    if len(r.scenario.programs) > 1:
        notes.append("A call eligible for several programs goes to the first one in the file.")
    return notes


def sentences(r: DiversionResult) -> list[str]:
    """Plain-language headline sentences, one per program."""
    out = []
    for row in r.programs.to_dict("records"):
        text = (
            f"{row['program']}: about {row['calls_moved_per_year']:,.0f} calls a year "
            f"({row['share_of_all_calls']:.1%} of all calls) and "
            f"{row['officer_hours_freed_per_year']:,.0f} officer-hours a year "
            f"(worth ${row['value_of_officer_time_freed_per_year']:,.0f}) "
            "would move from police"
        )
        if row["responder"] != "non_emergency":
            text += f", needing up to {row['peak_teams']} team(s) on duty at once"
        costs = [
            f"${v:,.0f} a year {label}"
            for v, label in (
                (row["cost_per_call_basis_per_year"], "at the cost per call"),
                (row["cost_staffed_basis_per_year"], "to staff the shifts"),
            )
            if v is not None and not math.isnan(v)
        ]
        out.append(text + (f"; it would cost {' or '.join(costs)}." if costs else "."))
    return out
