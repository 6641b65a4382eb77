"""Sending webhooks (SPEC §9): an event's handler enqueues one delivery per subscription,
and `kurasi worker` sends the due ones, signed, retrying for 24 hours.

Deliveries are taken like outbox events (app/events/worker.py): a lease (`locked_until`),
and on PostgreSQL FOR UPDATE SKIP LOCKED, so several workers never send the same one at
once. A 2xx answer delivers; anything else (another status, a timeout, a refused
connection, an address refused as unsafe) is logged as an attempt and tried again after
a delay doubling from `RETRY_BASE` up to `RETRY_MAX`, with jitter, until 24 hours after
the first attempt; then the delivery is recorded as failed and not tried again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.core.db import utcnow
from app.events.lease import backoff, lease_due
from app.events.loop import keep_passing
from app.events.worker import WorkerContext
from app.models import OutboxEvent, Webhook, WebhookAttempt, WebhookDelivery
from app.webhooks.service import UnsafeUrl, check_url, pinned

logger = logging.getLogger("kurasi.webhooks")

TIMEOUT = httpx.Timeout(5.0)
GIVE_UP_AFTER = timedelta(hours=24)
RETRY_BASE = timedelta(seconds=10)
RETRY_MAX = timedelta(hours=1)
LEASE = timedelta(seconds=60)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Kurasi-Signature` header: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


async def enqueue_webhooks(context: WorkerContext, event: OutboxEvent) -> None:
    """One delivery of `event` per subscription to its type (once, however often run)."""
    async with context.sessions() as session, session.begin():
        webhooks = (await session.scalars(select(Webhook))).all()
        wanted = {w.id for w in webhooks if event.type in w.events}
        if not wanted:
            return
        existing = set(
            (
                await session.scalars(
                    select(WebhookDelivery.webhook_id).where(WebhookDelivery.event_id == event.id)
                )
            ).all()
        )
        payload = {
            "id": str(event.id),
            "type": event.type,
            "created_at": event.created_at.isoformat(),
            "data": event.payload,
        }
        for webhook_id in sorted(wanted - existing):
            session.add(
                WebhookDelivery(
                    webhook_id=webhook_id,
                    event_id=event.id,
                    event_type=event.type,
                    payload=payload,
                    next_attempt_at=utcnow(),
                )
            )
        try:
            await session.flush()
        except IntegrityError:  # another worker enqueued them meanwhile
            await session.rollback()


class Deliverer:
    """Sends due webhook deliveries; run beside the outbox worker by `kurasi worker`."""

    def __init__(
        self,
        context: WorkerContext,
        *,
        batch: int = 20,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.context = context
        self.batch = batch
        self.transport = transport

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set, polling when idle."""
        poll = self.context.settings.worker_poll_seconds
        await keep_passing(self.run_once, stop, poll=poll, logger=logger, what="delivery pass")

    async def run_once(self) -> int:
        """Send one batch of due deliveries; how many were taken."""
        taken = await self.take()
        if taken:
            # No connection kept between deliveries: one made for an address checked for
            # one name must not carry another name's delivery (its TLS was checked for
            # the first), should two names lead to the same address.
            async with httpx.AsyncClient(
                timeout=TIMEOUT,
                transport=self.transport,
                follow_redirects=False,
                limits=httpx.Limits(max_keepalive_connections=0),
            ) as client:
                for delivery, webhook, lease in taken:
                    await self._send(client, delivery, webhook, lease)
        return len(taken)

    async def take(self) -> list[tuple[WebhookDelivery, Webhook, datetime]]:
        now = utcnow()
        lease = now + LEASE
        async with self.context.sessions() as session, session.begin():
            ids = await lease_due(
                session,
                WebhookDelivery,
                WebhookDelivery.next_attempt_at,
                now=now,
                until=lease,
                batch=self.batch,
            )
            if not ids:
                return []
            rows = (
                await session.execute(
                    select(WebhookDelivery, Webhook)
                    .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
                    .where(WebhookDelivery.id.in_(ids))
                    .order_by(WebhookDelivery.created_at)
                )
            ).all()
        return [(d, w, lease) for d, w in rows]

    async def _send(
        self,
        client: httpx.AsyncClient,
        delivery: WebhookDelivery,
        webhook: Webhook,
        lease: datetime,
    ) -> None:
        body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
        timestamp = int(utcnow().timestamp())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Kurasi-Webhooks/1",
            "Kurasi-Event": delivery.event_type,
            "Kurasi-Delivery": str(delivery.id),
            "Kurasi-Signature": signature(webhook.secret, timestamp, body),
        }
        status_code: int | None = None
        error: str | None = None
        started = time.monotonic()
        try:
            response = await self._post(client, webhook.url, body, headers)
            status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"answered {status_code}"
        except UnsafeUrl as exc:
            error = f"refused: {exc}"
        except httpx.TimeoutException:
            error = "timed out"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:1000]
        duration_ms = int((time.monotonic() - started) * 1000)
        await self._record(delivery, lease, status_code, error, duration_ms)

    async def _post(
        self, client: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str]
    ) -> httpx.Response:
        """POST to the addresses checked, the next while one refuses the connection (or,
        outside production, where the name leads)."""
        checked = await check_url(url, self.context.settings)
        addresses: list[str | None] = [*checked] if checked else [None]
        for address in addresses[:-1]:
            with contextlib.suppress(httpx.ConnectError):
                return await self._post_to(client, url, address, body, headers)
        return await self._post_to(client, url, addresses[-1], body, headers)

    @staticmethod
    async def _post_to(
        client: httpx.AsyncClient,
        url: str,
        address: str | None,
        body: bytes,
        headers: dict[str, str],
    ) -> httpx.Response:
        target, host, extensions = pinned(url, address)
        return await client.post(
            target, content=body, headers={**headers, **host}, extensions=extensions
        )

    async def _record(
        self,
        delivery: WebhookDelivery,
        lease: datetime,
        status_code: int | None,
        error: str | None,
        duration_ms: int,
    ) -> None:
        now = utcnow()
        next_at: datetime | None = None
        if error is None:
            status = "delivered"
        elif now - delivery.created_at >= GIVE_UP_AFTER:
            status = "failed"
        else:
            status = "pending"
            delay = backoff(RETRY_BASE, delivery.attempts, RETRY_MAX)
            next_at = min(now + delay, delivery.created_at + GIVE_UP_AFTER)
        if error is not None:
            logger.warning(
                "webhook delivery %s of %s, attempt %d: %s",
                delivery.id,
                delivery.event_type,
                delivery.attempts,
                error,
            )
        async with self.context.sessions() as session, session.begin():
            result = await session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == delivery.id, WebhookDelivery.locked_until == lease)
                .values(status=status, next_attempt_at=next_at, locked_until=None)
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                return  # the lease ran out and another worker has it now
            session.add(
                WebhookAttempt(
                    webhook_id=delivery.webhook_id,
                    delivery_id=delivery.id,
                    event_id=delivery.event_id,
                    event_type=delivery.event_type,
                    attempt=delivery.attempts,
                    status_code=status_code,
                    error=error,
                    duration_ms=duration_ms,
                    at=now,
                    next_attempt_at=next_at,
                )
            )
