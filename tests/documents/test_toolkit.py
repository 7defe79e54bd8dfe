"""The printed toolkit: structure, placeholders filled, local assets only, both languages."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from publicsafety.documents.render import html_to_pdf, load_sections
from publicsafety.documents.toolkit import build_html, build_toolkit
from publicsafety.errors import PublicSafetyError


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_section_rendered_without_placeholders(lang: str) -> None:
    tk = build_html("Albuquerque", lang)
    assert tk.sections == [
        s.slug
        for s in sorted(
            load_sections(lang),
            key=lambda s: (("roadmap", "guide", "assessment").index(s.part), s.order, s.slug),
        )
    ]
    for slug in tk.sections:
        assert f'id="{slug}"' in tk.html
    assert "{{" not in tk.html and "{%" not in tk.html
    assert "Inspection of Public Records Act" in tk.html  # New Mexico's law, from the city's state
    assert "NMSA § 14-2-8(D)" in tk.html


def test_both_languages_have_the_same_sections() -> None:
    assert [s.slug for s in load_sections("en")] == [s.slug for s in load_sections("es")]


def test_every_section_cites_sources() -> None:
    for lang in ("en", "es"):
        for s in load_sections(lang):
            assert s.sources, f"{lang}/{s.slug} has no sources"


def test_pdf_is_letter_size_with_page_numbers(tmp_path: Path) -> None:
    pdf = build_toolkit("Minneapolis", "en", "pdf", out=tmp_path / "t.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+612 x 792 pts \(letter\)", info)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert "Minnesota Government Data Practices Act" in text
    # Page numbers print at the foot of every page after the cover.
    assert pages[1].strip().endswith("2")


def test_remote_assets_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PublicSafetyError, match="remote URL"):
        html_to_pdf('<img src="https://example.com/x.png">', tmp_path / "x.pdf")


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(PublicSafetyError, match="language"):
        build_html("Baltimore", "fr")
