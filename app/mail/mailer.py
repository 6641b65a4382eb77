"""Sending the queued mail (SPEC §9): `kurasi worker` runs a Mailer beside the outbox
worker and the webhook Deliverer, shaped like the latter.

Due messages are taken with a lease (app/events/lease.py: FOR UPDATE SKIP LOCKED on
PostgreSQL), so several workers never send the same one at once, and a worker killed
mid-send leaves its messages to be taken again once the lease has run out: at least
once, never lost. A batch goes over one SMTP connection. The server's 2xx answer sends;
a server down, a refused connection, a timeout or a 4xx answer is tried again after a
delay doubling from `KURASI_MAIL_RETRY_SECONDS` up to `KURASI_MAIL_RETRY_MAX_SECONDS`,
with jitter, until `KURASI_MAIL_GIVE_UP_HOURS` have passed (then failed); a 5xx answer
to MAIL FROM, RCPT TO or DATA fails the message at once, the answer recorded.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlalchemy import select, update

from app.core.db import utcnow
from app.events.lease import backoff, lease_due
from app.events.loop import keep_passing
from app.events.worker import WorkerContext
from app.mail.digest import last_digest_moment, queue_digests
from app.mail.smtp import Outcome, send_batch
from app.models import MailMessage

logger = logging.getLogger("kurasi.mail")


def message_id(row_id: object, mail_from: str) -> str:
    """Stable per queued message: a resend carries the same Message-ID, so it is known."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "kurasi.invalid"
    return f"<{row_id}@{domain}>"


def compose(row: MailMessage, mail_from: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = Address(addr_spec=row.to_address)
    message["Subject"] = row.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id(row.id, mail_from)
    message.set_content(row.body, charset="utf-8")
    return message


_MARGIN = 6  # smtp timeouts: connect, EHLO/STARTTLS/login and one message's commands


class Mailer:
    """Sends due mail; run beside the outbox worker by `kurasi worker`."""

    def __init__(
        self, context: WorkerContext, *, batch: int = 20, lease: timedelta | None = None
    ) -> None:
        self.context = context
        self.batch = batch
        settings = context.settings
        # The batch stops sending `_MARGIN` timeouts before its lease ends (a message may
        # take a few commands, each up to the timeout), so no other worker takes a row
        # while this one may still send it.
        self.lease = lease or timedelta(seconds=max(60.0, settings.smtp_timeout * (batch + 2)))
        seconds = self.lease.total_seconds()
        self.deadline = max(seconds / 2, seconds - _MARGIN * settings.smtp_timeout)
        self.digested: datetime | None = None  # the digest moment this mailer has seen to

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set, polling when idle."""
        poll = self.context.settings.worker_poll_seconds
        await keep_passing(self.run_once, stop, poll=poll, logger=logger, what="mail pass")

    async def run_once(self) -> int:
        """Queue the digests due, then send one batch of due mail; how many were taken.
        Nothing while no mail server is configured."""
        settings = self.context.settings
        target = settings.smtp
        if target is None:
            return 0
        moment = last_digest_moment(settings)
        if moment != self.digested:
            await queue_digests(self.context, moment)
            self.digested = moment
        started = time.monotonic()
        taken = await self.take()
        if not taken:
            return 0
        outcomes: dict[int, Outcome] = {}
        messages: dict[int, EmailMessage] = {}
        for i, (row, _) in enumerate(taken):
            try:
                messages[i] = compose(row, settings.mail_from)
            except (ValueError, TypeError) as exc:  # an address no header can carry
                outcomes[i] = Outcome(f"{type(exc).__name__}: {exc}"[:1000], permanent=True)
        if messages:
            sent = await asyncio.to_thread(
                send_batch,
                target,
                list(messages.values()),
                timeout=settings.smtp_timeout,
                ca_file=settings.smtp_ca_file,
                deadline=started + self.deadline,
            )
            outcomes.update(zip(messages, sent, strict=True))
        for i, (row, lease) in enumerate(taken):
            await self._record(row, lease, outcomes[i])
        return len(taken)

    async def take(self) -> list[tuple[MailMessage, datetime]]:
        now = utcnow()
        lease = now + self.lease
        async with self.context.sessions() as session, session.begin():
            ids = await lease_due(
                session,
                MailMessage,
                MailMessage.next_attempt_at,
                now=now,
                until=lease,
                batch=self.batch,
            )
            if not ids:
                return []
            rows = (
                await session.scalars(
                    select(MailMessage)
                    .where(MailMessage.id.in_(ids))
                    .order_by(MailMessage.created_at)
                )
            ).all()
        return [(row, lease) for row in rows]

    async def _record(self, row: MailMessage, lease: datetime, outcome: Outcome) -> None:
        settings = self.context.settings
        now = utcnow()
        values: dict[str, object] = {"locked_until": None, "last_error": outcome.error}
        if outcome.error is None:
            values.update(status="sent", sent_at=now, next_attempt_at=None)
        elif outcome.permanent or now >= row.give_up_at:
            values.update(status="failed", next_attempt_at=None)
        else:
            # A server that cannot be reached is asked again soon (a refused connection a
            # batch costs nothing), so mail follows within moments of its return; one that
            # answers "try later" is left alone longer and longer.
            longest = (
                settings.mail_unreachable_retry_seconds
                if outcome.unreachable
                else settings.mail_retry_max_seconds
            )
            base = timedelta(seconds=settings.mail_retry_seconds)
            delay = backoff(base, row.attempts, timedelta(seconds=longest))
            values["next_attempt_at"] = min(now + delay, row.give_up_at)
        if outcome.error is not None:
            logger.warning(
                "mail %s (%s) to user %s, attempt %d: %s%s",
                row.id,
                row.event,
                row.user_id,
                row.attempts,
                outcome.error,
                "" if values.get("status") is None else f"; {values['status']}",
            )
        async with self.context.sessions() as session, session.begin():
            await session.execute(
                update(MailMessage)
                .where(MailMessage.id == row.id, MailMessage.locked_until == lease)
                .values(**values)
            )
