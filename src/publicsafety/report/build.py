"""Build the city report (HTML and print-ready PDF) from the analyses' outputs and the store.

The analyses write privacy-checked tables, SVG charts and plain-language summaries under
WORKSPACE/outputs/CITY/; this module puts them in order behind a one-page summary and adds
methods, caveats, data sources and data quality. Charts and maps stay SVG, inlined, so the
HTML file stands alone and print and screen agree.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from publicsafety import __version__
from publicsafety.analysis.text import in_words, listing
from publicsafety.documents.render import TEMPLATES as DOC_TEMPLATES
from publicsafety.documents.render import html_to_pdf
from publicsafety.engine import open_store
from publicsafety.errors import StoreError
from publicsafety.privacy import count_text
from publicsafety.report.quality import Quality, city_quality
from publicsafety.report.sections import Section, is_count_column, read_sections

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
RUN_LOG = "run.json"  # written by `publicsafety report` beside the report: what ran, what failed


def slug(city: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", city.lower()).strip("_")


@dataclass
class Report:
    city: str
    sections: list[Section]
    quality: Quality
    min_count: int
    community: dict[str, Any] | None = None
    made: str = field(default_factory=lambda: date.today().isoformat())


HEADER_WORDS = {
    "rate": "rate per 1,000",
    "rate_low": "rate per 1,000, low",
    "rate_high": "rate per 1,000, high",
    "ratio_shrunk": "ratio (steadied)",
    "police_per_resident": "police $ per resident",
    "police_change_pct": "police change %",
    "sworn_fte": "sworn officers (FTE)",
}


def header(column: str) -> str:
    """A column name as a table header a reader can read."""
    return HEADER_WORDS.get(column, column.replace("_", " "))


def cell(value: Any, column: str) -> str:
    """One table cell for print: counts with thousands separators, shares as percents, years
    as years, codes in words."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        # The privacy layer hides counts (and what derives from them) as missing values.
        return "suppressed" if is_count_column(column) or _derived(column) else "none"
    text = str(value)
    if text in ("", "suppressed"):
        return text
    try:
        number = float(text)
    except ValueError:
        return in_words(text)
    low = column.lower()
    if "year" in low and number.is_integer():
        return str(int(number))
    if "share" in low and -1.0 <= number <= 1.0:
        return f"{number:.0%}" if abs(number) >= 0.01 or number == 0 else "under 1%"
    if number.is_integer() and (is_count_column(column) or not _derived(column)):
        return f"{int(number):,}"
    if "per_resident" in low:  # dollars a resident, as the sentences write them
        return f"{number:,.2f}"
    if abs(number) >= 100:
        # A rate of 122.1 beside one of 22.03 keeps a decimal; hours and money do not.
        rate = any(w in low for w in ("rate", "ratio", "per_"))
        return f"{number:,.1f}" if rate and abs(number) < 1000 else f"{number:,.0f}"
    return f"{number:.2f}" if abs(number) >= 0.1 or number == 0 else f"{number:.3f}"


def _derived(column: str) -> bool:
    low = column.lower()
    return any(
        w in low for w in ("share", "rate", "ratio", "per_", "_low", "_high", "hours", "difference")
    )


def community(workspace: Path, city: str) -> dict[str, Any] | None:
    """Citywide assessment priorities, when the workspace holds answers for the city."""
    from publicsafety.assessment.store import ANSWERS_FILE

    if not (workspace / ANSWERS_FILE).exists():
        return None
    from publicsafety.assessment.report import city_results

    got = city_results(workspace, city, n_boot=200)
    if got.get("priorities") is None:
        return {"n": None, "rows": []}
    table = got["priorities"]
    rows = [
        {"factor": str(r["factor"]), "points": f"{float(r['points']):.1f}",
         "interval": f"{float(r['low']):.1f} to {float(r['high']):.1f}"}
        for r in table.to_dict("records")
    ]  # fmt: skip
    return {"n": got["n"], "rows": rows}


def collect(workspace: Path, city: str) -> Report:
    """Read every section's outputs and the city's data quality (the store opened read-only)."""
    with open_store(workspace, read_only=True) as store:
        cities = {
            str(r[0])
            for t in ("calls", "stops", "incidents", "areas", "budget", "force")
            for r in store.con.execute(f'SELECT DISTINCT city FROM "{t}"').fetchall()
        }
        if city not in cities:
            raise StoreError(
                f"no data loaded for {city!r}",
                where=str(store.settings.store_path),
                fix="cities in this workspace: " + (", ".join(sorted(cities)) or "none yet"),
            )
        quality = city_quality(store, city)
        min_count = store.settings.privacy.min_count
    sections = read_sections(workspace / "outputs", slug(city))
    log = workspace / "outputs" / slug(city) / "report" / RUN_LOG
    if log.exists():
        problems = json.loads(log.read_text(encoding="utf-8")).get("problems", {})
        for s in sections:
            s.problem = problems.get(s.key, "")
    return Report(city, sections, quality, min_count, community(workspace, city))


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(TEMPLATES)]),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = cell
    env.filters["count"] = lambda n, m: count_text(n, m)
    env.filters["code"] = code_spans
    env.filters["header"] = header
    return env


def code_spans(text: str) -> Markup:
    """Plain text as HTML, with `backquoted` commands set as code."""
    escaped = str(escape(text))
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))


def render_html(report: Report) -> str:
    css = (DOC_TEMPLATES / "print.css").read_text(encoding="utf-8")
    css += (TEMPLATES / "report.css").read_text(encoding="utf-8")
    headline = listing([
        f"{count_text(report.quality.rows.get(table, 0), report.min_count)} {label}"
        for table, label in (("calls", "calls for service"), ("stops", "stops"),
                             ("incidents", "reported crimes"), ("force", "uses of force"))
        if report.quality.rows.get(table)
    ])  # fmt: skip
    return (
        _env()
        .get_template("report.html")
        .render(r=report, css=css, version=__version__, headline=headline)
    )


def build_report(
    workspace: Path,
    city: str,
    *,
    formats: tuple[str, ...] = ("html", "pdf"),
    out: Path | None = None,
) -> list[Path]:
    """Write report.html and/or report.pdf for `city`; returns the files written."""
    report = collect(Path(workspace), city)
    folder = out or Path(workspace) / "outputs" / slug(city) / "report"
    folder.mkdir(parents=True, exist_ok=True)
    html = render_html(report)
    written = []
    if "html" in formats:
        path = folder / "report.html"
        path.write_text(html, encoding="utf-8")
        written.append(path)
    if "pdf" in formats:
        written.append(html_to_pdf(html, folder / "report.pdf", base_url=TEMPLATES))
    return written
