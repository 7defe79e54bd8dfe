"""Lists of call types that need a person's attention, and proposed maps for a new city.

`unmapped` ranks the types the city's reviewed map does not cover by calls and officer hours.
`suggest` writes a proposed map (the map format plus calls and confidence) that a person edits and
installs with `publicsafety taxonomy load FILE --city NAME`.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd

from publicsafety.engine import Store
from publicsafety.errors import InputError, Where
from publicsafety.taxonomy.base import propose
from publicsafety.taxonomy.maps import MAP_COLUMNS, NORMALIZE_SQL, slug

SUGGEST_COLUMNS = (*MAP_COLUMNS, "calls", "confidence")
# Officer hours per call: clear minus arrival (or dispatch); only 0-24 h spans count, so a
# sentinel or reversed timestamp cannot swamp the ranking.
HOURS_SQL = """
    CASE WHEN cleared_at IS NOT NULL AND coalesce(arrived_at, dispatched_at) IS NOT NULL
          AND cleared_at >= coalesce(arrived_at, dispatched_at)
          AND cleared_at - coalesce(arrived_at, dispatched_at) <= INTERVAL 24 HOUR
         THEN epoch(cleared_at - coalesce(arrived_at, dispatched_at)) / 3600.0 END
"""


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def as_text(value: object) -> str | None:
    """A cell of a pandas frame as text; None for a missing value."""
    return None if _missing(value) else str(value)


def as_count(value: object) -> int:
    return 0 if _missing(value) else int(float(str(value)))


def unmapped(store: Store, city: str | None = None) -> pd.DataFrame:
    """Call types no reviewed map row covers (after `classify`), with calls and officer hours.

    Officer hours are blank (NaN) for a type when none of its calls has both times.
    """
    where = "category_rule IS NULL OR category_rule NOT LIKE 'map %'"
    params: dict[str, str] = {}
    if city is not None:
        where = f"city = $city AND ({where})"
        params["city"] = city
    return store.con.execute(
        f"""
        SELECT city, call_type_code, call_type, count(*) AS calls,
               round(sum({HOURS_SQL}), 2) AS officer_hours,
               any_value(category) AS proposed_category, any_value(responder) AS proposed_responder,
               any_value(category_rule) AS rule
        FROM calls WHERE {where}
        GROUP BY city, call_type_code, call_type
        ORDER BY calls DESC, officer_hours DESC NULLS LAST, call_type
        """,
        params,
    ).df()


def types_from_store(store: Store, city: str) -> pd.DataFrame:
    """Distinct final call types of a city in the store, with call counts."""
    return store.con.execute(
        f"""
        SELECT call_type_code, any_value(call_type) AS call_type, count(*) AS calls
        FROM calls WHERE city = $city
        GROUP BY call_type_code, {NORMALIZE_SQL.format(col="call_type")}
        ORDER BY calls DESC
        """,
        {"city": city},
    ).df()


def types_from_file(path: Path) -> pd.DataFrame:
    """A CSV of raw call types: a `call_type` column (or the first column), optional
    `call_type_code` and `calls` (or `count`) columns."""
    if not path.exists():
        raise InputError("no such file", where=str(path), fix="check the path")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in reader.fieldnames or []]
        if not header:
            raise InputError("the file is empty", where=Where(path.name, 1), fix="add a header row")
        low = {h.lower(): h for h in header}
        text_col = low.get("call_type") or header[0]
        count_col = low.get("calls") or low.get("count")
        code_col = low.get("call_type_code")
        rows = []
        for i, rec in enumerate(reader, start=2):
            rec = {(k or "").strip(): v for k, v in rec.items()}
            n = 0
            if count_col and (rec.get(count_col) or "").strip():
                raw = rec[count_col].replace(",", "").strip()
                try:
                    n = int(float(raw))
                except ValueError as exc:
                    raise InputError(
                        f"{raw!r} is not a count",
                        where=Where(path.name, i, count_col),
                        fix="use whole numbers",
                    ) from exc
            rows.append(
                (
                    (rec.get(code_col) or "").strip() or None if code_col else None,
                    rec.get(text_col),
                    n,
                )
            )
    return pd.DataFrame(rows, columns=["call_type_code", "call_type", "calls"])


def suggest(types: pd.DataFrame, exclude: frozenset[str] = frozenset()) -> pd.DataFrame:
    """A proposed map for call types (columns call_type_code, call_type, calls).

    Each type gets the category of the same type in another city's reviewed map (confidence
    0.9), else the first matching keyword rule of the base (its own confidence), else
    'unmapped' (0). `exclude` lists city slugs whose maps must not be used.
    """
    out = []
    for code, text, calls in types[["call_type_code", "call_type", "calls"]].itertuples(
        index=False, name=None
    ):
        code_s, text_s = as_text(code), as_text(text)
        p = propose(text_s, exclude)
        out.append(
            {
                "call_type_code": code_s or "",
                "call_type": (text_s or "").strip(),
                "category": p.category,
                "responder": p.responder,
                "rule": p.rule,
                "note": "proposed: review before use",
                "version": "",
                "calls": as_count(calls),
                "confidence": p.confidence,
            }
        )
    return pd.DataFrame(out, columns=list(SUGGEST_COLUMNS))


def suggest_for_city(store: Store, city: str) -> pd.DataFrame:
    """Proposed map for a city in the store, not using that city's own map."""
    return suggest(types_from_store(store, city), frozenset({slug(city)}))


def write_suggestion(frame: pd.DataFrame, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, index=False)
    return out
