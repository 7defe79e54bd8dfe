"""The toolkit's chapters: same sections in both languages, every topic the roadmap and the guide
promise, sources on every chapter, commands that exist, and no placeholder left unfilled."""

from __future__ import annotations

import re
import tomllib

import pytest
import typer

from publicsafety.cli import app
from publicsafety.documents.records import HERE, request_fields
from publicsafety.documents.render import CONTENT, content_strings, load_sections
from publicsafety.documents.toolkit import PARTS, build_html

LANGS = ("en", "es")
# New Orleans and Minneapolis render with their data in test_content_real.py.
CITIES = ("Albuquerque", "Baltimore", "Stockton", "Sample City")
# Commands the chapters name that another engineer is still building (issue 6, budgets); the
# chapters describe them as planned in the roadmap. Anything else named must exist today.
PENDING_COMMANDS = {("analyze", "budget")}


def _section(lang: str, slug: str) -> str:
    return next(s.body for s in load_sections(lang) if s.slug == slug)


def _headings(body: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^##\s+(.+)$", body, re.M)]


def test_both_languages_have_the_same_sections_parts_and_order() -> None:
    en, es = load_sections("en"), load_sections("es")
    assert [(s.slug, s.part, s.order) for s in en] == [(s.slug, s.part, s.order) for s in es]
    assert {s.part for s in en} == set(PARTS)
    assert len(en) == 17
    for a, b in zip(en, es, strict=True):
        # The same number of second-level sections: a translation that drops one shows here.
        assert len(_headings(a.body)) == len(_headings(b.body)), a.slug
        assert len(a.sources) == len(b.sources), a.slug


def test_every_chapter_has_a_title_and_sources() -> None:
    for lang in LANGS:
        for s in load_sections(lang):
            assert s.title.strip(), f"{lang}/{s.slug}"
            assert s.sources and all(src.strip() for src in s.sources), f"{lang}/{s.slug}"


def test_justice_system_chapter_covers_each_institution() -> None:
    en = " | ".join(_headings(_section("en", "03-justice-system")))
    for topic in ("911 and dispatch", "Police", "Prosecutors", "Courts and bail", "Jails"):
        assert topic in en
    assert "Probation and parole" in en
    es = " | ".join(_headings(_section("es", "03-justice-system")))
    for topic in ("911", "policía", "fiscales", "fianza", "cárceles", "libertad condicional"):
        assert topic in es
    assert "Police oversight" in _headings(_section("en", "04-budget-oversight"))
    assert "How the budget is made" in _headings(_section("en", "04-budget-oversight"))


def test_unequal_impact_chapter_names_each_policy() -> None:
    assert _headings(_section("en", "05-unequal-impact")) == [
        "Pretext stops",
        "Fines and fees",
        "Cash bail",
        "Gang databases",
        "Police in schools",
        "How this software helps",
    ]
    assert _headings(_section("es", "05-unequal-impact"))[:5] == [
        "Paradas con pretexto",
        "Multas y cuotas",
        "La fianza en dinero",
        "Listas de pandillas",
        "Policía en las escuelas",
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_each_roadmap_step_is_tied_to_a_command(lang: str) -> None:
    """Steps 1.1 to 5.2 each have a section that names the command computing it."""
    roadmap = [s for s in load_sections(lang) if s.part == "roadmap"]
    steps = {}
    for s in roadmap:
        for part in re.split(r"^## ", s.body, flags=re.M)[1:]:
            m = re.match(r"(?:Step|Paso) (\d\.\d)", part)
            if m:
                steps[m.group(1)] = part
    assert sorted(steps) == ["1.1", "1.2", "2.1", "3.1", "4.1", "5.1", "5.2"]
    for step, text in steps.items():
        assert re.search(r"`publicsafety (analyze|scenario) [a-z]+", text), step


def _named_commands() -> set[tuple[str, ...]]:
    found = set()
    for lang in LANGS:
        for s in load_sections(lang):
            for m in re.finditer(r"`publicsafety ([a-z][a-z-]*(?: [a-z][a-z-]*)?)", s.body):
                found.add(tuple(m.group(1).split()))
    return found


def test_every_command_named_in_the_chapters_exists() -> None:
    root = typer.main.get_command(app)
    named = _named_commands()
    assert ("analyze", "demand") in named and ("scenario", "diversion") in named
    missing = []
    for words in sorted(named):
        cmd = root
        for w in words:
            sub = getattr(cmd, "commands", {}).get(w)
            if sub is None:
                break
            cmd = sub
        else:
            continue
        # A command followed by an argument (e.g. `publicsafety ingest FILE`) stops at a leaf.
        if cmd is not root and not hasattr(cmd, "commands"):
            continue
        if words not in PENDING_COMMANDS:
            missing.append(" ".join(words))
    assert missing == []


def test_data_guide_lists_every_requested_field_in_both_languages() -> None:
    fields = request_fields()
    en = build_html("Baltimore", "en").html
    es = build_html("Baltimore", "es").html
    tr = content_strings("es")
    for spec in fields.values():
        for name, _column, why in spec["fields"]:
            assert f"<td>{name}</td>" in en
            assert f"<td>{why}</td>" in en
            assert f"<td>{tr[name]}</td>" in es
            assert f"<td>{tr[why]}</td>" in es


def test_spanish_field_translations_cover_request_fields_exactly() -> None:
    """request_fields.toml is shared with the letters; when it gains a line, the Spanish guide
    needs its translation (and a translation with no field left is stale)."""
    wanted = set()
    for spec in tomllib.loads((HERE / "request_fields.toml").read_text("utf-8")).values():
        for name, _column, why in spec["fields"]:
            wanted |= {name, why}
    have = set(tomllib.loads((CONTENT / "es" / "fields.toml").read_text("utf-8"))["text"])
    assert wanted == have


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("city", CITIES)
def test_renders_without_data_with_no_empty_placeholder(city: str, lang: str) -> None:
    html = build_html(city, lang).html
    body = html[html.index("</style>") :]
    text = re.sub(r"<[^>]+>", " ", body)
    for bad in ("{{", "{%", "None", " nan", "[]", "()", "Undefined"):
        assert bad not in text, (city, lang, bad)
    assert "No data for" in text if lang == "en" else "Todavía no hay datos de" in text
    # The city's name and police agency are filled in on the city page.
    assert f"<strong>{city}</strong>" in html


def test_worksheets_have_room_to_write() -> None:
    for lang in LANGS:
        html = build_html("Stockton", lang).html
        rating = html[html.index('id="41-rate-factors"') : html.index('id="42-top-five"')]
        # Eleven factors (the web assessment's), five boxes each.
        assert rating.count('<td class="box-cell"><span class="check"></span></td>') == 55
        assert rating.count('class="lines"') == 1
        ranking = html[html.index('id="42-top-five"') :]
        assert ranking.count('<td class="write"></td>') == 10
        assert 'class="box"' in ranking


def test_local_resources_and_oversight_render_for_the_city() -> None:
    nola = build_html("New Orleans", "en").html
    assert "Office of the Independent Police Monitor (OIPM)" in nola
    assert "504-309-9799" in nola
    # The oversight chapter picks the city's oversight bodies out of the resource list.
    oversight = nola[nola.index('id="04-budget-oversight"') : nola.index('id="05-unequal-impact"')]
    assert "NOPD Public Integrity Bureau" in oversight
    abq = build_html("Albuquerque", "es").html
    assert "Albuquerque Community Safety (ACS)" in abq and "505-768-4227" in abq
    assert "988" in abq and "211" in abq
    baltimore = build_html("Baltimore", "es").html
    oversight = baltimore[
        baltimore.index('id="04-budget-oversight"') : baltimore.index('id="05-unequal-impact"')
    ]
    assert "Junta Civil de Revisión (CRB)" in oversight and "410-396-3151" in oversight
    portland = build_html("Portland", "en").html
    assert "We have not yet confirmed local programs for Portland." in portland
