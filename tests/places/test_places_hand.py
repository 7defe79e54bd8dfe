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
