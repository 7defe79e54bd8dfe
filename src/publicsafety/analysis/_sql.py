"""Shared pieces of the demand analyses: which calls are in scope, and the per-city conventions.

The analyses run as DuckDB SQL on `store.con`; a `Scope` turns the caller's choice of city,
agencies, period and call groups into one parameterised WHERE clause so every table of a report
counts the same calls.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

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

    def where(self, alias: str = "") -> tuple[str, list[Any]]:
        """A WHERE clause (without the keyword) and its parameters."""
        p = f"{alias}." if alias else ""
        parts = [f"{p}city = ?"]
        params: list[Any] = [self.city]
        for column, values in (
            ("agency", self.agencies),
            ("origin", self.origins),
            ("category", self.categories),
            ("call_type", self.call_types),
        ):
            if values:
                parts.append(f"{p}{column} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        if self.since is not None:
            parts.append(f"{p}received_at >= ?")
            params.append(pd.Timestamp(self.since).to_pydatetime())
        if self.until is not None:
            parts.append(f"{p}received_at < ?")
            params.append(pd.Timestamp(self.until).to_pydatetime())
        return " AND ".join(parts), params

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


def frame(store: Store, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    """Run an aggregate query in the engine and bring the (small) result back."""
    return store.con.execute(sql, params or []).df()


def scalar(store: Store, sql: str, params: list[Any] | None = None) -> Any:
    row = store.con.execute(sql, params or []).fetchone()
    return row[0] if row else None


def require_calls(store: Store, scope: Scope) -> int:
    """The number of calls in scope; a clear error when there are none."""
    where, params = scope.where()
    n = int(scalar(store, f"SELECT count(*) FROM calls WHERE {where}", params) or 0)
    if n == 0:
        cities = [
            r[0] for r in store.con.execute("SELECT DISTINCT city FROM calls ORDER BY 1").fetchall()
        ]
        raise StoreError(
            f"no calls in scope: {scope.describe()}",
            where=str(store.settings.store_path),
            fix="cities with calls in this store: "
            + (
                ", ".join(cities)
                if cities
                else "none; load a calls file with `publicsafety ingest`"
            ),
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
