"""Plain-language sentences (shares in words, small counts never printed) and the
`analyze demand` command end to end on the Alexandria CAD export."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from publicsafety.analysis import text
from publicsafety.analysis.officer_time import measure_officer_time
from publicsafety.analysis.scope import ALL_EVENTS
from publicsafety.cli import app
from publicsafety.engine import open_store
from publicsafety.ingest import ingest_file
from publicsafety.privacy import count_text, published_small_counts
from publicsafety.taxonomy import classify
from tests.conftest import real_data
from tests.demand.real import load


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (0.04, "About 1 in 25"),
        (0.016, "About 1 in 62"),
        (0.32, "About 1 in 3"),
        (0.29, "About 2 in 7"),  # not "1 in 3" (33%)
        (0.22, "About 1 in 5"),  # 20%: within a tenth of 22%
        (0.4, "About 2 in 5"),
        (0.74, "About 3 in 4"),
        (0.97, "Nearly all"),
        (0.0, "None"),
    ],
)
def test_one_in(share: float, words: str) -> None:
    assert text.one_in(share) == words


def row(category: str, calls: int, share: float, hours: float | None) -> pd.Series:
    return pd.Series(
        {
            "category": category,
            "denominator": ALL_EVENTS,
            "calls": calls,
            "share_of_calls": share,
            "share_of_officer_hours": hours,
        }
    )


def test_category_sentences_follow_the_privacy_rule() -> None:
    assert (
        text.category_sentence(row("violent_crime", 400, 0.04, 0.04), 11)
        == "About 1 in 25 calls was about violent crime; those calls took 4% of officer time."
    )
    assert text.category_sentence(row("medical", 7, 0.0007, 0.001), 11) == (
        "Fewer than 11 calls were about a medical problem."
    )
    assert text.category_sentence(row("traffic", 4000, 0.4, None), 11).endswith(
        "officer time could not be measured for them."
    )
    assert count_text(10, 11) == "fewer than 11" and count_text(11, 11) == "11"


COUNT_COLUMNS = (
    "calls",
    "community_calls",
    "officer_initiated",
    "calls_with_officer_time",
    "units_known",
)


@pytest.mark.real_data
def test_analyze_demand_on_alexandria(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    with open_store(workspace) as store:
        ingest_file(
            store,
            real_data("alexandria_va_cad_2025_aug_dec", "alexandria_va_cad_2025w35_w52.csv.gz"),
            "alexandria_calls",
        )
        classify(store, "Alexandria")
    args = [
        "analyze",
        "demand",
        "-w",
        str(workspace),
        "--agency",
        "police",
        "--since",
        "2025-10-05",
        "--json",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    facts = json.loads(result.output)
    assert facts["city"] == "Alexandria" and facts["calls"] == 14384
    folder = workspace / "outputs" / "alexandria" / "demand"
    names = {p.name for p in folder.iterdir()}
    for expected in (
        "by_category.csv",
        "by_category.xlsx",
        "hour_of_week.csv",
        "officer_time_rules.csv",
        "response_times.csv",
        "officer_initiated_outcomes.csv",
        "share_of_calls_by_category.svg",
        "hour_of_week.svg",
        "response_time_by_priority.svg",
        "summary.md",
    ):
        assert expected in names
    assert not any(n.startswith("by_area_") for n in names)  # no location in this file
    for csv in folder.glob("*.csv"):
        df = pd.read_csv(csv, na_values=["suppressed"])
        cols = [c for c in COUNT_COLUMNS if c in df]
        assert published_small_counts(df, cols) == [], csv.name
    cat = pd.read_csv(folder / "by_category.csv", na_values=["suppressed"])
    every = cat[cat["denominator"] == ALL_EVENTS].set_index("category")
    assert every.loc["traffic", "calls"] == 4533  # measured on the police calls of weeks 41-52
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert "About 1 in 3 calls was about traffic; those calls took 16% of officer time." in summary
    assert "| no clear time |" in summary and "Convention: toolkit default" in summary
    assert "22% of all events" in summary
    bad = CliRunner().invoke(app, ["analyze", "demand", "-w", str(workspace), "--city", "Nowhere"])
    assert bad.exit_code != 0 and "Alexandria" in str(bad.exception or bad.output)
    wrong = CliRunner().invoke(
        app, ["analyze", "demand", "-w", str(workspace), "--since", "2025-13-01"]
    )
    assert wrong.exit_code != 0 and "YYYY-MM-DD" in str(wrong.exception)


@pytest.mark.real_data
def test_date_only_file_says_so_in_words() -> None:
    store = load("Sacramento")
    sentence = text.officer_time_sentence(measure_officer_time(store, "Sacramento"))
    assert sentence.startswith("Sacramento's file gives dates without times")
    store.close()


def test_listing_and_codes_in_words() -> None:
    assert text.listing(["7 stops"]) == "7 stops"
    assert text.listing(["51,920 stops", "12,925 uses of force"]) == (
        "51,920 stops and 12,925 uses of force"
    )
    assert text.listing(["a", "b", "c"]) == "a, b, and c"
    assert text.in_words("over_limit") == "over limit"
    assert text.in_words("co_response") == "co-response"
    assert text.in_words("COMPLAINT OTHER") == "COMPLAINT OTHER"
