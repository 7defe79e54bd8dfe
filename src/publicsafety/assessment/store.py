"""The answers store: SQLite in WAL mode with synchronous=FULL (default, a file in the workspace)
or PostgreSQL through a URL. An answer is confirmed only after its transaction commits, and a
resubmitted answer (same client token) is stored once."""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publicsafety.errors import StoreError

ANSWERS_FILE = "answers.sqlite"
# No 0/O, 1/I/L: codes are read aloud in a room and typed from paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (code TEXT PRIMARY KEY, city TEXT NOT NULL, title TEXT NOT NULL,
  round TEXT NOT NULL, owner TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL);
CREATE TABLE IF NOT EXISTS drafts (resume TEXT PRIMARY KEY, token TEXT NOT NULL, session_code TEXT,
  city TEXT NOT NULL, lang TEXT NOT NULL, data TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL,
  submitted_id BIGINT);
CREATE TABLE IF NOT EXISTS responses (id {serial}, token TEXT NOT NULL UNIQUE, session_code TEXT,
  city TEXT NOT NULL, round TEXT NOT NULL, area TEXT NOT NULL, lang TEXT NOT NULL,
  channel TEXT NOT NULL, answers TEXT NOT NULL, comment TEXT NOT NULL,
  submitted_at DOUBLE PRECISION NOT NULL);
CREATE INDEX IF NOT EXISTS responses_session ON responses (session_code);
CREATE TABLE IF NOT EXISTS users (username TEXT PRIMARY KEY, role TEXT NOT NULL,
  pw_hash TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL);
CREATE TABLE IF NOT EXISTS logins (token TEXT PRIMARY KEY, username TEXT NOT NULL,
  expires DOUBLE PRECISION NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (key TEXT NOT NULL, at DOUBLE PRECISION NOT NULL);
"""


def new_code(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def clean_code(text: str) -> str:
    """A code as a person typed it: case, spaces and dashes do not matter."""
    return "".join(c for c in text.upper() if c in ALPHABET)


@dataclass(frozen=True)
class Draft:
    resume: str
    token: str  # the client token: the final form carries it, so a resubmission is recognised
    session_code: str | None
    city: str
    lang: str
    data: dict[str, Any]
    created_at: float
    submitted_id: int | None


class AnswerStore:
    """One store, usable from many threads (one connection per thread)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_pg = url.startswith(("postgresql://", "postgres://"))
        self._local = threading.local()
        with self._tx() as cur:
            serial = "BIGSERIAL PRIMARY KEY" if self.is_pg else "INTEGER PRIMARY KEY AUTOINCREMENT"
            for stmt in SCHEMA.format(serial=serial).split(";"):
                if stmt.strip():
                    cur.execute(stmt)

    # -- connections ----------------------------------------------------------------------
    def _connect(self) -> Any:
        if self.is_pg:
            import psycopg

            return psycopg.connect(self.url)
        path = self.url.removeprefix("sqlite:///")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before we tell the person their answer is saved.
        con.execute("PRAGMA synchronous=FULL")
        con.execute("PRAGMA busy_timeout=30000")
        return con

    @contextmanager
    def _tx(self, write: bool = True) -> Iterator[Any]:
        con = getattr(self._local, "con", None)
        if con is None:
            con = self._local.con = self._connect()
        cur = _Cursor(con.cursor(), self.is_pg)
        if not self.is_pg:
            # Writers take the lock up front (no read-to-write upgrade deadlock); readers don't.
            cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield cur
        except BaseException:
            con.rollback()
            raise
        con.commit()

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

    # -- sessions -------------------------------------------------------------------------
    def create_session(self, city: str, title: str, round_: str, owner: str) -> str:
        code = new_code(6)
        with self._tx() as cur:
            cur.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)",
                (code, city, title, round_, owner, time.time()),
            )
        return code

    def session(self, code: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM sessions WHERE code = ?", (clean_code(code),))
        return rows[0] if rows else None

    def sessions(self, owner: str | None = None) -> list[dict[str, Any]]:
        if owner is None:
            return self._rows("SELECT * FROM sessions ORDER BY created_at DESC", ())
        sql = "SELECT * FROM sessions WHERE owner = ? ORDER BY created_at DESC"
        return self._rows(sql, (owner,))

    # -- drafts (resumable answers in progress) --------------------------------------------
    def new_draft(self, city: str, lang: str, session_code: str | None) -> Draft:
        draft = Draft(new_code(10), secrets.token_urlsafe(16), session_code, city, lang, {},
                      time.time(), None)  # fmt: skip
        with self._tx() as cur:
            cur.execute(
                "INSERT INTO drafts VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                (draft.resume, draft.token, session_code, city, lang, "{}", draft.created_at),
            )
        return draft

    def draft(self, resume: str) -> Draft | None:
        rows = self._rows("SELECT * FROM drafts WHERE resume = ?", (clean_code(resume),))
        if not rows:
            return None
        r = rows[0]
        return Draft(r["resume"], r["token"], r["session_code"], r["city"], r["lang"],
                     json.loads(r["data"]), r["created_at"], r["submitted_id"])  # fmt: skip

    def save_draft(self, resume: str, data: dict[str, Any]) -> None:
        with self._tx() as cur:
            cur.execute("UPDATE drafts SET data = ? WHERE resume = ?", (json.dumps(data), resume))

    # -- responses ------------------------------------------------------------------------
    def submit(self, token: str, response: dict[str, Any], resume: str | None = None) -> int:
        """Store one response under its client token and return its id once committed.
        A second submission with the same token stores nothing and returns the first id."""
        answers = {
            k: response[k] for k in ("ratings", "trust", "mode", "priorities", "demographics")
        }
        with self._tx() as cur:
            cur.execute(
                "INSERT INTO responses (token, session_code, city, round, area, lang, channel,"
                " answers, comment, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (token) DO NOTHING",
                (token, response.get("session_code"), response["city"], response.get("round", ""),
                 response["area"], response["lang"], response["channel"], json.dumps(answers),
                 response.get("comment", ""), time.time()),
            )  # fmt: skip
            cur.execute("SELECT id FROM responses WHERE token = ?", (token,))
            rid = int(cur.fetchone()[0])
            if resume:
                cur.execute("UPDATE drafts SET submitted_id = ? WHERE resume = ?", (rid, resume))
        return rid

    def responses(
        self, session_code: str | None = None, city: str | None = None
    ) -> list[dict[str, Any]]:
        where, args = [], []
        if session_code is not None:
            where.append("session_code = ?")
            args.append(session_code)
        if city is not None:
            where.append("city = ?")
            args.append(city)
        sql = "SELECT * FROM responses" + (" WHERE " + " AND ".join(where) if where else "")
        rows = self._rows(sql + " ORDER BY id", tuple(args))
        for r in rows:
            r.update(json.loads(r.pop("answers")))
        return rows

    def response(self, rid: int) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM responses WHERE id = ?", (rid,))
        for r in rows:
            r.update(json.loads(r.pop("answers")))
        return rows[0] if rows else None

    # -- accounts -------------------------------------------------------------------------
    def add_user(self, username: str, role: str, pw_hash: str) -> None:
        with self._tx() as cur:
            cur.execute("DELETE FROM users WHERE username = ?", (username,))
            cur.execute(
                "INSERT INTO users VALUES (?, ?, ?, ?)", (username, role, pw_hash, time.time())
            )

    def user(self, username: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM users WHERE username = ?", (username,))
        return rows[0] if rows else None

    def new_login(self, username: str, hours: float = 12) -> str:
        token = secrets.token_urlsafe(32)
        with self._tx() as cur:
            cur.execute(
                "INSERT INTO logins VALUES (?, ?, ?)", (token, username, time.time() + hours * 3600)
            )
        return token

    def login_user(self, token: str) -> dict[str, Any] | None:
        rows = self._rows(
            "SELECT u.* FROM logins l JOIN users u ON u.username = l.username"
            " WHERE l.token = ? AND l.expires > ?",
            (token, time.time()),
        )
        return rows[0] if rows else None

    def end_login(self, token: str) -> None:
        with self._tx() as cur:
            cur.execute("DELETE FROM logins WHERE token = ?", (token,))

    def record_failure(self, key: str) -> None:
        with self._tx() as cur:
            cur.execute("INSERT INTO login_failures VALUES (?, ?)", (key, time.time()))

    def failures_since(self, key: str, since: float) -> int:
        rows = self._rows(
            "SELECT COUNT(*) AS n FROM login_failures WHERE key = ? AND at > ?", (key, since)
        )
        return int(rows[0]["n"])

    def _rows(self, sql: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
        with self._tx(write=False) as cur:
            cur.execute(sql, args)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


class _Cursor:
    """Lets one SQL text serve both: `?` placeholders become `%s` for PostgreSQL."""

    def __init__(self, cur: Any, is_pg: bool) -> None:
        self.cur, self.is_pg = cur, is_pg

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> None:
        self.cur.execute(sql.replace("?", "%s") if self.is_pg else sql, args)

    def fetchone(self) -> Any:
        return self.cur.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self.cur.fetchall())

    @property
    def description(self) -> Any:
        return self.cur.description


def answers_url(workspace: Path) -> str:
    """PUBLICSAFETY_ANSWERS_URL (postgresql://...) when set, else the SQLite file in the workspace."""
    return os.environ.get("PUBLICSAFETY_ANSWERS_URL") or f"sqlite:///{workspace / ANSWERS_FILE}"


def open_answers(workspace: Path) -> AnswerStore:
    url = answers_url(workspace)
    try:
        return AnswerStore(url)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(
            f"cannot open the answers store: {exc}",
            where=url.removeprefix("sqlite:///"),
            fix="check the workspace folder is writable, or set PUBLICSAFETY_ANSWERS_URL",
        ) from exc
