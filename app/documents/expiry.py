"""The worker's daily sweep that warns owners of documents about to expire (SPEC §9).

A verified document whose `expires_on` falls within the next 30 days of the center's day
(`clock.today()`, as the catalog counts "expired") gets one `document.expiring` event,
written in the transaction that records the warning on the document
(`expiry_warned_for` = the date warned of): once per document and date, so a document
whose date changes is warned again. Rows are taken with FOR UPDATE SKIP LOCKED and
marked by a conditional UPDATE, so two workers sweeping at once never warn twice (on
SQLite, transactions are serialized).

Not warned: a document already expired when first seen (too late to warn; the catalog
has already dropped what it certified), one that is not verified (a rejected or pending
one certifies nothing), and one already renewed: a verified document of the same type
and scope lasting longer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.core import clock
from app.events.loop import keep_passing
from app.events.outbox import EventType, record
from app.events.worker import WorkerContext
from app.models import Document
from app.models.enums import DocumentStatus

logger = logging.getLogger("kurasi.worker")

WARN_DAYS = 30
# Besides on start and when the day changes, the sweep runs this often, so a document
# verified today within 30 days of its date is warned within the minute. Its query is
# cheap (PostgreSQL, 200,000 documents: 1.5 ms when none is due, 150 ms with 3,200 due at
# once, through ix_documents_status_expires_on); on SQLite each sweep briefly takes the
# single writer's lock, as each poll for events does.
EVERY_SECONDS = 60.0


def _due(today: date) -> ColumnElement[bool]:
    renewal = aliased(Document)
    verified = DocumentStatus.verified.value
    return and_(
        Document.status == verified,
        Document.expires_on >= today,
        Document.expires_on <= today + timedelta(days=WARN_DAYS),
        or_(
            Document.expiry_warned_for.is_(None),
            Document.expiry_warned_for != Document.expires_on,
        ),
        ~exists().where(
            renewal.msme_id == Document.msme_id,
            renewal.product_id.is_not_distinct_from(Document.product_id),
            renewal.doc_type == Document.doc_type,
            renewal.status == verified,
            renewal.expires_on > Document.expires_on,
        ),
    )


async def sweep(session: AsyncSession, today: date) -> int:
    """Warn of every document due a warning on `today`, in the session's transaction."""
    ids = list(
        (
            await session.scalars(
                select(Document.id)
                .where(_due(today))
                .order_by(Document.id)
                .with_for_update(skip_locked=True)
            )
        ).all()
    )
    if not ids:
        return 0
    warned = await session.execute(
        update(Document)
        .where(
            Document.id.in_(ids),
            Document.expiry_warned_for.is_distinct_from(Document.expires_on),
        )
        .values(expiry_warned_for=Document.expires_on)
        .returning(
            Document.id,
            Document.msme_id,
            Document.product_id,
            Document.doc_type,
            Document.expires_on,
        )
        .execution_options(synchronize_session=False)
    )
    count = 0
    for document_id, msme_id, product_id, doc_type, expires_on in warned.all():
        # The keys other document events carry (app/documents/service.py).
        scope = {"product_id": product_id} if product_id is not None else {}
        record(
            session,
            EventType.document_expiring,
            document_id=document_id,
            doc_type=doc_type,
            expires_on=expires_on,
            msme_id=msme_id,
            **scope,
        )
        count += 1
    return count


class ExpirySweep:
    """Runs `sweep` in the worker: on start, when the day changes, and every minute."""

    def __init__(self, context: WorkerContext) -> None:
        self.context = context
        self.last_day: date | None = None
        self.last_at = 0.0

    async def run_once(self, *, force: bool = True) -> int:
        """Sweep now (unless not `force` and it ran today within the minute); how many warned."""
        today = clock.today()
        recent = time.monotonic() - self.last_at < EVERY_SECONDS
        if not force and self.last_day == today and recent:
            return 0
        async with self.context.sessions() as session, session.begin():
            count = await sweep(session, today)
        self.last_day, self.last_at = today, time.monotonic()
        if count:
            logger.info("documents expiring: owners warned", extra={"count": count})
        return count

    async def run(self, stop: asyncio.Event) -> None:
        """Sweep when due until `stop` is set, looking at each poll."""

        async def sweep() -> int:
            await self.run_once(force=False)
            return 0  # whatever it did, look again at the next poll

        poll = self.context.settings.worker_poll_seconds
        await keep_passing(sweep, stop, poll=poll, logger=logger, what="expiry sweep")
