"""The HTTP client every fetcher uses: timeouts, retries with exponential back-off and jitter.

Portals fail in passing (500, 502, 503, 504) and throttle (429 with Retry-After); a retry with a
growing, jittered wait gets through both without hammering the server. Anything else (404, 400,
401) is the caller's mistake and is reported at once with what to do.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from publicsafety.errors import PublicSafetyError

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "publicsafety (Equitable Public Safety Toolkit)"


class FetchError(PublicSafetyError):
    """A portal or download could not be reached, answered an error, or sent a broken file."""


@dataclass
class RetryPolicy:
    """How often and how long to wait between tries. `sleep` is swappable so tests do not wait."""

    attempts: int = 5
    base: float = 1.0  # seconds before the second try; doubles each time
    cap: float = 60.0  # longest single wait, including a server's Retry-After
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def wait(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before try `attempt + 1` (attempt counts from 1)."""
        if retry_after is not None:
            return min(retry_after, self.cap)
        # Full jitter: a random wait up to the exponential bound spreads many clients apart.
        bound = min(self.cap, self.base * 2 ** (attempt - 1))
        return self.rng.uniform(bound / 2, bound)


def retry_after_seconds(value: str | None) -> float | None:
    """A Retry-After header as seconds: either a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Http:
    """One httpx client with retries; `requests` counts what was sent (tests check cache hits)."""

    def __init__(
        self,
        *,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.retry = retry or RetryPolicy()
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            follow_redirects=True,
        )
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
        """GET with retries; returns a 2xx response (body read) or raises FetchError.

        A connection that breaks while the body arrives is retried like a refused one."""
        for attempt in range(1, self.retry.attempts + 1):
            try:
                with self.stream(url, params) as response:
                    response.read()
                    return response
            except httpx.TransportError as exc:
                if attempt == self.retry.attempts:
                    raise FetchError(
                        f"the answer broke off after {attempt} tries: {exc}",
                        where=url,
                        fix="check the network connection and run again; a paged download resumes"
                        " at the page it stopped on.",
                    ) from exc
                self.retry.sleep(self.retry.wait(attempt, None))
        raise AssertionError("unreachable: the loop returns or raises")

    @contextmanager
    def stream(
        self, url: str, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> Iterator[httpx.Response]:
        """GET with retries, leaving the body unread so a large file can be streamed to disk."""
        for attempt in range(1, self.retry.attempts + 1):
            self.requests += 1
            last = attempt == self.retry.attempts
            try:
                request = self.client.build_request("GET", url, params=params, headers=headers)
                response = self.client.send(request, stream=True)
            except httpx.TransportError as exc:
                if last:
                    raise FetchError(
                        f"could not reach the server after {attempt} tries: {exc}",
                        where=url,
                        fix="check the network connection and the portal address, then run again;"
                        " a partial download resumes where it stopped.",
                    ) from exc
                self.retry.sleep(self.retry.wait(attempt, None))
                continue
            if response.status_code in RETRY_STATUS and not last:
                wait = self.retry.wait(
                    attempt, retry_after_seconds(response.headers.get("Retry-After"))
                )
                response.close()
                self.retry.sleep(wait)
                continue
            try:
                if response.status_code >= 400:
                    response.read()
                    raise _status_error(response, attempt)
                yield response
            finally:
                response.close()
            return


def _status_error(response: httpx.Response, attempt: int) -> FetchError:
    code = response.status_code
    body = response.text[:300].strip()
    if code in RETRY_STATUS:
        fix = "the portal is down or throttling; wait a while and run again (a partial download resumes)."
    elif code == 404:
        fix = (
            "the dataset id may have changed: find the dataset on the portal, copy its id into"
            " sources/catalog.toml (or the profile's portal setting) and run again."
        )
    elif code in (401, 403):
        fix = "the service wants a key or refuses this request; for the Census API set CENSUS_API_KEY."
    else:
        fix = "check the dataset id, the year and the date field in sources/catalog.toml."
    tries = f" after {attempt} tries" if attempt > 1 else ""
    return FetchError(
        f"the server answered HTTP {code}{tries}: {body}", where=str(response.url), fix=fix
    )
