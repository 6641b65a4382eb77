"""The center's figures, each section one aggregate statement: a fixed number of
statements whatever the amount of data, and no row visited in Python.

Flows (submissions, decisions, inquiries) are those within the period; the rest is as
of now. Decisions and submissions are read from the audit trail (transitions), the one
record of when each happened and who did it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CTE, Executable, Row, case, cast, func, literal, null, select, union_all
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
    """Each decision of the period: product, action, who decided, and the seconds from the
    product's latest submission and latest start of review before it (one index lookup
    each, on (product_id, at))."""
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


def _decisions_by_actor(d: CTE) -> Executable:
    """The period's decisions in total (the row without an actor), then by who decided
    them: (id, name, approvals, requests for changes, rejections, the two medians). One
    statement, so that the decisions are found and timed once."""
    counts = [func.count().filter(d.c.action == action).label(action) for action in DECIDE]
    total = select(
        cast(null(), User.id.type).label("id"),
        cast(null(), User.full_name.type).label("full_name"),
        *counts,
        median(d, "to_decision").scalar_subquery().label("to_decision"),
        median(d, "in_review").scalar_subquery().label("in_review"),
    ).select_from(d)
    to_decision = median(d, "to_decision", "actor_id").subquery("to_decision")
    in_review = median(d, "in_review", "actor_id").subquery("in_review")
    by_actor = (
        select(
            User.id,
            User.full_name,
            *counts,
            func.max(to_decision.c.median),
            func.max(in_review.c.median),
        )
        .select_from(d)
        .join(User, User.id == d.c.actor_id)
        .outerjoin(to_decision, to_decision.c.actor_id == d.c.actor_id)
        .outerjoin(in_review, in_review.c.actor_id == d.c.actor_id)
        .group_by(User.id, User.full_name)
    )
    return union_all(total, by_actor)


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
    statuses = {status: 0 for status in ProductStatus}
    statuses.update({status: n for status, n in await session.execute(_by_status())})
    size, oldest, wait = (await session.execute(_queue(now, dialect))).one()
    decisions = await session.execute(_decisions_by_actor(_decisions(period, dialect)))
    total, curators = _split_total(list(decisions))
    categories = await session.execute(_by_category(period))
    published, inquiries = (await session.execute(_catalog(period, today))).one()
    channels = await session.execute(_channels(period, today))
    return StatsOut(
        period=StatsPeriod(from_=period.first, to=period.last),
        as_of=now,
        products_by_status=ProductsByStatus.model_validate(statuses),
        queue=QueueStats(size=size, oldest_submitted_at=oldest, median_wait_hours=hours(wait)),
        decisions=DecisionStats(
            **{action: total._mapping[action] for action in DECIDE},
            median_hours_to_decision=hours(total.to_decision),
            median_review_hours=hours(total.in_review),
        ),
        by_category=[
            CategoryStats(
                category=category,
                submitted=submitted,
                decided=decided,
                approved=approved,
                approval_rate=approved / decided if decided else None,
            )
            for category, submitted, decided, approved in categories
        ],
        by_curator=[_curator(row) for row in curators],
        catalog=CatalogStats(
            published=published,
            inquiries=inquiries,
            by_channel=[
                ChannelStats(code=code, published=shown, inquiries=asked)
                for code, shown, asked in channels
            ],
        ),
    )


def _split_total(rows: list[Row[Any]]) -> tuple[Row[Any], list[Row[Any]]]:
    """The row of all decisions, and the rows of each curator: most decisions first,
    then by name (a handful of rows, one per curator)."""
    (total,) = [row for row in rows if row.id is None]
    curators = [row for row in rows if row.id is not None]
    curators.sort(key=lambda r: (-_count(r), r.full_name, r.id))
    return total, curators


def _count(row: Row[Any]) -> int:
    return sum(row._mapping[action] for action in DECIDE)


def _curator(row: Row[Any]) -> CuratorStats:
    return CuratorStats(
        curator=CuratorRef(id=row.id, full_name=row.full_name),
        decisions=_count(row),
        approved=row.approve,
        median_hours_to_decision=hours(row.to_decision),
        median_review_hours=hours(row.in_review),
    )
