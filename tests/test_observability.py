"""Operations (SPEC §9): /metrics, X-Request-ID on every response, JSON log lines, and the
request id carried into the worker's line for the events a request caused."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI

from app.core import clock
from app.core.logs import BufferedStreamHandler, JsonFormatter
from app.main import create_app
from app.models import MailMessage, OutboxEvent, Webhook, WebhookDelivery
from tests.factories import Factory


class Lines(logging.Handler):
    """The JSON lines `kurasi serve` and `kurasi worker` would print."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def lines() -> object:
    handler = Lines()
    loggers = [logging.getLogger(name) for name in ("kurasi.access", "kurasi.worker")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield handler
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def sample(metrics: str, name: str, **labels: str) -> float | None:
    """The value of one sample of the text format, or None."""
    for line in metrics.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        head, _, value = line.rpartition(" ")
        if all(f'{k}="{v}"' in head for k, v in labels.items()):
            return float(value)
    return None


async def test_metrics_show_route_templates_statuses_transitions_and_the_backlog(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    # Request counts live in the process (other tests of this process add to them): the
    # test reads how much its own requests added.
    route = "/api/v1/products/{product_id}"
    counted = {
        "missing": ("kurasi_http_requests_total", {"route": route, "status": "404"}),
        "unmatched": ("kurasi_http_requests_total", {"route": "unmatched", "status": "404"}),
        "timed": ("kurasi_http_request_duration_seconds_count", {"route": route, "status": "404"}),
    }

    async def counts() -> dict[str, float]:
        text = (await client.get("/metrics")).text
        return {k: sample(text, name, **labels) or 0.0 for k, (name, labels) in counted.items()}

    before = await counts()
    owner = await factory.owner()
    product = await factory.ready_product(owner)
    r = await factory.transition(owner, product["id"], "submit")
    assert r.status_code == 200, r.text  # records product.submitted: one pending event
    missing = f"/api/v1/products/{uuid.uuid4()}"
    assert (await client.get(missing, headers=owner.headers)).status_code == 404
    assert (await client.get(f"/nothing/{uuid.uuid4()}")).status_code == 404

    r = await client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    after = await counts()
    assert {k: after[k] - before[k] for k in counted} == {"missing": 1, "unmatched": 1, "timed": 1}
    assert missing not in text  # never a raw path
    assert sample(text, "kurasi_transitions_total", action="submit") == 1.0
    pending = sample(text, "kurasi_outbox_pending")
    assert pending is not None and pending >= 1
    age = sample(text, "kurasi_outbox_oldest_pending_seconds")
    assert age is not None and 0 <= age < 600

    await factory.drain()
    text = (await client.get("/metrics")).text
    assert sample(text, "kurasi_outbox_pending") == 0.0
    assert sample(text, "kurasi_outbox_oldest_pending_seconds") == 0.0
    assert sample(text, "kurasi_outbox_failed") == 0.0
    async with factory.session() as session:
        session.add(OutboxEvent(type="channel.opened", payload={}, status="failed"))
        await session.commit()
    text = (await client.get("/metrics")).text
    assert sample(text, "kurasi_outbox_failed") == 1.0
    assert sample(text, "kurasi_outbox_pending") == 0.0

    # Deliveries of both channels, by status.
    async with factory.session() as session:
        hook = Webhook(url="https://partner.example/hook", events=["product.approved"], secret="s")
        session.add(hook)
        await session.flush()
        session.add(
            WebhookDelivery(webhook_id=hook.id, event_id=uuid.uuid4(), event_type="x", payload={})
        )
        for status in ("sent", "failed", "failed"):
            session.add(
                MailMessage(
                    user_id=uuid.UUID(owner.id),
                    event_id=uuid.uuid4(),
                    event="product.approved",
                    to_address="owner@example.com",
                    language="en",
                    subject="s",
                    body="b",
                    status=status,
                    give_up_at=clock.now(),
                )
            )
        await session.commit()
    text = (await client.get("/metrics")).text
    assert sample(text, "kurasi_deliveries", channel="webhook", status="pending") == 1.0
    assert sample(text, "kurasi_deliveries", channel="mail", status="sent") == 1.0
    assert sample(text, "kurasi_deliveries", channel="mail", status="failed") == 2.0


async def test_metrics_token_when_set(settings: object) -> None:
    token = "m" * 20
    app = create_app(settings.model_copy(update={"metrics_token": token}))  # type: ignore[attr-defined]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            assert (await c.get("/metrics")).status_code == 401
            wrong = {"Authorization": "Bearer " + "x" * 20}
            assert (await c.get("/metrics", headers=wrong)).status_code == 401
            right = {"Authorization": f"Bearer {token}"}
            assert (await c.get("/metrics", headers=right)).status_code == 200


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("client-id.42", True),
        (None, False),
        ("x" * 129, False),  # too long
        ("bad\tid", False),  # a control character
        ("a b", False),
    ],
)
async def test_request_id_is_the_clients_when_sane_else_new(
    client: httpx.AsyncClient, sent: str | None, kept: bool
) -> None:
    headers = {"X-Request-ID": sent} if sent is not None else {}
    for path in ("/healthz", "/api/v1/users/me", "/nothing"):  # 200, 401, 404
        got = (await client.get(path, headers=headers)).headers["X-Request-ID"]
        if kept:
            assert got == sent
        else:
            assert got != sent and len(got) == 32 and int(got, 16) >= 0


async def test_a_500_carries_a_request_id(settings: object) -> None:
    app: FastAPI = create_app(settings)  # type: ignore[arg-type]

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.get("/boom", headers={"X-Request-ID": "crash-1"})
    assert r.status_code == 500
    assert r.headers["X-Request-ID"] == "crash-1"


async def test_a_request_logs_one_json_line_without_secrets(
    client: httpx.AsyncClient, factory: Factory, lines: Lines
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    lines.lines.clear()
    r = await client.get(
        f"/api/v1/products/{product['id']}?access_token=secret-in-query",
        headers={**owner.headers, "X-Request-ID": "req-log-1"},
    )
    assert r.status_code == 200
    [line] = [x for x in lines.lines if x["logger"] == "kurasi.access"]
    assert line["method"] == "GET"
    assert line["route"] == "/api/v1/products/{product_id}"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == "req-log-1"
    printed = json.dumps(line)
    for secret in ("secret-in-query", product["id"], owner.headers["Authorization"]):
        assert secret not in printed


async def test_the_worker_logs_an_event_with_the_id_of_the_request_behind_it(
    client: httpx.AsyncClient, factory: Factory, lines: Lines
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    media = await factory.media(owner, product["id"])
    await factory.drain()
    r = await client.delete(
        f"/api/v1/media/{media['id']}", headers={**owner.headers, "X-Request-ID": "req-ev-7"}
    )
    assert r.status_code == 204, r.text
    lines.lines.clear()
    assert await factory.drain() >= 1
    handled = [x for x in lines.lines if x["message"] == "event handled"]
    assert [(x["event"], x["request_id"]) for x in handled] == [("media.deleted", "req-ev-7")]


async def test_browsers_may_read_the_request_id(settings: object) -> None:
    origin = "https://app.example"
    app = create_app(settings.model_copy(update={"cors_origins": [origin]}))  # type: ignore[attr-defined]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.get("/healthz", headers={"Origin": origin})
    assert "X-Request-ID" in r.headers["Access-Control-Expose-Headers"]


class Stream(io.StringIO):
    """A stream that counts what reached it by flushes."""

    def __init__(self) -> None:
        super().__init__()
        self.flushed = ""

    def flush(self) -> None:
        self.flushed = self.getvalue()


def _record(level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord("kurasi.test", level, __file__, 1, message, (), None)


async def test_log_lines_in_the_event_loop_are_flushed_within_a_second() -> None:
    stream = Stream()
    handler = BufferedStreamHandler(stream, seconds=0.05)
    handler.setFormatter(JsonFormatter())
    handler.handle(_record(logging.INFO, "first"))
    handler.handle(_record(logging.INFO, "second"))
    assert stream.flushed == ""  # written, waiting for the timer
    await asyncio.sleep(0.2)
    assert [json.loads(line)["message"] for line in stream.flushed.splitlines()] == [
        "first",
        "second",
    ]
    handler.handle(_record(logging.WARNING, "at once"))
    assert json.loads(stream.flushed.splitlines()[-1])["message"] == "at once"


def test_log_lines_outside_the_event_loop_are_flushed_at_once() -> None:
    stream = Stream()
    handler = BufferedStreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.handle(_record(logging.INFO, "from a thread"))
    assert json.loads(stream.flushed)["message"] == "from a thread"


def test_a_log_line_keeps_the_time_format_of_datetime() -> None:
    stamps = [0.0, 1_700_000_000.5, 1_700_000_001.000001, 1_700_000_001.9999996, time.time()]
    for stamp in stamps:
        record = _record(logging.INFO, "x")
        record.created = stamp
        line = json.loads(JsonFormatter().format(record))
        assert line["time"] == datetime.fromtimestamp(stamp, UTC).isoformat()


def test_a_log_line_takes_integers_orjson_refuses() -> None:
    record = _record(logging.INFO, "big")
    record.count = 2**70
    assert json.loads(JsonFormatter().format(record))["count"] == 2**70
