"""The S3 storage backend against a real S3-protocol server on loopback (moto's, over HTTP).

The server accepts presigned POSTs without enforcing their policy conditions, as some
S3-compatible stores do: that is exactly why `complete` checks what arrived.
"""

from __future__ import annotations

import base64
import json
import logging
import shutil
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import boto3
import httpx
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from fastapi import FastAPI
from sqlalchemy import select, update

from app.config import Settings
from app.core.logs import request_id
from app.core.s3 import S3Storage
from app.demo.files import pdf, png
from app.files.maintenance import check, collect_garbage
from app.main import create_app
from app.models import Media
from tests.factories import PASSWORD, Factory
from tests.s3server import BUCKET, REGION, create_bucket, s3_server
from tests.test_catalog_export import images_drawn
from tests.test_observability import Lines

UPLOAD_SECONDS = 120
DOWNLOAD_SECONDS = 60


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as endpoint:
        create_bucket(endpoint)
        yield endpoint


def s3_settings(settings: Settings, endpoint: str) -> Settings:
    return settings.model_copy(
        update={
            "storage": "s3",
            "s3_bucket": BUCKET,
            "s3_region": REGION,
            "s3_endpoint_url": endpoint,
            "upload_url_seconds": UPLOAD_SECONDS,
            "download_url_seconds": DOWNLOAD_SECONDS,
            "s3_max_attempts": 1,
            "s3_connect_timeout": 1.0,
        }
    )


@pytest.fixture(scope="module")
async def s3_app(settings: Settings, s3_endpoint: str) -> AsyncIterator[FastAPI]:
    application = create_app(s3_settings(settings, s3_endpoint))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def s3(client: httpx.AsyncClient, s3_app: FastAPI) -> AsyncIterator[Factory]:
    """A factory whose client talks to the API with S3 storage (tables emptied by `client`)."""
    transport = httpx.ASGITransport(app=s3_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield Factory(c, s3_app)


def bucket(endpoint: str):  # type: ignore[no-untyped-def]
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def exists(endpoint: str, key: str) -> bool:
    try:
        bucket(endpoint).head_object(Bucket=BUCKET, Key=key)
    except ClientError:
        return False
    return True


async def start_media(
    s3: Factory, owner, product_id: str, size: int, content_type="image/png", filename="photo.png"
):  # type: ignore[no-untyped-def]
    r = await s3.client.post(
        f"/api/v1/products/{product_id}/media",
        json={"filename": filename, "content_type": content_type, "size": size},
        headers=owner.headers,
    )
    assert r.status_code == 201, r.text
    return r.json()


async def post_to_s3(upload: dict, content: bytes, part_type: str = "image/png") -> httpx.Response:  # type: ignore[type-arg]
    async with httpx.AsyncClient() as plain:  # straight to the store, no Authorization
        return await plain.post(
            upload["url"], data=upload["fields"], files={"file": ("f", content, part_type)}
        )


async def test_full_upload_through_presigned_post(s3: Factory, s3_endpoint: str) -> None:
    owner = await s3.owner()
    product = await s3.product(owner)
    image = png(32, 32)
    started = await start_media(s3, owner, product["id"], len(image))
    upload = started["upload"]
    assert upload["method"] == "POST"
    assert upload["url"] == f"{s3_endpoint}/{BUCKET}", "the client sends bytes to the store"
    key = upload["fields"]["key"]
    assert key.startswith(f"msmes/{product['msme_id']}/products/{product['id']}/media/")
    assert "photo" not in key and owner.email not in key, "keys reveal no personal data"

    sent = await post_to_s3(upload, image)
    assert sent.status_code == 204, sent.text
    r = await s3.client.post(
        f"/api/v1/media/{started['media']['id']}/complete", headers=owner.headers
    )
    assert r.status_code == 200 and r.json()["status"] == "uploaded"
    assert exists(s3_endpoint, key)


async def test_policy_carries_key_length_type_and_short_expiry(s3: Factory) -> None:
    owner = await s3.owner()
    product = await s3.product(owner)
    before = datetime.now(UTC)
    started = await start_media(s3, owner, product["id"], 2048, "image/webp")
    fields = started["upload"]["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert {"key": fields["key"]} in conditions
    assert ["content-length-range", 1, 2048] in conditions
    assert {"Content-Type": "image/webp"} in conditions
    assert fields["Content-Type"] == "image/webp"
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert before < expires <= before + timedelta(seconds=UPLOAD_SECONDS + 5)


@pytest.mark.parametrize(
    ("declared", "sent", "why"),
    [
        ("image/png", png(8, 8) + b"\x00" * 64, "larger than declared"),
        ("image/png", b"\xff\xd8\xff\xe0" + b"\x00" * 60, "a JPEG, not a PNG"),
        ("image/png", pdf("not an image"), "a PDF declared as PNG"),
    ],
)
async def test_complete_refuses_and_deletes_what_does_not_match(
    s3: Factory, s3_endpoint: str, declared: str, sent: bytes, why: str
) -> None:
    owner = await s3.owner()
    product = await s3.product(owner)
    declared_size = len(png(8, 8)) if why == "larger than declared" else len(sent)
    started = await start_media(s3, owner, product["id"], declared_size, declared)
    upload = started["upload"]
    assert (await post_to_s3(upload, sent)).status_code == 204  # the store does not enforce
    assert exists(s3_endpoint, upload["fields"]["key"])

    r = await s3.client.post(
        f"/api/v1/media/{started['media']['id']}/complete", headers=owner.headers
    )
    assert r.status_code == 422, why
    assert r.headers["content-type"] == "application/problem+json"
    assert not exists(s3_endpoint, upload["fields"]["key"]), "a refused object is deleted"
    media = (await s3.get_product(owner, product["id"]))["media"]
    assert [m["status"] for m in media] == ["pending_upload"]


async def test_complete_without_upload_is_refused(s3: Factory) -> None:
    owner = await s3.owner()
    product = await s3.product(owner)
    started = await start_media(s3, owner, product["id"], 100)
    r = await s3.client.post(
        f"/api/v1/media/{started['media']['id']}/complete", headers=owner.headers
    )
    assert r.status_code == 422
    assert "no file" in r.json()["detail"]


async def test_document_sha256_and_private_download(s3: Factory, s3_endpoint: str) -> None:
    owner, curator, other, buyer = (
        await s3.owner(),
        await s3.curator(),
        await s3.owner(),
        await s3.buyer(),
    )
    product = await s3.product(owner)
    content = pdf("lab report")
    doc = await s3.document(owner, "lab_test", product_id=product["id"], content=content)
    import hashlib

    assert doc["sha256"] == hashlib.sha256(content).hexdigest()

    for actor in (owner, curator):
        r = await s3.client.get(f"/api/v1/documents/{doc['id']}/download", headers=actor.headers)
        assert r.status_code == 307
        location = r.headers["location"]
        query = parse_qs(urlparse(location).query)
        assert location.startswith(f"{s3_endpoint}/{BUCKET}/msmes/")
        assert int(query["X-Amz-Expires"][0]) == DOWNLOAD_SECONDS <= 300
        async with httpx.AsyncClient() as plain:
            fetched = await plain.get(location)
        assert fetched.status_code == 200 and fetched.content == content
    assert (
        await s3.client.get(f"/api/v1/documents/{doc['id']}/download", headers=other.headers)
    ).status_code == 404
    assert (
        await s3.client.get(f"/api/v1/documents/{doc['id']}/download", headers=buyer.headers)
    ).status_code == 403
    async with httpx.AsyncClient() as plain:
        direct = await plain.get(
            f"{s3_endpoint}/{BUCKET}/{urlparse(location).path.split(BUCKET + '/', 1)[1]}"
        )
    assert direct.status_code == 403, "documents are private without a signature"


async def test_catalog_images_are_public_only_while_published(
    s3: Factory, s3_endpoint: str
) -> None:
    product, actors = await s3.published_product()
    pid = product["id"]

    async def image_url() -> str:
        item = (await s3.client.get(f"/api/v1/catalog/products/{pid}")).json()
        return str(item["media"][0]["url"])

    # From the moment it is published, the image loads: through the catalog's redirect
    # to the private object, until the worker has made the public copy.
    routed = await image_url()
    assert routed == f"http://testserver/api/v1/catalog/media/{product['media'][0]['id']}"
    redirect = await s3.client.get(routed)
    assert redirect.status_code == 307
    async with httpx.AsyncClient() as browser:
        shown = await browser.get(redirect.headers["location"])
        assert shown.status_code == 200 and shown.content.startswith(b"\x89PNG")
        assert await s3.drain() >= 1
        url = await image_url()
        assert url.startswith(f"{s3_endpoint}/{BUCKET}/public/")
        shown = await browser.get(url)
        assert shown.status_code == 200 and shown.content.startswith(b"\x89PNG")
        r = await s3.client.delete(
            f"/api/v1/channels/tokyo-msme-center/listings/{pid}",
            headers=actors["admin"].headers,
        )
        assert r.status_code == 204
        assert (await s3.client.get(routed)).status_code == 404  # at once
        await s3.drain()
        assert (await browser.get(url)).status_code in (403, 404)
    # the private original stays for the owner
    media = (await s3.get_product(actors["owner"], pid))["media"]
    assert media[0]["status"] == "uploaded"


async def test_unpublished_product_images_stay_private(s3: Factory, s3_endpoint: str) -> None:
    owner = await s3.owner()
    product = await s3.ready_product(owner)
    key = f"msmes/{product['msme_id']}/products/{product['id']}/media/{product['media'][0]['id']}"
    assert exists(s3_endpoint, key)
    assert not exists(s3_endpoint, "public/" + key)
    async with httpx.AsyncClient() as browser:
        assert (await browser.get(f"{s3_endpoint}/{BUCKET}/{key}")).status_code == 403


async def test_deleting_media_and_documents_removes_objects(s3: Factory, s3_endpoint: str) -> None:
    owner = await s3.owner()
    product = await s3.product(owner)
    media = await s3.media(owner, product["id"])
    doc = await s3.document(owner, "halal", product_id=product["id"])
    keys = [
        f"msmes/{product['msme_id']}/products/{product['id']}/media/{media['id']}",
        f"msmes/{product['msme_id']}/documents/{doc['id']}",
    ]
    assert all(exists(s3_endpoint, k) for k in keys)
    assert (
        await s3.client.delete(f"/api/v1/media/{media['id']}", headers=owner.headers)
    ).status_code == 204
    assert (
        await s3.client.delete(f"/api/v1/documents/{doc['id']}", headers=owner.headers)
    ).status_code == 204
    assert (await s3.get_product(owner, product["id"]))["media"] == []
    # The objects go after the commit, through the worker, which no request waits for.
    assert all(exists(s3_endpoint, k) for k in keys)
    assert await s3.drain() == 2
    assert not any(exists(s3_endpoint, k) for k in keys)


async def test_gc_deletes_abandoned_uploads_only(
    s3: Factory, s3_app: FastAPI, s3_endpoint: str
) -> None:
    owner = await s3.owner()
    product = await s3.product(owner)
    kept = await s3.media(owner, product["id"])
    image = png()
    abandoned = await start_media(s3, owner, product["id"], len(image))
    recent = await start_media(s3, owner, product["id"], len(image), filename="other.png")
    assert (await post_to_s3(abandoned["upload"], image)).status_code == 204
    async with s3_app.state.sessionmaker() as session:
        old = datetime.now(UTC) - timedelta(days=2)
        ids = [uuid.UUID(abandoned["media"]["id"]), uuid.UUID(kept["id"])]
        await session.execute(update(Media).where(Media.id.in_(ids)).values(created_at=old))
        await session.commit()
    result = await collect_garbage(s3_app.state.sessionmaker, s3_app.state.storage)
    assert (result.media, result.documents) == (1, 0)
    assert not exists(s3_endpoint, abandoned["upload"]["fields"]["key"])
    ids = [m["id"] for m in (await s3.get_product(owner, product["id"]))["media"]]
    assert sorted(ids) == sorted([kept["id"], recent["media"]["id"]])


async def test_storage_check_passes_and_names_failures(
    settings: Settings, s3_endpoint: str
) -> None:
    good = await check(S3Storage(s3_settings(settings, s3_endpoint)))
    assert good.ok and [s for s, _, _ in good.steps] == ["put", "head", "get", "delete", "gone"]
    missing = await check(
        S3Storage(
            s3_settings(settings, s3_endpoint).model_copy(update={"s3_bucket": "no-such-bucket"})
        )
    )
    assert not missing.ok
    assert missing.steps[0][0] == "put" and "NoSuchBucket" in missing.steps[0][2]


async def test_store_down_answers_503_quickly_and_writes_nothing(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    with s3_server() as endpoint:
        create_bucket(endpoint)
        down_app = create_app(s3_settings(settings, endpoint))
        async with down_app.router.lifespan_context(down_app):
            transport = httpx.ASGITransport(app=down_app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                f = Factory(c, down_app)
                owner = await f.owner()
                product = await f.product(owner)
                doc = await f.document(owner, "halal", product_id=product["id"])
                media = await f.media(owner, product["id"])
                # the server goes away
                endpoint_down = endpoint
    del endpoint_down
    async with down_app.router.lifespan_context(down_app):
        transport = httpx.ASGITransport(app=down_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            for method, path, body in [
                (
                    "POST",
                    f"/api/v1/products/{product['id']}/media",
                    {"filename": "a.png", "content_type": "image/png", "size": 10},
                ),
                (
                    "POST",
                    f"/api/v1/products/{product['id']}/documents",
                    {
                        "doc_type": "halal",
                        "number": "H-2",
                        "issuer": "BPJPH",
                        "issued_on": "2026-01-01",
                        "expires_on": "2029-01-01",
                        "filename": "h.pdf",
                        "content_type": "application/pdf",
                        "size": 10,
                    },
                ),
                ("GET", f"/api/v1/documents/{doc['id']}/download", None),
            ]:
                started = time.monotonic()
                r = await c.request(method, path, json=body, headers=owner.headers)
                assert r.status_code == 503, (path, r.text)
                assert r.headers["content-type"] == "application/problem+json"
                assert time.monotonic() - started < 5
            after = (await c.get(f"/api/v1/products/{product['id']}", headers=owner.headers)).json()
    assert [m["id"] for m in after["media"]] == [media["id"]], "no half-made media row"
    assert [d["id"] for d in after["documents"]] == [doc["id"]], "no half-made document row"


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="poppler-utils missing")
async def test_the_printed_catalog_reads_each_image_from_the_store(
    s3: Factory, s3_endpoint: str, tmp_path: Path
) -> None:
    product, _ = await s3.published_product()
    async with s3.session() as session:
        key = await session.scalar(
            select(Media.storage_key).where(Media.id == uuid.UUID(product["media"][0]["id"]))
        )
    assert key is not None
    storage = s3.app.state.storage
    assert await storage.read(key) == png()  # the factory's upload
    catalog = "/api/v1/channels/tokyo-msme-center/catalog.pdf"
    r = await s3.client.get(catalog)
    assert r.status_code == 200 and images_drawn(r.content, tmp_path) == 1

    bucket(s3_endpoint).delete_object(Bucket=BUCKET, Key=key)
    assert await storage.read(key) is None
    r = await s3.client.get(catalog)
    assert r.status_code == 200 and images_drawn(r.content, tmp_path) == 0  # an empty frame


async def test_logs_of_a_journey_carry_no_token_password_or_document_url(
    s3: Factory, s3_endpoint: str
) -> None:
    """Login, document upload through the store, download: every line the service logs
    (the root logger at INFO, as `kurasi serve` configures it) is free of them."""
    lines = Lines()
    # Not the service's: the test's own HTTP client (the URLs it requests, outside any
    # request served) and the S3 stand-in (werkzeug).
    lines.addFilter(
        lambda r: not r.name.startswith(("httpx", "werkzeug")) or request_id.get() is not None
    )
    root = logging.getLogger()
    level = root.level
    root.addHandler(lines)
    root.setLevel(logging.INFO)
    try:
        owner = await s3.owner()
        product = await s3.product(owner)
        login = await s3.client.post(
            "/api/v1/auth/token", data={"username": owner.email, "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        tokens = login.json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        content = pdf("halal")
        r = await s3.client.post(
            f"/api/v1/products/{product['id']}/documents",
            json={
                "doc_type": "halal",
                "number": "H-LOG-1",
                "issuer": "BPJPH",
                "issued_on": "2026-01-01",
                "expires_on": "2030-01-01",
                "filename": "halal.pdf",
                "content_type": "application/pdf",
                "size": len(content),
            },
            headers=headers,
        )
        assert r.status_code == 201, r.text
        document, upload = r.json()["document"], r.json()["upload"]
        sent = await post_to_s3(upload, content, "application/pdf")
        assert sent.status_code == 204, sent.text
        done = await s3.client.post(f"/api/v1/documents/{document['id']}/complete", headers=headers)
        assert done.status_code == 200, done.text
        r = await s3.client.get(f"/api/v1/documents/{document['id']}/download", headers=headers)
        assert r.status_code == 307
        location = r.headers["location"]
        await s3.drain()
    finally:
        root.removeHandler(lines)
        root.setLevel(level)

    printed = "\n".join(json.dumps(line) for line in lines.lines)
    routes = {line.get("route") for line in lines.lines}
    assert "/api/v1/auth/token" in routes and "/api/v1/documents/{document_id}/download" in routes
    secrets = {
        "access token": tokens["access_token"],
        "refresh token": tokens["refresh_token"],
        "password": PASSWORD,
        "download URL": location,
        "download signature": parse_qs(urlparse(location).query)["X-Amz-Signature"][0],
        "upload policy": upload["fields"]["policy"],
        "upload signature": upload["fields"]["x-amz-signature"],
    }
    assert [name for name, secret in secrets.items() if secret in printed] == []
