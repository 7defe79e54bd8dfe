"""Ingest: load raw city files into the canonical tables through a city profile, losing no row.

`ingest_file(store, path, profile)` reads a CSV (streamed), Parquet or XLSX file (areas files go
to `ingest.areas`), normalises every value in DuckDB, moves rows that cannot be read to the
`quarantine` table and checks rows read = rows loaded + rows quarantined. `status(store)` says
what the workspace holds.

Decisions a user can rely on:
- A byte that is not valid in the profile's encoding becomes U+FFFD and the row is kept; the
  count is reported (`bytes_replaced`) with a hint to fix the encoding.
- A record whose every field is empty (a blank line, `,,,`) holds no data: it is not a row, and
  is counted apart (`rows_blank`).
- An unclosed quote swallows the rest of the file into one record; that record is quarantined
  with a reason naming its first line and how many lines it took.
- `source_line` is the physical line where a record starts (1 = the header), counting the line
  breaks inside quoted values; for XLSX it is the sheet row, for Parquet the row number.
"""

from __future__ import annotations

from publicsafety.ingest.load import IngestResult, ingest_file
from publicsafety.ingest.status import status

__all__ = ["IngestResult", "ingest_file", "status"]
