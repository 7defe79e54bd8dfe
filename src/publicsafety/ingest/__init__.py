"""Ingest: load raw city files into the canonical tables through a city profile, losing no row.

`ingest_file(store, path, profile)` reads a CSV (streamed), Parquet or XLSX file (areas files go
to `ingest.areas`), normalises every value in DuckDB, moves rows that cannot be read to the
`quarantine` table and checks rows read = rows loaded + rows quarantined. `status(store)` says
what the workspace holds.
"""

from __future__ import annotations

from publicsafety.ingest.load import IngestResult, ingest_file
from publicsafety.ingest.status import status

__all__ = ["IngestResult", "ingest_file", "status"]
