"""What approval and listing need (SPEC §3, §4): a verified MSME, verified documents named
by id when they are not, a checklist where criteria that do not apply are `not_applicable`."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import Actor, Factory
from tests.test_channels_fx import listing

COFFEE_DOCUMENTS = {"nib", "food_registration", "lab_test", "jp_label_draft"}


async def _in_review(factory: Factory) -> tuple[Actor, Actor, dict[str, Any]]:
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.ready_product(owner)
    for actor, action in ((owner, "submit"), (curator, "start_review")):
        r = await factory.transition(actor, product["id"], action)
        assert r.status_code == 200, r.text
    return owner, curator, product


async def _documents(client: httpx.AsyncClient, curator: Actor, product: dict[str, Any]) -> Any:
    """Every document of the product and of its MSME, by id."""
    r = await client.get(f"/api/v1/msmes/{product['msme_id']}", headers=curator.headers)
    shown = await client.get(f"/api/v1/products/{product['id']}", headers=curator.headers)
    return {d["id"]: d for d in [*r.json()["documents"], *shown.json()["documents"]]}


async def _approve(
    factory: Factory, curator: Actor, product: dict[str, Any], checklist: Any = None
) -> httpx.Response:
    checklist = factory.checklist(product) if checklist is None else checklist
    return await factory.transition(
        curator, product["id"], "approve", checklist=checklist, score=80
    )


async def test_approval_lists_what_is_missing_with_the_documents_ids(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    _, curator, product = await _in_review(factory)
    docs = await _documents(client, curator, product)
    assert {d["doc_type"] for d in docs.values()} == COFFEE_DOCUMENTS

    # Nothing verified and the checklist short of one criterion: one 422 says all of it.
    r = await _approve(factory, curator, product, factory.checklist(product)[1:])
    assert r.status_code == 422, r.text
    problem = r.json()
    errors = problem["errors"]
    assert errors[0]["loc"] == ["body", "checklist"]
    assert {
        "loc": ["msme", "verified"],
        "msg": errors[1]["msg"],
        "msme_id": product["msme_id"],
    } in (errors)
    by_doc = {e["document_id"]: e for e in errors if e["loc"][0] == "documents"}
    assert set(by_doc) == set(docs)
    for doc_id, error in by_doc.items():
        assert error["loc"] == ["documents", doc_id]
        assert error["doc_type"] == docs[doc_id]["doc_type"]
        assert error["status"] == "uploaded"
        assert "not verified" in error["msg"]
    needs = {e["loc"][1]: e["document_ids"] for e in errors if e["loc"][0] == "requirements"}
    assert needs == {d["doc_type"]: [doc_id] for doc_id, d in docs.items()}
    assert {r["code"] for r in problem["requirements"]} == COFFEE_DOCUMENTS

    # The documents verified: only the MSME stands in the way.
    for doc_id in docs:
        r = await client.post(
            f"/api/v1/documents/{doc_id}/verify",
            json={"status": "verified"},
            headers=curator.headers,
        )
        assert r.status_code == 200, r.text
    r = await _approve(factory, curator, product)
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["errors"]] == [["msme", "verified"]]
    shown = await client.get(f"/api/v1/products/{product['id']}", headers=curator.headers)
    assert shown.json()["status"] == "in_review"

    r = await client.post(f"/api/v1/msmes/{product['msme_id']}/verify", headers=curator.headers)
    assert r.status_code == 200 and r.json()["verified"] is True
    r = await _approve(factory, curator, product)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved"


async def test_a_rejected_document_is_named_as_rejected(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    _, curator, product = await _in_review(factory)
    await factory.verify_documents(curator, product["id"])
    docs = await _documents(client, curator, product)
    [lab] = [i for i, d in docs.items() if d["doc_type"] == "lab_test"]
    r = await client.post(
        f"/api/v1/documents/{lab}/verify",
        json={"status": "rejected", "note": "unreadable"},
        headers=curator.headers,
    )
    assert r.status_code == 200, r.text
    r = await _approve(factory, curator, product)
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["errors"]] == [
        ["requirements", "lab_test"],
        ["documents", lab],
    ]
    assert r.json()["errors"][1]["status"] == "rejected"


async def test_a_criterion_that_does_not_apply_may_be_sent_as_not_applicable(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    _, curator, product = await _in_review(factory)
    await factory.verify_documents(curator, product["id"])
    full = factory.checklist(product)
    assert "electrical_safety" not in {c["criterion"] for c in full}  # a coffee, not electrical

    for extra, wrong in (
        ({"criterion": "electrical_safety", "result": "pass"}, "send it as not_applicable"),
        ({"criterion": "made_up", "result": "not_applicable"}, "is not a criterion"),
    ):
        r = await _approve(factory, curator, product, [*full, extra])
        assert r.status_code == 422, r.text
        [error] = r.json()["errors"]
        assert error["loc"] == ["body", "checklist", len(full), "criterion"]
        assert wrong in error["msg"]

    na = {"criterion": "electrical_safety", "result": "not_applicable", "note": "no power"}
    r = await _approve(factory, curator, product, [*full, na])
    assert r.status_code == 200, r.text
    reviews = await client.get(f"/api/v1/products/{product['id']}/reviews", headers=curator.headers)
    [review] = reviews.json()["items"]
    assert review["checklist"][-1] == na


async def test_listing_needs_an_approved_revision_and_a_verified_msme(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator, admin = await factory.owner(), await factory.curator(), await factory.admin()
    await factory.channel(admin)
    product = await factory.approved_product(owner, curator)
    r = await client.post(
        f"/api/v1/msmes/{product['msme_id']}/verify",
        json={"verified": False},
        headers=curator.headers,
    )
    assert r.status_code == 200 and r.json()["verified"] is False
    r = await listing(client, admin, product["id"])
    assert r.status_code == 409, r.text
    assert r.json()["detail"] == "The product's MSME is not verified"
    assert (await client.get(f"/api/v1/catalog/products/{product['id']}")).status_code == 404

    await client.post(f"/api/v1/msmes/{product['msme_id']}/verify", headers=curator.headers)
    r = await listing(client, admin, product["id"])
    assert r.status_code == 201, r.text
    shown = await client.get(f"/api/v1/catalog/products/{product['id']}")
    assert shown.status_code == 200 and shown.json()["msme"]["verified"] is True
