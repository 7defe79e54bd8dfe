"""Records-request laws, due dates and letters for each pilot state, federal FOIA and the fallback."""

from __future__ import annotations

import re
from datetime import date

import pytest
from typer.testing import CliRunner

from publicsafety.cli import app
from publicsafety.documents.records import (
    LetterRequest,
    add_days,
    due_dates,
    law_states,
    load_law,
    request_fields,
    request_letter,
)

PILOT_STATES = ["NM", "CA", "LA", "MN", "MD"]


def test_every_pilot_state_and_federal_law_is_present() -> None:
    assert set(PILOT_STATES) | {"US"} <= set(law_states())


@pytest.mark.parametrize("state", [*PILOT_STATES, "US", "generic"])
def test_every_fact_carries_a_source(state: str) -> None:
    law = load_law(state)
    assert law.citation and law.source and law.url.startswith("https://")
    assert law.deadlines, "each law states at least one deadline"
    for d in law.deadlines:
        assert d.source and d.text and d.label and d.label_es
        assert d.day_type in {"calendar", "business", "reasonable"}
    for section in (law.fees, law.appeal):
        assert section["text"] and section["source"]
    for item in (*law.notes, *law.exemptions):
        assert item["source"]


# Hand-counted: the day of receipt is not counted; business days skip weekends and the state's
# legal holidays (2026: Thanksgiving 11-26; New Mexico also closes 11-27; Christmas 12-25 and
# New Year's Day 2027-01-01 fall on Fridays; Independence Day 7-4 is observed on Friday 7-3).
@pytest.mark.parametrize(
    ("state", "received", "expected"),
    [
        (
            "NM",
            "2026-11-25",
            {"acknowledge": "2026-12-02", "produce": "2026-12-10", "denial": "2026-12-10"},
        ),
        ("CA", "2026-03-01", {"determination": "2026-03-11", "extended": "2026-03-25"}),
        ("LA", "2026-11-25", {"produce_or_certify": "2026-12-01", "sue": "2026-12-03"}),
        ("MN", "2026-07-01", {"respond": None, "data_subject": "2026-07-16"}),
        (
            "MD",
            "2026-12-21",
            {"notice": "2027-01-06", "decide": "2027-01-20", "denial_reasons": "2027-01-06"},
        ),
        ("US", "2026-11-25", {"determination": "2026-12-24", "extended": "2027-01-11"}),
    ],
)
def test_due_dates_hand_counted(state: str, received: str, expected: dict[str, str | None]) -> None:
    got = {
        d.deadline.key: (d.due.isoformat() if d.due else None)
        for d in due_dates(state, date.fromisoformat(received))
    }
    assert got == expected


def test_unknown_state_falls_back_to_generic_without_inventing_a_law() -> None:
    law = load_law("OR")
    assert law.state == "generic"
    assert "Toolkit practice, not law" in law.deadlines[0].source


def test_business_days_skip_weekends() -> None:
    assert add_days(date(2026, 1, 9), 1, "business", "US") == date(2026, 1, 12)  # Fri -> Mon
    with pytest.raises(ValueError):
        add_days(date(2026, 1, 9), 1, "fortnights")


@pytest.mark.parametrize("state", PILOT_STATES)
@pytest.mark.parametrize("data", ["calls", "stops", "budget"])
def test_letter_names_fields_range_format_and_law(state: str, data: str) -> None:
    req = LetterRequest(
        city="Test",
        state=state,
        data=data,
        start=date(2022, 1, 1),
        end=date(2022, 12, 31),
        sent=date(2026, 11, 25),
    )
    text = request_letter(req)
    law = load_law(state)
    assert law.citation in text
    assert "2022-01-01" in text and "2022-12-31" in text
    assert "machine-readable" in text and "CSV" in text
    for field in request_fields()[data]["fields"]:
        assert field[0] in text
    for d in due_dates(state, date(2026, 11, 25)):
        assert d.deadline.source in text
    assert "{{" not in text and "[[" not in text


def test_spanish_letter() -> None:
    req = LetterRequest(
        city="Albuquerque",
        state="NM",
        data="calls",
        start=date(2022, 1, 1),
        end=date(2022, 6, 30),
        lang="es",
        sent=date(2026, 11, 25),
    )
    text = request_letter(req)
    assert "Le pido" in text and "días hábiles" in text and "2026-12-02" in text
    assert "Explicación por escrito" in text


def test_cli_letter_and_track() -> None:
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "request",
            "--city",
            "New Orleans",
            "--data",
            "calls",
            "--from",
            "2022-01-01",
            "--to",
            "2022-12-31",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "New Orleans Police Department" in res.output and "La. R.S. 44:33(B)(1)" in res.output
    res = runner.invoke(
        app, ["request", "track", "--city", "Baltimore", "--received", "2026-12-21", "--json"]
    )
    assert res.exit_code == 0, res.output
    assert re.search(r'"due": "2027-01-06"', res.output)


def test_bad_request_is_a_clear_error() -> None:
    with pytest.raises(Exception, match="no request template"):
        request_letter(
            LetterRequest(
                city="X", state="LA", data="tweets", start=date(2022, 1, 1), end=date(2022, 2, 1)
            )
        )
