"""The assessment in a real browser: English with JavaScript, Spanish without, on a phone, a
facilitator's session with live results, paper entry; axe-core finds no serious or critical
violation on any page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from publicsafety.assessment.accounts import add_account
from publicsafety.assessment.content import load_questions
from publicsafety.assessment.store import open_answers
from tests.assessment.helpers import fill, finish
from tests.browser.conftest import LiveServer, axe_violations

PASSWORD = "a long facilitator pass"
IDS = load_questions("en", "Sample City").factor_ids


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    ws = tmp_path_factory.mktemp("assess")
    add_account(open_answers(ws), "ana", PASSWORD)
    srv = LiveServer(ws, {"PUBLICSAFETY_ASSESSMENT_MIN_SECONDS": "1"})
    srv.workspace = ws  # type: ignore[attr-defined]
    yield srv
    srv.stop()


def accessible(page: Any) -> None:
    assert axe_violations(page) == [], page.url


def answer_all(page: Any, *, check_axe: bool, points: bool = False) -> None:
    page.select_option("#area", "Mill Creek")
    check_axe and accessible(page)
    page.click("button[type=submit]")
    check_axe and accessible(page)
    for i, fid in enumerate(IDS):
        page.check(f"input[name=rate_{fid}][value='{'dk' if i == 0 else (i % 5) + 1}']")
    page.check("input[name=agree_pj_fair][value='4']")
    page.click("form button[type=submit]")
    check_axe and accessible(page)
    if points:
        page.fill("#points_housing", "50")
        page.fill("#points_youth_programs", "30")
        page.fill("#points_jobs_income", "20")
        page.click("text=Guardar mis puntos")
    else:
        page.select_option("#rank_1", "mental_health")
        page.select_option("#rank_2", "community_responders")
        page.select_option("#rank_3", "housing")
        page.click("text=Save my ranking")
    check_axe and accessible(page)


def test_assessment_in_english_is_accessible_at_every_step(live: LiveServer, page: Any) -> None:
    page.goto(live.url + "/assessment?lang=en")
    accessible(page)
    page.select_option("#city", "Sample City")
    page.click("text=Start")
    answer_all(page, check_axe=True)
    page.select_option("#demo_age_band", "25_44")
    page.fill("#comment", "<script>document.title='owned'</script> more lights please")
    page.click("text=Send my answers")
    assert page.locator("h1").inner_text() == "Thank you: your answers are saved"
    assert "<script>document.title='owned'</script>" in page.locator(".comment").inner_text()
    assert page.title() != "owned"
    assert "Mental health and substance use services" in page.locator("table").inner_text()
    accessible(page)


def test_assessment_in_spanish_without_javascript(live: LiveServer, page_nojs: Any) -> None:
    page = page_nojs
    page.goto(live.url + "/assessment?lang=es")
    assert page.locator("h1").inner_text() == "Evaluación de la seguridad del vecindario"
    page.select_option("#city", "Sample City")
    page.click("text=Comenzar")
    assert page.locator("h1").inner_text() == "¿Dónde vive?"
    answer_all(page, check_axe=False, points=True)
    page.wait_for_timeout(1000)  # the minimum fill time of the test server
    page.click("text=Enviar mis respuestas")
    assert page.locator("h1").inner_text() == "Gracias: sus respuestas están guardadas"
    rs = open_answers(live.workspace).responses()  # type: ignore[attr-defined]
    mine = [r for r in rs if r["lang"] == "es"]
    assert mine[-1]["priorities"] == {"housing": 50, "youth_programs": 30, "jobs_income": 20}
    assert mine[-1]["ratings"]["violence"] is None and mine[-1]["area"] == "Mill Creek"


def test_rating_page_fits_a_phone(live: LiveServer, phone_page: Any) -> None:
    phone_page.goto(live.url + "/assessment?lang=en")
    phone_page.select_option("#city", "Sample City")
    phone_page.click("text=Start")
    phone_page.select_option("#area", "Riverside")
    phone_page.click("button[type=submit]")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    box = phone_page.locator("label.choice").first.bounding_box()
    assert box["height"] >= 44, "touch targets at least 44 px high"


def test_facilitator_creates_a_session_and_sees_live_results(live: LiveServer, page: Any) -> None:
    page.goto(live.url + "/assessment/login?lang=en")
    accessible(page)
    page.fill("#username", "ana")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    accessible(page)
    page.fill("#title", "Library listening session")
    page.select_option("#city", "Sample City")
    page.fill("#round", "2026 spring")
    page.click("text=Create session")
    code = page.locator(".code-big strong").inner_text()
    assert page.locator("figure.qr svg").count() == 1
    assert "Results appear once 11" in page.content()
    accessible(page)
    link = page.locator(f"a[href$='/assessment/s/{code}']").get_attribute("href")
    with httpx.Client(base_url=live.url) as client:
        assert client.get(link).status_code == 200
        drafts = [
            fill(client, session=code, top="youth_programs" if i % 2 else "violence")
            for i in range(11)
        ]
        time.sleep(1.0)  # the test server's minimum fill time
        for base, token in drafts:
            assert finish(client, base, token).headers["location"] == base + "/done"
    page.click("text=Refresh results")
    assert "Answers: 11" in page.content()
    # 6 ranked violence 1st (then housing), 5 youth programs 1st (then violence): violence leads.
    assert page.locator("table tbody tr").first.inner_text().startswith("1\tViolence")
    accessible(page)
    page.goto(live.url + "/assessment/facilitate")
    page.click("a[href='/assessment/facilitate-city?city=Sample%20City']")
    citywide = len(open_answers(live.workspace).responses(city="Sample City"))  # type: ignore[attr-defined]
    assert f"Answers: {citywide}" in page.content() and citywide >= 11
    accessible(page)
    page.goto(live.url + "/assessment/resume?code=NOPE")
    assert "could not find that resume code" in page.content()
    accessible(page)


def test_paper_entry(live: LiveServer, page: Any) -> None:
    page.goto(live.url + "/assessment/login?lang=en")
    page.fill("#username", "ana")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.fill("#title", "Paper night")
    page.select_option("#city", "Sample City")
    page.fill("#round", "2026 spring")
    page.click("text=Create session")
    code = page.locator(".code-big strong").inner_text()
    page.click("text=Enter paper worksheets")
    accessible(page)
    page.select_option("#area", "Old Town")
    for fid in IDS:
        page.check(f"input[name=rate_{fid}][value='3']")
    page.select_option("#rank_1", "lighting_vacant")
    page.select_option("#demo_tenure", "rent")
    page.click("text=Save worksheet")
    assert "Worksheet saved" in page.locator(".saved").inner_text()
    accessible(page)
    rs = open_answers(live.workspace).responses(session_code=code)  # type: ignore[attr-defined]
    assert [
        (r["channel"], r["area"], r["priorities"], r["demographics"]["tenure"]) for r in rs
    ] == [("paper", "Old Town", {"lighting_vacant": 1}, "rent")]
