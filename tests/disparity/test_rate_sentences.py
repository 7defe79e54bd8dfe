"""The plain-language sentence of a rate ratio, above, near and below one."""

from __future__ import annotations

import pandas as pd

from publicsafety.analysis.disparity.summary import rate_sentences


def _rates(group: str, rate: float, ratio: float, low: float, high: float) -> pd.DataFrame:
    row = {"events_of": "stops", "benchmark_kind": "population", "dimension": "race"}
    return pd.DataFrame(
        [
            {**row, "group": "white", "rate": 36.9, "ratio": 1.0, "ratio_low": 1.0,
             "ratio_high": 1.0},
            {**row, "group": group, "rate": rate, "ratio": ratio, "ratio_low": low,
             "ratio_high": high},
        ]
    )  # fmt: skip


def test_a_ratio_below_one_reads_less_often_with_the_ratio_in_brackets() -> None:
    got = rate_sentences(
        _rates("asian/pacific islander", 22.0, 0.596, 0.54, 0.66), {"race": "white"}
    )
    assert got == [
        "Asian and Pacific Islander people were stopped less often than White people, per "
        "resident (0.60 times as often; 95% interval 0.54 to 0.66; 22.0 per 1,000 residents "
        "against 36.9)."
    ]


def test_ratios_above_and_near_one() -> None:
    above = rate_sentences(_rates("black", 122.1, 3.31, 3.2, 3.4), {"race": "white"})
    assert above == [
        "Black people were stopped 3.3 times as often as White people, per resident "
        "(95% interval 3.2 to 3.4; 122.1 per 1,000 residents against 36.9)."
    ]
    near = rate_sentences(_rates("hispanic", 37.5, 1.02, 0.98, 1.06), {"race": "white"})
    assert near == [
        "Hispanic people were stopped about as often as White people, per resident "
        "(1.02 times; 95% interval 0.98 to 1.06; 37.5 per 1,000 residents against 36.9)."
    ]
