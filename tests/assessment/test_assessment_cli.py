"""`publicsafety assessment worksheet | results | add-facilitator`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from publicsafety.assessment.accounts import login
from publicsafety.assessment.store import open_answers
from publicsafety.cli import app
from publicsafety.errors import PublicSafetyError

runner = CliRunner()


def test_worksheet_in_spanish_with_the_session_code(tmp_path: Path) -> None:
    out = tmp_path / "hoja.pdf"
    r = runner.invoke(app, ["assessment", "worksheet", "--city", "Sample City", "--lang", "es",
                            "--session", "K7QM3P", "--out", str(out), "-w", str(tmp_path)])  # fmt: skip
    assert r.exit_code == 0, r.output
    raw = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True)
    text = " ".join(raw.stdout.split())  # table cells wrap over lines
    assert "Evaluación de la seguridad del vecindario: Sample City" in text
    assert "K7QM3P" in text and "Vivienda" in text
    assert "trata a las personas con dignidad y respeto." in text
    assert "Riverside" in text  # the city's neighbourhoods are listed to choose from


def test_worksheet_for_an_unknown_city_says_which_exist(tmp_path: Path) -> None:
    r = runner.invoke(
        app, ["assessment", "worksheet", "--city", "Atlantis", "--out", str(tmp_path / "x.pdf")]
    )
    assert isinstance(r.exception, PublicSafetyError)
    assert "Sample City" in r.exception.message and not (tmp_path / "x.pdf").exists()


def test_add_facilitator_then_log_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PUBLICSAFETY_ANSWERS_URL", raising=False)
    r = runner.invoke(app, ["assessment", "add-facilitator", "rosa", "--role", "admin",
                            "--password", "paper lanterns at dusk", "-w", str(tmp_path)])  # fmt: skip
    assert r.exit_code == 0 and "Account rosa (admin) saved." in r.output
    store = open_answers(tmp_path)
    assert store.user("rosa")["pw_hash"].startswith("$argon2id$")
    assert login(store, "rosa", "paper lanterns at dusk", "127.0.0.1")
    assert login(store, "rosa", "wrong", "127.0.0.1") is None
    r = runner.invoke(
        app, ["assessment", "add-facilitator", "sam", "--password", "short", "-w", str(tmp_path)]
    )
    assert (
        isinstance(r.exception, PublicSafetyError)
        and "at least 10 characters" in r.exception.message
    )


def test_results_of_a_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PUBLICSAFETY_ANSWERS_URL", raising=False)
    store = open_answers(tmp_path)
    code = store.create_session("Sample City", "Rec center", "2026 spring", "rosa")
    r = runner.invoke(app, ["assessment", "results", code, "-w", str(tmp_path), "--json"])
    assert json.loads(r.output)["priorities"] is None  # nobody yet: nothing to show
    for i in range(12):
        store.submit(f"t{i}", {"city": "Sample City", "lang": "en", "channel": "web", "session_code": code,
                               "round": "2026 spring", "area": "Oak Hill", "ratings": {}, "trust": {},
                               "mode": "points", "priorities": {"housing": 75, "jobs_income": 25},
                               "demographics": {}, "comment": ""})  # fmt: skip
    res = json.loads(
        runner.invoke(
            app, ["assessment", "results", code.lower(), "-w", str(tmp_path), "--json"]
        ).output
    )
    assert res["n"] == 12 and res["round"] == "2026 spring"
    assert res["priorities"][:2] == [
        {"rank": 1, "factor": "Housing", "points": 75.0, "low": 75.0, "high": 75.0},
        {"rank": 2, "factor": "Jobs and income", "points": 25.0, "low": 25.0, "high": 25.0},
    ]
