"""Retries: passing server errors and throttling are retried with back-off; mistakes are not."""

from __future__ import annotations

import random

import pytest

from publicsafety.sources.http import FetchError, RetryPolicy, retry_after_seconds

from .conftest import json_reply


def test_retries_after_500_and_429_honouring_retry_after(portal, http):
    portal.routes["/ok"] = lambda q, h: json_reply({"fine": True})
    portal.fail("/ok", (500, {}, b"oops"), (429, {"Retry-After": "7"}, b"slow down"))
    assert http.get(f"{portal.base}/ok").json() == {"fine": True}
    assert len(portal.hits("/ok")) == 3
    first, second = http.waits
    assert 0.25 <= first <= 0.5  # jittered half to full of the base wait
    assert second == 7.0  # the server's Retry-After, not our own back-off


def test_back_off_doubles_with_jitter_and_is_capped():
    policy = RetryPolicy(base=1.0, cap=5.0, rng=random.Random(1))
    waits = [policy.wait(n, None) for n in (1, 2, 3, 4, 5)]
    bounds = [1, 2, 4, 5, 5]
    assert all(b / 2 <= w <= b for w, b in zip(waits, bounds, strict=True))
    assert policy.wait(1, 120.0) == 5.0  # even a server's Retry-After is capped


def test_retry_after_as_http_date_and_as_nonsense():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: go now
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("3") == 3.0


def test_gives_up_after_the_last_try_and_says_so(portal, http):
    portal.routes["/down"] = lambda q, h: json_reply({})
    portal.fail("/down", *[(503, {}, b"maintenance")] * 4)
    with pytest.raises(FetchError) as exc:
        http.get(f"{portal.base}/down")
    assert "HTTP 503 after 4 tries" in exc.value.message
    assert "wait a while and run again" in exc.value.message
    assert len(portal.hits("/down")) == 4
    assert len(http.waits) == 3


def test_a_404_is_not_retried_and_points_at_the_catalogue(portal, http):
    with pytest.raises(FetchError) as exc:
        http.get(f"{portal.base}/resource/gone-0000.csv")
    assert len(portal.hits("/resource/gone-0000.csv")) == 1
    assert "HTTP 404" in exc.value.message
    assert "catalog.toml" in exc.value.message
    assert http.waits == []


def test_unreachable_server_is_retried_then_reported(http):
    # Port 9 on localhost: nothing listens there, so every connection is refused.
    with pytest.raises(FetchError) as exc:
        http.get("http://127.0.0.1:9/nothing")
    assert "could not reach the server after 4 tries" in exc.value.message
    assert len(http.waits) == 3


def test_an_answer_that_breaks_off_mid_body_is_asked_for_again(portal, http):
    body = b'{"rows": [' + b"1," * 5000 + b"1]}"
    portal.routes["/page"] = lambda q, h: (200, {"Content-Type": "application/json"}, body)
    portal.fail("/page", (200, {"Content-Type": "application/json", "X-Cut-After": "100"}, body))
    assert len(http.get(f"{portal.base}/page").json()["rows"]) == 5001
    assert len(portal.hits("/page")) == 2 and len(http.waits) == 1
