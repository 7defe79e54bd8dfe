"""Interface strings in English and Spanish through Babel/gettext.

Catalogs are the .po files in web/locales/<lang>/LC_MESSAGES/messages.po, compiled in memory at
start-up (no binary .mo files in the repository).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from markupsafe import Markup

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
LOCALES = Path(str(resources.files("publicsafety.web"))) / "locales"


@cache
def translations(lang: str) -> NullTranslations:
    po = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT_LANGUAGE or not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf)


def pick_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    """?lang= wins, then the cookie, then the browser's Accept-Language, then English."""
    for cand in (query, cookie):
        if cand in LANGUAGES:
            return cand
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def gettext_functions(lang: str) -> dict[str, Callable[..., str]]:
    """`_`, `gettext` and `ngettext` for one request's language, to pass in the template context.

    They are per request, never installed in the shared Jinja environment: a server answering
    people in two languages at once must not let one request's language leak into another's.
    Like Jinja's "newstyle" gettext, they take keyword variables and escape them (the
    translations themselves are trusted text)."""
    trans = translations(lang)

    def gettext(message: str, **variables: object) -> str:
        rv = Markup(trans.gettext(message))
        return rv % variables if variables else rv

    def ngettext(singular: str, plural: str, num: int, **variables: object) -> str:
        variables.setdefault("num", num)
        return Markup(trans.ngettext(singular, plural, num)) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}
