"""Calls per 1,000 residents take the residents from one population source, as the places
analysis does: two loads of the same area set (say ACS 2015 and 2016) never add up."""

from __future__ import annotations

from publicsafety.analysis.demand import demand_by_area
from publicsafety.analysis.scope import Scope
from publicsafety.engine import Store


def test_two_population_loads_are_not_added(store: Store) -> None:
    con = store.con
    con.execute(
        "INSERT INTO areas (city, area_set, area_id, name)"
        " VALUES ('T', 'beats', 'B1', 'One'), ('T', 'beats', 'B2', 'Two')"
    )
    con.execute(
        """INSERT INTO population (city, area_set, area_id, dimension, "group", "count", source, year)
           VALUES ('T', 'beats', 'B1', 'total', 'total', 1000, 'acs', 2015),
                  ('T', 'beats', 'B2', 'total', 'total', 3000, 'acs', 2015),
                  ('T', 'beats', 'B1', 'total', 'total', 2000, 'acs', 2016),
                  ('T', 'beats', 'B2', 'total', 'total', 4000, 'acs', 2016)"""
    )
    con.execute(
        "INSERT INTO calls (city, row_id, origin) SELECT 'T', i, 'community' FROM range(30) t(i)"
    )
    con.execute(
        "INSERT INTO placements SELECT 'calls', i, 'beats', CASE WHEN i < 10 THEN 'B1' ELSE 'B2' END"
        " FROM range(30) t(i)"
    )
    df = demand_by_area(store, Scope("T"), "beats").set_index("area_id")
    # Both years cover both beats: the later one is taken, not the sum (3,000 and 7,000).
    assert df["residents"].to_dict() == {"B1": 2000.0, "B2": 4000.0}
    assert df["calls_per_1000_residents"].to_dict() == {"B1": 5.0, "B2": 5.0}
