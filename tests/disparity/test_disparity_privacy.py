"""Property tests: whatever the counts, the published disparity tables show no count from 1 to
10, nothing computed from a hidden count, and never exactly one hidden cell in a line whose
total is public (which would let a reader subtract it back)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from publicsafety.analysis.disparity.outcomes import outcome_rates
from publicsafety.analysis.disparity.publish import public_tables
from publicsafety.analysis.disparity.rates import benchmarked_rates
from publicsafety.analysis.disparity.run import DisparityReport
from publicsafety.analysis.disparity.veil import VeilResult

GROUPS = ["black", "hispanic", "white", "asian/pacific islander"]
AREAS = ["A", "B", "C"]
counts = st.integers(min_value=0, max_value=40)


def _report(rates: pd.DataFrame, area: pd.DataFrame, out: pd.DataFrame) -> DisparityReport:
    empty = pd.DataFrame()
    return DisparityReport(
        city="Prop",
        stops=0,
        rates=rates,
        area_rates=area,
        area_set="tracts",
        outcomes=out,
        hit_rates=empty,
        models=empty,
    )


def _lines_ok(df: pd.DataFrame, col: str, keys: list[str]) -> bool:
    return all(int(part[col].isna().sum()) != 1 for _, part in df.groupby(keys))


@settings(max_examples=20, deadline=None)
@given(
    area_counts=st.lists(counts, min_size=12, max_size=12),
    searched=st.lists(counts, min_size=4, max_size=4),
)
def test_published_tables_never_leak_a_small_count(
    area_counts: list[int], searched: list[int]
) -> None:
    cells = [(a, g) for a in AREAS for g in GROUPS]
    ev = pd.DataFrame(
        {"area_id": [a for a, _ in cells], "group": [g for _, g in cells], "events": area_counts}
    )
    bench = ev[["area_id", "group"]].assign(benchmark=1000.0)
    area = benchmarked_rates(ev, bench, reference="white").assign(dimension="race")
    city = ev.groupby("group", as_index=False)["events"].sum()
    rates = benchmarked_rates(
        city, city[["group"]].assign(benchmark=3000.0), reference="white"
    ).assign(events_of="stops", benchmark_kind="population", dimension="race")
    per_group = city.assign(
        search=[min(s, n) for s, n in zip(searched, city["events"], strict=True)]
    )
    per_group["search_recorded"] = per_group["events"]
    for o in ("frisk", "arrest", "citation", "warning", "force", "hit"):
        per_group[o] = 0
        per_group[f"{o}_recorded"] = 0
    out = outcome_rates(per_group.rename(columns={"events": "stops"}), reference="white").assign(
        dimension="race"
    )
    tables = public_tables(_report(rates, area, out))
    for name, df in tables.items():
        for col in ("events", "recorded"):
            if col in df:
                shown = df[col].dropna()
                assert not ((shown > 0) & (shown < 11)).any(), (name, col)
        if "ratio" in df and "events" in df:
            assert df.loc[df["events"].isna(), "ratio"].isna().all(), name
    a = tables["area_rates"]
    assert _lines_ok(a, "events", ["area_id"]) and _lines_ok(a, "events", ["group"])
    assert _lines_ok(tables["rates"], "events", ["dimension"])
    if "outcomes" in tables:  # no outcome table when nothing was recorded
        assert _lines_ok(tables["outcomes"], "events", ["outcome"])


def test_veil_counts_of_ten_or_fewer_are_hidden() -> None:
    empty = pd.DataFrame()
    veil = VeilResult(
        group="black",
        reference="white",
        coef=-0.1,
        se=0.1,
        low=-0.3,
        high=0.1,
        odds_ratio=0.9,
        stops=25,
        dark_stops=10,
        window=(1000, 1200),
        dates=30,
        area_effects=False,
        stop_filter="vehicle stops",
        table=empty,
    )
    report = _report(empty, empty, empty)
    report.veil = [veil]
    row = public_tables(report)["veil_of_darkness"].iloc[0]
    assert row["stops_used"] == 25
    assert pd.isna(row["stops_in_darkness"])
    assert (row["window_start"], row["window_end"]) == ("16:40", "20:00")
