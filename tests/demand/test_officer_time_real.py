"""Officer time and response times on the real calls files: every rule count checked against
the raw file read directly with DuckDB (the quirks: NULL strings, missing arrival, 1900-01-01
sentinels, date-only files, no clear time)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from publicsafety.analysis.officer_time import (
    OfficerTimeRules,
    ResponseConvention,
    measure_officer_time,
    response_times,
)
from publicsafety.analysis.scope import Scope
from publicsafety.engine import Store
from tests.demand.real import (
    ALEXANDRIA_COMMUNITY,
    ALEXANDRIA_EXCLUDED,
    ALEXANDRIA_FROM,
    NOLA_EXCLUDED,
    load,
    raw,
)

pytestmark = pytest.mark.real_data


@pytest.fixture(scope="module")
def alexandria() -> Iterator[Store]:
    s = load("Alexandria")
    yield s
    s.close()


def _rules(store: Store, city: str, rules: OfficerTimeRules | None = None) -> dict[str, int]:
    result = measure_officer_time(store, city, rules)
    assert int(result.table["calls"].sum()) == result.calls
    return dict(zip(result.table["rule"], result.table["calls"], strict=True))


def test_alexandria_rules_match_the_raw_file(alexandria: Store) -> None:
    """Final_Closed_Time is the string NULL on 5.4% of kept rows (SOURCE.md: 5.6% of all)."""
    kept = f"{raw('Alexandria')} WHERE coalesce(Disposition, '') NOT IN ({ALEXANDRIA_EXCLUDED})"
    ts = "try_cast(nullif({}, 'NULL') AS TIMESTAMP)"
    start = f"coalesce({ts.format('Incident_Dispatch_Time')}, {ts.format('Incident_Arrival_Time')})"
    clear = ts.format("Final_Closed_Time")
    no_clear, negative, over, measured, hours = alexandria.con.execute(
        f"""SELECT count(*) FILTER (WHERE {clear} IS NULL),
                   count(*) FILTER (WHERE {clear} < {start}),
                   count(*) FILTER (WHERE {clear} - {start} > INTERVAL 24 HOUR),
                   count(*) FILTER (WHERE {clear} - {start} BETWEEN INTERVAL 0 SECOND AND INTERVAL 24 HOUR),
                   sum(epoch({clear} - {start})) FILTER
                     (WHERE {clear} - {start} BETWEEN INTERVAL 0 SECOND AND INTERVAL 24 HOUR) / 3600
            FROM {kept}"""
    ).fetchone()
    counts = _rules(alexandria, "Alexandria")
    assert (no_clear, negative, over, measured) == (1551, 3, 92, 27000)
    assert counts["no_clear_time"] == no_clear
    assert counts["negative"] == negative
    assert counts["over_limit"] == over
    assert counts["measured"] == measured  # every kept row has a dispatch time
    assert counts["measured_from_fallback"] == counts["no_start_time"] == counts["date_only"] == 0
    total = alexandria.con.execute("SELECT sum(officer_minutes) / 60 FROM calls").fetchone()
    assert total is not None and total[0] == pytest.approx(hours, rel=1e-9)


def test_alexandria_arrival_start_falls_back_on_missing_arrival(alexandria: Store) -> None:
    """Arrival is NULL on 11.5% of kept rows: with start = arrival those calls are measured from
    dispatch and counted as such."""
    missing_arrival = alexandria.con.execute(
        f"""SELECT count(*) FROM {raw("Alexandria")}
            WHERE coalesce(Disposition, '') NOT IN ({ALEXANDRIA_EXCLUDED})
              AND Incident_Arrival_Time = 'NULL' AND Final_Closed_Time <> 'NULL'
              AND Final_Closed_Time >= Incident_Dispatch_Time
              AND try_cast(Final_Closed_Time AS TIMESTAMP) - try_cast(Incident_Dispatch_Time AS TIMESTAMP)
                  <= INTERVAL 24 HOUR"""
    ).fetchone()
    counts = _rules(alexandria, "Alexandria", OfficerTimeRules(start="arrival"))
    assert missing_arrival is not None
    assert (counts["measured_from_fallback"], missing_arrival[0]) == (2642, 2642)
    measure_officer_time(alexandria, "Alexandria")  # back to the city's rules for other tests


def test_alexandria_response_times_by_priority_match_hand_computation(alexandria: Store) -> None:
    ts = "try_cast(nullif({}, 'NULL') AS TIMESTAMP)"
    rec, arr, dis = (
        ts.format(c) for c in ("Response_Date", "Incident_Arrival_Time", "Incident_Dispatch_Time")
    )
    hand = alexandria.con.execute(
        f"""WITH r AS (
              SELECT Priority_Number AS p, epoch({arr} - {rec}) / 60 AS m, epoch({dis} - {rec}) / 60 AS q
              FROM {raw("Alexandria")}
              WHERE Agency = 'POLICE' AND {rec} >= TIMESTAMP '{ALEXANDRIA_FROM}'
                AND coalesce(Disposition, '') NOT IN ({ALEXANDRIA_EXCLUDED})
                AND upper(Call_Reception) IN ({ALEXANDRIA_COMMUNITY}))
            SELECT p, count(*), median(m), avg(m), avg((m > 20)::INT), median(q) FROM r
            WHERE m BETWEEN 0 AND 1440 GROUP BY p ORDER BY p"""
    ).fetchall()
    scope = Scope("Alexandria", agencies=("police",), since=date(2025, 10, 5))
    result = response_times(alexandria, scope)
    t = result.table.set_index(["priority", "segment"])
    assert [r[0] for r in hand] == ["1", "2", "3", "4", "5", "6", "8"]
    for p, n, median, mean, over20, median_q in hand:
        row = t.loc[(p, "received_to_arrived")]
        assert int(row["calls"]) == n
        assert row["median_minutes"] == pytest.approx(median)
        assert row["mean_minutes"] == pytest.approx(mean)
        assert row["share_over_20"] == pytest.approx(over20)
        assert t.loc[(p, "received_to_dispatched"), "median_minutes"] == pytest.approx(median_q)
    assert int(t.loc[("all", "received_to_arrived"), "calls"]) == sum(r[1] for r in hand) == 8960
    assert result.sample["calls"].tolist() == [14384, 10277, 10277, 10277, 8981, 8960]
    assert t.loc[("1", "received_to_arrived"), "median_minutes"] == pytest.approx(4.9086, abs=1e-4)


@pytest.fixture(scope="module")
def new_orleans() -> Iterator[Store]:
    s = load("New Orleans")
    yield s
    s.close()


def test_new_orleans_officer_initiated_events_are_timed_from_arrival(new_orleans: Store) -> None:
    """Self-initiated NOPD events have an arrival but no dispatch time: measured from arrival."""
    row = new_orleans.con.execute(
        f"""SELECT count(*) FILTER (WHERE TimeDispatch IS NULL AND TimeArrive IS NOT NULL
                                    AND strptime(TimeClosed, '%m/%d/%Y %H:%M')
                                        - strptime(TimeArrive, '%m/%d/%Y %H:%M') BETWEEN INTERVAL 0 SECOND AND INTERVAL 24 HOUR),
                   count(*) FILTER (WHERE TimeDispatch IS NULL AND TimeArrive IS NULL)
            FROM {raw("New Orleans")} WHERE Disposition NOT IN ({NOLA_EXCLUDED})"""
    ).fetchone()
    counts = _rules(new_orleans, "New Orleans")
    assert row == (1581, 147)
    assert counts["measured_from_fallback"] == row[0]
    assert counts["no_start_time"] == row[1]


def test_new_orleans_published_convention(new_orleans: Store) -> None:
    """AH Datalytics: community-initiated (SelfInitiated N), dispositions NAT/RTF/UNF/GOA,
    0 to 1,440 minutes from creation to arrival."""
    fmt = "'%m/%d/%Y %H:%M'"
    hand = new_orleans.con.execute(
        f"""SELECT count(*), median(m), quantile_cont(m, 0.9) FROM (
              SELECT epoch(strptime(TimeArrive, {fmt}) - strptime(TimeCreate, {fmt})) / 60 AS m
              FROM {raw("New Orleans")}
              WHERE SelfInitiated = 'N' AND Disposition IN ('NAT', 'RTF', 'UNF', 'GOA')
                AND TimeArrive IS NOT NULL)
            WHERE m BETWEEN 0 AND 1440"""
    ).fetchone()
    result = response_times(new_orleans, Scope("New Orleans"))
    assert result.convention == ResponseConvention.for_city("New Orleans")
    assert result.convention.dispositions == ("NAT", "RTF", "UNF", "GOA")
    overall = result.table.set_index(["priority", "segment"]).loc[("all", "received_to_arrived")]
    assert hand is not None and hand[0] == 5938
    assert int(overall["calls"]) == hand[0]
    assert overall["median_minutes"] == pytest.approx(hand[1])
    assert overall["p90_minutes"] == pytest.approx(hand[2])
    assert "AH Datalytics" in result.notes[0]
    assert result.sample["calls"].tolist() == [7203, 6372, 6369, 6369, 5952, 5938]


def test_sacramento_date_only_with_1900_sentinels() -> None:
    """Dates only: no minutes at all, said so; the 1900-01-01 'never happened' sentinels are
    missing values, not 1900 dates (6,672 never dispatched, as SOURCE.md counts)."""
    store = load("Sacramento")
    sentinels = store.con.execute(
        f"SELECT count(*) FILTER (WHERE Dispatch_Date = '1900-01-01') FROM {raw('Sacramento')}"
    ).fetchone()
    assert sentinels == (6672,)
    assert store.count("calls", "dispatched_at IS NULL") == 6672
    assert store.count("calls", "year(dispatched_at) = 1900 OR year(arrived_at) = 1900") == 0
    result = measure_officer_time(store, "Sacramento")
    counts = dict(zip(result.table["rule"], result.table["calls"], strict=True))
    assert counts["date_only"] == 25000 == result.calls
    assert result.measured_calls == 0 and store.count("calls", "officer_minutes IS NOT NULL") == 0
    assert any("dates without times" in n for n in result.notes)
    rt = response_times(store, Scope("Sacramento"), ResponseConvention(origins=()))
    assert rt.table.empty and rt.sample["calls"].tolist()[3:] == [0, 0, 0]
    assert any("cannot be measured" in n for n in rt.notes)
    store.close()


@pytest.mark.parametrize(
    ("city", "rule", "calls"),
    [
        ("Seattle", "no_clear_time", 222),
        ("Portland", "date_only", 55508),
        ("Albuquerque", "date_only", 30000),
    ],
)
def test_files_without_minutes_are_counted_under_one_rule(city: str, rule: str, calls: int) -> None:
    """Seattle's sample has arrival but no clear time; Portland and Albuquerque give dates only."""
    store = load(city)
    counts = _rules(store, city)
    assert counts[rule] == calls == sum(counts.values())
    store.close()
