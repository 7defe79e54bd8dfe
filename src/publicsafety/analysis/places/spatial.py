"""Does divergence cluster in space? Moran's I of per-area values (model residuals) over queen
contiguity (areas sharing an edge or a corner), with PySAL's esda and libpysal.

Weights are row-standardised; significance comes from a seeded permutation test, so a run gives
the same answer twice. Areas with no neighbour (islands) are dropped from the test and counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

PERMUTATIONS = 999
SEED = 20070813  # any fixed number: the permutation p-value must not change from run to run


@dataclass(frozen=True)
class MoranResult:
    i: float
    expected: float  # -1 / (n - 1)
    z_normal: float  # under the normality assumption
    p_normal: float
    p_permutation: float
    n: int
    islands: tuple[str, ...]

    @property
    def clusters(self) -> bool:
        return self.p_permutation < 0.05 and self.i > self.expected


def neighbours(geometry: Mapping[str, BaseGeometry]) -> dict[str, list[str]]:
    """Queen contiguity: areas whose boundaries touch or overlap (a shared point is enough).

    Boundaries drawn by different hands rarely meet exactly, so edges are grown by ~1 m first."""
    ids = list(geometry)
    geoms = np.array([shapely.buffer(geometry[i], 1e-5) for i in ids], dtype=object)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    out: dict[str, list[str]] = {i: [] for i in ids}
    for a, b in zip(left, right, strict=True):
        if a != b:
            out[ids[a]].append(ids[b])
    return {k: sorted(set(v)) for k, v in out.items()}


def morans_i(
    values: Mapping[str, float],
    geometry: Mapping[str, BaseGeometry],
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
) -> MoranResult:
    """Moran's I of `values` (areas with a finite value and at least one such neighbour)."""
    import esda  # heavy import: only when the test runs
    from libpysal.weights import W

    nb = neighbours({k: g for k, g in geometry.items() if np.isfinite(values.get(k, np.nan))})
    islands = tuple(sorted(k for k, v in nb.items() if not v))
    keep = [k for k, v in nb.items() if v]
    w = W({k: nb[k] for k in keep}, id_order=keep, silence_warnings=True)
    w.transform = "r"
    y = np.array([values[k] for k in keep], dtype=float)
    np.random.seed(seed)  # esda draws its permutations from numpy's global generator
    m = esda.Moran(y, w, permutations=permutations)
    return MoranResult(
        float(m.I),
        float(m.EI),
        float(m.z_norm),
        float(m.p_norm),
        float(m.p_sim),
        len(keep),
        islands,
    )


def morans_i_direct(y: Sequence[float], w: np.ndarray) -> float:
    """Moran's I from its definition, I = n / S0 * z'Wz / z'z (for checking the library)."""
    z = np.asarray(y, dtype=float) - np.mean(y)
    return float(len(z) / w.sum() * (z @ w @ z) / (z @ z))
