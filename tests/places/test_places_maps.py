"""Choropleth SVGs: every map has a title, a legend, a caption and a source line; suppressed
areas are hatched and labelled, and their values appear nowhere, as a number or as a colour."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from publicsafety.privacy import suppress_table
from publicsafety.report.maps import HATCH_ID, SEQUENTIAL, breaks, choropleth, layer_from, render

NS = "{http://www.w3.org/2000/svg}"
# Four blocks near New Orleans (lon, lat): small enough to label, one with a small count.
GEOMS = {
    "north": box(-90.10, 29.96, -90.06, 29.99),
    "south": box(-90.10, 29.93, -90.06, 29.96),
    "east": box(-90.06, 29.93, -90.02, 29.99),
    "west": box(-90.14, 29.93, -90.10, 29.99),
}


def published() -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "area_id": list(GEOMS),
            "name": ["North", "South", "East", "West"],
            "stops": [120, 7, 400, 55],
            "population": [1000.0, 2000.0, 4000.0, 1000.0],
        }
    )
    df["rate"] = df["stops"] / df["population"] * 1000
    return suppress_table(df, ["stops"], derived={"rate": ["stops"]}).table.set_index("area_id")


def draw(df: pd.DataFrame) -> str:
    return choropleth(
        GEOMS,
        layer_from(df, "rate", ["stops"]),
        title="Stops per 1,000 residents",
        legend_title="stops per 1,000 residents",
        source="Test City stops, 2020",
        caption="East had the most stops.",
    )


def test_map_has_title_legend_caption_and_source() -> None:
    svg = draw(published())
    root = ET.fromstring(svg)  # well-formed XML
    texts = {t.get("class"): t.text for t in root.iter(f"{NS}text") if t.get("class")}
    assert texts["title"] == "Stops per 1,000 residents"
    assert texts["caption"] == "East had the most stops."
    assert texts["source-line"] == "Source: Test City stops, 2020"
    legend = root.find(f"{NS}g[@class='legend']")
    assert legend is not None
    assert legend.find(f"{NS}text").text == "stops per 1,000 residents"
    assert len(legend.findall(f"{NS}rect")) >= 3


def test_suppressed_area_is_hatched_not_coloured_and_its_value_is_nowhere() -> None:
    df = published()
    # South (7 stops) is small; one other area is hidden with it so 7 cannot be worked out.
    hidden = set(df.index[df["stops"].isna()])
    assert "south" in hidden and len(hidden) == 2
    svg = draw(df)
    root = ET.fromstring(svg)
    paths = {p.get("data-area"): p for p in root.iter(f"{NS}path")}
    for area in hidden:
        assert paths[area].get("fill") == f"url(#{HATCH_ID})"
        assert "suppressed" in paths[area].get("class")
        assert paths[area].find(f"{NS}title").text.endswith(": suppressed")
    for area in set(GEOMS) - hidden:
        assert paths[area].get("fill") in SEQUENTIAL
    # No text of the drawing (labels, tooltips, legend, caption) carries a hidden area's value.
    words = [t.text or "" for t in root.iter() if t.tag in (f"{NS}text", f"{NS}title")]
    true_rates = {"south": 3.5, "west": 55.0}
    for area in hidden:
        v = true_rates[area]
        for shown in (f"{v:.2f}", f"{v:.1f}", f"{v:,.0f}"):
            assert not any(re.search(rf"(?<![\d.]){re.escape(shown)}(?!\d)", w) for w in words)
    labels = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "area-label"]
    assert "suppressed" in labels
    # Each name has a white halo drawn under it, not a stroke over its letters (print
    # renderers ignore paint-order): black letters, no stroke.
    texts = list(root.iter(f"{NS}text"))
    for k, t in enumerate(texts):
        if t.get("class") == "area-label":
            assert t.get("fill") == "#000" and t.get("stroke") is None
            halo = texts[k - 1]
            assert halo.get("class") == "area-halo" and halo.text == t.text
    assert "paint-order" not in svg
    assert "suppressed (too few events to publish)" in svg


def test_legend_classes_come_from_shown_values_only() -> None:
    df = published()
    shown = df["rate"].dropna().tolist()
    svg = draw(df)
    # Class breaks are computed without the hidden rates, so they cannot leak through the legend.
    for b in breaks(shown):
        assert f"{b:.2f}" in svg or f"{b:.1f}" in svg or f"{b:,.0f}" in svg


def test_no_data_is_white_and_labelled() -> None:
    df = published()
    df.loc["east", "rate"] = np.nan  # e.g. no residents: a rate is unknown, not hidden
    svg = draw(df)
    root = ET.fromstring(svg)
    paths = {p.get("data-area"): p for p in root.iter(f"{NS}path")}
    assert paths["east"].get("fill") == "white" and "nodata" in paths["east"].get("class")
    assert ">no data<" in svg


def test_render_a_map_spec() -> None:
    df = published()
    spec = {
        "table": df,
        "value": "rate",
        "counts": ["stops"],
        "title": "Stops",
        "legend": "per 1,000",
        "caption": "Caption.",
        "breaks": [10.0, 50.0, 100.0],
    }
    svg = render(spec, GEOMS, "Test source")
    assert "10.0 to 50.0" in svg and "100 or more" in svg
    assert svg.count('class="area ') == 4


@pytest.mark.parametrize("values", [[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [0.5, 0.5, 0.5, 2.0]])
def test_breaks_increase(values: list[float]) -> None:
    b = breaks(values)
    assert b == sorted(set(b))


def test_a_name_moves_within_its_area_rather_than_overprint_another() -> None:
    import shapely

    from publicsafety.report.maps import _label_box

    area = shapely.box(0, 0, 100, 100)
    free = _label_box(50, 50, 20, [], area)
    assert free == (30, 43, 70, 55)
    # The spot is taken (and one line up would still touch it): two lines up, inside the area.
    moved = _label_box(50, 50, 20, [(30, 43, 70, 55)], area)
    assert moved == (30, 21, 70, 33)
    assert shapely.contains(area, shapely.box(*moved))
    # A sliver of an area with its one spot taken: no room anywhere, the name is left off.
    sliver = shapely.box(28, 40, 72, 58)
    assert _label_box(50, 50, 20, [(30, 43, 70, 55)], sliver) is None
