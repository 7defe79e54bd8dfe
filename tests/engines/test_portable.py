"""The Ibis forms of the demand aggregations (engines/portable.py) give the toolkit's own frames
on DuckDB, for scopes that filter by date, origin and category too (the Spark test uses the whole
city). New Orleans' 2022 RTCC calls: 7,203 loaded, 6,969 placed in a neighbourhood."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from publicsafety.analysis import demand
from publicsafety.analysis._sql import ALL_EVENTS, Scope
from publicsafety.engine import Store
from publicsafety.engines import portable
from publicsafety.errors import StoreError
from tests.demand.real import load

pytestmark = [pytest.mark.real_data, pytest.mark.xdist_group("engines_portable")]
CITY = "New Orleans"
SCOPES = {
    "first half": Scope(CITY, since=date(2022, 1, 1), until=date(2022, 7, 1)),
    "community": Scope(CITY, origins=("community",)),
    "two categories": Scope(CITY, categories=("traffic", "medical")),
}


@pytest.fixture(scope="module")
def nola() -> Iterator[Store]:
    store = load(
        CITY,
        areas=(
            ("new_orleans_neighborhoods_geo", "neighborhoods.geojson", "new_orleans_neighborhoods"),
        ),
    )
    yield store
    store.close()


@pytest.mark.parametrize("name", SCOPES)
def test_scoped_tables_identical(nola: Store, name: str) -> None:
    scope = SCOPES[name]
    where, params = scope.where()
    n = int(nola.con.execute(f"SELECT count(*) FROM calls WHERE {where}", params).fetchall()[0][0])
    assert 0 < n < 7203
    for dim in demand.TABLE_DIMENSIONS:
        expected = demand.demand_by(nola, scope, dim)
        assert int(expected.loc[expected["denominator"] == ALL_EVENTS, "calls"].sum()) == n
        got = portable.demand_by(nola, scope, dim)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
    expected = demand.demand_by_area(nola, scope, "neighborhoods")
    got = portable.demand_by_area(nola, scope, "neighborhoods")
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_whole_city_counts(nola: Store) -> None:
    by_area = portable.demand_by_area(nola, Scope(CITY), "neighborhoods")
    assert int(by_area["calls"].sum()) == 7203
    assert int(by_area.loc[by_area["area_id"].isna(), "calls"].iloc[0]) == 7203 - 6969
    counts = portable.place_counts(nola, CITY, "neighborhoods", "community_calls")
    assert int(counts["events"].sum()) == nola.count("calls", "origin = 'community'")


def test_unknown_dimension_and_measure(nola: Store) -> None:
    with pytest.raises(StoreError, match="no portable demand dimension 'call_type'"):
        portable.demand_by(nola, Scope(CITY), "call_type")
    with pytest.raises(StoreError, match="no measure 'thefts'"):
        portable.place_counts(nola, CITY, "neighborhoods", "thefts")
