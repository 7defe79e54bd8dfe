"""How the printed report writes one table cell and one header."""

from __future__ import annotations

import pandas as pd
import pytest

from publicsafety.report.build import cell, header


@pytest.mark.parametrize(
    ("value", "column", "shown"),
    [
        (2025, "fiscal_year", "2025"),  # a year, not "2,025"
        (68.0, "lines", "68"),  # a whole number, not "68.00"
        (27.0, "hits", "27"),
        (8218.06, "officer_hours", "8,218"),
        (529.1, "officer_hours", "529"),  # hours never get a decimal beside "8,218"
        (122.13, "rate", "122.1"),  # a rate keeps one beside "22.03"
        (22.031, "rate", "22.03"),
        (0.0, "difference", "0.00"),
        (330.4476, "police_per_resident", "330.45"),  # as the sentence beside it says
        (0.2256, "police_share_general_fund", "23%"),
        ("mental_health_welfare", "category", "mental health welfare"),
        ("non_emergency", "responder", "non-emergency"),
        ("COMPLAINT OTHER", "call_type", "COMPLAINT OTHER"),
        (float("nan"), "events", "suppressed"),
        (pd.NA, "difference_low", "suppressed"),
        (None, "flag", "none"),
    ],
)
def test_cell(value: object, column: str, shown: str) -> None:
    assert cell(value, column) == shown


def test_headers_in_words() -> None:
    assert header("share_of_officer_hours") == "share of officer hours"
    assert header("rate") == "rate per 1,000"
    assert header("sworn_fte") == "sworn officers (FTE)"
