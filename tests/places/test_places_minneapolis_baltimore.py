"""Minneapolis 2017 stops by neighbourhood with neighbourhood demographics, and Baltimore arrests
by neighbourhood beside Part 1 crime that cannot be placed.

Minneapolis: every stop carries its neighbourhood's name (SOURCE.md: it matches BDNAME exactly),
so all 51,920 are placed (by point, names filling the rest); three neighbourhoods have no ACS row
(two industrial areas without residents). No crime file: divergence is not modelled and the
report says so. Baltimore: the crime copy has no coordinates and no neighbourhood (SOURCE.md,
"Big limitation"), so none of its 97,737 rows can be placed; 18,328 of 41,127 arrests carry a
point or a neighbourhood. Residents come from the 2010 CSAs by area of overlap.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from publicsafety.analysis.places.area_profiles import area_frame
from publicsafety.analysis.places.run import PlacesReport, analyze_places, map_specs, public_tables
from publicsafety.engine import Store
from tests.places import real

pytestmark = pytest.mark.real_data


@pytest.fixture(scope="module")
def mpls_store() -> Iterator[Store]:
    store = real.minneapolis()
    yield store
    store.close()


@pytest.fixture(scope="module")
def minneapolis(mpls_store: Store) -> PlacesReport:
    return analyze_places(mpls_store, "neighborhoods")


@pytest.fixture(scope="module")
def baltimore() -> Iterator[PlacesReport]:
    store = real.baltimore()
    yield analyze_places(store, "neighborhoods", enforcement="arrests", population_from="csas")
    store.close()


def test_minneapolis_every_stop_placed(minneapolis: PlacesReport) -> None:
    assert minneapolis.frame.placement.to_dict(orient="records") == [
        {"measure": "stops", "rows": 51_920, "placed": 51_920, "unplaced": 0}
    ]
    t = minneapolis.frame.table
    assert len(t) == 87 and t["stops"].sum() == 51_920
    assert t.loc["Hawthorne", "stops"] == 2_670
    # ACS 2012-2016 (85 neighbourhoods) is chosen over ACS 2015 (84): it covers more areas.
    assert t["population"].sum() == pytest.approx(404_385.43, abs=0.01)
    assert t["below_poverty"].sum() == pytest.approx(82_894.13, abs=0.01)
    assert "Divergence not modelled: no reported crimes could be placed in neighborhoods." in (
        minneapolis.notes
    )


def test_minneapolis_residents_by_race_sex_and_age(minneapolis: PlacesReport) -> None:
    t = minneapolis.frame.table
    # ACS 2012-2016 groups are mutually exclusive and add up to the total (profile notes).
    sexes = t["residents_female"] + t["residents_male"]
    assert sexes.sum() == pytest.approx(t["population"].sum(), abs=0.01)
    races = [c for c in t.columns if c in {
        "residents_white", "residents_black", "residents_native american",
        "residents_asian/pacific islander", "residents_other", "residents_multiple",
        "residents_hispanic",
    }]  # fmt: skip
    assert len(races) == 7
    assert t[races].sum(axis=1).sum() == pytest.approx(404_385.43, abs=0.05)
    assert t.loc["Hawthorne", "residents_black"] == pytest.approx(2_218.82, abs=0.01)
    assert t["residents_black"].sum() == pytest.approx(74_614.56, abs=0.01)
    public = public_tables(minneapolis)["areas"].table
    assert "residents_black" in public.columns  # census estimates, published as they are


def test_minneapolis_stops_by_name_instead_of_point(mpls_store: Store) -> None:
    # --attribute stops=neighborhood counts each stop in the neighbourhood its record names.
    # Every name matches an area, but 7,607 stops' points lie in another neighbourhood
    # (place_by_attribute's "disagree"), so the two counts differ area by area.
    by_point = area_frame(mpls_store, "Minneapolis", "neighborhoods", ("stops",))
    by_name = area_frame(
        mpls_store, "Minneapolis", "neighborhoods", ("stops",), attribute={"stops": "neighborhood"}
    )
    assert by_name.placement.to_dict(orient="records") == [
        {"measure": "stops", "rows": 51_920, "placed": 51_920, "unplaced": 0}
    ]
    assert by_point.table.loc["Hawthorne", "stops"] == 2_670
    assert by_name.table.loc["Hawthorne", "stops"] == 2_031
    moved = (by_name.table["stops"] - by_point.table["stops"]).abs().sum()
    assert moved == 6_258 and moved <= 2 * 7_607


def test_minneapolis_rates_flags_and_shrinkage(minneapolis: PlacesReport) -> None:
    r = minneapolis.rates["stops"]
    assert r["flag"].value_counts().to_dict() == {"": 84, "no residents": 2, "few residents": 1}
    assert set(r.index[r["flag"] == "no residents"]) == {
        "Camden Industrial",
        "Humboldt Industrial Area",
    }
    mid = r.loc["Mid - City Industrial"]
    assert mid["flag"] == "few residents" and mid["count"] == 308
    # Shrunk toward the city rate (128 per 1,000), and inside the exact interval.
    assert mid["rate_shrunk"] < mid["rate"]
    assert mid["rate_low"] < mid["rate_shrunk"] < mid["rate_high"]
    lived = r["population"].notna()
    assert r.loc[lived, "count"].sum() == 51_920 - 41 - 30
    assert 51_849 / r["population"].sum() * 1000 == pytest.approx(128.2168, abs=1e-4)


def test_minneapolis_stop_rates_cluster(minneapolis: PlacesReport) -> None:
    m = minneapolis.moran
    assert m is not None and m.n == 85
    assert m.i == pytest.approx(0.5358, abs=1e-4)
    assert m.p_permutation == 0.001 and m.clusters


def test_minneapolis_burden_ranks(minneapolis: PlacesReport) -> None:
    b = minneapolis.burden
    assert list(b.index[:4]) == ["Hawthorne", "Near - North", "Ventura Village", "Jordan"]
    assert (b.loc["Hawthorne", "rank_low"], b.loc["Hawthorne", "rank_high"]) == (1, 2)
    assert b["crime"].isna().all()  # no crime data: that component is absent, not zero
    assert b["rank"].isna().sum() == 3  # fewer than 500 residents: not ranked
    caps = [s["caption"] for s in map_specs(minneapolis, public_tables(minneapolis))]
    assert caps[-1] == (
        "Hawthorne ranks first on the burden index; under other reasonable weights its rank"
        " stays between 1 and 2."
    )
    assert caps[0] == (
        "Nicollet Island - East Bank had the highest rate of stops among areas with enough"
        " residents and events: 674 per 1,000 residents, against 128 across Minneapolis."
    )


def test_baltimore_says_what_could_not_be_placed(baltimore: PlacesReport) -> None:
    acct = baltimore.frame.placement.set_index("measure")
    assert acct.loc["arrests"].to_dict() == {"rows": 41_127, "placed": 18_328, "unplaced": 22_799}
    assert acct.loc["crime"].to_dict() == {"rows": 97_737, "placed": 0, "unplaced": 97_737}
    assert (
        "0 of 97,737 reported crimes were placed in neighborhoods; 97,737 could not be placed"
        " (no coordinates or area name in the file, or a point or name outside every area)."
    ) in baltimore.notes
    assert "crime" not in baltimore.frame.table.columns
    assert baltimore.divergence is None


def test_baltimore_arrests_by_neighbourhood(baltimore: PlacesReport) -> None:
    t = baltimore.frame.table
    assert len(t) == 278 and t["arrests"].sum() == 18_328
    assert t.loc["Penn North", "arrests"] == 351
    # CSA residents (615,724 in SOURCE) spread over neighbourhoods; a sliver falls outside.
    assert t["population"].sum() == pytest.approx(614_650.69, abs=0.01)
    assert t["below_poverty"].isna().all()  # the CSA file has no poverty counts
    m = baltimore.moran
    assert m is not None and m.islands == ("Hawkins Point",) and m.n == 277
    assert m.i == pytest.approx(0.3764, abs=1e-4)


def test_baltimore_public_tables_hide_small_counts(baltimore: PlacesReport) -> None:
    public = public_tables(baltimore)
    areas = public["areas"].table
    assert public["areas"].cells_hidden == 52
    assert not areas["arrests"].between(1, 10).any()
    assert areas.loc[areas["arrests"].isna(), "arrests_rate"].isna().all()
    assert public["placement"].table.set_index("measure").loc["crime", "placed"] == 0


def test_baltimore_arrest_map_hatches_every_hidden_area(baltimore: PlacesReport) -> None:
    import xml.etree.ElementTree as ET

    from publicsafety.report.maps import HATCH_ID, render

    public = public_tables(baltimore)
    spec = next(s for s in map_specs(baltimore, public) if s["name"] == "arrests_per_1000")
    svg = render(spec, baltimore.frame.geometry, "Baltimore arrests 2019-2021")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    paths = {p.get("data-area"): p for p in root.iter(f"{ns}path")}
    hidden = set(public["areas"].table.loc[public["areas"].table["arrests"].isna(), "area_id"])
    assert len(hidden) == 52 and len(paths) == 278
    assert {a for a, p in paths.items() if p.get("fill") == f"url(#{HATCH_ID})"} == hidden
    for area in hidden:
        assert paths[area].find(f"{ns}title").text.endswith(": suppressed")
    texts = {t.get("class") for t in root.iter(f"{ns}text")}
    assert {"title", "caption", "source-line"} <= texts
    assert root.find(f"{ns}g[@class='legend']") is not None


def test_baltimore_burden_withholds_components_built_on_hidden_counts(
    baltimore: PlacesReport,
) -> None:
    public = public_tables(baltimore)
    areas = public["areas"].table.set_index("area_id")
    burden = public["burden"].table.set_index("area_id")
    hidden = areas.index[areas["arrests"].isna()]
    assert burden.loc[hidden, "policing"].isna().all()
    ranked_before = int(baltimore.burden.loc[hidden, "policing"].notna().sum())
    assert ranked_before == 41
    # Policing is Baltimore's only component, so those areas' index and ranks would repeat it:
    # they go too (index, rank, 5th and 95th percentile ranks, rank with policing doubled).
    assert burden.loc[hidden, ["burden_index", "rank", "rank_low", "rank_high"]].isna().all().all()
    assert public["burden"].cells_hidden == ranked_before * 6
    assert baltimore.burden["rank"].notna().sum() == 251
    assert burden["rank"].notna().sum() == 251 - 41
    assert (burden["note"] == "suppressed").sum() == 41  # the other 11 were too small to rank
    spec = next(s for s in map_specs(baltimore, public) if s["name"] == "burden_index")
    from publicsafety.report.maps import render

    svg = render(spec, baltimore.frame.geometry, "Baltimore")
    assert svg.count('class="area suppressed"') == 41
    assert spec["caption"] == (
        "Penn North ranks first on the burden index; no reasonable change of weights moves it."
    )
