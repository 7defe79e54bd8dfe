"""Places on hand-made areas: edge cases of loading area sets."""

from __future__ import annotations


def test_areas_without_shapes_load_with_no_geometry(store) -> None:
    from publicsafety.analysis.places.area_profiles import load_areas

    store.con.execute(
        "INSERT INTO areas (city, area_set, area_id, name, geometry) VALUES"
        " ('T', 'beats', 'B1', 'Beat 1', NULL), ('T', 'beats', 'B2', 'Beat 2', NULL)"
    )
    table, geometry = load_areas(store, "T", "beats")
    assert list(table.index) == ["B1", "B2"]
    assert geometry == {}


def test_places_on_areas_without_shapes_has_no_maps_and_no_morans_i(store) -> None:
    """Counted by placement, modelled, ranked: but nothing to draw and no neighbours."""
    from publicsafety.analysis.places.run import analyze_places, map_specs, public_tables

    con = store.con
    con.execute(
        "INSERT INTO areas (city, area_set, area_id, name, geometry)"
        " SELECT 'T', 'beats', 'B' || i, 'Beat ' || i, NULL FROM range(12) t(i)"
    )
    con.execute(
        """INSERT INTO population (city, area_set, area_id, dimension, "group", "count")
           SELECT 'T', 'beats', 'B' || i, 'total', 'total', 3000 + 250 * i FROM range(12) t(i)"""
    )
    # Per beat: 40 + 10 i community calls, and officer-initiated calls rising faster.
    con.execute(
        """INSERT INTO calls (city, row_id, origin)
           SELECT 'T', row_number() OVER (), origin FROM (
             SELECT 'community' AS origin, i FROM range(12) t(i), range(40 + 10 * i)
             UNION ALL SELECT 'officer', i FROM range(12) t(i), range(20 + 15 * i)) ORDER BY i"""
    )
    con.execute(
        """INSERT INTO placements SELECT 'calls', row_id, 'beats', 'B' || i FROM (
             SELECT row_id, (row_number() OVER (ORDER BY row_id) - 1) AS n FROM calls) c
           JOIN (SELECT i, sum(60 + 25 * i) OVER (ORDER BY i) AS upto FROM range(12) t(i)) b
             ON c.n < b.upto AND c.n >= b.upto - (60 + 25 * b.i)"""
    )
    report = analyze_places(store, "beats", enforcement="officer_calls", crime="community_calls")
    assert "beats was loaded without shapes: there are no maps of it." in report.notes
    assert report.moran is None
    assert report.divergence is not None and len(report.divergence.areas) == 12
    assert map_specs(report, public_tables(report)) == []


def test_city_options_become_places_arguments(monkeypatch) -> None:
    import pytest

    from publicsafety.analysis.places import city_options as co
    from publicsafety.errors import ProfileError

    got = co.as_arguments(co.city_options("New Orleans", "zones"))
    assert got == ["--area-key", "([A-Za-z])$", "--attribute", "stops=beat",
                   "--population-from", "tracts_2010", "--label", "police zones (by letter)"]  # fmt: skip
    assert co.city_options("New Orleans", "neighborhoods") == {}
    monkeypatch.setattr(co, "_all", lambda: {"X": {"beats": {"area_keys": "x"}}})
    with pytest.raises(ProfileError, match="area_keys"):
        co.city_options("X", "beats")


def test_placement_hides_a_small_count_within_its_own_row_only() -> None:
    """Measures overlap (crime holds violent crime), so their columns add up to nothing that is
    published: a small unplaced count is protected by its own row's other cell, and no other
    measure's counts (published again in the data-quality table) are hidden for it."""
    import pandas as pd

    from publicsafety.analysis.places.area_profiles import AreaFrame
    from publicsafety.analysis.places.run import PlacesReport, public_tables

    table = pd.DataFrame(
        {
            "name": ["A", "B"],
            "population": [5000, 6000],
            "below_poverty": [900, 700],
            "crime": [400, 500],
        },
        index=pd.Index(["A", "B"], name="area_id"),
    )
    placement = pd.DataFrame(
        {
            "measure": ["arrests", "crime", "violent_crime", "property_crime"],
            "rows": [10500, 36466, 2113, 7],
            "placed": [10450, 36282, 2106, 7],
            "unplaced": [50, 184, 7, 0],
        }
    )
    frame = AreaFrame("T", "beats", table, {}, placement)
    report = PlacesReport("T", "beats", frame, {}, None, None, pd.DataFrame())
    got = public_tables(report)["placement"].table.set_index("measure")
    assert got.loc["violent_crime", ["placed", "unplaced"]].isna().all()
    assert got.loc["arrests", "placed"] == 10450 and got.loc["arrests", "unplaced"] == 50
    assert got.loc["crime", "unplaced"] == 184
    # A measure with a small total hides its total and both parts.
    assert got.loc["property_crime", ["rows", "placed", "unplaced"]].isna().all()


def test_placement_notes_never_print_a_small_count() -> None:
    """The notes reach the printed report: a count from 1 to 10 reads "fewer than 11", and the
    other count of its row is not given either (the total minus it would tell)."""
    import re

    import pandas as pd

    from publicsafety.analysis.places.area_profiles import AreaFrame
    from publicsafety.analysis.places.run import placement_notes

    placement = pd.DataFrame(
        {
            "measure": ["stops", "arrests", "crime", "violent_crime", "property_crime"],
            "rows": [30000, 10500, 36466, 2113, 7],
            "placed": [30000, 10450, 4, 2103, 7],
            "unplaced": [0, 50, 36462, 10, 0],
        }
    )
    frame = AreaFrame("T", "beats", pd.DataFrame(), {}, placement)
    notes = placement_notes(frame, "beats")
    assert notes == [
        "All 30,000 stops were placed in beats.",
        "10,450 of 10,500 arrests were placed in beats; 50 could not be placed (no coordinates "
        "or area name in the file, or a point or name outside every area).",
        "Fewer than 11 of 36,466 reported crimes were placed in beats (no coordinates or area "
        "name in the file, or a point or name outside every area).",
        "Nearly all 2,113 reported violent crimes were placed in beats; fewer than 11 could not "
        "be placed (no coordinates or area name in the file, or a point or name outside every "
        "area).",
        "Fewer than 11 reported property crimes: too few to say where.",
    ]
    for note in notes:
        assert not re.search(r"(?<![\d,])(?:[1-9]|10)(?![\d,])(?! than)", note), note
