"""The local download cache: raw files under <workspace>/raw with a manifest and a checksum each.

A download is written to `<file>.part` and becomes `<file>` only when complete; the manifest
beside it (`<file>.manifest.json`) records the url, the time, the sha256, the bytes and the rows.
While a paged download runs, the manifest is a checkpoint (rows and bytes written, next page
offset), so a run that stops resumes at the next page; a plain file resumes with HTTP Range.
A complete file whose checksum no longer matches its manifest is reported, never used.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from publicsafety.sources.http import FetchError, Http

Progress = Callable[
    [int, int | None], None
]  # (done, total or None); rows for pages, bytes for files


@dataclass
class Manifest:
    url: str
    source: str  # socrata | arcgis | ckan | census | file
    fetched_at: str = ""
    sha256: str = ""
    bytes: int = 0
    rows: int | None = None  # data rows (not the header); None for a file we do not count
    complete: bool = False
    next_offset: int = 0  # paged downloads: the offset of the next page to ask for
    columns: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def slug(text: str) -> str:
    """`New Orleans` -> `new_orleans`: the folder and catalogue name of a city."""
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def raw_path(workspace: Path, city: str, dataset: str, year: str | int, ext: str) -> Path:
    return Path(workspace) / "raw" / slug(city) / slug(dataset) / f"{year}.{ext}"


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def part_path(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def read_manifest(path: Path) -> Manifest | None:
    mpath = manifest_path(path)
    if not mpath.is_file():
        return None
    try:
        return Manifest(**json.loads(mpath.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise FetchError(
            f"the download manifest cannot be read: {exc}",
            where=str(mpath),
            fix=f"delete {mpath.name} and {path.name} and fetch again.",
        ) from exc


def write_manifest(path: Path, manifest: Manifest) -> None:
    mpath = manifest_path(path)
    tmp = mpath.with_name(mpath.name + ".tmp")
    tmp.write_text(json.dumps(manifest.as_dict(), indent=2) + "\n", encoding="utf-8")
    tmp.replace(mpath)  # atomic: a crash never leaves half a manifest


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cached(path: Path, url: str) -> Manifest | None:
    """The manifest of a complete, intact download of `url` at `path`, or None to download.

    A file that is there but differs from its recorded checksum raises: it was changed or
    damaged after download, and analysing it would silently give other figures.
    """
    manifest = read_manifest(path)
    if manifest is None or not manifest.complete or manifest.url != url or not path.is_file():
        return None
    actual = file_sha256(path)
    if actual != manifest.sha256:
        raise FetchError(
            f"the downloaded file changed after download: sha256 {actual[:12]}... but the manifest"
            f" recorded {manifest.sha256[:12]}...",
            where=str(path),
            fix="fetch again with --refresh to download a fresh copy (or restore the original file).",
        )
    return manifest


def reuse(path: Path, dataset: str, year: str | None) -> Manifest | None:
    """The complete, intact earlier download of `dataset` (and `year`) at `path`, checked
    before any request is sent (resolving ids or column names costs requests too)."""
    old = read_manifest(path)
    if old is None or not old.complete or old.params.get("dataset") != dataset:
        return None
    if year is not None and old.params.get("year", year) != year:
        return None
    return cached(path, old.url)


def _finish(path: Path, manifest: Manifest) -> Manifest:
    part = part_path(path)
    part.replace(path)
    manifest.sha256 = file_sha256(path)
    manifest.bytes = path.stat().st_size
    manifest.complete = True
    manifest.fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    write_manifest(path, manifest)
    return manifest


def start(path: Path, manifest: Manifest, refresh: bool = False) -> Manifest:
    """The checkpoint to continue from: the earlier partial run's if it fetched the same thing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = None if refresh else read_manifest(path)
    part = part_path(path)
    if (
        old is not None
        and not old.complete
        and old.url == manifest.url
        and old.params == manifest.params
        and part.is_file()
        and part.stat().st_size >= old.bytes
    ):
        return old
    part.write_bytes(b"")
    write_manifest(path, manifest)
    return manifest


class PagedCsv:
    """Writes pages of records to one CSV, checkpointing after every page.

    On resume the .part file is cut back to the bytes of the last whole page the manifest
    recorded, so a page half-written when the run stopped is written again, once.
    """

    def __init__(self, path: Path, manifest: Manifest) -> None:
        self.path = path
        self.manifest = manifest
        self.file = part_path(path).open("r+b")
        self.file.truncate(manifest.bytes)
        self.file.seek(manifest.bytes)
        if manifest.rows is None:
            manifest.rows = 0

    def add(self, columns: Sequence[str], rows: Iterable[Sequence[Any]], next_offset: int) -> int:
        """Append one page (the header is written once, before the first page); returns rows."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if not self.manifest.columns:
            self.manifest.columns = list(columns)
            writer.writerow(columns)
        elif list(columns) != self.manifest.columns:
            raise FetchError(
                f"a page came back with other columns ({', '.join(columns)[:200]}) than the first"
                f" ({', '.join(self.manifest.columns)[:200]})",
                where=self.manifest.url,
                fix="the dataset changed while it was being downloaded: fetch again with --refresh.",
            )
        n = 0
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
            n += 1
        data = buf.getvalue().encode("utf-8")
        self.file.write(data)
        self.file.flush()
        self.manifest.bytes += len(data)
        self.manifest.rows = (self.manifest.rows or 0) + n
        self.manifest.next_offset = next_offset
        write_manifest(self.path, self.manifest)
        return n

    def finish(self) -> Manifest:
        self.file.close()
        return _finish(self.path, self.manifest)

    def close(self) -> None:
        if not self.file.closed:
            self.file.close()


def download_file(
    http: Http,
    url: str,
    path: Path,
    *,
    source: str = "file",
    refresh: bool = False,
    progress: Progress | None = None,
) -> Manifest:
    """Download one file to `path`, resuming a partial copy with HTTP Range when the server allows.

    A server that ignores Range (answers 200 to a ranged request) sends the whole file again;
    we then start over rather than append a second copy.
    """
    hit = None if refresh else cached(path, url)
    if hit is not None:
        return hit
    manifest = start(path, Manifest(url=url, source=source), refresh)
    part = part_path(path)
    for attempt in range(1, http.retry.attempts + 1):
        try:
            done, total = _download_once(http, url, part, progress)
        except httpx.TransportError as exc:
            # The connection broke mid-body: keep what arrived and ask for the rest.
            manifest.bytes = part.stat().st_size
            write_manifest(path, manifest)
            if attempt == http.retry.attempts:
                raise FetchError(
                    f"the download broke off at {manifest.bytes:,} bytes: {exc}",
                    where=url,
                    fix="run the same command again: it resumes from the bytes already saved.",
                ) from exc
            http.retry.sleep(http.retry.wait(attempt, None))
            continue
        if total is not None and done != total:
            manifest.bytes = done
            write_manifest(path, manifest)
            raise FetchError(
                f"the download stopped at {done:,} of {total:,} bytes",
                where=url,
                fix="run the same command again: it resumes from the bytes already saved.",
            )
        break
    return _finish(path, manifest)


def _download_once(
    http: Http, url: str, part: Path, progress: Progress | None
) -> tuple[int, int | None]:
    have = part.stat().st_size
    headers = {"Range": f"bytes={have}-"} if have else None
    with http.stream(url, headers=headers) as response:
        if have and response.status_code != 206:
            have = 0
        total = _total(response, have)
        done = have
        with part.open("ab" if have else "wb") as f:
            for block in response.iter_bytes():  # as it arrives: a fixed chunk size would hold back bytes a broken connection then loses
                f.write(block)
                done += len(block)
                if progress:
                    progress(done, total)
    return done, total


def download_pages(
    path: Path,
    manifest: Manifest,
    fetch_page: Callable[[int], tuple[list[str], list[list[Any]], int | None]],
    *,
    refresh: bool = False,
    progress: Progress | None = None,
    total: int | None = None,
) -> Manifest:
    """Download a paged source into one CSV. `fetch_page(offset)` returns the columns, the rows
    and the next offset (None after the last page); each page is checkpointed."""
    hit = None if refresh else cached(path, manifest.url)
    if hit is not None:
        return hit
    manifest = start(path, manifest, refresh)
    writer = PagedCsv(path, manifest)
    try:
        offset: int | None = manifest.next_offset
        while offset is not None:
            columns, rows, after = fetch_page(offset)
            if not manifest.columns and not columns:
                break
            writer.add(columns or manifest.columns, rows, after if after is not None else offset)
            if progress:
                progress(manifest.rows or 0, total)
            offset = after
    finally:
        writer.close()
    return writer.finish()


def _total(response: Any, have: int) -> int | None:
    if response.status_code == 206:
        span = response.headers.get("Content-Range", "")
        if "/" in span and span.rsplit("/", 1)[1].isdigit():
            return int(span.rsplit("/", 1)[1])
    length = response.headers.get("Content-Length")
    return have + int(length) if length and length.isdigit() else None
