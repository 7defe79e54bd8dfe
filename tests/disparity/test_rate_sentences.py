"""The plain-language sentence of a rate ratio: above, near and below one, and unclear."""

from __future__ import annotations

import pandas as pd

from publicsafety.analysis.disparity.summary import rate_sentences, too_few


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
    near = rate_sentences(_rates("hispanic", 37.5, 1.02, 1.01, 1.03), {"race": "white"})
    assert near == [
        "Hispanic people were stopped about as often as White people, per resident "
        "(1.02 times; 95% interval 1.01 to 1.03; 37.5 per 1,000 residents against 36.9)."
    ]


def test_an_interval_covering_one_is_no_clear_difference() -> None:
    for ratio, low, high in ((0.93, 0.72, 1.22), (1.1, 0.65, 1.78)):
        got = rate_sentences(_rates("native american", 40.6, ratio, low, high), {"race": "white"})
        assert got == [
            "Native American people were stopped neither clearly more nor less often than White "
            f"people, per resident ({ratio:.2f} times as often; 95% interval {low:.2f} to "
            f"{high:.2f}; 40.6 per 1,000 residents against 36.9)."
        ]


def test_too_few_names_the_outcomes_a_group_has_too_few_of() -> None:
    outcomes = pd.DataFrame(
        {
            "dimension": ["race", "race", "race", "age_band"],
            "group": ["asian/pacific islander"] * 3 + ["0-17"],
            "outcome": ["frisk", "arrest", "search", "arrest"],
            "note": [
                "too few to say; hidden to protect privacy",
                "",
                "too few to say",
                "too few to say",
            ],
        }
    )
    assert too_few({"outcomes": outcomes}) == {
        "what happened after the stop": [
            "Asian and Pacific Islander people (frisked, searched)",
            "People aged 0-17 (arrested)",
        ]
    }
