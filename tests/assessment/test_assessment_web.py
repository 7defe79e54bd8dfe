"""The assessment's pages through FastAPI's TestClient: the flow, facilitators, paper entry, and
the security rules (CSRF, escaping, login rate limit, anti-automation, no answers without login)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from publicsafety.assessment.accounts import add_account
from publicsafety.web.app import create_app
from tests.assessment.helpers import SAME, complete, csrf, post

PASSWORD = "correct horse battery"


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("PUBLICSAFETY_ASSESSMENT_MIN_SECONDS", "0")
    monkeypatch.delenv("PUBLICSAFETY_ANSWERS_URL", raising=False)
    app = create_app(tmp_path)
    add_account(app.state.answers, "ana", PASSWORD)
    with TestClient(app) as c:
        yield c


def log_in(client: TestClient, user: str = "ana", password: str = PASSWORD) -> int:
    return post(client, "/assessment/login", {"username": user, "password": password}).status_code


def test_a_resident_completes_the_assessment_and_sees_a_summary(client: TestClient) -> None:
    r = complete(client, area="Oak Hill", top="youth_programs")
    assert r.status_code == 303 and r.headers["location"].endswith("/done")
    page = client.get(r.headers["location"]).text
    assert "Thank you: your answers are saved" in page and "Oak Hill" in page
    assert re.search(r"Youth programs</td><td class=\"num\">1<", page)
    assert len(client.app.state.answers.responses(city="Sample City")) == 1


def test_resume_code_continues_at_the_first_unfinished_step(client: TestClient) -> None:
    r = post(client, "/assessment/start", {"city": "Sample City"})
    rc = r.headers["location"].split("/")[3]
    post(client, f"/assessment/r/{rc}/area", {"area": "Fairview"})
    other = TestClient(client.app)  # another device: only the code is carried over
    r2 = other.get(
        f"/assessment/resume?code={rc.lower()[:5]}-{rc.lower()[5:]}", follow_redirects=False
    )
    assert r2.headers["location"] == f"/assessment/r/{rc}/rate"


def test_missing_answers_are_explained_and_kept(client: TestClient) -> None:
    r = post(client, "/assessment/start", {"city": "Sample City"})
    base = r.headers["location"].rsplit("/", 1)[0]
    post(client, base + "/area", {"area": "Riverside"})
    r = post(client, base + "/rate", {"rate_violence": "5"})
    assert r.status_code == 400 and "Please answer every factor" in r.text
    assert 'name="rate_violence" value="5" aria-describedby="hint-violence" checked' in r.text
    r = post(client, base + "/rate", {f"rate_{f}": "dk" for f in ("violence",)} | {
        f"rate_{f}": "3" for f in ("property_crime", "traffic_safety", "lighting_vacant", "housing", "mental_health",
                                  "youth_programs", "jobs_income", "trust_police", "police_response",
                                  "community_responders")})  # fmt: skip
    assert r.status_code == 303
    r = post(
        client,
        base + "/prioritise",
        {"mode": "points", "points_housing": "60", "points_violence": "30"},
    )
    assert r.status_code == 400 and "add up to exactly 100" in r.text
    r = post(
        client, base + "/prioritise", {"mode": "rank", "rank_1": "housing", "rank_2": "housing"}
    )
    assert r.status_code == 400 and "only once" in r.text


def test_spanish_flow_is_in_spanish(client: TestClient) -> None:
    client.get("/assessment?lang=es")
    r = complete(client)
    page = client.get(r.headers["location"]).text
    assert "Gracias: sus respuestas están guardadas" in page and "Vivienda" in page
    assert client.app.state.answers.responses()[0]["lang"] == "es"


def test_a_script_in_a_comment_is_shown_as_text(client: TestClient) -> None:
    r = complete(client, comment='<script>alert("x")</script><img src=x onerror=alert(1)>')
    page = client.get(r.headers["location"]).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    )


def test_cross_site_post_is_refused(client: TestClient) -> None:
    token = csrf(client)
    for headers in ({"sec-fetch-site": "cross-site"}, {"origin": "https://evil.example"}):
        r = client.post(
            "/assessment/start", data={"csrf_token": token, "city": "Sample City"}, headers=headers
        )
        assert r.status_code == 403 and "did not come from this site" in r.text
    r = client.post("/assessment/login", data={"csrf_token": "forged", "username": "ana", "password": PASSWORD},
                    headers=SAME)  # fmt: skip
    assert r.status_code == 403
    assert client.app.state.answers.sessions() == [] and "ps_login" not in client.cookies


def test_robots_are_refused_by_honeypot_and_fill_time(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = post(client, "/assessment/start", {"city": "Sample City"})
    base = r.headers["location"].rsplit("/", 1)[0]
    post(client, base + "/area", {"area": "Riverside"})
    post(client, base + "/rate", {f"rate_{f}": "dk" for f in
         ("violence", "property_crime", "traffic_safety", "lighting_vacant", "housing", "mental_health",
          "youth_programs", "jobs_income", "trust_police", "police_response", "community_responders")})  # fmt: skip
    post(client, base + "/prioritise", {"mode": "rank", "rank_1": "housing"})
    token = re.search(r'name="token" value="([^"]+)"', client.get(base + "/about").text).group(1)  # type: ignore[union-attr]
    r = post(client, base + "/about", {"token": token, "website": "http://spam.example"})
    assert r.status_code == 400
    monkeypatch.setenv("PUBLICSAFETY_ASSESSMENT_MIN_SECONDS", "3600")
    r = post(client, base + "/about", {"token": token})
    assert r.status_code == 400 and "wait a moment" in r.text
    assert client.app.state.answers.responses() == []
    monkeypatch.setenv("PUBLICSAFETY_ASSESSMENT_MIN_SECONDS", "0")
    assert post(client, base + "/about", {"token": token}).status_code == 303
    assert post(client, base + "/about", {"token": token}).status_code == 303  # resubmitted: once
    assert len(client.app.state.answers.responses()) == 1


def test_no_answers_are_readable_without_a_facilitator_login(client: TestClient) -> None:
    code = client.app.state.answers.create_session("Sample City", "Hall", "2026", "ana")
    complete(client, session=code, comment="private")
    for url in (f"/assessment/facilitate/{code}", f"/assessment/facilitate/{code}/export.csv",
                f"/assessment/facilitate/{code}/export.xlsx", f"/assessment/facilitate/{code}/paper",
                "/assessment/facilitate"):  # fmt: skip
        r = client.get(url, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, "/assessment/login"), url
    # Another facilitator cannot see ana's session either.
    add_account(client.app.state.answers, "ben", PASSWORD)
    assert log_in(client, "ben") == 303
    r = client.get(f"/assessment/facilitate/{code}/export.csv", follow_redirects=False)
    assert r.status_code == 303
    assert client.get(f"/assessment/facilitate/{code}").status_code == 404
    # An admin sees every session.
    add_account(client.app.state.answers, "root", PASSWORD, role="admin")
    assert log_in(client, "root") == 303
    assert code in client.get("/assessment/facilitate").text
    assert client.get(f"/assessment/facilitate/{code}/export.csv").text.count("private") == 1


def test_login_is_rate_limited(client: TestClient) -> None:
    for _ in range(5):
        assert log_in(client, password="wrong password") == 401
    assert log_in(client) == 429  # even the right password, until the window passes
    assert "ps_login" not in client.cookies


def test_facilitator_creates_a_session_and_sees_results(client: TestClient) -> None:
    assert log_in(client) == 303
    r = post(
        client,
        "/assessment/facilitate",
        {"title": "Library night", "city": "Sample City", "round": "2026"},
    )
    code = r.headers["location"].rsplit("/", 1)[1]
    page = client.get(f"/assessment/facilitate/{code}").text
    assert f"/assessment/s/{code}" in page and "<svg" in page and "Results appear once 11" in page
    respondent = TestClient(client.app)
    for i in range(11):
        complete(
            respondent, session=code, top="housing" if i < 8 else "jobs_income", comment="=1+1"
        )
    page = client.get(f"/assessment/facilitate/{code}").text
    assert "Answers: 11" in page
    # Everyone ranked violence 2nd (4 of 9 Borda points = 44.4); 8 of 11 ranked housing 1st
    # (8 x 55.6 / 11 = 40.4) and 3 jobs and income (3 x 55.6 / 11 = 15.2).
    rows = re.findall(r'<tr><td>(\d+)</td><td>([^<]+)</td><td class="num">([\d.]+)</td>', page)
    assert rows[:3] == [
        ("1", "Violence", "44.4"),
        ("2", "Housing", "40.4"),
        ("3", "Jobs and income", "15.2"),
    ]
    assert "44.4 – 44.4" in page  # no variation, no interval
    csv = client.get(f"/assessment/facilitate/{code}/export.csv").text
    assert csv.count("'=1+1") == 11
    pdf = client.get(f"/assessment/facilitate/{code}/worksheet.pdf?lang=es")
    assert pdf.content[:5] == b"%PDF-"


def test_paper_worksheets_join_the_same_answers(client: TestClient) -> None:
    assert log_in(client) == 303
    code = client.app.state.answers.create_session("Sample City", "Church basement", "2026", "ana")
    form = {"area": "Old Town", "mode": "points", "points_housing": "70", "points_jobs_income": "30",
            "token": "sheet-1", "demo_sex": "female", "comment": "paper note"}  # fmt: skip
    form |= {f"rate_{f}": "2" for f in ("violence", "property_crime", "traffic_safety", "lighting_vacant", "housing",
             "mental_health", "youth_programs", "jobs_income", "trust_police", "police_response",
             "community_responders")}  # fmt: skip
    r = post(client, f"/assessment/facilitate/{code}/paper", form)
    assert r.status_code == 303 and "saved=" in r.headers["location"]
    assert "Worksheet saved" in client.get(r.headers["location"]).text
    post(client, f"/assessment/facilitate/{code}/paper", form)  # double click: still one answer
    rs = client.app.state.answers.responses(session_code=code)
    assert [(x["channel"], x["area"], x["priorities"], x["demographics"]["sex"]) for x in rs] == [
        ("paper", "Old Town", {"housing": 70, "jobs_income": 30}, "female")]  # fmt: skip
