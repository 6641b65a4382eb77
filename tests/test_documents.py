"""Documents: declared and validated, private downloads, verification, ownership."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from sqlalchemy import update

from app.demo.files import pdf, png
from app.models import Document
from tests.factories import Actor, Factory, in_db


def declaration(doc_type: str = "halal", **overrides: Any) -> dict[str, Any]:
    today = date.today()
    return {
        "doc_type": doc_type,
        "number": "ID00110012345678",
        "issuer": "BPJPH",
        "issued_on": (today - timedelta(days=30)).isoformat(),
        "expires_on": (today + timedelta(days=3 * 365)).isoformat(),
        "filename": f"{doc_type}.pdf",
        "content_type": "application/pdf",
        "size": 1234,
        **overrides,
    }


async def owner_product(factory: Factory) -> tuple[Actor, dict[str, Any]]:
    owner = await factory.owner()
    return owner, await factory.product(owner)


async def document_count(factory: Factory, owner: Actor, product: dict[str, Any]) -> int:
    return len((await factory.get_product(owner, product["id"]))["documents"])


# -- declaration rules ------------------------------------------------------------------------


async def test_unknown_doc_type_is_422(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, product = await owner_product(factory)
    r = await client.post(
        f"/api/v1/products/{product['id']}/documents",
        json=declaration("fairy_dust"),
        headers=owner.headers,
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert any("doc_type" in e["loc"] for e in r.json()["errors"])
    assert await document_count(factory, owner, product) == 0


async def test_document_scope_is_enforced(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, product = await owner_product(factory)
    r = await client.post(
        f"/api/v1/products/{product['id']}/documents",
        json=declaration("nib", expires_on=None),
        headers=owner.headers,
    )
    assert r.status_code == 422, r.text
    r = await client.post(
        f"/api/v1/msmes/{product['msme_id']}/documents",
        json=declaration("halal"),
        headers=owner.headers,
    )
    assert r.status_code == 422, r.text
    msme = (await client.get(f"/api/v1/msmes/{product['msme_id']}", headers=owner.headers)).json()
    assert msme["documents"] == []
    assert await document_count(factory, owner, product) == 0

    # The right scope for each is accepted.
    r = await client.post(
        f"/api/v1/msmes/{product['msme_id']}/documents",
        json=declaration("nib", expires_on=None),
        headers=owner.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["document"]["product_id"] is None
    r = await client.post(
        f"/api/v1/products/{product['id']}/documents",
        json=declaration("halal"),
        headers=owner.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["document"]["product_id"] == product["id"]


async def test_expires_on_is_required_exactly_for_types_that_expire(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, product = await owner_product(factory)
    on_product = f"/api/v1/products/{product['id']}/documents"
    on_msme = f"/api/v1/msmes/{product['msme_id']}/documents"
    for path, body in (
        (on_product, declaration("halal", expires_on=None)),
        (
            on_product,
            {k: v for k, v in declaration("food_registration").items() if k != "expires_on"},
        ),
        (on_msme, declaration("nib")),  # a NIB does not expire
        (on_product, declaration("lab_test")),  # dated by issued_on, not expires_on
    ):
        r = await client.post(path, json=body, headers=owner.headers)
        assert r.status_code == 422, r.text
        assert [e["loc"] for e in r.json()["errors"]] == [["body", "expires_on"]]
        assert body["doc_type"] in r.json()["errors"][0]["msg"]
    msme = (await client.get(on_msme.removesuffix("/documents"), headers=owner.headers)).json()
    assert msme["documents"] == []
    assert await document_count(factory, owner, product) == 0


async def test_an_expiring_document_without_expires_on_never_counts(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    """Rows from before the rule (or written around it) are not taken as valid forever."""
    owner, product = await owner_product(factory)
    await factory.required_documents(owner, product)
    url = f"/api/v1/products/{product['id']}/readiness"
    assert (await client.get(url, headers=owner.headers)).json()["ready"] is True
    await in_db(
        factory.app,
        update(Document).where(Document.doc_type == "food_registration").values(expires_on=None),
    )
    readiness = (await client.get(url, headers=owner.headers)).json()
    assert [r["code"] for r in readiness["requirements"] if not r["met"]] == ["food_registration"]


async def test_document_dates_are_checked(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, product = await owner_product(factory)
    today = date.today()
    path = f"/api/v1/products/{product['id']}/documents"
    future = declaration(issued_on=(today + timedelta(days=1)).isoformat())
    assert (await client.post(path, json=future, headers=owner.headers)).status_code == 422
    backwards = declaration(
        issued_on=(today - timedelta(days=10)).isoformat(),
        expires_on=(today - timedelta(days=20)).isoformat(),
    )
    r = await client.post(path, json=backwards, headers=owner.headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert await document_count(factory, owner, product) == 0
    # Issued today is fine.
    ok = declaration(issued_on=today.isoformat())
    assert (await client.post(path, json=ok, headers=owner.headers)).status_code == 201


# -- downloads --------------------------------------------------------------------------------


async def test_download_redirects_to_the_exact_bytes_for_owner_curator_admin(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, product = await owner_product(factory)
    content = pdf("Halal certificate BPJPH 2026")
    doc = await factory.document(owner, "halal", product_id=product["id"], content=content)
    curator, admin = await factory.curator(), await factory.admin()
    for actor in (owner, curator, admin):
        r = await client.get(f"/api/v1/documents/{doc['id']}/download", headers=actor.headers)
        assert r.status_code == 307, r.text
        location = r.headers["location"]
        assert location
        # The short-lived URL itself needs no token.
        file = await client.get(location)
        assert file.status_code == 200, file.text
        assert file.content == content


async def test_download_of_msme_document(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, product = await owner_product(factory)
    content = png(4, 4)
    doc = await factory.document(
        owner,
        "nib",
        msme_id=product["msme_id"],
        content=content,
        content_type="image/png",
        filename="nib.png",
    )
    r = await client.get(f"/api/v1/documents/{doc['id']}/download", headers=owner.headers)
    assert r.status_code == 307
    file = await client.get(r.headers["location"])
    assert file.status_code == 200 and file.content == content


async def test_download_is_private(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, product = await owner_product(factory)
    doc = await factory.document(owner, "halal", product_id=product["id"])
    buyer, stranger = await factory.buyer(), await factory.owner()
    path = f"/api/v1/documents/{doc['id']}/download"
    assert (await client.get(path, headers=buyer.headers)).status_code == 403
    r = await client.get(path, headers=stranger.headers)
    assert r.status_code == 404
    assert "location" not in r.headers
    assert (await client.get(path)).status_code == 401
    assert (
        await client.get(f"/api/v1/documents/{doc['id']}", headers=buyer.headers)
    ).status_code == 403
    assert (await client.get(f"/api/v1/documents/{doc['id']}")).status_code == 401


async def test_download_of_pending_document_is_409(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, product = await owner_product(factory)
    r = await client.post(
        f"/api/v1/products/{product['id']}/documents", json=declaration(), headers=owner.headers
    )
    doc_id = r.json()["document"]["id"]
    r = await client.get(f"/api/v1/documents/{doc_id}/download", headers=owner.headers)
    assert r.status_code == 409, r.text
    assert "location" not in r.headers


async def test_tampered_download_url_is_forbidden(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, product = await owner_product(factory)
    content = pdf("secret lab report")
    doc = await factory.document(owner, "lab_test", product_id=product["id"], content=content)
    other = await factory.document(owner, "halal", product_id=product["id"])
    location = (
        await client.get(f"/api/v1/documents/{doc['id']}/download", headers=owner.headers)
    ).headers["location"]
    other_location = (
        await client.get(f"/api/v1/documents/{other['id']}/download", headers=owner.headers)
    ).headers["location"]
    parts = urlsplit(location)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}

    def with_query(path: str, **changes: str) -> str:
        return f"{parts.scheme}://{parts.netloc}{path}?{urlencode({**query, **changes})}"

    sig = query["signature"]
    flipped = ("0" if sig[0] != "0" else "1") + sig[1:]
    r = await client.get(with_query(parts.path, signature=flipped))
    assert r.status_code == 403
    assert content not in r.content
    r = await client.get(with_query(parts.path, expires=str(int(query["expires"]) + 3600)))
    assert r.status_code == 403
    # This document's signature does not open another document's file.
    r = await client.get(with_query(urlsplit(other_location).path))
    assert r.status_code == 403
    # The untouched URL still works.
    assert (await client.get(location)).content == content


# -- verification -----------------------------------------------------------------------------


async def test_curator_verifies_and_rejects_with_note(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, product = await owner_product(factory)
    curator, admin = await factory.curator(), await factory.admin()
    halal = await factory.document(owner, "halal", product_id=product["id"])
    lab = await factory.document(owner, "lab_test", product_id=product["id"])
    assert halal["status"] == "uploaded" and halal["verified_at"] is None

    r = await client.post(
        f"/api/v1/documents/{halal['id']}/verify",
        json={"status": "verified", "note": "Checked against the BPJPH register"},
        headers=curator.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "verified"
    assert r.json()["note"] == "Checked against the BPJPH register"
    assert r.json()["verified_at"] is not None

    r = await client.post(
        f"/api/v1/documents/{lab['id']}/verify",
        json={"status": "rejected", "note": "The report is not signed"},
        headers=admin.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "rejected"

    # The owner sees the outcome on the document and on the product.
    seen = (await client.get(f"/api/v1/documents/{lab['id']}", headers=owner.headers)).json()
    assert seen["status"] == "rejected" and seen["note"] == "The report is not signed"
    docs = {
        d["id"]: d["status"] for d in (await factory.get_product(owner, product["id"]))["documents"]
    }
    assert docs == {halal["id"]: "verified", lab["id"]: "rejected"}


async def test_only_staff_verify(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, product = await owner_product(factory)
    doc = await factory.document(owner, "halal", product_id=product["id"])
    buyer = await factory.buyer()
    for actor in (owner, buyer):
        r = await client.post(
            f"/api/v1/documents/{doc['id']}/verify",
            json={"status": "verified"},
            headers=actor.headers,
        )
        assert r.status_code == 403, r.text
    seen = (await client.get(f"/api/v1/documents/{doc['id']}", headers=owner.headers)).json()
    assert seen["status"] == "uploaded"
    curator = await factory.curator()
    r = await client.post(
        f"/api/v1/documents/{doc['id']}/verify",
        json={"status": "uploaded"},
        headers=curator.headers,
    )
    assert r.status_code == 422


async def test_verifying_a_pending_upload_is_409(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, product = await owner_product(factory)
    r = await client.post(
        f"/api/v1/products/{product['id']}/documents", json=declaration(), headers=owner.headers
    )
    doc_id = r.json()["document"]["id"]
    curator = await factory.curator()
    r = await client.post(
        f"/api/v1/documents/{doc_id}/verify", json={"status": "verified"}, headers=curator.headers
    )
    assert r.status_code == 409, r.text
    seen = (await client.get(f"/api/v1/documents/{doc_id}", headers=curator.headers)).json()
    assert seen["status"] == "pending_upload"


# -- another owner's objects are 404 everywhere -----------------------------------------------


async def test_another_owners_documents_and_media_are_404(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, product = await owner_product(factory)
    stranger = await factory.owner()
    await factory.msme(stranger)
    pid, msme_id = product["id"], product["msme_id"]
    image = png()

    # Starting uploads on another owner's product or MSME.
    r = await client.post(
        f"/api/v1/products/{pid}/documents", json=declaration(), headers=stranger.headers
    )
    assert r.status_code == 404, r.text
    r = await client.post(
        f"/api/v1/msmes/{msme_id}/documents",
        json=declaration("nib", expires_on=None),
        headers=stranger.headers,
    )
    assert r.status_code == 404, r.text
    r = await client.post(
        f"/api/v1/products/{pid}/media",
        json={"filename": "x.png", "content_type": "image/png", "size": len(image)},
        headers=stranger.headers,
    )
    assert r.status_code == 404, r.text

    # Pending uploads of the owner, the files sent but not completed.
    started_doc = (
        await client.post(
            f"/api/v1/products/{pid}/documents",
            json=declaration(size=len(pdf())),
            headers=owner.headers,
        )
    ).json()
    assert (await factory.send_upload(started_doc["upload"], pdf())).status_code == 204
    started_media = (
        await client.post(
            f"/api/v1/products/{pid}/media",
            json={"filename": "x.png", "content_type": "image/png", "size": len(image)},
            headers=owner.headers,
        )
    ).json()
    assert (await factory.send_upload(started_media["upload"], image)).status_code == 204
    doc_id, media_id = started_doc["document"]["id"], started_media["media"]["id"]

    assert (
        await client.post(f"/api/v1/documents/{doc_id}/complete", headers=stranger.headers)
    ).status_code == 404
    assert (
        await client.post(f"/api/v1/media/{media_id}/complete", headers=stranger.headers)
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/documents/{doc_id}", headers=stranger.headers)
    ).status_code == 404

    # Nothing changed for the owner, who can still complete both.
    seen = await factory.get_product(owner, pid)
    assert [d["status"] for d in seen["documents"]] == ["pending_upload"]
    assert [m["status"] for m in seen["media"]] == ["pending_upload"]
    r = await client.post(f"/api/v1/documents/{doc_id}/complete", headers=owner.headers)
    assert r.status_code == 200 and r.json()["status"] == "uploaded"
    r = await client.post(f"/api/v1/media/{media_id}/complete", headers=owner.headers)
    assert r.status_code == 200 and r.json()["status"] == "uploaded"
    r = await client.get(f"/api/v1/documents/{doc_id}/download", headers=stranger.headers)
    assert r.status_code == 404
    r = await client.post(
        f"/api/v1/documents/{doc_id}/verify", json={"status": "verified"}, headers=stranger.headers
    )
    assert r.status_code == 403  # the role may never verify

    # An unknown id answers the same as another owner's.
    unknown = "00000000-0000-4000-8000-000000000000"
    assert (
        await client.get(f"/api/v1/documents/{unknown}", headers=owner.headers)
    ).status_code == 404
    assert (
        await client.post(f"/api/v1/media/{unknown}/complete", headers=owner.headers)
    ).status_code == 404


async def test_curators_and_buyers_cannot_upload(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, product = await owner_product(factory)
    for actor in (await factory.curator(), await factory.buyer(), await factory.admin()):
        r = await client.post(
            f"/api/v1/products/{product['id']}/documents",
            json=declaration(),
            headers=actor.headers,
        )
        assert r.status_code == 403, r.text
    assert await document_count(factory, owner, product) == 0
