"""Checks shared by the report and dashboard tests: read HTML tables, find published small counts."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from publicsafety.report.sections import is_count_column

# A small number right before a word that counts people or events ("7 stops", "3 calls"); not
# a proportion ("1 in 3 events") or a threshold ("fewer than 10 events").
SMALL_IN_TEXT = re.compile(
    r"(?<![\d.,$%-])(?<!\bin )(?<!\bthan )\b([1-9]|10)\s+(calls?|stops?|events?|arrests?|searches|people|persons|rows|"
    r"residents|incidents|crimes|uses of force)\b",
    re.I,
)


def tables(html: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every table as (headers, rows of cell text)."""
    soup = BeautifulSoup(html, "html.parser")
    out = []
    for table in soup.find_all("table"):
        headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
        rows = []
        for tr in table.select("tbody tr"):
            rows.append([c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])])
        out.append((headers, rows))
    return out


def small_counts(html: str, min_count: int = 11) -> list[str]:
    """Every published count from 1 to min_count - 1: table cells in count columns, and small
    numbers written before a counted noun in the text. Empty when the page is clean."""
    found = []
    for headers, rows in tables(html):
        for row in rows:
            for header, value in zip(headers, row, strict=False):
                if not is_count_column(header.replace(" ", "_")):
                    continue
                number = value.replace(",", "")
                if re.fullmatch(r"\d+(\.0+)?", number) and 0 < float(number) < min_count:
                    found.append(f"{header}={value} in row {row}")
    soup = BeautifulSoup(html, "html.parser")
    for svg in soup.find_all("svg"):  # chart axes are scales, not counts
        svg.decompose()
    text = re.sub(r"\s+", " ", soup.get_text(" "))
    found += [m.group(0) for m in SMALL_IN_TEXT.finditer(text)]
    return found
