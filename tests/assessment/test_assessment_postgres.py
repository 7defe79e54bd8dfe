"""The answers store on PostgreSQL (a throw-away server started for the test when the PostgreSQL
binaries are installed): the same schema, idempotent submits under concurrency, and the web flow."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from publicsafety.assessment.store import AnswerStore
from publicsafety.web.app import create_app
from tests.assessment.helpers import complete
from tests.browser.conftest import free_port

BIN = Path(shutil.which("initdb") or "/usr/lib/postgresql/15/bin/initdb").parent


def as_postgres(*cmd: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    if not (BIN / "initdb").exists() or not (BIN / "pg_ctl").exists():
        if os.environ.get("CI"):
            pytest.fail("CI must have PostgreSQL: .ci/run installs the postgresql package")
        pytest.skip("PostgreSQL is not installed here (initdb, pg_ctl)")
    root = Path(tempfile.mkdtemp(prefix="ps-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    port = free_port()
    subprocess.run(as_postgres(str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"),
                   check=True, capture_output=True)  # fmt: skip
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=on"
    subprocess.run(as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-o", opts, "-w", "-l", str(root / "log"), "start"),
                   check=True, capture_output=True)  # fmt: skip
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def test_postgres_store_submits_once_under_concurrency(pg_url: str) -> None:
    store = AnswerStore(pg_url)
    code = store.create_session("Sample City", "Rec center", "2026", "ana")
    draft = store.new_draft("Sample City", "en", code)
    body = {"city": "Sample City", "lang": "en", "channel": "web", "session_code": code, "round": "2026",
            "area": "Riverside", "ratings": {"violence": 5}, "trust": {}, "mode": "rank",
            "priorities": {"violence": 1}, "demographics": {}, "comment": "twice"}  # fmt: skip
    ids: list[int] = []

    def send() -> None:
        ids.append(AnswerStore(pg_url).submit(draft.token, body, resume=draft.resume))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 1 and len(ids) == 8
    rows = store.responses(session_code=code)
    assert [(r["area"], r["priorities"], r["comment"]) for r in rows] == [
        ("Riverside", {"violence": 1}, "twice")
    ]
    assert store.draft(draft.resume).submitted_id == ids[0]


def test_web_flow_on_postgres(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLICSAFETY_ANSWERS_URL", pg_url)
    monkeypatch.setenv("PUBLICSAFETY_ASSESSMENT_MIN_SECONDS", "0")
    app = create_app(tmp_path)
    with TestClient(app) as client:
        before = len(app.state.answers.responses())
        t0 = time.time()
        r = complete(client, area="Cedar Park", comment="on postgres")
        assert r.headers["location"].endswith("/done")
    rows = app.state.answers.responses()
    assert (
        len(rows) == before + 1
        and rows[-1]["area"] == "Cedar Park"
        and rows[-1]["submitted_at"] >= t0
    )
    assert not (tmp_path / "answers.sqlite").exists()
