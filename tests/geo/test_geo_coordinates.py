"""geo.to_wgs84 and the out-of-town check, on the state-plane coordinates real cities publish."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest
from tests.conftest import real_data

from publicsafety.errors import ProfileError
from publicsafety.ingest.geo import BBox, outside_bbox, parse_crs, to_wgs84

NEW_ORLEANS = BBox(-90.14, 29.86, -89.62, 30.2)


def _xy(csv: str, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    got = (
        duckdb.connect()
        .execute(
            f"SELECT try_cast(trim({x}) AS DOUBLE), try_cast(trim({y}) AS DOUBLE)"
            f" FROM read_csv(?, types={{'{x}': 'VARCHAR', '{y}': 'VARCHAR'}})",
            [str(csv)],
        )
        .fetchnumpy()
    )
    a, b = (np.ma.filled(np.ma.asarray(v, dtype="float64"), np.nan) for v in got.values())
    return a, b


def test_new_orleans_state_plane_feet_matches_published_point() -> None:
    # First call of the 2022 file: MapX/MapY 3692036, 543335 and Location POINT (-90.03437791 29.98765875)
    lon, lat = to_wgs84(np.array([3692036.0]), np.array([543335.0]), "EPSG:3452")
    assert lon[0] == pytest.approx(-90.03437791, abs=2e-5)
    assert lat[0] == pytest.approx(29.98765875, abs=2e-5)


def test_nan_stays_nan_and_inputs_are_not_changed() -> None:
    x = np.array([3692036.0, np.nan, 3692036.0])
    y = np.array([543335.0, 543335.0, np.nan])
    lon, lat = to_wgs84(x, y, "EPSG:3452")
    assert np.isfinite(lon[0]) and np.isfinite(lat[0])
    assert np.isnan(lon[1:]).all() and np.isnan(lat[1:]).all()
    assert x[0] == 3692036.0 and np.isnan(x[1])


def test_wgs84_input_passes_through_as_a_copy() -> None:
    x, y = np.array([-90.1, np.inf]), np.array([29.9, 30.0])
    lon, lat = to_wgs84(x, y, "EPSG:4326")
    assert lon[0] == -90.1 and lat[0] == 29.9
    assert np.isnan(lon[1]) and np.isnan(lat[1])  # inf is no point
    assert x[1] == np.inf


def test_portland_prj_in_international_feet_reads_as_epsg_2913() -> None:
    prj = real_data("portland_police_districts_geo", "Portland_Police_Districts.prj")
    x, y = np.array([7639201.0, 7640405.0]), np.array([683983.0, 684344.0])
    by_wkt = to_wgs84(x, y, prj.read_text())
    by_path = to_wgs84(x, y, str(prj))
    by_code = to_wgs84(x, y, "EPSG:2913")
    for a, b in ((by_wkt, by_code), (by_path, by_code)):
        np.testing.assert_allclose(a[0], b[0], atol=1e-7)
        np.testing.assert_allclose(a[1], b[1], atol=1e-7)
    # Portland's first 2016 call lies in north-east Portland.
    assert -122.7 < by_code[0][0] < -122.5 and 45.5 < by_code[1][0] < 45.6


def test_sacramento_zone_2_feet_land_in_sacramento_except_zero_sentinels() -> None:
    x, y = _xy(
        real_data("sacramento_cad_2019_jan", "sacramento_dispatch_2019_01.csv"),
        "X_Coordinate",
        "Y_Coordinate",
    )
    lon, lat = to_wgs84(x, y, "EPSG:2226")
    assert len(x) == 25_000
    out = outside_bbox(lon, lat, BBox(-121.57, 38.43, -121.36, 38.69), margin=0)
    zero = (x == 0) & (y == 0)
    assert zero.sum() == 168
    assert out[zero].all()  # (0, 0) in feet is far out in the Pacific: flagged
    assert out.sum() == 284  # measured: the 168 zeros and 116 other stray points (1.1 %)


def test_nyc_long_island_feet_all_inside_new_york_city() -> None:
    x, y = _xy(real_data("nyc_stop_question_frisk_2016", "sqf-2016.csv"), "xcoord", "ycoord")
    lon, lat = to_wgs84(x, y, "EPSG:2263")
    assert len(x) == 12_405
    assert int(np.isfinite(lon).sum()) == 12_053  # blank xcoord stays missing
    assert outside_bbox(lon, lat, BBox(-74.26, 40.49, -73.70, 40.92), margin=0).sum() == 0


def test_outside_bbox_flags_wrong_crs_but_not_missing_points() -> None:
    # Louisiana state-plane feet read as if they were degrees: every point is out of town.
    lon = np.array([-90.07, 3692036.0, np.nan, 0.0])
    lat = np.array([29.95, 543335.0, np.nan, 0.0])
    assert outside_bbox(lon, lat, NEW_ORLEANS).tolist() == [False, True, False, True]
    # The margin (degrees) widens the box.
    edge = np.array([-90.15]), np.array([29.95])
    assert outside_bbox(*edge, NEW_ORLEANS, margin=0).tolist() == [True]
    assert outside_bbox(*edge, NEW_ORLEANS, margin=0.02).tolist() == [False]


def test_unknown_crs_says_how_to_fix() -> None:
    with pytest.raises(ProfileError) as err:
        to_wgs84(np.array([1.0]), np.array([2.0]), "EPSG:99999999")
    assert "read.crs" in str(err.value.fix)
    assert parse_crs("EPSG:3452").to_epsg() == 3452
