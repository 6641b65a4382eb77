"""The center's figures, each section one aggregate statement: a fixed number of
statements whatever the amount of data, and no row visited in Python.

Flows (submissions, decisions, inquiries) are those within the period; the rest is as
of now. Decisions and submissions are read from the audit trail (transitions), the one
record of when each happened and who did it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CTE, Executable, case, desc, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.catalog.filters import visible
from app.catalog.sync import lasts_until
from app.core.db import UTCDateTime
from app.models import (
    CatalogChannel,
    CatalogEntry,
    Channel,
    Inquiry,
    Listing,
    Product,
    Transition,
    User,
)
from app.models.enums import ProductStatus, ReviewDecision
from app.stats.period import Period
from app.stats.schemas import (
    CatalogStats,
    CategoryStats,
    ChannelStats,
    CuratorRef,
    CuratorStats,
    DecisionStats,
    ProductsByStatus,
    QueueStats,
    StatsOut,
    StatsPeriod,
)
from app.stats.sql import hours, median, seconds_between

DECIDE = tuple(d.value for d in ReviewDecision)


def _decisions(period: Period, dialect: str) -> CTE:
    """Each decision of the period: product, category, action, who, and how long it took
    from the submission before it and from the start of its review."""
    t, earlier = Transition, aliased(Transition)

    def latest(action: str) -> Any:
        return (
            select(func.max(earlier.at))
            .where(earlier.product_id == t.product_id, earlier.action == action, earlier.at <= t.at)
            .scalar_subquery()
        )

    return (
        select(
            t.product_id,
            t.action,
            t.actor_id,
            seconds_between(t.at, latest("submit"), dialect).label("to_decision"),
            seconds_between(t.at, latest("start_review"), dialect).label("in_review"),
        )
        .where(t.action.in_(DECIDE), period.holds(t.at))
        .cte("decisions")
    )


def _by_status() -> Executable:
    return select(Product.status, func.count()).group_by(Product.status)


def _queue(now: datetime, dialect: str) -> Executable:
    at = literal(now, UTCDateTime())
    waiting = (
        select(
            Product.submitted_at,
            seconds_between(at, Product.submitted_at, dialect).label("wait"),
        )
        .where(Product.status == ProductStatus.submitted.value)
        .cte("waiting")
    )
    return select(
        func.count(),
        func.min(waiting.c.submitted_at),
        median(waiting, "wait").scalar_subquery(),
    ).select_from(waiting)


def _decision_totals(d: CTE) -> Executable:
    return select(
        *(func.count().filter(d.c.action == action) for action in DECIDE),
        median(d, "to_decision").scalar_subquery(),
        median(d, "in_review").scalar_subquery(),
    ).select_from(d)


def _by_curator(d: CTE) -> Executable:
    to_decision = median(d, "to_decision", "actor_id").subquery("to_decision")
    in_review = median(d, "in_review", "actor_id").subquery("in_review")
    decisions = func.count().label("decision_count")
    return (
        select(
            User.id,
            User.full_name,
            decisions,
            func.count().filter(d.c.action == ReviewDecision.approve.value),
            func.max(to_decision.c.median),
            func.max(in_review.c.median),
        )
        .select_from(d)
        .join(User, User.id == d.c.actor_id)
        .outerjoin(to_decision, to_decision.c.actor_id == d.c.actor_id)
        .outerjoin(in_review, in_review.c.actor_id == d.c.actor_id)
        .group_by(User.id, User.full_name)
        .order_by(desc(decisions), User.full_name, User.id)
    )


def _by_category(period: Period) -> Executable:
    t = Transition

    def products(*actions: str) -> Any:
        return func.count(func.distinct(case((t.action.in_(actions), t.product_id))))

    return (
        select(
            Product.category,
            products("submit"),
            products(*DECIDE),
            products(ReviewDecision.approve.value),
        )
        .join(Product, Product.id == t.product_id)
        .where(t.action.in_(("submit", *DECIDE)), period.holds(t.at))
        .group_by(Product.category)
        .order_by(Product.category)
    )


def _catalog(period: Period, today: date) -> Executable:
    published = select(func.count()).select_from(CatalogEntry).where(visible(today))
    asked = select(func.count()).select_from(Inquiry).where(period.holds(Inquiry.created_at))
    return select(published.scalar_subquery(), asked.scalar_subquery())


def _channels(period: Period, today: date) -> Executable:
    listed = CatalogChannel
    shown = (
        select(func.count())
        .select_from(listed)
        .join(CatalogEntry, CatalogEntry.product_id == listed.product_id)
        .where(listed.channel_id == Channel.id, lasts_until(listed.last_day, today), visible(today))
    )
    asked = (
        select(func.count())
        .select_from(Inquiry)
        .join(Listing, Listing.product_id == Inquiry.product_id)
        .where(Listing.channel_id == Channel.id, period.holds(Inquiry.created_at))
    )
    return (
        select(Channel.code, shown.scalar_subquery(), asked.scalar_subquery())
        .where(Channel.active.is_(True))
        .order_by(Channel.code)
    )


async def stats(session: AsyncSession, period: Period, *, now: datetime, today: date) -> StatsOut:
    dialect = session.get_bind().dialect.name
    d = _decisions(period, dialect)
    statuses = {status: 0 for status in ProductStatus}
    statuses.update({status: n for status, n in await session.execute(_by_status())})
    size, oldest, wait = (await session.execute(_queue(now, dialect))).one()
    *counts, to_decision, in_review = (await session.execute(_decision_totals(d))).one()
    published, inquiries = (await session.execute(_catalog(period, today))).one()
    return StatsOut(
        period=StatsPeriod(from_=period.first, to=period.last),
        as_of=now,
        products_by_status=ProductsByStatus.model_validate(statuses),
        queue=QueueStats(size=size, oldest_submitted_at=oldest, median_wait_hours=hours(wait)),
        decisions=DecisionStats(
            **dict(zip(DECIDE, counts, strict=True)),
            median_hours_to_decision=hours(to_decision),
            median_review_hours=hours(in_review),
        ),
        by_category=[
            CategoryStats(
                category=category,
                submitted=submitted,
                decided=decided,
                approved=approved,
                approval_rate=approved / decided if decided else None,
            )
            for category, submitted, decided, approved in await session.execute(
                _by_category(period)
            )
        ],
        by_curator=[
            CuratorStats(
                curator=CuratorRef(id=user_id, full_name=name),
                decisions=decisions,
                approved=approved,
                median_hours_to_decision=hours(to_dec),
                median_review_hours=hours(review),
            )
            for user_id, name, decisions, approved, to_dec, review in await session.execute(
                _by_curator(d)
            )
        ],
        catalog=CatalogStats(
            published=published,
            inquiries=inquiries,
            by_channel=[
                ChannelStats(code=code, published=shown, inquiries=asked)
                for code, shown, asked in await session.execute(_channels(period, today))
            ],
        ),
    )
