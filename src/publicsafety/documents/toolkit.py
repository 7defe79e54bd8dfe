"""Build the printed toolkit for one city and language: reform roadmap, data accountability guide
and assessment worksheets, as print-ready PDF (US Letter) or HTML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from publicsafety.documents.records import city_info, due_dates, load_law, request_fields
from publicsafety.documents.render import (
    TEMPLATES,
    content_strings,
    html_to_pdf,
    jinja,
    load_sections,
    render_section,
)
from publicsafety.documents.resources import load_resources
from publicsafety.errors import PublicSafetyError

PARTS = ("roadmap", "guide", "assessment")
STRINGS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Toolkit for Equitable Public Safety",
        "subtitle": "A plain-language guide to how public safety works in your city, how to get the data, and how to decide together what keeps your neighborhood safe.",
        "toc": "Contents",
        "sources": "Sources",
        "edition": "Printed {date}.",
        "synthetic": "Sample City — synthetic data for practice, not a real place.",
        "parts": {
            "roadmap": "Part 1. Reform roadmap",
            "guide": "Part 2. Data accountability guide",
            "assessment": "Part 3. Public safety assessment",
        },
    },
    "es": {
        "title": "Herramientas para una Seguridad Pública Equitativa",
        "subtitle": "Una guía en lenguaje sencillo sobre cómo funciona la seguridad pública en su ciudad, cómo obtener los datos y cómo decidir juntos qué mantiene seguro a su vecindario.",
        "toc": "Contenido",
        "sources": "Fuentes",
        "edition": "Impreso el {date}.",
        "synthetic": "Sample City: datos ficticios para practicar, no es un lugar real.",
        "parts": {
            "roadmap": "Parte 1. Hoja de ruta para la reforma",
            "guide": "Parte 2. Guía para exigir cuentas con datos",
            "assessment": "Parte 3. Evaluación de la seguridad pública",
        },
    },
}


@dataclass(frozen=True)
class Toolkit:
    html: str
    sections: list[str]


def city_context(city: str, lang: str, facts: dict[str, Any] | None = None) -> dict[str, Any]:
    """Values the content can use: the city, its state's records law with due dates counted from
    today, the fields to request, and (when data is loaded) facts computed from it."""
    info = city_info(city)
    law = load_law(info["state"])
    return {
        "city": city,
        "lang": lang,
        "state": info["state"],
        "police": info["police"],
        "law": law,
        "dues": due_dates(info["state"], date.today()),
        "fields": request_fields(),
        "facts": facts or {},
        "resources": load_resources(city),
        "tr": content_strings(lang),
        "has_data": bool(facts),
    }


def build_html(city: str, lang: str = "en", facts: dict[str, Any] | None = None) -> Toolkit:
    if lang not in STRINGS:
        raise PublicSafetyError(
            f"no toolkit in language {lang!r}", fix="use --lang en or --lang es"
        )
    text = STRINGS[lang]
    context = city_context(city, lang, facts)
    sections = load_sections(lang)
    parts = []
    for key in PARTS:
        chosen = [
            {
                "slug": s.slug,
                "title": s.title,
                "html": render_section(s, context),
                "sources": s.sources,
            }
            for s in sections
            if s.part == key
        ]
        if chosen:
            parts.append({"key": key, "title": text["parts"][key], "sections": chosen})
    law = context["law"]
    html = (
        jinja()
        .get_template("toolkit.html.j2")
        .render(
            lang=lang,
            city=city,
            state_name=law.state_name if law.state != "generic" else "",
            title=text["title"],
            subtitle=text["subtitle"],
            toc_title=text["toc"],
            sources_title=text["sources"],
            edition=text["edition"].format(date=date.today().isoformat()),
            synthetic=text["synthetic"] if city == "Sample City" else "",
            parts=parts,
            css=(TEMPLATES / "print.css").read_text(encoding="utf-8"),
        )
    )
    return Toolkit(html=html, sections=[s["slug"] for p in parts for s in p["sections"]])


def build_toolkit(
    city: str,
    lang: str = "en",
    fmt: str = "pdf",
    out: Path | None = None,
    facts: dict[str, Any] | None = None,
) -> Path:
    """Write the toolkit for a city; returns the file written."""
    toolkit = build_html(city, lang, facts)
    slug = city.lower().replace(" ", "_")
    out = out or Path("workspace") / "outputs" / slug / f"toolkit_{lang}.{fmt}"
    if fmt == "html":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(toolkit.html, encoding="utf-8")
        return out
    if fmt == "pdf":
        return html_to_pdf(toolkit.html, out)
    raise PublicSafetyError(f"unknown format {fmt!r}", fix="use --format pdf or --format html")
