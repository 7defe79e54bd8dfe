"""SVG charts of the published disparity tables (Vega-Lite via Altair, rendered by vl-convert):
rates with their intervals, and ratios against the comparison group on a log scale.
Hidden (privacy) and too-few rows are left out of the marks and named in the subtitle."""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert as vlc

from publicsafety.analysis.disparity.groups import NOT_A_GROUP
from publicsafety.analysis.disparity.run import DisparityReport
from publicsafety.analysis.disparity.summary import label

# Okabe & Ito colour-blind-safe palette, as the report's charts use.
BLUE, ORANGE = "#0072B2", "#E69F00"
FONT = "DejaVu Sans"


def _svg(chart: alt.TopLevelMixin) -> str:
    chart = chart.configure(font=FONT, background="white").configure_view(stroke=None)
    return vlc.vegalite_to_svg(chart.to_dict())


def _left_out(df: pd.DataFrame, value: str, dim: str) -> str:
    gone = df[df[value].isna()]
    if gone.empty:
        return ""
    return "No figure (too few or hidden for privacy): " + ", ".join(
        label(dim, g) for g in gone["group"]
    )


def rate_chart(rates: pd.DataFrame, dimension: str, title: str, x_title: str) -> str:
    """Horizontal bars with 95% interval whiskers, one bar per group."""
    data = rates.loc[
        ~rates["group"].isin(NOT_A_GROUP), ["group", "rate", "rate_low", "rate_high"]
    ].copy()
    data["who"] = [label(dimension, g) for g in data["group"]]
    shown = data.dropna(subset=["rate"]).astype(
        {"rate": float, "rate_low": float, "rate_high": float}
    )
    base = alt.Chart(shown).encode(y=alt.Y("who:N", sort="-x", title=None))
    bars = base.mark_bar(color=BLUE).encode(x=alt.X("rate:Q", title=x_title))
    whiskers = base.mark_rule(color="#222").encode(x="rate_low:Q", x2="rate_high:Q")
    text = base.mark_text(align="left", dx=4, dy=-7, fontSize=11).encode(
        x="rate_high:Q", text=alt.Text("rate:Q", format=",.1f")
    )
    chart = (bars + whiskers + text).properties(
        width=460,
        height=max(60, 26 * len(shown)),
        title=alt.TitleParams(
            title, subtitle=[s for s in [_left_out(data, "rate", dimension)] if s]
        ),
    )
    return _svg(chart)


def ratio_chart(rates: pd.DataFrame, reference: str, title: str) -> str:
    """Ratios against the comparison group per benchmark, points with intervals, log scale."""
    data = rates[rates["group"] != reference].dropna(subset=["ratio"]).copy()
    data["who"] = [label("race", g) for g in data["group"]]
    data["benchmark"] = data["benchmark_kind"].map(
        {"population": "per resident", "arrests": "per arrest"}
    )
    data = data.astype({"ratio": float, "ratio_low": float, "ratio_high": float})
    scale = alt.Scale(type="log")
    base = alt.Chart(data).encode(
        y=alt.Y("who:N", title=None),
        yOffset="benchmark:N",
        # Shape carries the legend (it survives greyscale printing); colour only repeats it.
        color=alt.Color("benchmark:N", scale=alt.Scale(range=[BLUE, ORANGE]), legend=None),
    )
    points = base.mark_point(filled=True, size=60).encode(
        x=alt.X(
            "ratio:Q",
            scale=scale,
            title=f"Times as often as {label('race', reference).lower()} (log scale)",
        ),
        shape=alt.Shape("benchmark:N", title="Benchmark"),
    )
    whiskers = base.mark_rule().encode(x="ratio_low:Q", x2="ratio_high:Q")
    one = (
        alt.Chart(pd.DataFrame({"x": [1.0]}))
        .mark_rule(strokeDash=[4, 3], color="#555")
        .encode(x="x:Q")
    )
    chart = (whiskers + points + one).properties(
        width=460,
        height=max(80, 44 * data["who"].nunique()),
        title=alt.TitleParams(
            title, subtitle=["1 = same rate as the comparison group; lines are 95% intervals"]
        ),
    )
    return _svg(chart)


def all_charts(tables: dict[str, pd.DataFrame], report: DisparityReport) -> dict[str, str]:
    """Charts the published tables allow, by file name (without .svg)."""
    out: dict[str, str] = {}
    ref = report.references.get("race")
    rates = tables.get("rates", pd.DataFrame())
    if not rates.empty:
        race = rates[(rates["dimension"] == "race") & (rates["events_of"] == "stops")]
        pop = race[race["benchmark_kind"] == "population"]
        if pop["rate"].notna().any():
            out["stops_per_1000_residents_by_race"] = rate_chart(
                pop, "race", "Stops per 1,000 residents, by race", "Stops per 1,000 residents"
            )
        if ref and race.loc[race["group"] != ref, "ratio"].notna().any():
            out["stop_ratios_by_race"] = ratio_chart(race, ref, "How often each group was stopped")
    outcomes = tables.get("outcomes", pd.DataFrame())
    if not outcomes.empty:
        for outcome in ("search", "frisk", "arrest"):
            part = outcomes[(outcomes["dimension"] == "race") & (outcomes["outcome"] == outcome)]
            if part["rate"].notna().any():
                scaled = part.assign(
                    rate=part["rate"] * 100,
                    rate_low=part["rate_low"] * 100,
                    rate_high=part["rate_high"] * 100,
                )
                article = "an" if outcome[0] in "aeiou" else "a"
                out[f"{outcome}_rate_by_race"] = rate_chart(
                    scaled,
                    "race",
                    f"Share of stops with {article} {outcome}, by race",
                    "Per 100 stops",
                )
    return out
