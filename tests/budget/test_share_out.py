"""Recipients shared out among areas: whole people, adding up exactly, each within one of its
proportional quota (Hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from publicsafety.analysis.budget.targeting import share_out


@given(
    st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=30),
    st.integers(min_value=0, max_value=100_000),
)
def test_shares_add_up_and_stay_within_one_of_the_quota(weights: list[float], total: int) -> None:
    shares = share_out(weights, total)
    assert sum(shares) == total and all(s >= 0 for s in shares)
    whole = sum(weights)
    for w, s in zip(weights, shares, strict=True):
        quota = w / whole * total if whole > 0 else total / len(weights)
        assert quota - 1 < s < quota + 1


def test_hand_cases() -> None:
    assert share_out([200, 300], 7) == [3, 4]  # quotas 2.8 and 4.2
    assert share_out([1, 1, 1], 125) == [42, 42, 41]  # ties go to the earlier area
    assert share_out([0, 0], 5) == [3, 2]  # no poverty counts: an even split
    assert share_out([], 5) == []
