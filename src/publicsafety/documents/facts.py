"""Headline facts about one city, computed from the workspace's canonical tables, for the city
pages of the printed toolkit ("In the data loaded for New Orleans, ...").

Every count passes the privacy rule (no published count from 1 to min_count - 1, with
complementary suppression inside a breakdown), and every block names the files it came from so
a reader can trace it. Only aggregates leave DuckDB.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from publicsafety.config import settings
from publicsafety.engine import Store, open_store
from publicsafety.errors import PublicSafetyError
from publicsafety.privacy import is_small, suppress_table
from publicsafety.profiles import load_profile

# Labels for the groups a breakdown may show, in both toolkit languages.
RACE_LABELS = {
    "black": ("Black", "negras"),
    "white": ("white", "blancas"),
    "hispanic": ("Latino or Hispanic", "latinas o hispanas"),
    "asian/pacific islander": (
        "Asian or Pacific Islander",
        "asiáticas o de las islas del Pacífico",
    ),
    "native american": ("Native American", "indígenas americanas"),
    "other": ("another race", "de otra raza"),
    "multiple": ("more than one race", "de más de una raza"),
    "unknown": ("race not recorded", "sin raza anotada"),
}


def _rows(store: Store, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return store.con.execute(sql, params).fetchall()


def _publishable(value: Any, min_count: int) -> int | None:
    """A count that may be published, or None when the privacy rule withholds it."""
    if value is None or is_small(value, min_count):
        return None
    return int(value)


def _pct(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100.0 * part / whole, 1)


def _sources(store: Store, city: str, kind: str) -> list[str]:
    """The files behind a block, each with its profile's title: the title says what the file is
    (and is not: a subset, an extract), which a reader needs beside the figure."""
    rows = _rows(
        store,
        "SELECT source_file, min(profile) FROM loads WHERE kind = ? AND city IN (?, 'multiple')"
        " GROUP BY 1 ORDER BY 1",
        [kind, city],
    )
    out = []
    for file, profile in rows:
        try:
            title = load_profile(profile).title
        except PublicSafetyError:  # a profile file that is no longer where it was
            title = ""
        out.append(f"{file} ({title})" if title else file)
    return out


def _span(store: Store, table: str, column: str, city: str) -> tuple[Any, Any, int]:
    (first, last, n), *_ = _rows(
        store,
        f'SELECT min({column})::DATE, max({column})::DATE, count(*) FROM "{table}" WHERE city = ?',
        [city],
    )
    return first, last, int(n)


def _period(first: Any, last: Any) -> dict[str, Any]:
    return {
        "first": first.isoformat() if first else None,
        "last": last.isoformat() if last else None,
        "year": first.year if first and last and first.year == last.year else None,
        "first_year": first.year if first else None,
        "last_year": last.year if last else None,
    }


def _breakdown(groups: list[tuple[str, int]], total: int, min_count: int) -> list[dict[str, Any]]:
    """Groups with their share of the total; small groups (and any group that would let a
    reader recover them from the total) are left out."""
    df = pd.DataFrame(groups, columns=["group", "n"])
    shown = suppress_table(df, ["n"], min_count=min_count).table
    out = []
    for group, n in zip(shown["group"], shown["n"], strict=True):
        if pd.isna(n) or int(n) == 0:
            continue
        en, es = RACE_LABELS.get(str(group), (str(group), str(group)))
        out.append(
            {"group": group, "en": en, "es": es, "count": int(n), "share": _pct(int(n), total)}
        )
    return sorted(out, key=lambda g: -g["count"])


def _calls(store: Store, city: str, m: int) -> dict[str, Any] | None:
    first, last, n = _span(store, "calls", "received_at", city)
    total = _publishable(n, m)
    if not total:
        return None
    origins = dict(
        _rows(store, "SELECT origin, count(*) FROM calls WHERE city = ? GROUP BY 1", [city])
    )
    officer, community = (
        _publishable(origins.get("officer", 0), m),
        _publishable(origins.get("community", 0), m),
    )
    top = _rows(
        store,
        "SELECT call_type, count(*) AS n FROM calls WHERE city = ? AND origin = 'community'"
        " AND call_type IS NOT NULL GROUP BY 1 ORDER BY n DESC, call_type LIMIT 3",
        [city],
    )
    quarantined = _rows(
        store,
        "SELECT reason, count(*) AS n FROM quarantine q JOIN loads l USING (load_id)"
        " WHERE q.kind = 'calls' AND l.city = ? GROUP BY 1 ORDER BY n DESC, reason",
        [city],
    )
    no_arrival = _publishable(
        _rows(
            store,
            "SELECT count(*) FROM calls WHERE city = ? AND arrived_at IS NULL AND NOT coalesce(date_only, false)",
            [city],
        )[0][0],
        m,
    )
    return {
        **_period(first, last),
        "total": total,
        "officer": officer,
        "officer_share": _pct(officer, total),
        "community": community,
        "community_share": _pct(community, total),
        "top_types": [{"type": t, "count": c} for t, c in top if _publishable(c, m) is not None],
        "no_arrival": no_arrival,
        "no_arrival_share": _pct(no_arrival, total),
        "quarantined": [{"reason": r, "count": c} for r, c in quarantined if _publishable(c, m)],
        "sources": _sources(store, city, "calls"),
    }


def _stops(store: Store, city: str, m: int) -> dict[str, Any] | None:
    first, last, n = _span(store, "stops", "date", city)
    total = _publishable(n, m)
    if not total:
        return None
    races = _rows(
        store,
        "SELECT coalesce(subject_race, 'unknown'), count(*) FROM stops WHERE city = ?"
        " GROUP BY 1 ORDER BY 1",
        [city],
    )
    # A file without a search or arrest column leaves it NULL on every row: that is "not
    # recorded", not zero.
    (searched, search_known, arrested, arrest_known), *_ = _rows(
        store,
        "SELECT count(*) FILTER (WHERE search_conducted OR search_person OR search_vehicle),"
        " count(coalesce(search_conducted, search_person, search_vehicle)),"
        " count(*) FILTER (WHERE arrest_made), count(arrest_made) FROM stops WHERE city = ?",
        [city],
    )
    searched = _publishable(searched, m) if search_known else None
    arrested = _publishable(arrested, m) if arrest_known else None
    return {
        **_period(first, last),
        "total": total,
        "by_race": _breakdown([(str(r), int(c)) for r, c in races], total, m),
        "searched": searched,
        "search_recorded": _publishable(search_known, m),
        "searched_share": _pct(searched, search_known),  # of stops where it was recorded
        "arrested": arrested,
        "arrested_share": _pct(arrested, arrest_known),
        "sources": _sources(store, city, "stops"),
    }


def _incidents(store: Store, city: str, m: int) -> dict[str, Any] | None:
    first, last, n = _span(store, "incidents", "coalesce(reported_at, occurred_at)", city)
    total = _publishable(n, m)
    if not total:
        return None
    top = _rows(
        store,
        "SELECT offense, count(*) AS n FROM incidents WHERE city = ? AND offense IS NOT NULL"
        " GROUP BY 1 ORDER BY n DESC, offense LIMIT 3",
        [city],
    )
    return {
        **_period(first, last),
        "total": total,
        "top_offenses": [
            {"offense": o, "count": c} for o, c in top if _publishable(c, m) is not None
        ],
        "sources": _sources(store, city, "incidents"),
    }


def _force(store: Store, city: str, m: int) -> dict[str, Any] | None:
    first, last, n = _span(store, "force", "occurred_at", city)
    total = _publishable(n, m)
    if not total:
        return None
    races = _rows(
        store,
        "SELECT coalesce(subject_race, 'unknown'), count(*) FROM force WHERE city = ?"
        " GROUP BY 1 ORDER BY 1",
        [city],
    )
    (from_911, known), *_ = _rows(
        store,
        "SELECT count(*) FILTER (WHERE called_by_911), count(called_by_911) FROM force"
        " WHERE city = ?",
        [city],
    )
    from_911 = _publishable(from_911, m) if known else None
    return {
        **_period(first, last),
        "total": total,
        "by_race": _breakdown([(str(r), int(c)) for r, c in races], total, m),
        "from_911": from_911,
        "from_911_share": _pct(from_911, total),
        "sources": _sources(store, city, "force"),
    }


def _budget(store: Store, city: str) -> dict[str, Any] | None:
    # Dollars are not counts of people, so the small-count rule does not apply to them.
    rows = _rows(
        store,
        "SELECT fiscal_year, basis, sum(amount) FILTER (WHERE function = 'police'),"
        " sum(amount) FILTER (WHERE function = 'total') FROM budget WHERE city = ?"
        " GROUP BY 1, 2 HAVING sum(amount) FILTER (WHERE function = 'police') IS NOT NULL"
        " ORDER BY 1 DESC, (basis = 'adopted') DESC LIMIT 1",
        [city],
    )
    if not rows:
        return None
    year, basis, police, total = rows[0]
    return {
        "fiscal_year": int(year),
        "basis": basis,
        "police": round(float(police)),
        "total": round(float(total)) if total else None,
        "police_share": round(100.0 * police / total, 1) if total else None,
        "sources": _sources(store, city, "budget"),
    }


def city_facts(store: Store, city: str) -> dict[str, Any]:
    """Headline facts for `city` from whatever the workspace holds; an empty dict when it holds
    nothing for that city (the toolkit then prints its no-data wording)."""
    m = store.settings.privacy.min_count
    blocks = {
        "calls": _calls(store, city, m),
        "stops": _stops(store, city, m),
        "incidents": _incidents(store, city, m),
        "force": _force(store, city, m),
        "budget": _budget(store, city),
    }
    return {k: v for k, v in blocks.items() if v is not None}


def workspace_facts(workspace: Path, city: str) -> dict[str, Any]:
    """`city_facts` from the workspace's store, or an empty dict when the workspace has no
    store yet (the toolkit then prints its no-data wording)."""
    if not settings(workspace).store_path.exists():
        return {}
    with open_store(workspace, read_only=True) as store:
        return city_facts(store, city)
