"""Officer-initiated activity (roadmap 1.2): how much police do on their own initiative, where
(per area and per 1,000 residents), when (hour of week), of what type, its ratio to
community-generated calls per area, and how it ends (report, arrest, no action) where the
city's dispositions can be read (demand_conventions.toml [city.outcomes]).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
from ibis import _

from publicsafety.analysis.demand import demand_by, demand_by_area, hour_of_week
from publicsafety.analysis.scope import ALL_EVENTS, Scope, convention, fetch, one_row
from publicsafety.engine import Store
from publicsafety.errors import InputError

OUTCOMES = ("arrest", "citation", "report", "action_no_report", "no_action")
OUTCOME_TEXT = {
    "arrest": "arrest",
    "citation": "citation or warning",
    "report": "report written",
    "action_no_report": "action taken, no report",
    "no_action": "no action (unfounded, gone on arrival, cancelled)",
    "other": "other disposition (not mapped)",
    "unknown": "no disposition recorded",
}


@dataclass
class OriginShare:
    city: str
    events: int
    officer: int
    community: int
    known_origin: int  # events whose origin is not unknown

    @property
    def measurable(self) -> bool:
        return self.officer + self.community > 0

    @property
    def share_of_all_events(self) -> float:
        return self.officer / self.events if self.events else float("nan")

    def sentence_note(self) -> str:
        if not self.measurable:
            return (
                f"{self.city}'s data does not say who started each call, so officer-initiated "
                "activity cannot be separated (only through call types such as traffic stops)."
            )
        return (
            f"{self.officer:,} of {self.events:,} events ({self.share_of_all_events:.1%}, "
            f"denominator: {ALL_EVENTS}) were officer-initiated."
        )


def origin_share(store: Store, scope: Scope) -> OriginShare:
    """Officer-initiated and community-generated counts of the calls in scope."""
    t = scope.calls(store)
    row = one_row(
        t.aggregate(
            events=t.count(),
            officer=t.count(where=t.origin == "officer"),
            community=t.count(where=t.origin == "community"),
            known=t.count(where=t.origin.fill_null("unknown") != "unknown"),
        )
    )
    return OriginShare(scope.city, *(int(v) for v in row.values()))


def _officer(scope: Scope) -> Scope:
    return replace(scope, origins=("officer",))


def by_area(
    store: Store, scope: Scope, area_set: str, *, withhold_sensitive: bool = False
) -> pd.DataFrame:
    """Officer-initiated events and community-generated calls per area, per 1,000 residents, and
    the ratio of the two (officer-initiated per community-generated call)."""
    df = demand_by_area(store, scope, area_set, withhold_sensitive=withhold_sensitive)
    res = df["residents"].where(df["residents"] > 0)
    out = df[
        ["area_id", "name", "residents", "officer_initiated", "community_calls", "calls"]
    ].copy()
    out["officer_initiated_per_1000_residents"] = 1000 * out["officer_initiated"] / res
    out["community_calls_per_1000_residents"] = 1000 * out["community_calls"] / res
    comm = out["community_calls"].where(out["community_calls"] > 0)
    out["officer_per_community_call"] = out["officer_initiated"] / comm
    out["share_officer_initiated"] = out["officer_initiated"] / out["calls"]
    out["denominator"] = "officer-initiated per community-generated call; share of all events"
    return out


def by_hour_of_week(
    store: Store, scope: Scope, *, withhold_sensitive: bool = False
) -> pd.DataFrame:
    """Officer-initiated events per hour of week (see demand.hour_of_week)."""
    return hour_of_week(store, _officer(scope), withhold_sensitive=withhold_sensitive)


def by_type(store: Store, scope: Scope, n: int = 20) -> pd.DataFrame:
    """The `n` most common officer-initiated call types, with category, share and officer hours."""
    df = demand_by(store, _officer(scope), "call_type")
    df = df[df["denominator"] == ALL_EVENTS].head(n).reset_index(drop=True)
    df["denominator"] = "officer-initiated events"
    return df


def outcome_expr(t: ibis.Table, city: str) -> Any:
    """The outcome of each call of `t` from its disposition, or None when the city has no
    mapping (demand_conventions.toml [city.outcomes])."""
    c = convention(city, "outcomes")
    if not c:
        return None
    column = c.get("column", "disposition")
    if column not in ("disposition", "disposition_text"):
        raise InputError(
            f"outcomes column {column!r} is not a calls column",
            where=f"demand_conventions.toml [{city}.outcomes]",
            fix='use "disposition" or "disposition_text"',
        )
    text = t[column].upper()
    whens = [(t[column].isnull(), "unknown")]
    for outcome in OUTCOMES:
        values = [str(v).upper() for v in c.get(outcome, [])]
        if values:
            whens.append((text.isin(values), outcome))
    return ibis.cases(*whens, else_="other")


def outcomes(store: Store, scope: Scope) -> pd.DataFrame:
    """How officer-initiated events and community-generated calls end: calls and share per
    outcome, per origin. Empty when the city's dispositions are not mapped."""
    t = scope.calls(store).filter(lambda c: c.origin.isin(["officer", "community"]))
    case = outcome_expr(t, scope.city)
    cols = ["origin", "outcome", "meaning", "calls", "share", "denominator"]
    if case is None:
        return pd.DataFrame(columns=cols)
    df = fetch(t.group_by(origin=t.origin, outcome=case).aggregate(calls=_.count()))
    df = df.sort_values(
        ["origin", "calls", "outcome"], ascending=[False, False, True], ignore_index=True
    )
    df["calls"] = df["calls"].astype("int64")
    df["meaning"] = df["outcome"].map(OUTCOME_TEXT).astype("str")
    df["share"] = df["calls"] / df.groupby("origin")["calls"].transform("sum")
    df["denominator"] = (
        df["origin"]
        .map({"officer": "officer-initiated events", "community": "community-generated calls"})
        .astype("str")
    )
    return df[cols]


# --- published yearly figures --------------------------------------------------------------


def published_year(path: Path, city: str, year: int) -> dict[str, float]:
    """A city's published yearly total and officer-initiated count and share (Vera's
    CityOfficerInitiatedSummary.xlsx / CityCallTypeSummary.xlsx: one sheet per city)."""
    try:
        sheets = pd.read_excel(path, sheet_name=None)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the published summary: {exc}", where=path.name) from exc
    if city not in sheets:
        raise InputError(
            f"no sheet for {city!r}",
            where=path.name,
            fix=f"sheets in the file: {', '.join(sheets)}",
        )
    df = sheets[city]
    rows = df[df["year"] == year]
    if rows.empty:
        raise InputError(
            f"no published figures for {city} in {year}",
            where=f"{path.name}, sheet {city}",
            fix=f"published years: {', '.join(str(y) for y in df['year'].tolist())}",
        )
    row = rows.iloc[0]
    officer = row.get("self_initiated")
    return {
        "total": float(row["total"]),
        "officer_initiated": float(officer) if pd.notna(officer) else float("nan"),
        "share_officer_initiated": float(officer) / float(row["total"])
        if pd.notna(officer)
        else float("nan"),
    }


def check_published_year(
    store: Store, city: str, year: int, path: Path, tolerance: float = 0.01
) -> pd.DataFrame:
    """Compare a loaded full year of calls with the published yearly figures: total events,
    officer-initiated events and their share. `within_tolerance` is a relative difference of at
    most `tolerance` (share: absolute, in share points). Needs the whole year loaded."""
    pub = published_year(path, city, year)
    scope = Scope(
        city, since=pd.Timestamp(year, 1, 1).date(), until=pd.Timestamp(year + 1, 1, 1).date()
    )
    ours = origin_share(store, scope)
    rows = [
        ("total", float(ours.events), pub["total"]),
        ("officer_initiated", float(ours.officer), pub["officer_initiated"]),
        ("share_officer_initiated", ours.share_of_all_events, pub["share_officer_initiated"]),
    ]
    df = pd.DataFrame(rows, columns=["figure", "ours", "published"])
    df["difference"] = df["ours"] - df["published"]
    rel = df["difference"].abs() / df["published"].abs()
    rel[df["figure"] == "share_officer_initiated"] = df["difference"].abs()
    df["within_tolerance"] = rel <= tolerance
    df.insert(0, "year", year)
    df.insert(0, "city", city)
    return df
