"""Curators' daily digest: one mail a day listing the submissions since the last one, for
curators who chose `submission_mail: daily_digest` instead of a mail per submission.

At `KURASI_DIGEST_HOUR` (local time in `KURASI_DIGEST_TIMEZONE`) the mailer's pass queues,
for each such curator, one mail listing their `product.submitted` notifications written
after their previous digest (`digest_until`) up to that hour; none, no mail. The mail's
event id is derived from the user and that moment, and `digest_until` moves in the same
transaction, so a second pass or a second worker queues no second digest.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from jinja2 import Environment, StrictUndefined
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.core.db import utcnow
from app.events.worker import WorkerContext
from app.models import Notification, Product, User
from app.models.enums import Role, SubmissionMail
from app.notifications.handler import DEFAULT_BASE_URL
from app.notifications.outgoing import DIGEST_EVENT, queue_mail
from app.notifications.texts import language_of, product_name

_DIGEST_IDS = uuid.UUID("5f1e0c2a-7d43-4c8e-9a61-2b8f3e6d4c10")  # namespace of digest ids

_env = Environment(autoescape=False, undefined=StrictUndefined)  # noqa: S701 (plain text)
_LIST = "{% for name, link in items %}\n\n- {{ name }}\n  {{ link }}{% endfor %}"
TEXTS = {
    "en": (
        "Submissions waiting for review: {{ items|length }}",
        "Submitted for review since your last digest:" + _LIST,
    ),
    "ja": (
        "審査待ちの申請: {{ items|length }}件",
        "前回のお知らせ以降に審査申請された製品:" + _LIST,
    ),
    "id": (
        "Pengajuan menunggu peninjauan: {{ items|length }}",
        "Diajukan untuk ditinjau sejak ringkasan terakhir Anda:" + _LIST,
    ),
}
_TEMPLATES = {k: (_env.from_string(s), _env.from_string(b)) for k, (s, b) in TEXTS.items()}


def digest_moment(now: datetime, hour: int, zone: str) -> datetime:
    """The latest digest hour at or before `now` (aware, in the digest's time zone)."""
    local = now.astimezone(ZoneInfo(zone))
    moment = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if moment > local:
        day = moment.date() - timedelta(days=1)
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(zone))
    return moment


def digest_id(user_id: uuid.UUID, until: datetime) -> uuid.UUID:
    """The same for every worker queuing this user's digest up to `until`."""
    return uuid.uuid5(_DIGEST_IDS, f"{user_id}:{until.astimezone(UTC).isoformat()}")


def last_digest_moment(settings: Settings) -> datetime:
    """The digest hour most recently passed, in UTC."""
    moment = digest_moment(utcnow(), settings.digest_hour, settings.digest_timezone)
    return moment.astimezone(UTC)


async def queue_digests(context: WorkerContext, until: datetime) -> int:
    """Queue the digests due at `until` (a digest moment); how many were queued."""
    settings = context.settings
    async with context.sessions() as session:
        due = (
            await session.scalars(
                select(User.id).where(
                    User.submission_mail == SubmissionMail.daily_digest,
                    User.role.in_([Role.curator, Role.admin]),
                    User.is_active.is_(True),
                    (User.digest_until.is_(None)) | (User.digest_until < until),
                )
            )
        ).all()
    queued = 0
    for user_id in due:
        try:
            async with context.sessions() as session, session.begin():
                user = await session.get(User, user_id)
                if user is None or (user.digest_until is not None and user.digest_until >= until):
                    continue  # another worker did it meanwhile
                queued += await queue_digest(session, settings, user, until)
        except IntegrityError:  # another worker queued it first
            continue
    return queued


async def queue_digest(
    session: AsyncSession, settings: Settings, user: User, until: datetime
) -> bool:
    """Queue `user`'s digest of the submissions after their last one up to `until`, and
    move `digest_until` there; whether there was anything to tell."""
    base = (settings.public_base_url or DEFAULT_BASE_URL).rstrip("/")
    since = user.digest_until or until - timedelta(days=1)
    language = language_of(user.preferred_language)
    rows = (
        await session.execute(
            select(Product.id, Product.name)
            .join(Notification, Notification.product_id == Product.id)
            .where(
                Notification.user_id == user.id,
                Notification.event == "product.submitted",
                Notification.created_at > since,
                Notification.created_at <= until,
            )
            .order_by(Notification.created_at)
        )
    ).all()
    user.digest_until = until
    if not rows:
        return False  # nothing to tell; `digest_until` moves on all the same
    items = [(product_name(name, language), f"{base}/api/v1/products/{pid}") for pid, name in rows]
    subject, body = (t.render(items=items).strip() for t in _TEMPLATES[language])
    queue_mail(
        session,
        settings,
        event_id=digest_id(user.id, until),
        event=DIGEST_EVENT,
        user=user,
        language=language,
        subject=subject,
        body=body,
    )
    await session.flush()
    return True
