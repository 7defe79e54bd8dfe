"""House-style charts (SVG with a source line) and privacy-checked table export."""

from __future__ import annotations

import pandas as pd
import pytest

from publicsafety.errors import PrivacyError
from publicsafety.privacy import Suppressed
from publicsafety.report.charts import PALETTE, bar_chart, line_chart
from publicsafety.report.export import publish, write_table


def test_bar_chart_has_title_source_and_labels_suppressed_values() -> None:
    df = pd.DataFrame(
        {"category": ["Violent crime", "Traffic", "Disorder"], "share": [4.1, 15.0, None]}
    )
    svg = bar_chart(
        df,
        category="category",
        value="share",
        title="Share of officer time",
        source="Sample City",
        value_format=".1f",
    )
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "Share of officer time" in svg
    assert 'class="source-line">Source: Sample City<' in svg
    assert "suppressed" in svg and "15.0" in svg and "4.1" in svg


def test_bar_chart_names_bars_by_a_column_called_label() -> None:
    # The budget chart's category column is "label": its bars are named by the cities, and
    # the value appears once, beside the bar.
    df = pd.DataFrame({"label": ["Sample City (sample_city_budget)"], "dollars": [330.4476]})
    svg = bar_chart(
        df, category="label", value="dollars", title="Police", source="x", value_format=",.2f"
    )
    assert ">Sample City (sample_city_budget)</text>" in svg
    assert svg.count(">330.45</text>") == 1


def test_line_chart_series_use_palette_and_dashes() -> None:
    df = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-01-01", "2025-02-01"] * 2),
            "calls": [100, 120, 80, 90],
            "origin": ["community", "community", "officer", "officer"],
        }
    )
    svg = line_chart(
        df, x="month", y="calls", series="origin", title="Calls by month", source="Sample City"
    )
    assert PALETTE[0].lower() in svg.lower() and PALETTE[1].lower() in svg.lower()
    assert "stroke-dasharray" in svg


def test_export_refuses_unsuppressed_small_counts(tmp_path) -> None:
    raw = pd.DataFrame({"area": ["a", "b"], "calls": [3, 40]})
    with pytest.raises(PrivacyError):
        write_table(Suppressed(raw, 0, 0, 0), tmp_path / "t", ["calls"])
    res = publish(pd.DataFrame({"area": ["a", "b", "c"], "calls": [3, 40, 50]}), ["calls"])
    paths = write_table(res, tmp_path / "t", ["calls"], xlsx=True)
    text = paths[0].read_text()
    assert "suppressed" in text and ",3" not in text
    assert paths[1].suffix == ".xlsx" and paths[1].exists()


def test_only_hidden_cells_read_suppressed(tmp_path) -> None:
    df = pd.DataFrame({"area": ["a", "b", "c"], "calls": [3, 40, 50], "rank": [None, 1.0, 2.0]})
    res = publish(df, ["calls"])
    text = write_table(res, tmp_path / "t", ["calls"])[0].read_text().splitlines()
    # a: calls hidden (small), rank missing in the data; b: complement hidden; c: shown.
    assert text[1:] == ["a,suppressed,", "b,suppressed,1", "c,50,2"]


def test_hours_of_a_day_axis_shows_clock_times_not_a_year() -> None:
    df = pd.DataFrame(
        {
            "time": pd.Timestamp("2024-01-01") + pd.to_timedelta(range(24), unit="h"),
            "calls": range(24),
        }
    )
    svg = line_chart(
        df, x="time", y="calls", title="By hour", source="Sample City", x_format="%H:%M"
    )
    assert "06:00" in svg and ">2024<" not in svg


def test_line_chart_legend_follows_the_series_order() -> None:
    import re

    days = ["Monday", "Tuesday", "Wednesday"]
    df = pd.DataFrame(
        {
            "t": pd.to_datetime(["2024-01-01 00:00", "2024-01-01 01:00"] * 3),
            "n": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            "day": ["Wednesday"] * 2 + ["Monday"] * 2 + ["Tuesday"] * 2,
        }
    )
    # Given backwards, the legend is backwards too: the order given wins over the alphabet.
    order = days[::-1]
    svg = line_chart(df, x="t", y="n", series="day", title="T", source="s", series_order=order)
    assert re.findall(r">([A-Za-z]+day)</text>", svg) == order


def test_a_long_source_wraps_under_the_chart() -> None:
    import re

    df = pd.DataFrame({"category": ["A", "B"], "n": [3.0, 4.0]})
    source = "budgets: sample_city_budget; residents: " + "the neighborhoods population table " * 6
    svg = bar_chart(df, category="category", value="n", title="T", source=source)
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
    lines = re.findall(r'class="source-line">([^<]*)<', svg)
    assert len(lines) > 1
    assert " ".join(lines) == f"Source: {source.strip()}"
    assert all(4 + 5.8 * len(line) <= width for line in lines)
