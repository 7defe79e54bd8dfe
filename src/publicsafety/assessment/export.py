"""CSV and XLSX export of a session's answers for facilitators, with spreadsheet-formula escaping:
a cell starting with =, +, -, @, a tab or a carriage return is prefixed with ' so a spreadsheet
shows it as text instead of running it (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def flat_rows(
    responses: Sequence[Mapping[str, Any]], factor_ids: Sequence[str]
) -> list[dict[str, Any]]:
    """One row per answer: no names, no addresses, no IP addresses are ever stored."""
    rows = []
    for r in responses:
        row: dict[str, Any] = {
            "id": r["id"], "session": r["session_code"] or "", "round": r["round"],
            "channel": r["channel"], "lang": r["lang"], "neighbourhood": r["area"],
            "priority_mode": r["mode"],
        }  # fmt: skip
        for f in factor_ids:
            row[f"rating_{f}"] = r["ratings"].get(f)
        for f in factor_ids:
            row[f"priority_{f}"] = r["priorities"].get(f)
        for k, v in sorted(r["trust"].items()):
            row[f"trust_{k}"] = v
        for k, v in sorted(r["demographics"].items()):
            row[f"about_{k}"] = v
        row["comment"] = r["comment"]
        rows.append({k: escape_cell(v) for k, v in row.items()})
    return rows


def to_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


def to_xlsx(rows: Sequence[Mapping[str, Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "answers"
    if rows:
        ws.append(list(rows[0]))
        for row in rows:
            ws.append(list(row.values()))
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
