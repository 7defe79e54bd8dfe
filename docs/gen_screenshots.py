"""Take the README's screenshots (docs/img/*.png) of the Sample City report and dashboard.

    python docs/gen_screenshots.py                  # builds Sample City in a temporary workspace
    python docs/gen_screenshots.py --workspace DIR  # uses a workspace `publicsafety demo` built

It runs the web app on a free local port and drives Debian's chromium through Playwright, as the
browser tests do (tests/browser/conftest.py), so the pictures show what the code draws today.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "img"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run"]
DASHBOARD = "/dashboard/sample_city?year=2025&area_set=neighborhoods"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(workspace: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    cmd = [sys.executable, "-m", "publicsafety", "serve", "--workspace", str(workspace)]
    proc = subprocess.Popen([*cmd, "--port", str(port)], stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the web app did not start: run `publicsafety serve` to see why")


def shoot(workspace: Path) -> list[Path]:
    report = workspace / "outputs" / "sample_city" / "report" / "report.html"
    if not report.exists():
        raise SystemExit(f"no report at {report}: run `publicsafety demo --workspace {workspace}`")
    proc, url = _serve(workspace)
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1000, "height": 1300})
            page.goto(report.as_uri())
            written.append(OUT / "report.png")
            page.screenshot(path=str(written[-1]))
            page.goto(f"{url}{DASHBOARD}&lang=en")
            written.append(OUT / "dashboard.png")
            page.screenshot(path=str(written[-1]))
            written.append(OUT / "dashboard_map.png")
            page.locator("figure.map").screenshot(path=str(written[-1]))
            phone = browser.new_page(viewport={"width": 390, "height": 800}, is_mobile=True)
            phone.goto(f"{url}{DASHBOARD}&lang=es")
            written.append(OUT / "dashboard_phone_es.png")
            phone.screenshot(path=str(written[-1]))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--workspace", type=Path, help="a workspace holding Sample City")
    args = ap.parse_args()
    workspace = args.workspace
    if workspace is None:
        workspace = Path(tempfile.mkdtemp(prefix="publicsafety-shots-"))
        subprocess.run(
            [sys.executable, "-m", "publicsafety", "demo", "--workspace", str(workspace)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    for path in shoot(workspace):
        print(path)


if __name__ == "__main__":
    main()
