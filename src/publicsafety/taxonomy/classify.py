"""Classification in the engine: fill calls.category / responder / category_rule from the city's map.

The map is loaded into a DuckDB table and joined to the distinct call types of the city; keyword
rules of the shared base run in Python only on the distinct types no map row covers (hundreds at
most), and one UPDATE ... FROM writes the result onto every call. Calls are classified on the final
call type; the initial call type is kept untouched beside it and is used only when the final one is
missing (the rule then says "initial").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from publicsafety.engine import Store
from publicsafety.taxonomy.base import propose_keyword
from publicsafety.taxonomy.maps import NORMALIZE_SQL, CityMap, find_map

# Which call type a call is classified on: the final one, else the one at intake.
# Calls are matched on these raw values; the normalising (a regular expression) runs only on
# their distinct combinations, never per row.
RAW_CODE_SQL = "coalesce(call_type_code, initial_call_type_code)"
RAW_TEXT_SQL = "coalesce(call_type, initial_call_type)"
USED_SQL = "CASE WHEN call_type_code IS NULL AND call_type IS NULL THEN 'initial' ELSE 'final' END"
CODE_SQL = "nullif(trim(upper(raw_code)), '')"
TEXT_SQL = NORMALIZE_SQL.format(col="raw_text")


@dataclass(frozen=True)
class ClassifyResult:
    city: str
    map_file: str | None
    calls: int
    by_map: int  # calls classified by a row of the city's reviewed map
    by_keyword: int  # calls classified by a keyword rule of the shared base
    unmapped: int
    on_initial: int  # calls classified on the initial type because the final one was missing

    @property
    def coverage(self) -> float:
        """Share of calls the reviewed map covers (keyword proposals do not count)."""
        return self.by_map / self.calls if self.calls else 0.0


def _cities(store: Store, city: str | None) -> list[str]:
    if city is not None:
        return [city]
    rows = store.con.execute(
        "SELECT DISTINCT city FROM calls WHERE city IS NOT NULL ORDER BY city"
    ).fetchall()
    return [r[0] for r in rows]


def _map_frame(city_map: CityMap | None) -> pd.DataFrame:
    cols = ["code", "text", "category", "responder", "rule"]
    if city_map is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    return pd.DataFrame(
        [
            (
                r.call_type_code.strip().upper() if r.call_type_code else None,
                r.call_type,
                r.category,
                r.responder,
                f"map {city_map.name}:{r.line} {r.rule}",
            )
            for r in city_map.rows
        ],
        columns=cols,
    )


def classify_city(store: Store, city: str, workspace: Path | None = None) -> ClassifyResult:
    con = store.con
    city_map = find_map(city, workspace)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _tax_map "
        "(code VARCHAR, text VARCHAR, category VARCHAR, responder VARCHAR, rule VARCHAR)"
    )
    frame = _map_frame(city_map)
    if len(frame):
        con.register("_tax_map_df", frame)
        con.execute("INSERT INTO _tax_map SELECT * FROM _tax_map_df")
        con.unregister("_tax_map_df")
    # Distinct call types of the city, each matched to its best map row: code and text both
    # equal beats code alone, which beats text alone.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _tax_keys AS
        WITH raw AS (
          SELECT DISTINCT {RAW_CODE_SQL} AS raw_code, {RAW_TEXT_SQL} AS raw_text, {USED_SQL} AS used
          FROM calls WHERE city = $city
        ), keys AS (
          SELECT raw_code, raw_text, used, {CODE_SQL} AS code, {TEXT_SQL} AS text FROM raw
        ), scored AS (
          SELECT k.raw_code, k.raw_text, k.used, m.category, m.responder, m.rule,
                 CASE WHEN m.code = k.code AND m.text = k.text THEN 3
                      WHEN m.code = k.code THEN 2 ELSE 1 END AS score
          FROM keys k JOIN _tax_map m
            ON (m.code IS NOT NULL AND m.code = k.code) OR (m.text IS NOT NULL AND m.text = k.text)
        )
        SELECT k.raw_code, k.raw_text, k.used, k.code, k.text,
               arg_max(s.category, s.score) AS category,
               arg_max(s.responder, s.score) AS responder,
               arg_max(s.rule, s.score) AS rule
        FROM keys k LEFT JOIN scored s
          ON s.raw_code IS NOT DISTINCT FROM k.raw_code AND s.raw_text IS NOT DISTINCT FROM k.raw_text
             AND s.used = k.used
        GROUP BY ALL
        """,
        {"city": city},
    )
    # Keyword rules on the distinct types the map left open, written back in one UPDATE.
    open_types = con.execute(
        "SELECT code, text, used FROM _tax_keys WHERE category IS NULL"
    ).fetchall()
    if open_types:
        proposals = [(code, text, used, propose_keyword(text)) for code, text, used in open_types]
        con.register(
            "_tax_kw_df",
            pd.DataFrame(
                [
                    (
                        code,
                        text,
                        used,
                        p.category,
                        p.responder,
                        f"base {p.rule} ({p.confidence:.2f})" if p.rule != "none" else "none",
                    )
                    for code, text, used, p in proposals
                ],
                columns=["code", "text", "used", "category", "responder", "rule"],
            ).astype("object"),
        )
        con.execute(
            """
            UPDATE _tax_keys SET category = w.category, responder = w.responder, rule = w.rule
            FROM _tax_kw_df w
            WHERE _tax_keys.code IS NOT DISTINCT FROM CAST(w.code AS VARCHAR)
              AND _tax_keys.text IS NOT DISTINCT FROM CAST(w.text AS VARCHAR)
              AND _tax_keys.used = w.used
            """
        )
        con.unregister("_tax_kw_df")
    con.execute(
        f"""
        UPDATE calls SET category = k.category, responder = k.responder,
               category_rule = CASE WHEN k.used = 'initial' THEN k.rule || ' [initial type]' ELSE k.rule END
        FROM _tax_keys k
        WHERE calls.city = $city
          AND {RAW_CODE_SQL} IS NOT DISTINCT FROM k.raw_code
          AND {RAW_TEXT_SQL} IS NOT DISTINCT FROM k.raw_text
          AND {USED_SQL} = k.used
        """,
        {"city": city},
    )
    row = con.execute(
        """
        SELECT count(*),
               count(*) FILTER (WHERE category_rule LIKE 'map %'),
               count(*) FILTER (WHERE category_rule LIKE 'base %'),
               count(*) FILTER (WHERE category = 'unmapped' OR category IS NULL),
               count(*) FILTER (WHERE category_rule LIKE '%[initial type]')
        FROM calls WHERE city = $city
        """,
        {"city": city},
    ).fetchall()[0]
    assert row is not None
    return ClassifyResult(city, city_map.name if city_map else None, *(int(x) for x in row))


def classify(
    store: Store, city: str | None = None, workspace: Path | None = None
) -> list[ClassifyResult]:
    """Classify every call of a city (or of every city in the store) and report coverage."""
    return [classify_city(store, c, workspace) for c in _cities(store, city)]
