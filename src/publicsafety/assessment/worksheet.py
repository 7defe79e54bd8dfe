"""The paper worksheet: the same questions as the web flow, with the session code, as a print
PDF (WeasyPrint, the toolkit's print CSS); answers are typed in later on the data-entry form."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from publicsafety.assessment.content import POINTS, TOP_N, load_questions
from publicsafety.documents.render import TEMPLATES as PRINT_TEMPLATES
from publicsafety.documents.render import html_to_pdf

HERE = Path(__file__).parent

WORDS = {
    "en": {"title": "Neighbourhood safety assessment", "session": "Session code",
           "area": "Your neighbourhood", "rate": "1. Rate each factor",
           "trust": "2. Police in your neighbourhood", "prio": "3. Your priorities",
           "prio_help": f"Write 1 to {TOP_N} beside your top {TOP_N} (1 = most important), "
                        f"OR spread {POINTS} points across the factors.",
           "rank": "Rank", "points": "Points", "about": "4. About you (optional, skip any)",
           "comment": "5. Anything else? (optional)", "factor": "Factor",
           "intro": "No names or addresses. Your answers are combined with your neighbours' and "
                    "only shown as totals for groups of 11 or more people.",
           "sources": "Sources of the questions"},
    "es": {"title": "Evaluación de la seguridad del vecindario", "session": "Código de la sesión",
           "area": "Su vecindario", "rate": "1. Califique cada factor",
           "trust": "2. La policía de su vecindario", "prio": "3. Sus prioridades",
           "prio_help": f"Escriba del 1 al {TOP_N} junto a sus {TOP_N} prioridades (1 = la más "
                        f"importante), O reparta {POINTS} puntos entre los factores.",
           "rank": "Orden", "points": "Puntos", "about": "4. Sobre usted (opcional, puede omitir)",
           "comment": "5. ¿Algo más? (opcional)", "factor": "Factor",
           "intro": "Sin nombres ni direcciones. Sus respuestas se combinan con las de sus "
                    "vecinos y solo se muestran como totales de grupos de 11 o más personas.",
           "sources": "Fuentes de las preguntas"},
}  # fmt: skip


def worksheet_html(
    city: str, lang: str, session_code: str = "", neighbourhoods: list[str] | None = None
) -> str:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "print")), autoescape=select_autoescape(default=True)
    )
    q = load_questions(lang, city)
    css = (PRINT_TEMPLATES / "print.css").read_text(encoding="utf-8")
    return env.get_template("worksheet.html").render(
        q=q, w=WORDS[lang], city=city, code=session_code, css=css, areas=neighbourhoods or []
    )


def write_worksheet(out: Path, city: str, lang: str, session_code: str = "",
                    neighbourhoods: list[str] | None = None) -> Path:  # fmt: skip
    return html_to_pdf(worksheet_html(city, lang, session_code, neighbourhoods), out)
