"""Which calls an analysis counts, and the pieces every analysis on the engine shares.

Analyses build Ibis expressions on `store.table(...)`, so the same code runs on the embedded
DuckDB store and on Spark (engines/spark.py); only aggregates come back, as pandas frames. A
`Scope` turns the caller's choice of city, agencies, period and call groups into one filter so
every table of a report counts the same calls.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import ibis
import pandas as pd

from publicsafety.engine import Store
from publicsafety.errors import ProfileError, StoreError

CONVENTIONS_FILE = Path(__file__).with_name("demand_conventions.toml")

# Denominators every share states (published figures differ mostly on this).
ALL_EVENTS = "all events"
COMMUNITY_ONLY = "community-generated calls only"


@dataclass(frozen=True)
class Scope:
    """Which calls an analysis counts. Empty tuples mean "no restriction"."""

    city: str
    agencies: tuple[str, ...] = ()
    since: date | None = None  # received on or after
    until: date | None = None  # received before
    origins: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    call_types: tuple[str, ...] = ()

    def calls(self, store: Store) -> ibis.Table:
        """The calls in scope, as an Ibis table on the store's engine."""
        t = store.table("calls")
        cond = [t.city == self.city]
        for column, values in (
            ("agency", self.agencies),
            ("origin", self.origins),
            ("category", self.categories),
            ("call_type", self.call_types),
        ):
            if values:
                cond.append(t[column].isin(list(values)))
        if self.since is not None:
            cond.append(t.received_at >= pd.Timestamp(self.since).to_pydatetime())
        if self.until is not None:
            cond.append(t.received_at < pd.Timestamp(self.until).to_pydatetime())
        return t.filter(*cond)

    def describe(self) -> str:
        """The scope in words, for table notes and summaries."""
        bits = [self.city]
        if self.agencies:
            bits.append("agency " + ", ".join(self.agencies))
        if self.since or self.until:
            bits.append(f"received {self.since or 'start'} to {self.until or 'end'} (end excluded)")
        if self.origins:
            bits.append("origin " + ", ".join(self.origins))
        if self.categories:
            bits.append("category " + ", ".join(self.categories))
        if self.call_types:
            bits.append(f"{len(self.call_types)} call types")
        return "; ".join(bits)


def fetch(expr: ibis.Table) -> pd.DataFrame:
    """Run an aggregate in the engine and bring the (small) result back, with the same column
    types from every engine: text as pandas strings, whole numbers as int64 where none is
    missing."""
    df = expr.to_pandas()
    for name, dtype in expr.schema().items():
        if dtype.is_string() and df[name].dtype != "str":
            df[name] = df[name].astype("str")
    return df


def one_row(expr: ibis.Table) -> dict[str, Any]:
    """The single row of an aggregate as a dict of Python values."""
    df = expr.to_pandas()
    return {c: (None if pd.isna(v) else v) for c, v in df.iloc[0].items()}


def minutes(start: Any, end: Any) -> Any:
    """Minutes from `start` to `end` (timestamps), as a float expression.

    Seconds since the epoch on both sides: DuckDB keeps their fractions, Spark whole seconds
    (the sources here record whole seconds, where the two agree)."""
    return (end.epoch_seconds() - start.epoch_seconds()).cast("float64") / 60.0


def cities(store: Store, table: str = "calls") -> list[str]:
    """The cities a table holds rows of, sorted."""
    t = store.table(table)
    return sorted(str(c) for c in t.select("city").distinct().to_pandas()["city"])


def has_rows(store: Store, table: str, city: str) -> bool:
    t = store.table(table)
    return int(t.filter(t.city == city).count().to_pandas()) > 0


def require_calls(store: Store, scope: Scope) -> int:
    """The number of calls in scope; a clear error when there are none."""
    n = int(scope.calls(store).count().to_pandas())
    if n == 0:
        known = cities(store)
        raise StoreError(
            f"no calls in scope: {scope.describe()}",
            where=str(store.settings.store_path),
            fix="cities with calls in this store: "
            + (", ".join(known) if known else "none; load a calls file with `publicsafety ingest`"),
        )
    return n


@cache
def _conventions() -> dict[str, Any]:
    with open(CONVENTIONS_FILE, "rb") as f:
        return tomllib.load(f)


def convention(city: str, section: str) -> dict[str, Any]:
    """A city's convention section (response_time, officer_time, outcomes) or the default one."""
    data = _conventions()
    found = data.get(city, {}).get(section)
    if found is None:
        found = data.get("default", {}).get(section)
    if found is None:
        return {}
    if not isinstance(found, dict):
        raise ProfileError(
            f"[{city}.{section}] must be a table",
            where=str(CONVENTIONS_FILE.name),
            fix="see the comment at the top of the file for the keys",
        )
    return dict(found)


DAYS_PER_YEAR = 365.25


def per_year(days: int) -> float:
    """The factor that turns a period of `days` days into a year. A calendar year of data (365
    or 366 days) is its own year: scaling it by 365.25 days would print "a year" figures that
    differ from the tables of the same calls."""
    return 1.0 if days in (365, 366) else DAYS_PER_YEAR / days
