"""Charts as SVG with one house style, so print and screen agree (Vega-Lite via Altair).

Palettes are colour-blind safe (Okabe-Ito) and every chart also reads in black and white: bars
carry value labels, and series differ by dash or shape as well as colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

# Okabe & Ito (2008) colour-blind-safe palette; order chosen to stay distinct in greyscale.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
FONT = "DejaVu Sans"
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3]]


def house_config() -> dict[str, Any]:
    return {
        "font": FONT,
        "background": "white",
        "view": {"stroke": None},
        "axis": {
            "labelFontSize": 12,
            "titleFontSize": 12,
            "grid": False,
            "labelColor": "#222",
            "titleColor": "#222",
        },
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
        "title": {
            "fontSize": 15,
            "anchor": "start",
            "color": "#111",
            "subtitleFontSize": 12,
            "subtitleColor": "#333",
        },
        "range": {"category": PALETTE},
        "bar": {"color": PALETTE[0]},
        "line": {"color": PALETTE[0], "strokeWidth": 2},
    }


def _finish(
    chart: alt.TopLevelMixin, title: str, source: str, subtitle: str | None = None
) -> alt.TopLevelMixin:
    sub = [subtitle] if subtitle else []
    return (
        chart.properties(
            title=alt.TitleParams(title, subtitle=sub),
        )
        .configure(**house_config())
        .properties(
            # The source line sits under the chart, as in print.
            usermeta={"source": source},
        )
    )


def to_svg(chart: alt.TopLevelMixin, source: str) -> str:
    """Render to SVG, adding the source line as a footer text element."""
    spec = chart.to_dict()
    svg = vlc.vegalite_to_svg(spec)
    return add_footer(svg, f"Source: {source}")


def add_footer(svg: str, text: str) -> str:
    """Append text under an SVG drawing, wrapped to its width (keeps width; adds height)."""
    import re
    import textwrap
    from html import escape

    m = re.search(r'width="([\d.]+)" height="([\d.]+)" viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if not m:
        return svg
    w, h = float(m.group(1)), float(m.group(2))
    # About 5.8 px a character at 10 px DejaVu Sans: a long source wraps instead of running off.
    lines = textwrap.wrap(text, width=max(40, int((w - 8) / 5.8))) or [""]
    new_h = h + 9 + 13 * len(lines)
    svg = svg.replace(
        m.group(0), f'width="{w:g}" height="{new_h:g}" viewBox="0 0 {w:g} {new_h:g}"', 1
    )
    svg = svg.replace(
        f'<rect width="{w:g}" height="{h:g}" fill="white"/>',
        f'<rect width="{w:g}" height="{new_h:g}" fill="white"/>',
        1,
    )
    footer = "".join(
        f'<text x="4" y="{h + 15 + 13 * k:g}" font-family="{FONT}" font-size="10" fill="#333" '
        f'class="source-line">{escape(line)}</text>'
        for k, line in enumerate(lines)
    )
    return svg.replace("</svg>", footer + "</svg>")


def bar_chart(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    source: str,
    value_title: str | None = None,
    value_format: str = ",.0f",
    subtitle: str | None = None,
    sort: Sequence[str] | str = "-x",
    width: int = 480,
) -> str:
    """A horizontal bar chart with value labels (reads in black and white); hidden values are
    left out of the bars and labelled 'suppressed'."""
    data = df[[category, value]].copy()
    # The printed value gets a column of its own: a category column may be called "label".
    text = "__shown"
    data[text] = data[value].map(
        lambda v: "suppressed" if pd.isna(v) else format(float(v), value_format)
    )
    data[value] = data[value].astype("Float64").fillna(0).astype(float)
    base = alt.Chart(data).encode(
        y=alt.Y(
            f"{category}:N",
            sort=list(sort) if not isinstance(sort, str) else sort,
            title=None,
            axis=alt.Axis(labelLimit=300),  # whole names, not "Sample City (sampl…"
        ),
        # The axis speaks as the bar labels do: percents when they are percents.
        x=alt.X(
            f"{value}:Q",
            title=value_title or value,
            axis=alt.Axis(format=".0%") if value_format.endswith("%") else alt.Axis(),
        ),
    )
    chart = (
        base.mark_bar() + base.mark_text(align="left", dx=3, fontSize=11).encode(text=f"{text}:N")
    ).properties(width=width, height=max(60, 22 * len(data)))
    return to_svg(_finish(chart, title, source, subtitle), source)


def line_chart(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str | None = None,
    title: str,
    source: str,
    y_title: str | None = None,
    subtitle: str | None = None,
    width: int = 520,
    height: int = 260,
    x_format: str | None = None,
    series_order: Sequence[str] | None = None,
) -> str:
    """A line chart over time; several series differ by colour and dash pattern. `x_format` is a
    time format for the axis labels (e.g. "%H:%M" for hours of a day); `series_order` orders
    the legend (days of the week, say; alphabetical otherwise)."""
    axis = alt.Axis(format=x_format, labelOverlap=True) if x_format else alt.Axis(labelOverlap=True)
    enc: dict[str, Any] = {
        "x": alt.X(f"{x}:T", title=None, axis=axis),
        "y": alt.Y(f"{y}:Q", title=y_title or y),
    }
    if series:
        present = set(df[series].dropna().unique().tolist())
        names = [n for n in series_order or () if n in present]
        names += sorted(present - set(names))
        enc["color"] = alt.Color(
            f"{series}:N", scale=alt.Scale(domain=names, range=PALETTE[: len(names)])
        )
        enc["strokeDash"] = alt.StrokeDash(
            f"{series}:N", scale=alt.Scale(domain=names, range=DASHES[: len(names)] or [[1, 0]])
        )
    chart = alt.Chart(df).mark_line(point=True).encode(**enc).properties(width=width, height=height)
    return to_svg(_finish(chart, title, source, subtitle), source)


def write_svg(svg: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(svg, encoding="utf-8")
    return path
