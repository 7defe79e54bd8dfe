"""The report's sections, read from what the analyses wrote under WORKSPACE/outputs/CITY/.

Every table here comes from a CSV the analysis already passed through the privacy layer, so the
report never sees a raw count; each section also says what data would fill it when it is empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from publicsafety.documents.render import markdown

# Columns that hold counts of people or events: a cell from 1 to 10 in them must never appear.
COUNT_WORDS = (
    "calls",
    "events",
    "stops",
    "rows",
    "count",
    "placed",
    "crime",
    "arrests",
    "searches",
    "hits",
    "pending",
    "coordinates",
    "quarantined",
)


# The columns of a demand table the report prints (the CSV has them all).
SHARES = ("responder", "denominator", "calls", "share_of_calls", "officer_hours",
          "share_of_officer_hours")  # fmt: skip


@dataclass(frozen=True)
class TableSpec:
    file: str  # CSV name in the analysis folder
    title: str
    columns: tuple[str, ...] = ()  # shown columns (all when empty)
    rows: int = 15  # rows shown in the report; the CSV has them all


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    folders: tuple[str, ...]  # glob patterns under outputs/CITY (or outputs/ when they start "../")
    about: str  # one plain sentence: what the section answers
    missing: str  # what data would fill it
    figures: tuple[str, ...] = ("*.svg",)
    tables: tuple[TableSpec, ...] = ()
    summary: tuple[str, ...] = ("summary.md", "summary.txt")


@dataclass
class Table:
    title: str
    frame: pd.DataFrame
    csv: Path
    total_rows: int


@dataclass
class Section:
    key: str
    title: str
    about: str
    missing: str
    folders: list[Path] = field(default_factory=list)
    summary_html: str = ""
    plain: list[str] = field(default_factory=list)  # sentences for the one-page summary
    figures: list[tuple[str, str]] = field(default_factory=list)  # (name, inline svg)
    tables: list[Table] = field(default_factory=list)
    problem: str = ""  # why the analysis did not run, when it was tried

    @property
    def empty(self) -> bool:
        return not (self.summary_html or self.figures or self.tables)


SPECS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "demand",
        "Service demand",
        ("demand",),
        "What people call the police about, and where officer time goes.",
        "a calls-for-service (CAD) file: `publicsafety ingest FILE --profile CITY_calls`",
        figures=(
            "share_of_calls_by_category.svg",
            "share_of_officer_hours_by_category.svg",
            "calls_by_month.svg",
            "hour_of_week.svg",
            "response_time_by_priority.svg",
        ),
        tables=(
            TableSpec(
                "by_category.csv",
                "Calls and officer hours by category",
                (
                    "category",
                    "denominator",
                    "calls",
                    "share_of_calls",
                    "officer_hours",
                    "share_of_officer_hours",
                ),
                30,
            ),
            TableSpec("by_responder.csv", "Calls by who could respond", SHARES),
            TableSpec(
                "top_call_types.csv",
                "The most common call types",
                ("call_type", *SHARES[1:], "category"),
            ),
        ),
    ),
    SectionSpec(
        "officer_initiated",
        "Officer-initiated activity",
        ("demand",),
        "How much police activity officers start themselves, and what comes of it.",
        "a calls file that marks officer-initiated events (an origin column or call-type rule)",
        figures=("officer_initiated_outcomes.svg",),
        tables=(
            TableSpec("by_origin.csv", "Events by who started them", ("origin", *SHARES[1:])),
            TableSpec(
                "officer_initiated_types.csv",
                "What officers start themselves",
                ("call_type", *SHARES[1:], "category"),
            ),
        ),
        summary=(),
    ),
    SectionSpec(
        "places",
        "Places",
        ("places_*",),
        "Where crime, calls and enforcement fall, per resident, area by area.",
        "area boundaries with population (`--profile CITY_neighborhoods`) and events with "
        "coordinates or area ids",
        tables=(
            TableSpec(
                "divergence.csv",
                "Areas where enforcement departs from crime",
                (
                    "name",
                    "population",
                    "crime",
                    "observed",
                    "expected",
                    "ratio_shrunk",
                    "ratio_low",
                    "ratio_high",
                    "flag",
                ),
            ),
            TableSpec("placement.csv", "Events placed in an area"),
        ),
    ),
    SectionSpec(
        "disparities",
        "Disparities",
        ("disparities",),
        "Who is stopped, searched and arrested, compared with who lives here.",
        "a stops file in the Stanford Open Policing layout and population by race, sex and age",
        tables=(
            TableSpec(
                "rates.csv",
                "Stops per resident and per arrest, by group",
                (
                    "events_of",
                    "benchmark_kind",
                    "dimension",
                    "group",
                    "events",
                    "rate",
                    "ratio",
                    "ratio_low",
                    "ratio_high",
                    "note",
                ),
                40,
            ),
            TableSpec(
                "hit_rates.csv",
                "How often a search found something",
                (
                    "dimension",
                    "group",
                    "searches",
                    "hits",
                    "hit_rate",
                    "difference",
                    "difference_low",
                    "difference_high",
                    "note",
                ),
            ),
        ),
    ),
    SectionSpec(
        "budget",
        "Budget and scenarios",
        ("budget", "../budget", "scenario*", "diversion*", "reallocation*"),
        "What the city spends on policing and what moving calls to other responders would change.",
        "a budget file (`--profile CITY_budget`) and a scenario file (`publicsafety scenario run`)",
        tables=(
            TableSpec(
                "budgets.csv",
                "Budgets side by side",
                (
                    "city",
                    "fiscal_year",
                    "basis",
                    "police",
                    "general_fund",
                    "police_share_general_fund",
                    "police_per_resident",
                    "police_change_pct",
                    "sworn_fte",
                ),
            ),
        ),
    ),
    SectionSpec(
        "change",
        "Change over time",
        ("change*",),
        "Whether calls, officer hours or response times changed after a program began.",
        "a program start date: `publicsafety analyze change --start YYYY-MM-DD`",
    ),
)


def _rename_ids(text: str, tag: str) -> str:
    """Inline SVGs share one document: keep their ids (hatch patterns) unique per figure."""
    ids = set(re.findall(r'id="([^"]+)"', text))
    for i in sorted(ids, key=len, reverse=True):
        text = text.replace(f'id="{i}"', f'id="{i}-{tag}"').replace(
            f"url(#{i})", f"url(#{i}-{tag})"
        )
        text = text.replace(f'href="#{i}"', f'href="#{i}-{tag}"')
    return text


def _summary(path: Path) -> tuple[str, list[str]]:
    """The summary as HTML (its own title dropped, headings one level down) and its first
    plain-language bullets for the one-page summary."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".txt":
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        return "".join(f"<p>{markdown().renderInline(ln)}</p>" for ln in lines), lines[:2]
    text = re.sub(r"\A# .*\n", "", text)
    text = re.sub(r"^(#{2,5}) ", r"#\1 ", text, flags=re.M)
    bullets = re.findall(r"^- (.+)$", text, flags=re.M)
    return markdown().render(text), bullets[:2]


def _table(path: Path, spec: TableSpec) -> Table | None:
    try:
        df = pd.read_csv(path, keep_default_na=False, dtype=str)
    except (pd.errors.EmptyDataError, OSError):
        return None
    cols = [c for c in spec.columns if c in df.columns] or list(df.columns)
    return Table(spec.title, df[cols].head(spec.rows), path, len(df))


def _folders(outputs: Path, city_slug: str, patterns: tuple[str, ...]) -> list[Path]:
    base = outputs / city_slug
    found: list[Path] = []
    for pattern in patterns:
        if pattern.startswith("../"):
            hits = sorted(outputs.glob(pattern[3:]))
        else:
            hits = sorted(base.glob(pattern))
        found += [h for h in hits if h.is_dir() and h not in found]
    return found


def read_section(spec: SectionSpec, outputs: Path, city_slug: str) -> Section:
    section = Section(spec.key, spec.title, spec.about, spec.missing)
    section.folders = _folders(outputs, city_slug, spec.folders)
    for folder in section.folders:
        for name in spec.summary:
            if (folder / name).exists():
                html, plain = _summary(folder / name)
                section.summary_html += html
                section.plain += plain
                break
        seen = {n for n, _ in section.figures}
        for pattern in spec.figures:
            for svg in sorted(folder.glob(pattern)):
                if svg.name not in seen:
                    section.figures.append(
                        (svg.stem, _rename_ids(svg.read_text("utf-8"), svg.stem))
                    )
                    seen.add(svg.name)
        for tspec in spec.tables:
            if (folder / tspec.file).exists():
                table = _table(folder / tspec.file, tspec)
                if table is not None and len(table.frame):
                    section.tables.append(table)
    return section


def read_sections(outputs: Path, city_slug: str) -> list[Section]:
    return [read_section(spec, outputs, city_slug) for spec in SPECS]


def is_count_column(name: str) -> bool:
    """A column whose values are counts (calls, stops, rows ...), not shares or rates."""
    low = name.lower()
    if any(
        w in low for w in ("share", "rate", "ratio", "per_", "_low", "_high", "minutes", "hours")
    ):
        return False
    return any(w in low for w in COUNT_WORDS)
