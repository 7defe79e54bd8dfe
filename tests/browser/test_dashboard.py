"""The dashboard in a real browser on Sample City: filters by plain GET forms (with and without
JavaScript), CSV downloads, the language switch, a phone's width, and axe-core clean."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publicsafety.engine import open_store
from publicsafety.sample_city.pipeline import STEPS, run_demo
from publicsafety.taxonomy.classify import classify
from tests.browser.conftest import LiveServer, axe_violations
from tests.report.report_checks import small_counts

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    ws = tmp_path_factory.mktemp("dash") / "workspace"
    # The data steps only (no report): the dashboard reads the store.
    steps = [s for s in STEPS if s[0] in ("generate", "ingest")]
    run_demo(ws, seed=2025, calls=3000, steps=steps)
    with open_store(ws) as store:
        classify(store)  # categories for the category filter (the report runs this too)
    srv = LiveServer(ws)
    yield srv
    srv.stop()


def test_filters_with_a_plain_form_and_no_javascript(
    server: LiveServer, page_nojs: Any, page: Any
) -> None:
    page_nojs.goto(server.url + "/dashboard?lang=en")
    page_nojs.click("text=Sample City")
    assert page_nojs.locator("h1").inner_text() == "Dashboard: Sample City"
    page_nojs.select_option("#year", "2025")
    page_nojs.select_option("#area_set", "neighborhoods")
    page_nojs.click("button[type=submit]")
    assert "year=2025" in page_nojs.url and "area_set=neighborhoods" in page_nojs.url
    assert page_nojs.locator("#year").input_value() == "2025"
    names = page_nojs.locator("#table-calls_by_area tbody th").all_inner_texts()
    # Every Sample City neighbourhood has calls in 2025; calls outside them are a row of their own.
    assert len(set(names) - {"not placed"}) == 25 and "not placed" in names
    assert small_counts(page_nojs.content()) == []
    # axe-core needs JavaScript: check the same filtered page in a normal browser.
    page.goto(page_nojs.url)
    assert axe_violations(page) == []


def test_csv_download_matches_the_table(server: LiveServer, page: Any) -> None:
    page.goto(server.url + "/dashboard/sample_city?year=2025&area_set=neighborhoods&lang=en")
    first = page.locator("#table-calls_by_category tbody tr").first
    shown = [first.locator("th").inner_text(), first.locator("td").first.inner_text()]
    with page.expect_download() as info:
        page.locator("a.download").first.click()
    download = info.value
    assert (
        download.suggested_filename
        == "sample_city_calls_by_category_year_2025_area_set_neighborhoods.csv"
    )
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [rows[0]["category"], f"{int(rows[0]['calls']):,}"] == shown


def test_language_switch_and_phone(server: LiveServer, page: Any, phone_page: Any) -> None:
    page.goto(server.url + "/dashboard/sample_city?lang=en")
    page.click("text=Español")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h2").first.inner_text() == "Llamadas por categoría"
    assert axe_violations(page) == []
    phone_page.goto(server.url + "/dashboard/sample_city?year=2025")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_map_follows_the_filters_and_hatches_small_counts(
    server: LiveServer, page: Any
) -> None:
    url = server.url + "/dashboard/sample_city?year=2025&area_set=neighborhoods&lang=en"
    page.goto(url)
    svg = page.locator("figure.map svg")
    assert svg.get_attribute("role") == "img"
    assert svg.get_attribute("aria-label") == (
        "Calls per 1,000 residents, Sample City, neighborhoods"
    )
    assert page.locator("figure.map path.area").count() == 25
    every = page.locator("figure.map path.area.value").count()
    # One category has few calls per neighbourhood: many areas are hatched, none shows 1-10.
    category = page.locator("#category option").nth(1).get_attribute("value")
    page.goto(f"{url}&category={category}")
    hatched = page.locator("figure.map path.area.suppressed").count()
    assert page.locator("figure.map path.area.value").count() + hatched == 25
    assert every == 25 and hatched > 0
    assert small_counts(page.content()) == []
    assert axe_violations(page) == []
    page.goto(url.replace("lang=en", "lang=es"))
    assert (
        page.locator("figure.map svg")
        .get_attribute("aria-label")
        .startswith("Llamadas por cada 1.000 residentes")
    )
    page.screenshot(path=str(Path(tempfile.gettempdir()) / "dashboard_map_es.png"), full_page=True)
