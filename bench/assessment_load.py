"""Load test of the assessment on localhost (not part of the test suite).

Starts the web app on a free port in a fresh temporary workspace (SQLite answers store, WAL,
synchronous=FULL), then N respondents at once (threads with httpx) go through the whole flow
(start, neighbourhood, ratings, priorities, about you, submit, receipt) again and again until the
time is up, each pausing between pages like a person (think time). Prints request latency
percentiles, errors and answers stored. Exit status 1 when p95 >= the limit or any error.

    .venv/bin/python bench/assessment_load.py --users 50 --seconds 60
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

SERVE = (
    "import sys, uvicorn; from publicsafety.web.app import create_app;"
    " uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='error')"
)
FACTORS = ("violence", "property_crime", "traffic_safety", "lighting_vacant", "housing", "mental_health",
           "youth_programs", "jobs_income", "trust_police", "police_response", "community_responders")  # fmt: skip
AREAS = ("Riverside", "Oak Hill", "Mill Creek", "Northgate", "Cedar Park")
SAME = {"sec-fetch-site": "same-origin"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.errors: list[str] = []
        self.submitted = 0

    def timed(
        self, client: httpx.Client, method: str, url: str, data: dict[str, str] | None = None
    ) -> httpx.Response | None:
        t0 = time.perf_counter()
        try:
            if method == "GET":
                r = client.get(url)
            else:
                r = client.post(url, data={"csrf_token": client.cookies.get("ps_csrf") or "", **(data or {})},
                                headers=SAME)  # fmt: skip
        except httpx.HTTPError as exc:
            with self.lock:
                self.errors.append(f"{method} {url}: {exc!r}")
            return None
        dt = time.perf_counter() - t0
        with self.lock:
            self.times.append(dt)
            if r.status_code >= 400:
                self.errors.append(f"{method} {url}: HTTP {r.status_code}")
        return r


def respondent(client: httpx.Client, stats: Stats, rng: random.Random, think: float) -> None:
    def pause() -> None:
        time.sleep(rng.uniform(0.75 * think, 1.25 * think))

    stats.timed(client, "GET", "/assessment")
    pause()
    r = stats.timed(client, "POST", "/assessment/start", {"city": "Sample City"})
    if r is None or "location" not in r.headers:
        return
    base = r.headers["location"].rsplit("/", 1)[0]
    stats.timed(client, "GET", base + "/area")
    pause()
    stats.timed(client, "POST", base + "/area", {"area": rng.choice(AREAS)})
    stats.timed(client, "GET", base + "/rate")
    pause()
    stats.timed(
        client, "POST", base + "/rate", {f"rate_{f}": str(rng.randint(1, 5)) for f in FACTORS}
    )
    stats.timed(client, "GET", base + "/prioritise")
    pause()
    top = rng.sample(FACTORS, 5)
    stats.timed(
        client,
        "POST",
        base + "/prioritise",
        {"mode": "rank", **{f"rank_{i + 1}": f for i, f in enumerate(top)}},
    )
    about = stats.timed(client, "GET", base + "/about")
    pause()
    m = re.search(r'name="token" value="([^"]+)"', about.text if about is not None else "")
    if m is None:
        return
    r = stats.timed(
        client,
        "POST",
        base + "/about",
        {"token": m.group(1), "demo_sex": rng.choice(["female", "male", ""])},
    )
    if r is not None and r.headers.get("location") == base + "/done":
        with stats.lock:
            stats.submitted += 1
        stats.timed(client, "GET", base + "/done")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, default=2.0, help="mean pause between pages, seconds")
    ap.add_argument("--p95-limit-ms", type=float, default=300)
    args = ap.parse_args()
    workspace = Path(tempfile.mkdtemp(prefix="assessment-load-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(workspace), str(port)], env=os.environ.copy()
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        stats = Stats()
        stop = time.monotonic() + args.seconds

        def user(n: int) -> None:
            rng = random.Random(n)
            time.sleep(rng.uniform(0, args.think))  # ramp up
            with httpx.Client(base_url=url, timeout=30, follow_redirects=False) as client:
                while time.monotonic() < stop:
                    respondent(client, stats, rng, args.think)

        threads = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - t0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    ms = sorted(1000 * t for t in stats.times)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(p / 100 * len(ms)))] if ms else float("nan")

    print(f"users {args.users}, think {args.think} s, wall {wall:.1f} s")
    print(f"requests {len(ms)} ({len(ms) / wall:.1f}/s), answers submitted {stats.submitted}")
    print(f"latency ms: p50 {pct(50):.1f}  p95 {pct(95):.1f}  p99 {pct(99):.1f}  max {ms[-1]:.1f}")
    print(f"errors {len(stats.errors)}" + "".join(f"\n  {e}" for e in stats.errors[:10]))
    return 0 if not stats.errors and pct(95) < args.p95_limit_ms else 1


if __name__ == "__main__":
    sys.exit(main())
