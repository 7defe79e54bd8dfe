"""Benchmarked rates, relative rate index and the after-the-stop outcomes on stops built here,
with every expected figure worked by hand in the comments."""

from __future__ import annotations

import math

import pytest

from publicsafety.analysis.disparity.groups import TOO_FEW
from publicsafety.analysis.disparity.outcomes import hit_rates, outcome_counts, outcome_rates
from publicsafety.analysis.disparity.rates import (
    benchmark_counts,
    benchmarked_rates,
    event_counts,
    poisson_interval,
)
from tests.disparity.helpers import insert, numbered, stops


@pytest.fixture
def testville(store):
    rows = (
        stops("black", 120, searched=30, hits=6, arrests=12)
        + stops("white", 60, searched=10, hits=4, arrests=3)
        + stops("hispanic", 5)
        + stops(None, 8)  # race not recorded
    )
    insert(store, "stops", numbered(rows))
    pop = [
        ("black", 20_000),
        ("white", 40_000),
        ("hispanic", 5_000),
    ]
    insert(
        store,
        "population",
        [
            {
                "city": "Testville",
                "area_set": "tracts",
                "area_id": "1",
                "dimension": "race",
                "group": g,
                "count": c / 2,
            }
            for g, c in pop
        ]
        + [
            {
                "city": "Testville",
                "area_set": "tracts",
                "area_id": "2",
                "dimension": "race",
                "group": g,
                "count": c / 2,
            }
            for g, c in pop
        ],
    )
    return store


def test_population_rates_and_ratio(testville) -> None:
    ev = event_counts(testville, "stops", "race", city="Testville")
    assert dict(zip(ev.group, ev.events, strict=True)) == {
        "black": 120,
        "hispanic": 5,
        "unknown": 8,
        "white": 60,
    }
    bench = benchmark_counts(testville, "population", "race", city="Testville")
    out = benchmarked_rates(ev, bench, reference="white").set_index("group")
    # 120 / 20,000 residents = 6.0 per 1,000; 60 / 40,000 = 1.5 per 1,000; ratio 4.0.
    assert out.loc["black", "rate"] == pytest.approx(6.0)
    assert out.loc["white", "rate"] == pytest.approx(1.5)
    assert out.loc["black", "ratio"] == pytest.approx(4.0)
    # Katz: exp(+-1.96 * sqrt(1/120 + 1/60)) = exp(+-0.3099) -> 2.934 .. 5.453.
    assert round(out.loc["black", "ratio_low"], 3) == 2.934
    assert round(out.loc["black", "ratio_high"], 3) == 5.453
    assert out.loc["white", "note"] == "comparison group"
    assert out.loc["hispanic", "note"] == TOO_FEW and math.isnan(out.loc["hispanic", "rate"])
    assert out.loc["unknown", "note"] == "group not recorded"


def test_poisson_interval_is_exact() -> None:
    # Garwood interval for 10 events: 4.795 .. 18.390 (standard tables).
    lo, hi = poisson_interval(10)
    assert (round(lo, 3), round(hi, 3)) == (4.795, 18.390)
    assert poisson_interval(0)[0] == 0.0


def test_rates_per_area(testville) -> None:
    testville.con.execute(
        "INSERT INTO placements SELECT 'stops', row_id, 'tracts', CASE WHEN row_id % 2 = 0 THEN '1' ELSE '2' END FROM stops"
    )
    ev = event_counts(testville, "stops", "race", city="Testville", area_set="tracts")
    bench = benchmark_counts(
        testville, "population", "race", city="Testville", area_set="tracts", by_area=True
    )
    out = benchmarked_rates(ev, bench, reference="white")
    black = out[out.group == "black"].set_index("area_id")
    # Each tract holds half of every group: 60 / 10,000 = 6.0 per 1,000 and ratio 4.0 in both.
    assert black["events"].tolist() == [60, 60]
    assert black["rate"].round(6).tolist() == [6.0, 6.0]
    assert black["ratio"].round(6).tolist() == [4.0, 4.0]


def test_arrest_benchmark_adds_the_benchmark_variance(testville) -> None:
    people = [{"city": "Testville", "subject_race": r} for r in ["black"] * 40 + ["white"] * 20]
    insert(testville, "arrests", numbered(people))
    ev = event_counts(testville, "stops", "race", city="Testville")
    bench = benchmark_counts(testville, "arrests", "race", city="Testville")
    out = benchmarked_rates(ev, bench, reference="white", benchmark_is_count=True).set_index(
        "group"
    )
    # 120 / 40 = 3.0 stops per arrest against 60 / 20 = 3.0: ratio 1.
    assert out.loc["black", "ratio"] == pytest.approx(1.0)
    half = 1.959963984540054 * math.sqrt(1 / 120 + 1 / 60 + 1 / 40 + 1 / 20)
    assert out.loc["black", "ratio_high"] == pytest.approx(math.exp(half))
    assert out.loc["hispanic", "note"] == "no benchmark for this group"


def test_outcome_rates(testville) -> None:
    counts = outcome_counts(testville, "race", city="Testville")
    rates = outcome_rates(counts, reference="white")
    # No stop recorded a frisk, citation, warning or force: those outcomes are left out.
    assert sorted(set(rates.outcome)) == ["arrest", "search"]
    s = rates[rates.outcome == "search"].set_index("group")
    # 30 / 120 = 0.25 against 10 / 60 = 0.1667: ratio 1.5.
    assert s.loc["black", "rate"] == pytest.approx(0.25)
    assert s.loc["black", "ratio"] == pytest.approx(1.5)
    assert s.loc["black", "ratio_low"] < 1.5 < s.loc["black", "ratio_high"]
    a = rates[rates.outcome == "arrest"].set_index("group")
    # White arrests: 3, too few to compare against.
    assert a.loc["white", "note"] == TOO_FEW
    assert a.loc["black", "note"] == "comparison group has too few events to compare"
    assert a.loc["black", "rate"] == pytest.approx(0.1)


def test_hit_rate_test(testville) -> None:
    counts = outcome_counts(testville, "race", city="Testville")
    hits = hit_rates(counts, reference="white").set_index("group")
    # 6 of 30 searches of black people found contraband (0.2), 4 of 10 of white people (0.4).
    assert hits.loc["black", "searches"] == 30 and hits.loc["black", "hits"] == 6
    assert hits.loc["black", "difference"] == pytest.approx(-0.2)
    # Wald: 1.96 * sqrt(.2*.8/30 + .4*.6/10) = 0.3357 -> -0.536 .. 0.136: too few searches to be sure.
    assert round(hits.loc["black", "difference_low"], 3) == -0.536
    assert round(hits.loc["black", "difference_high"], 3) == 0.136
    assert hits.loc["hispanic", "note"] == TOO_FEW


def test_search_falls_back_to_person_or_vehicle_search(store) -> None:
    # Minneapolis records person and vehicle searches separately and no overall flag.
    rows = [
        {
            "city": "M",
            "subject_race": "black",
            "search_person": i < 12,
            "search_vehicle": 10 <= i < 15,
        }
        for i in range(40)
    ]
    insert(store, "stops", numbered(rows))
    counts = outcome_counts(store, "race", city="M")
    assert counts.loc[0, "search"] == 15 and counts.loc[0, "search_recorded"] == 40
