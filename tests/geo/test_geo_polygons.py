"""geo.read_polygons on the real boundary files and on small files that carry each quirk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapefile
import shapely
from shapely.geometry import MultiPolygon, Polygon
from tests.conftest import real_data

from publicsafety.errors import InputError
from publicsafety.ingest.geo import read_polygons


def _bounds(found) -> tuple[float, float, float, float]:
    xmin, ymin, xmax, ymax = shapely.total_bounds([f.geometry for f in found.features])
    return float(xmin), float(ymin), float(xmax), float(ymax)


def test_new_orleans_zones_louisiana_south_feet_reprojected() -> None:
    shp = real_data("new_orleans_police_zones_geo", "NOPD_Police_Zones.shp")
    found = read_polygons(shp, id_field="Zone", name_field="Zone")
    assert len(found.features) == 126
    assert len({f.id for f in found.features}) == 126
    assert "Louisiana_South_ftUS" in found.crs
    assert found.repaired == 0 and all(f.problem is None for f in found.features)
    xmin, ymin, xmax, ymax = _bounds(found)
    assert -90.14 <= xmin < xmax <= -89.62
    assert 29.86 <= ymin < ymax <= 30.2
    first = found.features[0]
    assert (first.number, first.id, first.properties["District"]) == (1, "1A", "1")


def test_portland_districts_two_invalid_polygons_repaired() -> None:
    shp = real_data("portland_police_districts_geo", "Portland_Police_Districts.shp")
    found = read_polygons(shp, id_field="DISTRICT", name_field="DISTRICT")
    assert len(found.features) == 60
    assert found.repaired == 2
    assert all(f.geometry is not None and f.geometry.is_valid for f in found.features)
    assert found.features[0].id == "510" and found.features[0].properties["PRECINCT"] == "NO"
    xmin, ymin, xmax, ymax = _bounds(found)
    assert -122.9 < xmin < xmax < -122.4 and 45.4 < ymin < ymax < 45.7


def test_new_orleans_tracts_latin1_dbf_and_wgs84_prj() -> None:
    shp = real_data("new_orleans_census_tracts_geo", "tracts.shp")
    found = read_polygons(shp, id_field="GEOID")
    assert len(found.features) == 148
    assert all(f.id and f.id.startswith("22071") for f in found.features)
    assert found.features[0].id == "22071010200"
    assert found.features[0].properties["B01003_001"] == 1909.0
    xmin, ymin, xmax, ymax = _bounds(found)
    assert (round(xmin, 3), round(ymin, 3), round(xmax, 3), round(ymax, 3)) == (
        -90.134,
        29.907,
        -89.83,
        30.153,
    )


def test_minneapolis_neighborhoods_geojson() -> None:
    path = real_data("minneapolis_neighborhoods_geo", "Neighborhoods.geojson")
    found = read_polygons(path, id_field="BDNUM", name_field="BDNAME")
    assert len(found.features) == 87
    assert (found.features[0].id, found.features[0].name) == ("3", "Victory")
    assert found.repaired == 0


def test_baltimore_neighborhoods_multipolygons() -> None:
    path = real_data("baltimore_neighborhoods_geo", "baltimore_neighborhoods.geojson")
    found = read_polygons(path, id_field="LABEL", name_field="NBRDESC")
    assert len(found.features) == 278
    assert {type(f.geometry) for f in found.features} == {MultiPolygon}
    assert (found.features[0].id, found.features[0].name) == ("Abell", "ABELL")
    # SOURCE.md: bbox lon -76.711 to -76.530, lat 39.197 to 39.372
    assert tuple(round(v, 3) for v in _bounds(found)) == (-76.711, 39.197, -76.53, 39.372)


def _feature(props: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _square(x: float, y: float, size: float = 1.0) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_geojson_quirks_bowtie_no_id_no_geometry_and_a_point(tmp_path: Path) -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    path = tmp_path / "areas.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    _feature({"id": 7, "nm": "Bow"}, bowtie),
                    _feature({"id": "", "nm": "No id"}, _square(2, 0)),
                    _feature({"id": "C", "nm": "Empty"}, None),
                    _feature({"id": "D", "nm": "Point"}, {"type": "Point", "coordinates": [0, 0]}),
                    _feature({"id": 5.0, "nm": "Float id"}, _square(4, 0)),
                ],
            }
        ),
        encoding="utf-8",
    )
    found = read_polygons(path, id_field="id", name_field="nm")
    feats = found.features
    assert found.repaired == 1
    assert feats[0].id == "7" and feats[0].problem is None
    assert feats[0].geometry.area == pytest.approx(0.5)  # the two triangles of the bow tie
    assert feats[1].problem == "no area id in field 'id'" and feats[1].problem_column == "id"
    assert feats[2].problem == "feature has no geometry"
    assert feats[3].problem == "geometry is a Point, not a polygon"
    assert feats[4].id == "5"  # 5.0 from a numeric field is the id "5"
    assert [f.number for f in feats] == [1, 2, 3, 4, 5]


def test_geojson_crs_member_is_honoured(tmp_path: Path) -> None:
    # An old-style (2008 spec) GeoJSON in Louisiana South feet: the zone 5Q area.
    path = tmp_path / "feet.geojson"
    data = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3452"}},
        "features": [_feature({"id": "x"}, _square(3691036, 542335, 2000))],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    found = read_polygons(path, id_field="id")
    assert found.crs == "EPSG:3452"
    assert found.features[0].geometry.contains(shapely.Point(-90.03437791, 29.98765875))


def test_shapefile_without_prj_in_feet_is_refused(tmp_path: Path) -> None:
    base = tmp_path / "zones"
    with shapefile.Writer(str(base), shapeType=shapefile.POLYGON) as w:
        w.field("ZONE", "C", size=4)
        w.poly([[[3691036, 542335], [3691036, 544335], [3693036, 544335], [3691036, 542335]]])
        w.record("5Q")
    with pytest.raises(InputError) as err:
        read_polygons(base.with_suffix(".shp"), id_field="ZONE")
    assert ".prj" in str(err.value.fix)
    found = read_polygons(base.with_suffix(".shp"), id_field="ZONE", crs="EPSG:3452")
    assert found.features[0].id == "5Q"
    assert -90.04 < found.features[0].geometry.centroid.x < -90.02


def test_shapefile_cpg_decides_the_dbf_encoding(tmp_path: Path) -> None:
    base = tmp_path / "barrios"
    with shapefile.Writer(str(base), shapeType=shapefile.POLYGON, encoding="latin-1") as w:
        w.field("NOMBRE", "C", size=20)
        w.poly([[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]])
        w.record("Peñasco")
    base.with_suffix(".cpg").write_text("ISO-8859-1", encoding="ascii")
    found = read_polygons(base.with_suffix(".shp"), id_field="NOMBRE")
    assert found.features[0].id == "Peñasco"
    base.with_suffix(".cpg").write_text("UTF-8", encoding="ascii")
    with pytest.raises(InputError) as err:
        read_polygons(base.with_suffix(".shp"), id_field="NOMBRE")
    assert ".cpg" in str(err.value.fix)


def test_missing_id_field_names_the_fields_there(tmp_path: Path) -> None:
    path = tmp_path / "a.geojson"
    fc = {"type": "FeatureCollection", "features": [_feature({"ZONE_ID": "1"}, _square(0, 0))]}
    path.write_text(json.dumps(fc), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_polygons(path, id_field="ZONE")
    assert "ZONE_ID" in str(err.value.fix)


def test_polygon_with_hole_keeps_the_hole(tmp_path: Path) -> None:
    outer = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    path = tmp_path / "ring.geojson"
    fc = {
        "type": "FeatureCollection",
        "features": [_feature({"id": "ring"}, {"type": "Polygon", "coordinates": [outer, hole]})],
    }
    path.write_text(json.dumps(fc), encoding="utf-8")
    geom = read_polygons(path, id_field="id").features[0].geometry
    assert isinstance(geom, Polygon) and geom.area == 96
