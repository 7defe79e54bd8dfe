"""The public face of a disparity report: every table through `publicsafety.privacy` (no count
from 1 to 10, nor anything computed from one), then CSV files, SVG charts and the summary."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from publicsafety import privacy
from publicsafety.analysis.disparity import charts, summary
from publicsafety.analysis.disparity.rates import BENCHMARKS
from publicsafety.analysis.disparity.run import DisparityReport
from publicsafety.errors import PrivacyError

# Every column of a published table that counts people or events.
COUNT_COLUMNS = ("events", "recorded", "searches", "hits", "stops_used", "stops_in_darkness")
RATE_DERIVED = ["rate", "rate_low", "rate_high", "ratio", "ratio_low", "ratio_high"]
HIT_DERIVED = [
    "hit_rate",
    "hit_rate_low",
    "hit_rate_high",
    "difference",
    "difference_low",
    "difference_high",
]


def _suppress_rates(df: pd.DataFrame, partition: list[str], min_count: int | None) -> pd.DataFrame:
    """Rates tables: event counts (and arrest benchmarks, which are counts of people too)."""
    if df.empty:
        return df
    parts = []
    for kind, part in df.groupby("benchmark_kind", sort=False):
        counts = ["events"] + (["benchmark"] if kind == "arrests" else [])
        part = part.copy()
        part["benchmark"] = part["benchmark"].fillna(0.0)
        res = privacy.suppress_table(
            part,
            counts,
            partition=partition,
            derived={c: counts for c in RATE_DERIVED},
            min_count=min_count,
        )
        parts.append(res.table)
    out = pd.concat(parts, ignore_index=True)
    out["benchmark_weakness"] = out["benchmark_kind"].map(lambda k: BENCHMARKS[k][1])
    return out


def _suppress_two_way(df: pd.DataFrame, min_count: int | None) -> pd.DataFrame:
    """Area x group counts: both the area totals and the group totals are public, so hide
    complementary cells along both until nothing changes (a hidden cell counts as hidden in
    the next pass because privacy treats a missing count as not publishable)."""
    if df.empty:
        return df
    out = df.copy()
    before = -1
    for _ in range(20):
        for part in (["dimension", "area_id"], ["dimension", "group"]):
            res = privacy.suppress_table(
                out,
                ["events"],
                partition=part,
                derived={c: ["events"] for c in RATE_DERIVED},
                min_count=min_count,
            )
            out = res.table
        hidden = int(out["events"].isna().sum())
        if hidden == before:
            return out
        before = hidden
    raise PrivacyError("complementary suppression of the area table did not settle")


def public_tables(report: DisparityReport, min_count: int | None = None) -> dict[str, pd.DataFrame]:
    """The report's tables as they may be published."""
    out: dict[str, pd.DataFrame] = {}
    out["rates"] = _suppress_rates(
        report.rates, ["events_of", "benchmark_kind", "dimension"], min_count
    )
    if not report.area_rates.empty:
        area = report.area_rates.assign(benchmark_kind="population")
        out["area_rates"] = _suppress_two_way(area, min_count)
    if not report.outcomes.empty:
        out["outcomes"] = privacy.suppress_table(
            report.outcomes,
            ["events", "recorded"],
            partition=["dimension", "outcome"],
            derived={c: ["events", "recorded"] for c in RATE_DERIVED},
            min_count=min_count,
        ).table
    if not report.hit_rates.empty:
        out["hit_rates"] = privacy.suppress_table(
            report.hit_rates,
            ["searches", "hits"],
            partition=["dimension"],
            derived={c: ["searches", "hits"] for c in HIT_DERIVED},
            min_count=min_count,
        ).table
    if not report.models.empty:
        # Coefficients are estimated from all cells at once; no single cell count can be read
        # back from them, so they are published as fitted.
        out["models"] = report.models.copy()
    if report.veil:
        out["veil_of_darkness"] = pd.DataFrame(
            [
                {
                    "group": v.group,
                    "reference": v.reference,
                    "darkness_coefficient": v.coef,
                    "low": v.low,
                    "high": v.high,
                    "odds_ratio": v.odds_ratio,
                    "stops_used": v.stops,
                    "stops_in_darkness": v.dark_stops,
                    "window_start": f"{v.window[0] // 60:02d}:{v.window[0] % 60:02d}",
                    "window_end": f"{v.window[1] // 60:02d}:{v.window[1] % 60:02d}",
                    "dates": v.dates,
                    "stops_included": v.stop_filter,
                }
                for v in report.veil
            ]
        )
        # Each row is its own analysis (no shared total), so only the small counts themselves
        # are hidden; the model needs 10+ stops of the group on each side, so this is rare.
        out["veil_of_darkness"] = privacy.suppress_table(
            out["veil_of_darkness"],
            ["stops_used", "stops_in_darkness"],
            partition=["group"],
            min_count=min_count,
        ).table
    for name, df in out.items():
        out[name] = _mark_hidden(df)
    return out


def _mark_hidden(df: pd.DataFrame) -> pd.DataFrame:
    """Say in the note column where a count was hidden, so a blank is never mistaken for zero."""
    counts = [c for c in ("events", "recorded", "searches", "hits") if c in df.columns]
    if not counts or "note" not in df.columns:
        return df
    hidden = df[counts].isna().any(axis=1)
    out = df.copy()
    out["note"] = out["note"].astype(object)
    out.loc[hidden, "note"] = [
        f"{n}; hidden to protect privacy" if n else "hidden to protect privacy"
        for n in out.loc[hidden, "note"]
    ]
    return out


def write_outputs(
    report: DisparityReport, out_dir: Path, min_count: int | None = None
) -> list[Path]:
    """Write CSV tables (through privacy), SVG charts, summary.md and summary.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = public_tables(report, min_count)
    written = []
    for name, df in tables.items():
        if df.empty:  # e.g. no rates without population counts: "Not run" in the summary says why
            continue
        count_cols = [c for c in COUNT_COLUMNS if c in df.columns]
        bad = privacy.published_small_counts(df, count_cols, min_count or privacy.DEFAULT.min_count)
        if bad:
            raise PrivacyError(
                f"refusing to write {name}.csv: {len(bad)} small counts are not suppressed"
            )
        path = out_dir / f"{name}.csv"
        df.to_csv(path, index=False, na_rep="")
        written.append(path)
    for name, svg in charts.all_charts(tables, report).items():
        path = out_dir / f"{name}.svg"
        path.write_text(svg, encoding="utf-8")
        written.append(path)
    text = summary.summarize(tables, report)
    (out_dir / "summary.md").write_text(text, encoding="utf-8")
    (out_dir / "summary.json").write_text(
        json.dumps(summary.facts(tables, report), indent=2, default=str), encoding="utf-8"
    )
    written += [out_dir / "summary.md", out_dir / "summary.json"]
    return written
