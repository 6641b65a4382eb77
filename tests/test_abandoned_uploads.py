"""An upload declared again replaces the one never completed: the abandoned row leaves the
product's lists at once, its file goes after the commit (the worker's file removal)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update

from app.core.db import utcnow
from app.demo.files import pdf, png
from app.models import Media
from tests.factories import Actor, Factory, in_db
from tests.test_uploads import start_document, start_media


async def _stored(factory: Factory, started: dict[str, Any]) -> bool:
    return await factory.app.state.storage.head(started["upload"]["fields"]["key"]) is not None


async def _sent(factory: Factory, r: httpx.Response, content: bytes) -> dict[str, Any]:
    """A started upload whose file arrived, never completed."""
    assert r.status_code == 201, r.text
    started: dict[str, Any] = r.json()
    assert (await factory.send_upload(started["upload"], content)).status_code == 204
    return started


async def _ids(factory: Factory, owner: Actor, pid: str, kind: str) -> list[str]:
    return [item["id"] for item in (await factory.get_product(owner, pid))[kind]]


async def test_a_document_declared_again_replaces_the_pending_one(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    pid = (await factory.product(owner))["id"]
    content = pdf("lab")
    done = await factory.document(owner, "jp_label_draft", product_id=pid)
    other = (await start_document(client, owner, pid, doc_type="jp_label_draft", size=9)).json()
    first = await _sent(
        factory, await start_document(client, owner, pid, size=len(content)), content
    )
    second = await _sent(
        factory, await start_document(client, owner, pid, size=len(content)), content
    )

    # The second lab report replaced the first; the completed label draft and the label
    # draft pending beside them are other uploads and stay.
    assert await _ids(factory, owner, pid, "documents") == [
        done["id"],
        other["document"]["id"],
        second["document"]["id"],
    ]
    gone = await client.get(f"/api/v1/documents/{first['document']['id']}", headers=owner.headers)
    assert gone.status_code == 404
    r = await client.post(
        f"/api/v1/documents/{first['document']['id']}/complete", headers=owner.headers
    )
    assert r.status_code == 404
    assert await _stored(factory, first)
    await factory.drain()
    assert not await _stored(factory, first) and await _stored(factory, second)

    r = await client.post(
        f"/api/v1/documents/{second['document']['id']}/complete", headers=owner.headers
    )
    assert r.status_code == 200 and r.json()["status"] == "uploaded"
    readiness = await client.get(f"/api/v1/products/{pid}/readiness", headers=owner.headers)
    met = {r["code"] for r in readiness.json()["requirements"] if r["met"]}
    assert {"lab_test", "jp_label_draft"} <= met


async def test_an_msme_document_declared_again_replaces_the_pending_one(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme_id = (await factory.msme(owner))["id"]
    body = {
        "doc_type": "nib",
        "number": "8120001234567",
        "issuer": "OSS",
        "issued_on": "2025-01-01",
        "filename": "nib.pdf",
        "content_type": "application/pdf",
        "size": 100,
    }
    url = f"/api/v1/msmes/{msme_id}/documents"
    first = (await client.post(url, json=body, headers=owner.headers)).json()
    second = (await client.post(url, json=body, headers=owner.headers)).json()
    shown = (await client.get(f"/api/v1/msmes/{msme_id}", headers=owner.headers)).json()
    assert [d["id"] for d in shown["documents"]] == [second["document"]["id"]]
    assert first["document"]["id"] != second["document"]["id"]


async def test_an_image_declared_again_replaces_the_pending_one(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    pid = (await factory.product(owner))["id"]
    image = png()
    kept = await factory.media(owner, pid)  # completed: never replaced
    first = await _sent(factory, await start_media(client, owner, pid, size=len(image)), image)
    beside = (await start_media(client, owner, pid, size=len(image), filename="b.png")).json()
    again = await start_media(client, owner, pid, size=len(image))
    assert again.status_code == 201
    assert await _ids(factory, owner, pid, "media") == [
        kept["id"],
        beside["media"]["id"],
        again.json()["media"]["id"],
    ]
    r = await client.post(f"/api/v1/media/{first['media']['id']}/complete", headers=owner.headers)
    assert r.status_code == 404
    await factory.drain()
    assert not await _stored(factory, first)

    # Declared at the position of a pending image, a new one replaces it too.
    at = beside["media"]["position"]
    r = await client.post(
        f"/api/v1/products/{pid}/media",
        json={"filename": "c.png", "content_type": "image/png", "size": 10, "position": at},
        headers=owner.headers,
    )
    assert r.status_code == 201, r.text
    assert beside["media"]["id"] not in await _ids(factory, owner, pid, "media")


async def test_pending_images_past_their_upload_window_go_with_the_next_upload(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    pid = (await factory.product(owner))["id"]
    stale = (await start_media(client, owner, pid, size=10, filename="a.png")).json()["media"]
    fresh = (await start_media(client, owner, pid, size=10, filename="b.png")).json()["media"]
    window = factory.app.state.settings.upload_url_seconds
    await in_db(
        factory.app,
        update(Media)
        .where(Media.id == uuid.UUID(stale["id"]))
        .values(created_at=utcnow() - timedelta(seconds=window + 5)),
    )
    assert await _ids(factory, owner, pid, "media") == [stale["id"], fresh["id"]]
    new = (await start_media(client, owner, pid, size=10, filename="c.png")).json()["media"]
    assert await _ids(factory, owner, pid, "media") == [fresh["id"], new["id"]]
