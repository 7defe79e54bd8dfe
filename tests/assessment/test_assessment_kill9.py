"""The server is killed with SIGKILL again and again while respondents submit at the same time:
no answer that was confirmed to a person is lost, and none is stored twice (client tokens)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from publicsafety.assessment.store import open_answers
from tests.assessment.helpers import SAME
from tests.browser.conftest import free_port

pytestmark = pytest.mark.slow
CLIENTS, EACH, KILLS = 6, 5, 3
SERVE = (
    "import sys, uvicorn; from publicsafety.web.app import create_app;"
    " uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='error')"
)
RETRIES = [0]  # requests that found the server dead and were sent again
FACTORS = ("violence", "property_crime", "traffic_safety", "lighting_vacant", "housing", "mental_health",
           "youth_programs", "jobs_income", "trust_police", "police_response", "community_responders")  # fmt: skip


class Server:
    def __init__(self, workspace: Path) -> None:
        self.workspace, self.port = workspace, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "PUBLICSAFETY_ASSESSMENT_MIN_SECONDS": "0"}
        env.pop("PUBLICSAFETY_ANSWERS_URL", None)
        self.proc = subprocess.Popen([sys.executable, "-c", SERVE, str(self.workspace), str(self.port)], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def until_answered(
    client: httpx.Client, method: str, url: str, data: dict[str, str] | None = None
) -> httpx.Response:
    """Send again, the same request, until the server answers (it may be dead or restarting)."""
    while True:
        try:
            if method == "GET":
                return client.get(url)
            token = client.cookies.get("ps_csrf") or ""
            return client.post(url, data={"csrf_token": token, **(data or {})}, headers=SAME)
        except httpx.TransportError:
            RETRIES[0] += 1
            time.sleep(0.05)


def respondent(client: httpx.Client, n: int) -> tuple[str, str, bool]:
    """One person's answers; returns (client token, area, confirmed)."""
    import re

    until_answered(client, "GET", "/assessment")
    r = until_answered(client, "POST", "/assessment/start", {"city": "Sample City"})
    base = r.headers["location"].rsplit("/", 1)[0]
    area = ["Riverside", "Oak Hill", "Mill Creek", "Northgate"][n % 4]
    until_answered(client, "POST", base + "/area", {"area": area})
    until_answered(client, "POST", base + "/rate", {f"rate_{f}": str(1 + n % 5) for f in FACTORS})
    until_answered(
        client, "POST", base + "/prioritise", {"mode": "rank", "rank_1": FACTORS[n % 11]}
    )
    token = re.search(
        r'name="token" value="([^"]+)"', until_answered(client, "GET", base + "/about").text
    )
    assert token is not None
    r = until_answered(
        client, "POST", base + "/about", {"token": token.group(1), "comment": f"person {n}"}
    )
    # Confirmed means: the server said "saved" (redirect to the receipt page).
    return token.group(1), area, r.headers.get("location") == base + "/done"


def test_kill_9_during_concurrent_submissions_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    server = Server(tmp_path)
    server.start()
    results: list[tuple[str, str, bool]] = []
    lock = threading.Lock()

    stop = threading.Event()
    people: list[int] = []

    def worker(w: int) -> None:
        # Each client answers at least EACH times and goes on until every kill has happened, so
        # the kills land in traffic however fast the machine is.
        with httpx.Client(base_url=server.url, follow_redirects=False, timeout=20) as client:
            i = 0
            while i < EACH or not stop.is_set():
                n = w * 1000 + i
                got = respondent(client, n)
                with lock:
                    results.append(got)
                    people.append(n)
                i += 1

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(CLIENTS)]
    for t in threads:
        t.start()
    kills = 0
    rng = random.Random(9)
    while kills < KILLS:
        time.sleep(rng.uniform(0.3, 1.0))
        server.kill9()
        kills += 1
        server.start()
    stop.set()
    for t in threads:
        t.join(timeout=300)
    server.kill9()

    assert kills == KILLS and len(results) >= CLIENTS * EACH
    assert RETRIES[0] > 0, "the kills must hit requests in flight"
    confirmed = {tok: area for tok, area, ok in results if ok}
    assert len(confirmed) == len(results)  # every person was told "saved" in the end
    stored = open_answers(tmp_path).responses()
    tokens = [r["token"] for r in stored]
    assert len(tokens) == len(set(tokens)), "an answer was stored twice"
    assert set(tokens) == set(confirmed), "a confirmed answer was lost, or an unconfirmed one kept"
    assert all(confirmed[r["token"]] == r["area"] for r in stored)
    assert sorted(r["comment"] for r in stored) == sorted(f"person {n}" for n in people)
