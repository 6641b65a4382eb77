"""GET /metrics (SPEC §9): the Prometheus text format, at the root.

Request counts and latencies are the server processes' (app/core/observe.py). Transitions by
action, the outbox backlog and the webhook and mail deliveries by status are read from
the database at scrape time, one aggregate statement each: they then hold for every
replica and survive restarts.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.core.errors import Unauthorized
from app.models import MailMessage, OutboxEvent, WebhookDelivery
from app.models.curation import Transition

router = APIRouter(include_in_schema=False)


class Snapshot(Collector):
    """Metrics computed once for one scrape."""

    def __init__(self, metrics: list[Metric]) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        return iter(self.metrics)


async def database_metrics(session: AsyncSession) -> list[Metric]:
    transitions = CounterMetricFamily(
        "kurasi_transitions", "Product workflow transitions, by action", labels=["action"]
    )
    by_action = select(Transition.action, func.count()).group_by(Transition.action)
    for action, count in (await session.execute(by_action)).all():
        transitions.add_metric([action], count)
    # Pending and failed only: done events pile up and are never counted here (the
    # (status, run_after) index keeps this to the rows that matter).
    is_pending = OutboxEvent.status == "pending"
    backlog = select(
        func.count().filter(is_pending),
        func.count().filter(OutboxEvent.status == "failed"),
        func.min(OutboxEvent.created_at).filter(is_pending),
    ).where(OutboxEvent.status.in_(["pending", "failed"]))
    pending, failed, oldest = (await session.execute(backlog)).one()
    age = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
    deliveries = GaugeMetricFamily(
        "kurasi_deliveries",
        "Webhook deliveries and mail messages, by channel and status",
        labels=["channel", "status"],
    )
    for channel, model in (("webhook", WebhookDelivery), ("mail", MailMessage)):
        by_status = select(model.status, func.count()).group_by(model.status)
        for status, count in (await session.execute(by_status)).all():
            deliveries.add_metric([channel, status], count)
    return [
        deliveries,
        transitions,
        GaugeMetricFamily("kurasi_outbox_pending", "Outbox events not yet handled", pending),
        GaugeMetricFamily(
            "kurasi_outbox_failed", "Outbox events given up after their last attempt", failed
        ),
        GaugeMetricFamily(
            "kurasi_outbox_oldest_pending_seconds", "Age of the oldest pending event", age
        ),
    ]


def request_registry(own: CollectorRegistry) -> CollectorRegistry:
    """This process's request metrics, or those of every server process when `kurasi
    serve --workers N` made them share files (prometheus-client's multiprocess mode)."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return own
    shared = CollectorRegistry()
    MultiProcessCollector(shared)  # type: ignore[no-untyped-call]
    return shared


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    state = request.app.state
    token = state.settings.metrics_token
    if token is not None:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            raise Unauthorized("Send the metrics token as a Bearer token")
    async with state.sessionmaker() as session:
        snapshot = await database_metrics(session)
    registry = CollectorRegistry()
    registry.register(Snapshot(snapshot))
    body = generate_latest(request_registry(state.request_metrics.registry))
    body += generate_latest(registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
