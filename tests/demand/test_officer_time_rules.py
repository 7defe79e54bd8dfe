"""Officer-time rules on hand-made calls: each rule fires on the call built for it, counts add
up to all calls, units multiply, and over-limit durations are excluded or capped as chosen."""

from __future__ import annotations

import pytest

from publicsafety.analysis.officer_time import (
    OfficerTimeRules,
    measure_officer_time,
    response_times,
)
from publicsafety.analysis.scope import Scope
from publicsafety.engine import Store
from publicsafety.errors import ProfileError, StoreError

T0 = "2024-03-04 10:00:00"
# (row_id, dispatched, arrived, cleared, units, date_only, expected rule, expected minutes)
ROWS = [
    (1, "10:05", "10:15", "10:45", None, False, "measured", 40.0),
    (2, "10:05", "10:15", "10:45", 3, False, "measured", 120.0),  # 40 min x 3 units
    (
        3,
        None,
        "10:15",
        "10:45",
        None,
        False,
        "measured_from_fallback",
        30.0,
    ),  # on-view: no dispatch
    (4, "10:05", None, None, None, False, "no_clear_time", None),
    (5, None, None, "10:45", None, False, "no_start_time", None),
    (6, "10:05", "10:15", "09:00", None, False, "negative", None),
    (7, "10:05", "10:15", "+25h", None, False, "over_limit", None),
    (8, None, None, None, None, True, "date_only", None),
    (9, "10:05", "10:05", "10:05", 0, False, "measured", 0.0),  # zero units counts as one
]


def _ts(v: str | None) -> str:
    if v is None:
        return "NULL"
    if v == "+25h":
        return "TIMESTAMP '2024-03-05 11:05:00'"
    return f"TIMESTAMP '2024-03-04 {v}:00'"


@pytest.fixture
def calls(store: Store) -> Store:
    for row_id, d, a, c, units, date_only, _, _ in ROWS:
        store.con.execute(
            f"""INSERT INTO calls (city, row_id, received_at, dispatched_at, arrived_at, cleared_at,
                                   units, date_only, origin)
                VALUES ('Testville', {row_id}, TIMESTAMP '{T0}', {_ts(d)}, {_ts(a)}, {_ts(c)},
                        {units if units is not None else "NULL"}, {date_only}, 'community')"""
        )
    return store


def test_each_rule_fires_once_and_minutes_are_set(calls: Store) -> None:
    result = measure_officer_time(calls, "Testville", OfficerTimeRules())
    counts = dict(zip(result.table["rule"], result.table["calls"], strict=True))
    expected: dict[str, int] = {}
    for *_, rule, _ in ROWS:
        expected[rule] = expected.get(rule, 0) + 1
    assert {k: v for k, v in counts.items() if v} == expected
    assert int(result.table["calls"].sum()) == len(ROWS) == result.calls
    got = dict(
        calls.con.execute("SELECT row_id, officer_minutes FROM calls ORDER BY row_id").fetchall()
    )
    for row_id, *_, minutes in ROWS:
        assert got[row_id] == pytest.approx(minutes) if minutes is not None else got[row_id] is None
    assert result.officer_hours == pytest.approx((40 + 120 + 30 + 0) / 60)
    assert result.measured_calls == 4
    assert int(result.table.set_index("rule").loc["measured", "units_known"]) == 1


def test_arrival_start_and_cap(calls: Store) -> None:
    rules = OfficerTimeRules(start="arrival", max_hours=24, over_limit="cap")
    result = measure_officer_time(calls, "Testville", rules)
    got = dict(
        calls.con.execute("SELECT row_id, officer_minutes FROM calls ORDER BY row_id").fetchall()
    )
    assert got[1] == pytest.approx(30.0)  # 10:15 to 10:45
    assert got[2] == pytest.approx(90.0)
    assert got[3] == pytest.approx(30.0)
    assert got[7] == pytest.approx(24 * 60)  # capped, counted under over_limit
    counts = dict(zip(result.table["rule"], result.table["calls"], strict=True))
    assert counts["over_limit"] == 1 and counts["measured"] == 4  # row 3 has an arrival
    assert result.measured_calls == 5
    assert "counted as 24 hours" in result.table.set_index("rule").loc["over_limit", "what_happens"]


def test_update_false_leaves_the_table_alone(calls: Store) -> None:
    measure_officer_time(calls, "Testville", update=False)
    assert calls.count("calls", "officer_minutes IS NOT NULL") == 0


def test_bad_rules_and_unknown_city(calls: Store) -> None:
    with pytest.raises(ProfileError, match="start"):
        OfficerTimeRules(start="enroute")
    with pytest.raises(ProfileError, match="over_limit"):
        OfficerTimeRules(over_limit="drop")
    with pytest.raises(StoreError, match="Testville"):
        measure_officer_time(calls, "Nowhere")


def test_response_times_refuse_an_unknown_grouping(calls: Store) -> None:
    with pytest.raises(StoreError, match="priority"):
        response_times(calls, Scope("Testville"), by="call_id; DROP TABLE calls")
    by_category = response_times(calls, Scope("Testville"), by="category").table
    # Rows 1, 2, 3, 6, 7, 9 have an arrival (all community, no category): one group and "all".
    assert set(by_category["category"]) == {"not recorded", "all"}
