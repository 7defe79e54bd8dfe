"""Citywide results: raked to the neighbourhood's population from the workspace store (checked
by hand), the effective sample size, and residents' priorities beside calls and officer hours."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from publicsafety.assessment.accounts import add_account
from publicsafety.assessment.report import city_results
from publicsafety.assessment.store import open_answers
from publicsafety.engine import open_store
from publicsafety.web.app import create_app
from tests.assessment.helpers import post


def answer(top: str, sex: str) -> dict:
    return {"city": "Sample City", "lang": "en", "channel": "paper", "session_code": None, "round": "2026",
            "area": "Riverside", "ratings": {}, "trust": {}, "mode": "rank", "priorities": {top: 1},
            "demographics": {"sex": sex, "race": None}, "comment": ""}  # fmt: skip


@pytest.fixture
def city_workspace(workspace: Path) -> Path:
    with open_store(workspace) as s:
        s.con.execute(
            "INSERT INTO areas (city, area_set, area_id, name) VALUES ('Sample City', 'neighborhoods', 'R', 'Riverside')"
        )
        s.con.execute(
            'INSERT INTO population (city, area_set, area_id, dimension, "group", count) VALUES'
            " ('Sample City', 'neighborhoods', 'R', 'sex', 'female', 600),"
            " ('Sample City', 'neighborhoods', 'R', 'sex', 'male', 400),"
            " ('Sample City', 'neighborhoods', 'R', 'total', 'total', 1000)"
        )
        s.con.execute(
            "INSERT INTO calls (city, category, officer_minutes) SELECT 'Sample City', c, m FROM (VALUES"
            " ('violent_crime', 60.0, 30), ('traffic', 30.0, 10), ('mental_health_welfare', 15.0, 60)) v(c, m, n),"
            " LATERAL range(n)"
        )
    store = open_answers(workspace)
    for i in range(20):  # 5 women put housing first, 15 men violence
        store.submit(f"t{i}", answer("housing", "female") if i < 5 else answer("violence", "male"))
    return workspace


def test_city_results_raked_to_the_neighbourhood_and_beside_the_calls(city_workspace: Path) -> None:
    res = city_results(city_workspace, "Sample City", n_boot=200)
    assert res["n"] == 20
    raw = res["priorities"].set_index("factor")["points"]
    assert (raw["housing"], raw["violence"]) == (25.0, 75.0)
    # By hand: women are 60% of residents but 5 of 20 answers: weight 0.6 x 20 / 5 = 2.4 each;
    # men 0.4 x 20 / 15 = 0.533. Housing: 5 x 2.4 x 100 / 20 = 60 points.
    weighted = res["weighted"].set_index("factor")["points"]
    assert weighted["housing"] == pytest.approx(60.0, abs=1e-6)
    assert weighted["violence"] == pytest.approx(40.0, abs=1e-6)
    # Kish: 20^2 / (5 x 2.4^2 + 15 x 0.5333^2) = 400 / 33.0667.
    assert res["ess"] == pytest.approx(400 / (5 * 2.4**2 + 15 * (0.4 * 20 / 15) ** 2), abs=1e-4)
    beside = res["beside"].set_index("factor")
    # 100 calls, 50 officer hours: violent 30 calls / 30 h, mental health 60 calls / 15 h.
    assert beside.loc["violence", "call_share"] == pytest.approx(30.0)
    assert beside.loc["violence", "hours_share"] == pytest.approx(60.0)
    assert beside.loc["mental_health", "call_share"] == pytest.approx(60.0)
    assert beside.loc["community_responders", "hours_share"] == pytest.approx(30.0)
    assert beside.loc["traffic_safety", "call_share"] is None  # 10 calls: not published
    assert beside.loc["housing", "call_share"] == 0.0


def test_city_page_for_facilitators_only(
    city_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PUBLICSAFETY_ANSWERS_URL", raising=False)
    app = create_app(city_workspace)
    add_account(app.state.answers, "ana", "a long enough password")
    with TestClient(app) as client:
        r = client.get("/assessment/facilitate-city?city=Sample%20City", follow_redirects=False)
        assert r.headers["location"] == "/assessment/login"
        post(client, "/assessment/login", {"username": "ana", "password": "a long enough password"})
        page = client.get("/assessment/facilitate-city?city=Sample%20City").text
    assert "Answers: 20" in page and "effective sample size 12" in page
    assert (
        '<td>Violence</td><td class="num">75.0</td><td class="num">30.0</td><td class="num">60.0</td>'
        in page
    )
