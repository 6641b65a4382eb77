"""The upload contract (§4): start, send the signed multipart form, complete."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from app.core.storage import LocalStorage
from app.demo.files import pdf, png
from tests.conftest import TEST_SECRET
from tests.factories import Actor, Factory

MIB = 1024 * 1024


async def start_media(
    client: httpx.AsyncClient,
    owner: Actor,
    product_id: str,
    *,
    content_type: str = "image/png",
    size: int,
    filename: str = "photo.png",
) -> httpx.Response:
    return await client.post(
        f"/api/v1/products/{product_id}/media",
        json={"filename": filename, "content_type": content_type, "size": size, "alt": "photo"},
        headers=owner.headers,
    )


async def start_document(
    client: httpx.AsyncClient,
    owner: Actor,
    product_id: str,
    *,
    content_type: str = "application/pdf",
    size: int,
    doc_type: str = "lab_test",
    filename: str = "report.pdf",
) -> httpx.Response:
    return await client.post(
        f"/api/v1/products/{product_id}/documents",
        json={
            "doc_type": doc_type,
            "number": "LAB-1",
            "issuer": "Sucofindo",
            "issued_on": "2026-11-01",
            "expires_on": None,
            "filename": filename,
            "content_type": content_type,
            "size": size,
        },
        headers=owner.headers,
    )


async def media_status(factory: Factory, owner: Actor, product_id: str, media_id: str) -> str:
    product = await factory.get_product(owner, product_id)
    [media] = [m for m in product["media"] if m["id"] == media_id]
    return str(media["status"])


async def document_of(client: httpx.AsyncClient, actor: Actor, doc_id: str) -> dict[str, Any]:
    r = await client.get(f"/api/v1/documents/{doc_id}", headers=actor.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


def stored(storage_dir: Path, upload: dict[str, Any]) -> Path:
    return storage_dir / upload["fields"]["key"]


async def owner_with_product(factory: Factory) -> tuple[Actor, str]:
    owner = await factory.owner()
    product = await factory.product(owner)
    return owner, str(product["id"])


# -- the shape of the contract ----------------------------------------------------------------


async def test_media_upload_round_trip_without_authorization(
    client: httpx.AsyncClient, factory: Factory, storage_dir: Path
) -> None:
    owner, pid = await owner_with_product(factory)
    content = png()
    r = await start_media(client, owner, pid, size=len(content))
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == {"media", "upload"}
    assert body["media"]["status"] == "pending_upload"
    assert body["media"]["size"] == len(content)
    upload = body["upload"]
    assert upload["method"] == "POST"
    assert upload["url"].startswith("http")
    assert isinstance(upload["fields"], dict) and upload["fields"]
    assert all(isinstance(v, str) for v in upload["fields"].values())

    sent = await factory.send_upload(upload, content, "photo.png")
    assert "authorization" not in sent.request.headers
    assert sent.status_code == 204, sent.text
    assert stored(storage_dir, upload).read_bytes() == content

    r = await client.post(f"/api/v1/media/{body['media']['id']}/complete", headers=owner.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "uploaded"
    assert r.json()["uploaded_at"] is not None
    assert await media_status(factory, owner, pid, body["media"]["id"]) == "uploaded"


async def test_document_upload_records_sha256_of_the_content(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, pid = await owner_with_product(factory)
    content = pdf("Lab report 2026")
    r = await start_document(client, owner, pid, size=len(content))
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == {"document", "upload"}
    assert body["document"]["status"] == "pending_upload"
    assert body["document"]["sha256"] is None
    assert body["upload"]["method"] == "POST"

    sent = await factory.send_upload(body["upload"], content, "report.pdf")
    assert "authorization" not in sent.request.headers
    assert sent.status_code == 204, sent.text
    doc_id = body["document"]["id"]
    r = await client.post(f"/api/v1/documents/{doc_id}/complete", headers=owner.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "uploaded"
    assert r.json()["sha256"] == hashlib.sha256(content).hexdigest()
    doc = await document_of(client, owner, doc_id)
    assert doc["status"] == "uploaded"
    assert doc["sha256"] == hashlib.sha256(content).hexdigest()
    assert doc["size"] == len(content)


# -- what the start call refuses --------------------------------------------------------------


async def test_media_start_refuses_wrong_type_and_too_large(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, pid = await owner_with_product(factory)
    r = await start_media(client, owner, pid, content_type="application/pdf", size=1000)
    assert r.status_code == 415, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert (
        await start_media(client, owner, pid, content_type="image/gif", size=10)
    ).status_code == 415
    r = await start_media(client, owner, pid, size=10 * MIB + 1)
    assert r.status_code == 413, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    # Exactly 10 MiB, and the other accepted image types, are fine.
    assert (await start_media(client, owner, pid, size=10 * MIB)).status_code == 201
    for kind in ("image/jpeg", "image/webp"):
        assert (
            await start_media(client, owner, pid, content_type=kind, size=10)
        ).status_code == 201
    product = await factory.get_product(owner, pid)
    assert len(product["media"]) == 3


async def test_document_start_refuses_wrong_type_and_too_large(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, pid = await owner_with_product(factory)
    r = await start_document(client, owner, pid, size=20 * MIB + 1)
    assert r.status_code == 413, r.text
    r = await start_document(client, owner, pid, content_type="text/plain", size=100)
    assert r.status_code == 415, r.text
    r = await start_document(client, owner, pid, content_type="image/webp", size=100)
    assert r.status_code == 415, r.text
    assert (await start_document(client, owner, pid, size=20 * MIB)).status_code == 201
    for kind in ("image/jpeg", "image/png"):
        assert (
            await start_document(client, owner, pid, content_type=kind, size=10)
        ).status_code == 201
    # Each declaration of the lab report replaced the one before, never uploaded.
    product = await factory.get_product(owner, pid)
    assert [d["content_type"] for d in product["documents"]] == ["image/png"]


# -- complete before the file arrived ---------------------------------------------------------


async def test_complete_before_upload_is_422_and_stays_pending(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, pid = await owner_with_product(factory)
    media = (await start_media(client, owner, pid, size=len(png()))).json()["media"]
    r = await client.post(f"/api/v1/media/{media['id']}/complete", headers=owner.headers)
    assert r.status_code == 422, r.text
    assert await media_status(factory, owner, pid, media["id"]) == "pending_upload"

    document = (await start_document(client, owner, pid, size=len(pdf()))).json()["document"]
    r = await client.post(f"/api/v1/documents/{document['id']}/complete", headers=owner.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    doc = await document_of(client, owner, document["id"])
    assert doc["status"] == "pending_upload" and doc["sha256"] is None


# -- what the local storage refuses -----------------------------------------------------------


async def test_upload_larger_than_declared_is_refused(
    client: httpx.AsyncClient, factory: Factory, storage_dir: Path
) -> None:
    owner, pid = await owner_with_product(factory)
    content = png()
    started = (await start_media(client, owner, pid, size=len(content))).json()
    sent = await factory.send_upload(started["upload"], content + b"\x00" * 16, "photo.png")
    assert sent.status_code == 413, sent.text
    assert not stored(storage_dir, started["upload"]).exists()
    r = await client.post(f"/api/v1/media/{started['media']['id']}/complete", headers=owner.headers)
    assert r.status_code == 422
    assert await media_status(factory, owner, pid, started["media"]["id"]) == "pending_upload"


async def test_upload_with_another_content_type_field_is_refused(
    client: httpx.AsyncClient, factory: Factory, storage_dir: Path
) -> None:
    owner, pid = await owner_with_product(factory)
    content = png()
    upload = (await start_media(client, owner, pid, size=len(content))).json()["upload"]
    forged = {**upload, "fields": {**upload["fields"], "Content-Type": "image/jpeg"}}
    sent = await factory.send_upload(forged, content, "photo.png")
    assert sent.status_code == 415, sent.text
    assert not stored(storage_dir, upload).exists()


async def test_upload_with_tampered_signature_or_policy_is_forbidden(
    client: httpx.AsyncClient, factory: Factory, storage_dir: Path
) -> None:
    owner, pid = await owner_with_product(factory)
    content = png()
    upload = (await start_media(client, owner, pid, size=len(content))).json()["upload"]
    fields = upload["fields"]

    signature = fields["signature"]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    assert flipped != signature
    sent = await factory.send_upload(
        {**upload, "fields": {**fields, "signature": flipped}}, content
    )
    assert sent.status_code == 403, sent.text

    # A policy rewritten to allow a larger file, with the original signature.
    policy = json.loads(base64.urlsafe_b64decode(fields["policy"]))
    policy["max_size"] = 100 * MIB
    bigger = base64.urlsafe_b64encode(json.dumps(policy, sort_keys=True).encode()).decode()
    sent = await factory.send_upload({**upload, "fields": {**fields, "policy": bigger}}, content)
    assert sent.status_code == 403, sent.text

    # The signed fields for one key do not authorize writing to another.
    other_key = fields["key"].rsplit("/", 1)[0] + "/someone-else"
    sent = await factory.send_upload({**upload, "fields": {**fields, "key": other_key}}, content)
    assert sent.status_code == 403, sent.text
    assert not (storage_dir / other_key).exists()

    sent = await factory.send_upload(
        {**upload, "fields": {k: v for k, v in fields.items() if k != "signature"}}, content
    )
    assert sent.status_code == 403, sent.text
    assert not stored(storage_dir, upload).exists()

    # The untouched fields still work.
    assert (await factory.send_upload(upload, content)).status_code == 204


async def test_expired_upload_url_is_forbidden(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, storage_dir: Path
) -> None:
    owner, pid = await owner_with_product(factory)
    content = png()
    started = (await start_media(client, owner, pid, size=len(content))).json()
    key = started["upload"]["fields"]["key"]
    # The same backend and secret, issuing a URL that is already past its time.
    past = LocalStorage(storage_dir, TEST_SECRET, upload_seconds=-60, download_seconds=60)
    ticket = await past.presign_upload(key, "image/png", len(content), base_url="http://testserver")
    expired = {"url": ticket.url, "fields": ticket.fields}
    sent = await factory.send_upload(expired, content)
    assert sent.status_code == 403, sent.text
    assert not (storage_dir / key).exists()


# -- what the complete call refuses -----------------------------------------------------------


async def test_media_declared_png_but_pdf_sent_is_refused_and_deleted(
    client: httpx.AsyncClient, factory: Factory, storage_dir: Path
) -> None:
    owner, pid = await owner_with_product(factory)
    content = pdf("not an image")
    # Declared as a PNG of exactly the PDF's size, so only the type can give it away.
    started = (await start_media(client, owner, pid, size=len(content))).json()
    sent = await factory.send_upload(started["upload"], content, "photo.png", part_type="image/png")
    assert sent.status_code == 204, sent.text
    path = stored(storage_dir, started["upload"])
    assert path.exists()

    media_id = started["media"]["id"]
    r = await client.post(f"/api/v1/media/{media_id}/complete", headers=owner.headers)
    assert r.status_code == 422, r.text
    assert not path.exists()
    assert await media_status(factory, owner, pid, media_id) == "pending_upload"
    r = await client.post(f"/api/v1/media/{media_id}/complete", headers=owner.headers)
    assert r.status_code == 422, r.text


async def test_document_declared_pdf_but_png_sent_is_refused_and_deleted(
    client: httpx.AsyncClient, factory: Factory, storage_dir: Path
) -> None:
    owner, pid = await owner_with_product(factory)
    content = png()
    started = (await start_document(client, owner, pid, size=len(content))).json()
    sent = await factory.send_upload(started["upload"], content, "report.pdf")
    assert sent.status_code == 204, sent.text
    path = stored(storage_dir, started["upload"])
    assert path.exists()

    doc_id = started["document"]["id"]
    r = await client.post(f"/api/v1/documents/{doc_id}/complete", headers=owner.headers)
    assert r.status_code == 422, r.text
    assert not path.exists()
    doc = await document_of(client, owner, doc_id)
    assert doc["status"] == "pending_upload" and doc["sha256"] is None
    r = await client.post(f"/api/v1/documents/{doc_id}/complete", headers=owner.headers)
    assert r.status_code == 422, r.text


async def test_smaller_file_than_declared_is_refused_then_can_be_sent_again(
    client: httpx.AsyncClient, factory: Factory, storage_dir: Path
) -> None:
    owner, pid = await owner_with_product(factory)
    content = png()
    started = (await start_media(client, owner, pid, size=len(content))).json()
    sent = await factory.send_upload(started["upload"], content[:-4], "photo.png")
    assert sent.status_code == 204, sent.text
    media_id = started["media"]["id"]
    r = await client.post(f"/api/v1/media/{media_id}/complete", headers=owner.headers)
    assert r.status_code == 422, r.text
    assert not stored(storage_dir, started["upload"]).exists()
    assert await media_status(factory, owner, pid, media_id) == "pending_upload"

    # "upload it again": the same signed fields take the right file.
    assert (await factory.send_upload(started["upload"], content, "photo.png")).status_code == 204
    r = await client.post(f"/api/v1/media/{media_id}/complete", headers=owner.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "uploaded"
    assert stored(storage_dir, started["upload"]).read_bytes() == content


async def test_document_size_mismatch_is_refused(
    client: httpx.AsyncClient, factory: Factory, storage_dir: Path
) -> None:
    owner, pid = await owner_with_product(factory)
    content = pdf("lab report")
    started = (await start_document(client, owner, pid, size=len(content) + 100)).json()
    sent = await factory.send_upload(started["upload"], content, "report.pdf")
    assert sent.status_code == 204, sent.text
    doc_id = started["document"]["id"]
    r = await client.post(f"/api/v1/documents/{doc_id}/complete", headers=owner.headers)
    assert r.status_code == 422, r.text
    assert not stored(storage_dir, started["upload"]).exists()
    assert (await document_of(client, owner, doc_id))["status"] == "pending_upload"
