"""Figures "a year": a calendar year of data is its own year; other periods are scaled."""

from __future__ import annotations

import pytest

from publicsafety.analysis.scope import per_year


def test_a_calendar_year_of_data_is_not_rescaled() -> None:
    # Sample City's 2025 (365 days) and a leap year (366): "a year" figures then equal the
    # tables' own counts, as the report prints both side by side.
    assert per_year(365) == 1.0
    assert per_year(366) == 1.0


def test_other_periods_scale_to_365_25_days() -> None:
    assert per_year(181) == pytest.approx(365.25 / 181)
    assert per_year(730) == pytest.approx(0.5003, abs=1e-4)
