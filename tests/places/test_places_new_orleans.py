"""New Orleans places: SOPP stops 2011-2018 by zone letter, the 2022 RTCC calls and incident
subsets, census tracts with ACS attributes, and neighbourhoods.

Quirks this city brings: the SOPP extract keeps only the zone *letter* (A-Y), not the zone id
(1A ... 8x), so zones are merged by letter across districts (`area_key`); letter W (708 stops)
is in no zone of the map; the incident subset has no coordinates, only the district; the call and
incident subsets are only items with RTCC footage requests (not a sample of the city). Values
below were measured on the real files; the comments say how to recompute them independently.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from publicsafety.analysis.places.run import PlacesReport, analyze_places, map_specs, public_tables
from publicsafety.engine import Store
from tests.places import real

pytestmark = pytest.mark.real_data
LETTER = "([A-Za-z])$"


@pytest.fixture(scope="module")
def nola() -> Iterator[Store]:
    store = real.new_orleans()
    yield store
    store.close()


@pytest.fixture(scope="module")
def letters(nola: Store) -> PlacesReport:
    return analyze_places(
        nola,
        "zones",
        area_key=LETTER,
        attribute={"stops": "beat"},
        population_from="tracts_2010",
        enforcement="stops",
        crime="community_calls",
    )


def test_tract_acs_attributes_match_the_dbf_sums(nola: Store) -> None:
    # The same totals tests/profiles/test_population_new_orleans_tracts_acs2017.py expects.
    got = dict(
        nola.con.execute(
            """SELECT "group", sum("count") FROM population WHERE area_set = 'tracts_2010'
            GROUP BY 1"""
        ).fetchall()
    )
    assert got == {
        "total": 319_354,
        "white": 95_127,
        "black": 190_837,
        "native american": 409,
        "asian/pacific islander": 9_366,
        "other": 831,
        "hispanic": 17_750,
        "below_poverty": 79_954,
    }


def test_stops_by_zone_letter_placed_and_unplaced(letters: PlacesReport) -> None:
    acct = {r["measure"]: r for r in letters.frame.placement.to_dict(orient="records")}
    # SOURCE.md: 395,457 rows; zone W has no polygon (no zone id ends in W).
    assert acct["stops"] == {
        "measure": "stops",
        "rows": 395_457,
        "placed": 394_749,
        "unplaced": 708,
    }
    # The incident subset has no coordinates: nothing can be placed in zones by point.
    assert acct["crime"] == {"measure": "crime", "rows": 7_174, "placed": 0, "unplaced": 7_174}
    # 6,149 placed community calls less the 100 of sensitive types (domestic, sexual assault,
    # juvenile), which are never counted by area: SELECT count(*) of placed community calls
    # whose call type matches privacy.SENSITIVE_PATTERNS gives 100.
    assert acct["community_calls"]["placed"] == 6_049
    t = letters.frame.table
    assert len(t) == 24
    assert t.loc["C", "stops"] == 35_995 and t.loc["D", "stops"] == 47_532
    assert t.loc["X", "stops"] == 5_868
    assert any("7,174 reported crimes" in n and "could not be placed" in n for n in letters.notes)


def test_residents_by_zone_letter_interpolated_from_tracts(letters: PlacesReport) -> None:
    t = letters.frame.table
    # Less than the 319,354 tract residents: parts of tracts lie outside every police zone.
    assert t["population"].sum() == pytest.approx(313_310.94, abs=0.01)
    assert t["below_poverty"].sum() == pytest.approx(78_014.70, abs=0.01)
    assert t.loc["C", "population"] == pytest.approx(9_974.05, abs=0.01)
    assert any("by area of overlap" in n for n in letters.notes)


def test_stop_rates_with_exact_intervals(letters: PlacesReport) -> None:
    r = letters.rates["stops"].loc["C"]
    assert r["rate"] == pytest.approx(35_995 / 9_974.048034 * 1000, rel=1e-9)
    assert (r["rate_low"], r["rate_high"]) == pytest.approx((3_571.68, 3_646.34), abs=0.01)
    assert r["flag"] == ""


def test_stops_against_community_calls_by_zone_letter(letters: PlacesReport) -> None:
    d = letters.divergence
    assert d is not None and d.offset == "population"
    assert d.poisson.params == pytest.approx([-2.705240, 0.523273], abs=1e-5)
    assert d.negbin.params == pytest.approx([-2.401571, 0.500973], abs=1e-4)
    assert d.negbin.alpha == pytest.approx(0.228705, abs=1e-4)
    flags = d.areas["flag"]
    assert sorted(flags[flags == "above"].index) == ["C", "U", "X"]
    assert sorted(flags[flags == "below"].index) == ["I", "K", "L", "M", "N", "O", "P", "Q"]
    x = d.areas.loc["X"]
    assert x["ratio"] == pytest.approx(5_868 / x["expected"], rel=1e-12)
    assert x["ratio_low"] < x["ratio_shrunk"] < x["ratio_high"]
    # Residuals do not cluster across letters (letters are scattered across districts anyway).
    assert letters.moran is not None and letters.moran.n == 24
    assert letters.moran.p_permutation > 0.05


def test_zone_letter_outputs_are_privacy_safe(letters: PlacesReport) -> None:
    public = public_tables(letters)
    areas = public["areas"].table.set_index("area_id")
    officer = areas["officer_calls"]
    assert not ((officer >= 1) & (officer <= 10)).any()
    assert officer.isna().sum() == public["areas"].cells_hidden == 6
    hidden = officer.isna()
    assert areas.loc[hidden, "officer_calls_rate"].isna().all()
    caps = {s["name"]: s["caption"] for s in map_specs(letters, public)}
    assert caps["stops_vs_community_calls"].startswith(
        "Officers stopped people in X at 2.9 times the rate that calls from the community there"
        " would predict."
    )


def test_incidents_by_district_from_the_district_column(nola: Store) -> None:
    report = analyze_places(
        nola,
        "zones",
        area_key="^([0-9])",
        attribute={"incidents": "district"},
        measures=("crime", "officer_calls"),
        enforcement="officer_calls",
        population_from="tracts_2010",
    )
    t = report.frame.table
    assert t["crime"].to_dict() == {
        "1": 870, "2": 511, "3": 698, "4": 630, "5": 784, "6": 596, "7": 1_082, "8": 2_003,
    }  # fmt: skip
    assert "All 7,174 reported crimes were placed in zones." in report.notes


def test_neighbourhoods_officer_activity_against_community_calls(nola: Store) -> None:
    report = analyze_places(
        nola, "neighborhoods", enforcement="officer_calls", crime="community_calls"
    )
    t = report.frame.table
    assert (len(t), t["population"].sum()) == (72, 389_648)
    assert "stops" not in t.columns  # no stop has a point: no zero column pretending otherwise
    d = report.divergence
    assert d is not None
    assert d.negbin.params == pytest.approx([-10.031287, 0.905758], abs=1e-4)
    assert d.negbin.alpha == pytest.approx(0.763432, abs=1e-4)
    assert d.areas["flag"].value_counts().to_dict() == {
        "": 40,
        "below": 22,
        "above": 9,
        "not modelled": 1,
    }
    public = public_tables(report)
    assert public["divergence"].cells_hidden == 52
    div = public["divergence"].table
    assert not div["observed"].between(1, 10).any()
    assert (div.loc[div["observed"].isna(), "flag"] == "suppressed").all()


def test_tracts_with_poverty_in_the_burden_index(nola: Store) -> None:
    report = analyze_places(
        nola, "tracts_2010", enforcement="officer_calls", crime="community_calls"
    )
    assert report.frame.table["below_poverty"].sum() == 79_954
    b = report.burden
    assert list(b.index[:3]) == ["22071006900", "22071000603", "22071014000"]
    assert b["need"].notna().sum() == 144  # 148 tracts less 4 with fewer than 500 residents
    assert np.all(
        b["rank_low"].dropna() <= b["rank"].dropna().reindex(b["rank_low"].dropna().index)
    )


def test_every_zone_letter_map_has_legend_caption_and_source(letters: PlacesReport) -> None:
    import xml.etree.ElementTree as ET

    from publicsafety.report.maps import HATCH_ID, render

    public = public_tables(letters)
    specs = map_specs(letters, public)
    assert [s["name"] for s in specs] == [
        "stops_per_1000", "community_calls_per_1000", "officer_calls_per_1000",
        "stops_vs_community_calls", "burden_index",
    ]  # fmt: skip
    ns = "{http://www.w3.org/2000/svg}"
    for spec in specs:
        root = ET.fromstring(render(spec, letters.frame.geometry, "NOPD SOPP stops"))
        classes = [t.get("class") for t in root.iter(f"{ns}text")]
        assert {"title", "caption", "source-line"} <= set(classes), spec["name"]
        assert root.find(f"{ns}g[@class='legend']") is not None
        paths = list(root.iter(f"{ns}path"))
        assert len(paths) == 24
        hatched = {p.get("data-area") for p in paths if p.get("fill") == f"url(#{HATCH_ID})"}
        if spec["name"] == "officer_calls_per_1000":
            # The 6 letters whose officer-initiated calls are hidden (small or complementary).
            table = public["areas"].table.set_index("area_id")
            assert hatched == set(table.index[table["officer_calls"].isna()]) and len(hatched) == 6
        else:
            assert not hatched
