"""In-app notifications (SPEC §9): who hears of what, in their language, once."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from app.events.worker import WorkerContext
from app.models import Notification, OutboxEvent
from app.notifications.handler import notify
from app.notifications.texts import EVENTS, LANGUAGES, product_name, render
from tests.factories import Actor, Factory
from tests.test_inquiries import ask, say

MINE = "/api/v1/users/me/notifications"


async def mine(client: httpx.AsyncClient, actor: Actor, **params: Any) -> list[dict[str, Any]]:
    r = await client.get(MINE, params=params, headers=actor.headers)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def in_review(factory: Factory, owner: Actor, curator: Actor) -> dict[str, Any]:
    product = await factory.ready_product(owner)
    r = await factory.transition(owner, product["id"], "submit")
    assert r.status_code == 200, r.text
    r = await factory.transition(curator, product["id"], "start_review")
    assert r.status_code == 200, r.text
    return product


async def test_a_submission_notifies_every_curator(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curators = await factory.owner(), [await factory.curator(), await factory.curator()]
    product = await factory.ready_product(owner)
    assert (await factory.transition(owner, product["id"], "submit")).status_code == 200
    await factory.drain()
    for curator in curators:
        (seen,) = await mine(client, curator)
        assert seen["event"] == "product.submitted"
        assert seen["product_id"] == product["id"]
        assert "Roasted Gayo arabica coffee" in seen["title"]
        assert f"/products/{product['id']}" in seen["body"]
        assert seen["read_at"] is None
    assert await mine(client, owner) == []


async def test_changes_requested_reach_the_owner_in_japanese(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("msme_owner", preferred_language="ja")
    curator = await factory.curator()
    product = await in_review(factory, owner, curator)
    r = await factory.transition(
        curator, product["id"], "request_changes", comment="アレルゲン表示を追加してください"
    )
    assert r.status_code == 200, r.text
    await factory.drain()
    (seen,) = await mine(client, owner)
    assert seen["event"] == "product.changes_requested"
    assert seen["title"] == "修正依頼: ガヨ・アラビカ焙煎コーヒー"
    assert "アレルゲン表示を追加してください" in seen["body"]
    assert "キュレーターのコメント" in seen["body"]


async def test_an_inquiry_tells_the_owner_and_the_reply_tells_the_buyer(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    product, actors = await factory.published_product()
    owner, buyer = actors["owner"], await factory.buyer()
    r = await ask(client, buyer, product["id"])
    assert r.status_code == 201, r.text
    inquiry_id = r.json()["id"]
    await factory.drain()
    heard = await mine(client, owner)
    assert heard[0]["event"] == "inquiry.created"
    assert heard[0]["inquiry_id"] == inquiry_id
    assert "サンプルを10kgお願いします。" in heard[0]["body"]
    assert await mine(client, buyer) == []

    assert (await say(client, owner, inquiry_id, "Samples ship Monday.")).status_code == 201
    await factory.drain()
    (answer,) = await mine(client, buyer)
    assert answer["event"] == "inquiry.message"
    assert "Samples ship Monday." in answer["body"]
    assert f"/inquiries/{inquiry_id}" in answer["body"]
    # the owner does not hear of their own message
    assert (await mine(client, owner))[0]["event"] != "inquiry.message"

    # a retried event adds nothing
    async with app.state.sessionmaker() as session:
        event = await session.scalar(
            select(OutboxEvent).where(OutboxEvent.type == "inquiry.message")
        )
    assert event is not None
    context = WorkerContext(app.state.sessionmaker, app.state.storage, app.state.settings)
    await notify(context, event)
    await notify(context, event)
    async with app.state.sessionmaker() as session:
        count = await session.scalar(select(func.count()).where(Notification.event_id == event.id))
    assert count == 1


async def test_marking_read_is_the_readers_own_and_idempotent(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator, other = await factory.owner(), await factory.curator(), await factory.owner()
    product = await factory.ready_product(owner)
    assert (await factory.transition(owner, product["id"], "submit")).status_code == 200
    await factory.drain()
    (seen,) = await mine(client, curator)
    url = f"{MINE}/{seen['id']}/read"

    assert (await client.post(url, headers=other.headers)).status_code == 404
    assert (await client.post(url)).status_code == 401
    assert (await client.get(MINE)).status_code == 401
    missing = f"{MINE}/{uuid.uuid4()}/read"
    assert (await client.post(missing, headers=curator.headers)).status_code == 404

    first = await client.post(url, headers=curator.headers)
    assert first.status_code == 200, first.text
    assert first.json()["read_at"] is not None
    again = await client.post(url, headers=curator.headers)
    assert again.status_code == 200
    assert again.json()["read_at"] == first.json()["read_at"]
    (listed,) = await mine(client, curator)
    assert listed["read_at"] == first.json()["read_at"]


def test_every_notified_event_has_its_texts_in_every_language() -> None:
    context = {"product": "P", "comment": "C", "message": "M", "link": "http://x/p/1"}
    for event in EVENTS:
        for language in LANGUAGES:
            subject, body = render(event, language, context)
            assert "P" in subject and "\n" not in subject
            assert body.endswith("http://x/p/1")
    names = {"en": "Coffee", "ja": "コーヒー"}
    assert product_name(names, "ja") == "コーヒー"
    assert product_name(names, "id") == "Coffee"  # English when it has no Indonesian name
    assert render("product.approved", "fr", context)[0] == "Approved: P"  # unknown: English


async def test_a_document_decision_tells_the_owner_with_the_note(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = (
        await factory.user("msme_owner", preferred_language="id"),
        await factory.curator(),
    )
    product = await factory.product(owner)
    document = await factory.document(owner, "lab_test", product_id=product["id"])
    r = await client.post(
        f"/api/v1/documents/{document['id']}/verify",
        json={"status": "rejected", "note": "Hasil lab sudah kedaluwarsa"},
        headers=curator.headers,
    )
    assert r.status_code == 200, r.text
    await factory.drain()
    (seen,) = await mine(client, owner)
    assert seen["event"] == "document.rejected"
    assert seen["title"] == "Dokumen ditolak: Kopi Arabika Gayo sangrai"
    assert "Hasil lab sudah kedaluwarsa" in seen["body"]
    assert seen["body"].endswith(f"/api/v1/documents/{document['id']}")


async def test_the_event_is_a_named_enum_of_the_notified_events(client: httpx.AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    event = schemas["NotificationOut"]["properties"]["event"]
    assert event["$ref"] == "#/components/schemas/NotificationEvent"
    assert set(schemas["NotificationEvent"]["enum"]) == EVENTS
