"""The small statistics of the places layer on hand examples: exact Poisson intervals, Marshall's
empirical-Bayes rates, Moran's I (esda against the definition and a hand computation), queen
neighbours from polygons, and the burden index with its weights and rank intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from publicsafety.analysis.places import burden
from publicsafety.analysis.places.area_profiles import eb_rates, interpolate, poisson_interval
from publicsafety.analysis.places.spatial import morans_i, morans_i_direct, neighbours


def test_exact_poisson_intervals_match_tables() -> None:
    lo, hi = poisson_interval(np.array([0, 1, 10]))
    # Garwood (1936) 95% limits, as tabled in e.g. Ulm (1990): 0 -> (0, 3.689),
    # 1 -> (0.0253, 5.572), 10 -> (4.795, 18.390).
    assert lo == pytest.approx([0.0, 0.0253, 4.7954], abs=1e-4)
    assert hi == pytest.approx([3.6889, 5.5716, 18.3904], abs=1e-4)


def test_marshall_empirical_bayes_by_hand() -> None:
    k = np.array([1.0, 10.0, 50.0])
    n = np.array([100.0, 1000.0, 2000.0])
    # m = 61/3100; s2 = sum(n (r - m)^2) / sum(n); A = s2 - m / mean(n); w = A / (A + m / n).
    m = 61 / 3100
    r = k / n
    s2 = float(np.sum(n * (r - m) ** 2) / 3100)
    a = s2 - m / (3100 / 3)
    want = m + a / (a + m / n) * (r - m)
    assert eb_rates(k, n) == pytest.approx(want, rel=1e-12)
    # The smallest area moves most toward the city rate.
    shrink = np.abs(eb_rates(k, n) - r) / np.abs(r - m)
    assert shrink[0] > shrink[1]


def test_no_between_area_variance_shrinks_all_the_way() -> None:
    k = np.array([10.0, 10.0, 10.0])
    n = np.array([1000.0, 1000.0, 1000.0])
    assert eb_rates(k, n) == pytest.approx([0.01, 0.01, 0.01])


def row(n: int) -> dict[str, object]:
    return {f"a{i}": box(i, 0, i + 1, 1) for i in range(n)}


def test_queen_neighbours_share_an_edge_or_a_corner() -> None:
    grid = {f"{i}{j}": box(i, j, i + 1, j + 1) for i in range(3) for j in range(3)}
    nb = neighbours(grid)
    assert nb["11"] == ["00", "01", "02", "10", "12", "20", "21", "22"]
    assert nb["00"] == ["01", "10", "11"]
    assert neighbours(row(4))["a1"] == ["a0", "a2"]


def test_morans_i_hand_example() -> None:
    # Four squares in a row, values 1..4, row-standardised: z = (-1.5, -.5, .5, 1.5),
    # Wz = (-.5, -.5, .5, .5), z'Wz = .75 + .25 + .25 + .75 = 2, z'z = 5, S0 = 4,
    # so I = 4/4 * 2/5 = 0.4; E[I] = -1/(n-1) = -1/3.
    result = morans_i({"a0": 1.0, "a1": 2.0, "a2": 3.0, "a3": 4.0}, row(4))
    assert result.i == pytest.approx(0.4, abs=1e-12)
    assert result.expected == pytest.approx(-1 / 3)
    w = np.array([[0, 1, 0, 0], [0.5, 0, 0.5, 0], [0, 0.5, 0, 0.5], [0, 0, 1, 0]])
    assert morans_i_direct([1, 2, 3, 4], w) == pytest.approx(0.4, abs=1e-12)


def test_morans_i_library_equals_definition_on_a_grid() -> None:
    rng = np.random.default_rng(4)
    grid = {f"{i}-{j}": box(i, j, i + 1, j + 1) for i in range(6) for j in range(5)}
    values = {k: float(v) for k, v in zip(grid, rng.normal(size=30), strict=True)}
    ids = list(grid)
    nb = neighbours(grid)
    w = np.array([[1.0 if b in nb[a] else 0.0 for b in ids] for a in ids])
    w = w / w.sum(axis=1, keepdims=True)
    got = morans_i(values, grid)
    assert got.i == pytest.approx(morans_i_direct([values[k] for k in ids], w), abs=1e-12)
    assert got.p_permutation == morans_i(values, grid).p_permutation  # seeded: same twice


def test_island_is_left_out_and_named() -> None:
    geoms = {**row(4), "far": box(10, 10, 11, 11)}
    got = morans_i({"a0": 1.0, "a1": 2.0, "a2": 4.0, "a3": 3.0, "far": 9.0}, geoms)
    assert got.islands == ("far",) and got.n == 4


def test_interpolation_splits_by_overlap() -> None:
    src = {"s": box(0, 0, 2, 1)}
    tgt = {"left": box(0, 0, 1, 1), "right": box(1, 0, 3, 1)}
    assert interpolate({"s": 100.0}, src, tgt) == pytest.approx({"left": 50.0, "right": 50.0})
    assert interpolate({}, src, tgt) == {}


def ranks_example() -> pd.DataFrame:
    return burden.components(
        pd.Series([10.0, 20.0, 30.0, 40.0], index=list("abcd")),
        pd.Series([2.0, 1.0, 0.5, 1.0], index=list("abcd")),
        pd.Series([0.4, np.nan, 0.1, 0.2], index=list("abcd")),
    )


def test_burden_components_are_percentile_ranks() -> None:
    r = ranks_example()
    assert r["crime"].tolist() == [0.0, 1 / 3, 2 / 3, 1.0]
    assert r["policing"].tolist() == [1.0, 0.5, 0.0, 0.5]  # ties share the average rank
    assert r["need"].tolist()[0] == 1.0 and np.isnan(r["need"]["b"])


def test_burden_index_weights_and_missing_components() -> None:
    r = ranks_example()
    idx = burden.index(r, {"crime": 1.0, "policing": 0.0, "need": 0.0})
    assert idx.tolist() == r["crime"].tolist()
    equal = burden.index(r)
    # b has no poverty figure: its index is the mean of the two components it has.
    assert equal["b"] == pytest.approx((1 / 3 + 0.5) / 2)
    assert equal["a"] == pytest.approx((0 + 1 + 1) / 3)
    with pytest.raises(ValueError):
        burden.index(r, {"crime": -1.0})


def test_rank_intervals_cover_the_rank_and_widen_with_disagreement() -> None:
    out = burden.burden(ranks_example())
    assert out["rank"].tolist() == sorted(out["rank"].tolist())
    assert ((out["rank_low"] <= out["rank"]) & (out["rank"] <= out["rank_high"])).all()
    # Components that agree give a rank no weights can move.
    same = pd.Series([1.0, 2.0, 3.0], index=list("xyz"))
    agree = burden.burden(burden.components(same, np.exp(same), same))
    assert (agree["rank_low"] == agree["rank_high"]).all()
    assert agree.index.tolist() == ["z", "y", "x"]
