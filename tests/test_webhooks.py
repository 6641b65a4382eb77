"""Webhooks for partner systems (SPEC §9): subscriptions, signed deliveries to a real
HTTP receiver on loopback, retries for 24 hours, and the refusal of unsafe URLs."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.core import clock
from app.events.worker import WorkerContext
from app.models import OutboxEvent, WebhookDelivery
from app.webhooks import delivery, service
from app.webhooks.delivery import Deliverer
from tests.factories import Actor, Factory

README = Path(__file__).resolve().parents[1] / "README.md"


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """An HTTP server on loopback that answers `statuses` in turn, then 200."""

    url: str
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    delay: float = 0.0  # seconds before answering


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(Received(dict(self.headers.items()), body))
            time.sleep(state.delay)
            self.send_response(state.statuses.pop(0) if state.statuses else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def readme_check(signature_header: str, body: bytes, secret: str) -> bool:
    """The README's three lines of Python, run as they are written there."""
    section = README.read_text().split("## Webhooks", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    scope: dict[str, Any] = {"signature_header": signature_header, "body": body, "secret": secret}
    exec(code.group(1), scope)
    return bool(scope["valid"])


def deliverer(app: FastAPI) -> Deliverer:
    context = WorkerContext(app.state.sessionmaker, app.state.storage, app.state.settings)
    return Deliverer(context)


async def subscribe(
    client: httpx.AsyncClient, admin: Actor, url: str, events: list[str]
) -> dict[str, Any]:
    r = await client.post(
        "/api/v1/webhooks", json={"url": url, "events": events}, headers=admin.headers
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def attempts(client: httpx.AsyncClient, admin: Actor, hook_id: str) -> list[dict[str, Any]]:
    r = await client.get(f"/api/v1/webhooks/{hook_id}/deliveries", headers=admin.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def hooks(client: httpx.AsyncClient, admin: Actor) -> list[dict[str, Any]]:
    r = await client.get("/api/v1/webhooks", headers=admin.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def approve(factory: Factory) -> dict[str, Any]:
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.approved_product(owner, curator)
    await factory.drain()  # the outbox's handlers: one delivery per subscription
    return product


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at = clock.now()
        monkeypatch.setattr(clock, "now", lambda: self.at)

    def advance(self, delta: timedelta) -> datetime:
        self.at += delta
        return self.at


async def test_only_admins_subscribe_and_the_secret_is_shown_once(
    client: httpx.AsyncClient, factory: Factory, receiver: Receiver
) -> None:
    body = {"url": receiver.url, "events": ["product.approved"]}
    assert (await client.post("/api/v1/webhooks", json=body)).status_code == 401
    for other in (await factory.owner(), await factory.buyer(), await factory.curator()):
        r = await client.post("/api/v1/webhooks", json=body, headers=other.headers)
        assert r.status_code == 403, r.text
    admin = await factory.admin()
    hook = await subscribe(client, admin, receiver.url, ["product.approved"])
    assert len(hook["secret"]) == 64 and hook["events"] == ["product.approved"]
    listed = (await client.get("/api/v1/webhooks", headers=admin.headers)).json()["items"]
    assert [h["id"] for h in listed] == [hook["id"]]
    assert "secret" not in listed[0]

    r = await client.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "events": ["product.exploded"]},
        headers=admin.headers,
    )
    assert r.status_code == 422 and "product.approved" in r.text, r.text

    r = await client.delete(f"/api/v1/webhooks/{hook['id']}", headers=admin.headers)
    assert r.status_code == 204
    assert (await client.get("/api/v1/webhooks", headers=admin.headers)).json()["items"] == []


async def test_an_event_is_delivered_signed(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, receiver: Receiver
) -> None:
    admin = await factory.admin()
    hook = await subscribe(client, admin, receiver.url, ["product.approved"])
    other = await subscribe(client, admin, receiver.url, ["listing.published"])
    product = await approve(factory)
    await factory.drain()  # run again: still one delivery
    assert await deliverer(app).run_once() == 1

    [got] = receiver.received
    assert got.headers["Kurasi-Event"] == "product.approved"
    assert got.headers["Kurasi-Delivery"]
    assert readme_check(got.headers["Kurasi-Signature"], got.body, hook["secret"])
    assert not readme_check(got.headers["Kurasi-Signature"], got.body + b" ", hook["secret"])
    assert not readme_check(got.headers["Kurasi-Signature"], got.body, other["secret"])
    payload = httpx.Response(200, content=got.body).json()
    assert set(payload) == {"id", "type", "created_at", "data"}
    assert payload["type"] == "product.approved"
    assert payload["data"]["product_id"] == product["id"]

    [attempt] = await attempts(client, admin, hook["id"])
    assert attempt["status_code"] == 200 and attempt["attempt"] == 1
    assert attempt["error"] is None and attempt["next_attempt_at"] is None
    assert await deliverer(app).run_once() == 0  # delivered: not sent again
    assert await attempts(client, admin, other["id"]) == []


async def test_a_receiver_that_fails_twice_gets_it_the_third_time(
    client: httpx.AsyncClient,
    factory: Factory,
    app: FastAPI,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = Clock(monkeypatch)
    admin = await factory.admin()
    hook = await subscribe(client, admin, receiver.url, ["product.approved"])
    receiver.statuses = [500, 503]
    await approve(factory)
    sender = deliverer(app)
    assert await sender.run_once() == 1
    assert await sender.run_once() == 0  # not due yet: backoff
    fake.advance(timedelta(seconds=13))  # 10 s, jitter up to a quarter
    assert await sender.run_once() == 1
    fake.advance(timedelta(seconds=13))
    assert await sender.run_once() == 0
    fake.advance(timedelta(seconds=13))  # 20 s after the second
    assert await sender.run_once() == 1

    assert len(receiver.received) == 3
    assert len({r.headers["Kurasi-Delivery"] for r in receiver.received}) == 1
    last = receiver.received[-1]
    assert readme_check(last.headers["Kurasi-Signature"], last.body, hook["secret"])
    log = await attempts(client, admin, hook["id"])
    assert [(a["attempt"], a["status_code"]) for a in log] == [(3, 200), (2, 503), (1, 500)]
    assert log[1]["error"] == "answered 503" and log[1]["next_attempt_at"] is not None
    assert log[0]["next_attempt_at"] is None


async def test_after_24_hours_of_failures_it_is_recorded_failed(
    client: httpx.AsyncClient,
    factory: Factory,
    app: FastAPI,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = Clock(monkeypatch)
    admin = await factory.admin()
    hook = await subscribe(client, admin, receiver.url, ["product.approved"])
    receiver.statuses = [500] * 1000
    await approve(factory)
    sender = deliverer(app)
    for _ in range(40):
        await sender.run_once()
        fake.advance(timedelta(hours=1, minutes=16))
    async with app.state.sessionmaker() as session:
        [row] = (await session.scalars(select(WebhookDelivery))).all()
    assert row.status == "failed" and row.next_attempt_at is None
    sent = len(receiver.received)
    assert 10 < sent < 40
    fake.advance(timedelta(days=2))
    assert await sender.run_once() == 0
    assert len(receiver.received) == sent
    log = await attempts(client, admin, hook["id"])
    assert len(log) == sent and log[0]["next_attempt_at"] is None
    assert log[-1]["attempt"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example.com/hook",
        "https://127.0.0.1/",
        "https://10.0.0.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/",
        "https://localhost/",
    ],
)
async def test_production_refuses_unsafe_urls(
    client: httpx.AsyncClient,
    factory: Factory,
    app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
) -> None:
    admin = await factory.admin()
    settings = app.state.settings
    app.state.settings = settings.model_copy(update={"environment": "production"})
    try:
        r = await client.post(
            "/api/v1/webhooks",
            json={"url": url, "events": ["product.approved"]},
            headers=admin.headers,
        )
    finally:
        app.state.settings = settings
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == ["body", "url"]


async def test_production_refuses_at_delivery_time_too(
    client: httpx.AsyncClient,
    factory: Factory,
    app: FastAPI,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = await factory.admin()
    hook = await subscribe(client, admin, receiver.url, ["product.approved"])
    await approve(factory)
    production = app.state.settings.model_copy(update={"environment": "production"})
    context = WorkerContext(app.state.sessionmaker, app.state.storage, production)
    assert await Deliverer(context).run_once() == 1
    assert receiver.received == []
    [attempt] = await attempts(client, admin, hook["id"])
    assert attempt["status_code"] is None and attempt["error"].startswith("refused")


async def test_production_connects_to_the_address_it_checked(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that answers public addresses to the check and a private one a moment later
    (DNS rebinding) is still sent to a public one: it is resolved once, and its addresses
    are tried in turn while one refuses the connection."""
    admin = await factory.admin()
    answers = [["93.184.215.14", "93.184.215.15"], ["127.0.0.1"]]
    resolved: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        resolved.append(f"{host}:{port}")
        return answers.pop(0)

    await subscribe(client, admin, "https://hooks.bank.example:8443/in?x=1", ["product.approved"])
    await approve(factory)
    monkeypatch.setattr(service, "resolve", resolve)
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.host == "93.184.215.14":
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(204)

    production = app.state.settings.model_copy(update={"environment": "production"})
    context = WorkerContext(app.state.sessionmaker, app.state.storage, production)
    assert await Deliverer(context, transport=httpx.MockTransport(answer)).run_once() == 1
    assert resolved == ["hooks.bank.example:8443"]
    assert [str(r.url) for r in sent] == [
        "https://93.184.215.14:8443/in?x=1",
        "https://93.184.215.15:8443/in?x=1",
    ]
    for request in sent:
        assert request.headers["host"] == "hooks.bank.example:8443"
        assert request.extensions["sni_hostname"] == "hooks.bank.example"
    [attempt] = await attempts(client, admin, (await hooks(client, admin))[0]["id"])
    assert attempt["status_code"] == 204 and attempt["error"] is None


async def test_two_workers_send_each_delivery_once(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, receiver: Receiver
) -> None:
    if app.state.engine.dialect.name == "sqlite":
        pytest.skip("one worker on SQLite: taking is serialized there")
    admin = await factory.admin()
    await subscribe(client, admin, receiver.url, ["product.approved"])
    async with app.state.sessionmaker() as session:
        session.add_all(OutboxEvent(type="product.approved", payload={"n": n}) for n in range(40))
        await session.commit()
    await factory.drain()
    context = WorkerContext(app.state.sessionmaker, app.state.storage, app.state.settings)
    senders = [Deliverer(context, batch=5) for _ in range(2)]

    async def work(sender: Deliverer) -> None:
        while await sender.run_once():
            pass

    await asyncio.gather(*(work(s) for s in senders))
    sent = [r.headers["Kurasi-Delivery"] for r in receiver.received]
    assert len(sent) == len(set(sent)) == 40


async def test_a_refused_connection_or_a_timeout_is_retried(
    client: httpx.AsyncClient,
    factory: Factory,
    app: FastAPI,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin = await factory.admin()
    closed = await subscribe(client, admin, "http://127.0.0.1:9/hook", ["product.approved"])
    slow = await subscribe(client, admin, receiver.url, ["product.approved"])
    monkeypatch.setattr(delivery, "TIMEOUT", httpx.Timeout(0.2))
    receiver.delay = 1.0
    await approve(factory)
    assert await deliverer(app).run_once() == 2
    [refused] = await attempts(client, admin, closed["id"])
    [timed_out] = await attempts(client, admin, slow["id"])
    assert refused["error"].startswith("ConnectError") and refused["status_code"] is None
    assert timed_out["error"] == "timed out" and timed_out["status_code"] is None
    assert refused["next_attempt_at"] and timed_out["next_attempt_at"]
