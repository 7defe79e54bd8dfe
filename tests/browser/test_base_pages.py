"""The web app's shell in a real browser: languages, no-JS, phone width, accessibility."""

from __future__ import annotations

from tests.browser.conftest import axe_violations


def test_home_in_english_and_spanish_is_accessible(server, page) -> None:
    page.goto(server.url + "/?lang=en")
    assert page.locator("h1").inner_text() == "Equitable Public Safety Toolkit"
    assert page.locator("html").get_attribute("lang") == "en"
    assert axe_violations(page) == []
    page.click("text=Español")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Herramientas" in page.locator("h1").inner_text()
    assert axe_violations(page) == []
    # The choice sticks (cookie) on the next page without ?lang.
    page.goto(server.url + "/")
    assert page.locator("html").get_attribute("lang") == "es"


def test_home_without_javascript_and_on_a_phone(server, page_nojs, phone_page) -> None:
    page_nojs.goto(server.url + "/")
    assert page_nojs.locator("h1").is_visible()
    phone_page.goto(server.url + "/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "no horizontal scrolling on a phone"


def test_security_headers(server) -> None:
    import httpx

    r = httpx.get(server.url + "/")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"


def test_home_links_to_every_part_of_the_app(server, page) -> None:
    page.goto(server.url + "/?lang=en")
    for name, path in [
        ("City dashboard", "/dashboard"),
        ("Neighbourhood assessment", "/assessment"),
    ]:
        page.goto(server.url + "/?lang=en")
        page.click(f"text={name}")
        assert page.url.split("?")[0].endswith(path)
        assert page.locator("h1").count() >= 1
