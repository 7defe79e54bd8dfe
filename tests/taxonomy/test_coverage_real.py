"""Each city's reviewed map covers at least 98% of its calls, weighted by volume: the real files'
rows for the cities with call files, Vera's Count column for Vera's four cities."""

from __future__ import annotations

import pytest

from publicsafety.engine import Store
from publicsafety.taxonomy import classify, find_map
from publicsafety.taxonomy.maps import covered
from tests.taxonomy.realtypes import (
    REAL_FILES,
    VERA_COLUMNS,
    VERA_INITIAL_COLUMNS,
    real_types,
    triples,
    vera_types,
)

pytestmark = pytest.mark.real_data

# Rows in each real file (SOURCE.md) and how many distinct (code, type) pairs it has.
REAL_ROWS = {
    "New Orleans": (7476, 182),
    "Portland": (55508, 81),
    "Sacramento": (25000, 155),
    "Seattle": (222, 47),
    "Alexandria": (28751, 315),
    "Albuquerque": (30000, 48),
}


@pytest.mark.parametrize("city", sorted(REAL_FILES))
def test_map_covers_real_file(city: str) -> None:
    types = real_types(city)
    rows, distinct = REAL_ROWS[city]
    assert (int(types["calls"].sum()), len(types)) == (rows, distinct)
    city_map = find_map(city)
    assert city_map is not None
    hit, total = covered(city_map, triples(types))
    assert total == rows
    assert hit / total >= 0.98
    # Measured: every call type in these files has a reviewed map row.
    assert hit == rows


@pytest.mark.parametrize("city", sorted(REAL_FILES))
def test_classify_in_engine_on_real_types(store: Store, city: str) -> None:
    """The engine path: one calls row per raw row (types only), classified by one UPDATE."""
    types = real_types(city)
    store.con.register("t", types)
    store.con.execute(
        """INSERT INTO calls (city, row_id, call_type_code, call_type)
           SELECT ?, row_number() OVER (), call_type_code, call_type
           FROM t, range(CAST(t.calls AS BIGINT))""",
        [city],
    )
    [result] = classify(store, city)
    assert result.calls == int(types["calls"].sum())
    assert result.coverage >= 0.98
    assert (result.by_map, result.by_keyword, result.unmapped) == (result.calls, 0, 0)
    assert (
        store.count("calls", "category IS NULL OR responder IS NULL OR category_rule IS NULL") == 0
    )


# Measured with Vera's Count column (calls over the years Vera downloaded).
VERA_TOTALS = {
    "New Orleans": 3_833_592,
    "Seattle": 3_923_067,
    "Detroit": 1_804_434,
    "Dallas": 541_548,
}


@pytest.mark.parametrize("city", sorted(VERA_COLUMNS))
def test_map_covers_vera_city(city: str) -> None:
    types = vera_types(city)
    city_map = find_map(city)
    assert city_map is not None
    hit, total = covered(city_map, triples(types))
    assert total == VERA_TOTALS[city]
    assert hit / total >= 0.98
    assert hit == total


@pytest.mark.parametrize(("city", "total"), [("New Orleans", 2_354_808), ("Seattle", 3_923_067)])
def test_map_also_covers_initial_call_types(city: str, total: int) -> None:
    """Calls are classified on the final type, but the initial type is kept and mapped too, so
    an analysis of what callers reported (or a call without a final type) is covered."""
    types = vera_types(city, VERA_INITIAL_COLUMNS[city])
    city_map = find_map(city)
    assert city_map is not None
    assert covered(city_map, triples(types)) == (total, total)
