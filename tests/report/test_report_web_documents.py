"""The toolkit documents and the records-request generator in the web app (GET forms only)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from publicsafety.documents.render import load_sections
from publicsafety.web.app import create_app


def test_toolkit_chapters_and_request_letter(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path))
    index = client.get("/documents?city=Minneapolis&lang=en")
    assert index.status_code == 200
    slugs = re.findall(r'href="/documents/([0-9a-z-]+)\?city=Minneapolis"', index.text)
    assert slugs == [s.slug for s in load_sections("en")]
    chapter = client.get(f"/documents/{slugs[1]}?city=Minneapolis")
    assert chapter.status_code == 200 and "Minneapolis" in chapter.text
    assert client.get("/documents/no-such-chapter").status_code == 404
    assert 'action="/documents/request/letter"' in client.get("/documents/request").text
    letter = client.get(
        "/documents/request/letter",
        params={"city": "Minneapolis", "data": "stops", "start": "2017-01-01", "end": "2017-12-31",
                "requester": "Ana Ruiz", "lang": "en"},
    )  # fmt: skip
    assert letter.status_code == 200
    assert "Minnesota" in letter.text and "Ana Ruiz" in letter.text
    assert "2017-01-01" in letter.text and "2017-12-31" in letter.text
    spanish = client.get(
        "/documents/request/letter",
        params={"city": "Minneapolis", "data": "stops", "start": "2017-01-01",
                "end": "2017-12-31", "lang": "es"},
    )  # fmt: skip
    assert "Solicitud" in spanish.text
    backwards = client.get(
        "/documents/request/letter",
        params={"city": "Minneapolis", "data": "stops", "start": "2018-01-01", "end": "2017-01-01"},
    )
    assert backwards.status_code == 400
