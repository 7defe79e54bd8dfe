"""Sample City generator: same seed, same bytes; labelled files; a gap-free map with every point inside."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import numpy as np
import pytest
import shapely

from publicsafety.profiles import load_profile
from publicsafety.sample_city import FILES, LABEL, generate
from publicsafety.sample_city.files import label_line

CALLS = 20_000


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("a") / "raw", seed=11, n_calls=CALLS).raw_dir


def test_same_seed_gives_the_same_bytes(raw: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "raw", seed=11, n_calls=CALLS).raw_dir
    assert _digests(again) == _digests(raw)
    assert len(_digests(raw)) == len(FILES)


def test_another_seed_gives_another_city(raw: Path, tmp_path: Path) -> None:
    other = _digests(generate(tmp_path / "raw", seed=12, n_calls=CALLS).raw_dir)
    mine = _digests(raw)
    assert all(other[name] != mine[name] for name in mine)


def test_call_count_leaves_the_map_and_residents_unchanged(raw: Path, tmp_path: Path) -> None:
    # Each part draws from its own seeded stream, so more calls do not move the neighbourhoods.
    bigger = _digests(generate(tmp_path / "raw", seed=11, n_calls=CALLS * 2).raw_dir)
    mine = _digests(raw)
    for kind in ("areas", "population", "budget"):
        assert bigger[FILES[kind][0]] == mine[FILES[kind][0]]
    assert bigger[FILES["calls"][0]] != mine[FILES["calls"][0]]


def test_every_file_says_sample_city_synthetic(raw: Path) -> None:
    for kind, (name, _) in FILES.items():
        text = (raw / name).read_text(encoding="utf-8")
        if kind == "areas":
            assert json.loads(text)["name"] == LABEL == "Sample City — synthetic data"
        else:
            assert text.splitlines()[0] == label_line(11)


def test_profiles_match_the_files(raw: Path) -> None:
    con = duckdb.connect()
    for kind, (name, profile_name) in FILES.items():
        profile = load_profile(profile_name)
        assert profile.kind == kind
        assert profile.city == "Sample City"
        assert "Sample City — synthetic data" in profile.title
        if kind == "areas":
            continue
        assert profile.read.skip_lines == 1
        header = con.execute(
            f"SELECT * FROM read_csv('{raw / name}', skip = 1, header = true, all_varchar = true) LIMIT 0"
        ).description
        assert profile.source_columns() <= {d[0] for d in header}


def test_neighbourhoods_tile_the_city_without_gaps_or_overlaps(raw: Path) -> None:
    features = json.loads((raw / FILES["areas"][0]).read_text(encoding="utf-8"))["features"]
    assert len(features) == 25
    polys = [shapely.geometry.shape(f["geometry"]) for f in features]
    assert all(p.is_valid and p.geom_type == "Polygon" for p in polys)
    union = shapely.union_all(polys)
    assert union.geom_type == "Polygon"  # one piece, no holes between neighbourhoods
    assert len(union.interiors) == 0
    assert sum(p.area for p in polys) == pytest.approx(union.area, rel=1e-9)
    pops = [f["properties"]["population"] for f in features]
    assert sum(pops) == 400_000
    assert min(pops) > 3_000


def test_points_lie_in_the_neighbourhood_their_beat_names(raw: Path) -> None:
    features = json.loads((raw / FILES["areas"][0]).read_text(encoding="utf-8"))["features"]
    polys = np.array([shapely.geometry.shape(f["geometry"]) for f in features])
    con = duckdb.connect()
    rows = con.execute(
        f"""SELECT Beat, regexp_extract(Location, 'POINT \\((\\S+) (\\S+)\\)', 1)::DOUBLE,
                   regexp_extract(Location, 'POINT \\((\\S+) (\\S+)\\)', 2)::DOUBLE
            FROM read_csv('{raw / FILES["calls"][0]}', skip = 1, header = true, all_varchar = true)
            WHERE Location IS NOT NULL"""
    ).fetchall()
    assert len(rows) == CALLS - round(0.005 * CALLS)  # 0.5 % written without a location
    beats = np.array([r[0] for r in rows])
    x = np.array([r[1] for r in rows])
    y = np.array([r[2] for r in rows])
    inside = np.zeros(len(rows), dtype=int) - 1
    for i, p in enumerate(polys):
        inside[shapely.contains_xy(p, x, y)] = i
    assert (inside >= 0).all()
    # The beat's district + zone letter (e.g. "3B" of "3B02") is the neighbourhood's zone.
    zones = np.array([f["properties"]["zone"] for f in features])
    assert (zones[inside] == np.array([b[:2] for b in beats])).all()
