"""Render toolkit documents: Markdown content (with city values filled in) to HTML and print PDF.

Content lives in documents/content/<lang>/*.md, each file with TOML front matter between `+++`
lines (title, part, order, sources). Values are filled with Jinja from a context built per city.
PDF rendering refuses any remote URL: every asset is local or inline.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown_it import MarkdownIt

from publicsafety.documents.records import HERE
from publicsafety.errors import PublicSafetyError

CONTENT = HERE / "content"
TEMPLATES = HERE / "templates"
FRONT = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+\n", re.S)


@dataclass(frozen=True)
class Section:
    """One chapter or page of the toolkit."""

    slug: str
    lang: str
    title: str
    part: str
    order: int
    body: str  # Markdown with Jinja placeholders
    sources: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)


def load_sections(lang: str) -> list[Section]:
    folder = CONTENT / lang
    if not folder.is_dir():
        raise PublicSafetyError(
            f"no toolkit content in language {lang!r}", fix="use --lang en or --lang es"
        )
    out = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        m = FRONT.match(text)
        if not m:
            raise PublicSafetyError("missing +++ front matter", where=str(path))
        meta = tomllib.loads(m.group(1))
        out.append(
            Section(
                slug=path.stem,
                lang=lang,
                title=meta["title"],
                part=meta["part"],
                order=int(meta.get("order", 0)),
                body=text[m.end() :],
                sources=tuple(meta.get("sources", ())),
                meta=meta,
            )
        )
    return sorted(out, key=lambda s: (s.order, s.slug))


def content_strings(lang: str) -> dict[str, str]:
    """Translations of shared data text (request_fields.toml) for one language, keyed by the
    English text: content/<lang>/fields.toml. English needs none."""
    path = CONTENT / lang / "fields.toml"
    if not path.is_file():
        return {}
    return dict(tomllib.loads(path.read_text(encoding="utf-8")).get("text", {}))


def markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "typographer": True}).enable("table")


def jinja() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=False,  # content is our own Markdown; values are escaped by `e` where needed
        trim_blocks=True,
        lstrip_blocks=True,
    )


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def render_section(section: Section, context: dict[str, Any]) -> str:
    """Fill placeholders, then convert Markdown to HTML with ids on headings."""
    body = jinja().from_string(section.body).render(**context)
    html = markdown().render(body)

    def anchor(m: re.Match[str]) -> str:
        level, inner = m.group(1), m.group(2)
        plain = re.sub(r"<[^>]+>", "", inner)
        return f'<h{level} id="{section.slug}-{slugify(plain)}">{inner}</h{level}>'

    return re.sub(r"<h([23])>(.*?)</h\1>", anchor, html)


def local_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that allows only local files and inline data; a remote URL stops
    the rendering (a printed toolkit must never depend on, or leak a request to, the network)."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(("file:", "data:")):
                raise FatalURLFetchingError(f"refusing to fetch a remote URL while printing: {url}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols={"file", "data"}, fail_on_errors=True)


def html_to_pdf(html: str, out: Path, base_url: Path | None = None) -> Path:
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        HTML(
            string=html, base_url=str(base_url or TEMPLATES), url_fetcher=local_only_fetcher()
        ).write_pdf(str(out))
    except FatalURLFetchingError as exc:
        raise PublicSafetyError(
            str(exc), fix="embed the asset (inline SVG or data: URL) or use a local file"
        ) from exc
    return out
