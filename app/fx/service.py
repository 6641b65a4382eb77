"""Exchange rates to JPY: every price in the catalog is also shown in yen."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.catalog.sync import lock, sync
from app.core.pagination import PageParams, SortKey, paginate
from app.fx.schemas import FxRateIn
from app.models import FxRate, Product, Revision, User


def to_jpy(amount: Decimal, rate: Decimal | None) -> Decimal | None:
    if rate is None:
        return None
    return (amount * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)


async def current_rate(session: AsyncSession, currency: str) -> Decimal | None:
    if currency == "JPY":
        return Decimal(1)
    return await session.scalar(_LATEST_RATE, {"currency": currency})


# The latest rate of a currency; built once.
_LATEST_RATE = (
    select(FxRate.rate_to_jpy)
    .where(FxRate.currency == bindparam("currency"))
    .order_by(FxRate.as_of.desc())
    .limit(1)
)


async def reprice(session: AsyncSession, currency: str) -> None:
    """Bring the approved revisions priced in `currency` to the latest rate, and their
    catalog rows: the products are locked first (app/catalog/sync.py, `lock`)."""
    rate = await current_rate(session, currency)
    approved = (
        select(Revision.id, Revision.product_id, Revision.price_amount)
        .join(Product, Product.approved_revision_id == Revision.id)
        .where(Revision.price_currency == currency)
    )
    ids = await lock(session, approved.with_only_columns(Revision.product_id))
    if session.get_bind().dialect.name == "postgresql":
        # numeric arithmetic is exact there, and round() rounds half away from zero
        await session.execute(
            update(Revision)
            .where(Revision.id.in_(approved.with_only_columns(Revision.id).scalar_subquery()))
            .values(price_jpy=func.round(Revision.price_amount * rate))
            .execution_options(synchronize_session=False)
        )
    else:
        rows = (await session.execute(approved)).all()
        if rows:
            await session.execute(
                update(Revision).execution_options(synchronize_session=False),
                [{"id": rid, "price_jpy": to_jpy(amount, rate)} for rid, _, amount in rows],
            )
    await sync(session, ids)


async def set_rate(session: AsyncSession, currency: str, data: FxRateIn, admin: User) -> FxRate:
    rate = await session.scalar(
        select(FxRate).where(FxRate.currency == currency, FxRate.as_of == data.as_of)
    )
    if rate is None:
        rate = FxRate(currency=currency, as_of=data.as_of, rate_to_jpy=data.rate_to_jpy)
        session.add(rate)
    rate.rate_to_jpy = data.rate_to_jpy
    rate.set_by_id = admin.id
    await session.flush()
    await reprice(session, currency)
    return rate


def current_rates_statement() -> Select[FxRate]:
    """The latest rate of every currency."""
    latest = (
        select(FxRate.currency, func.max(FxRate.as_of).label("as_of"))
        .group_by(FxRate.currency)
        .subquery()
    )
    return select(FxRate).join(
        latest, (FxRate.currency == latest.c.currency) & (FxRate.as_of == latest.c.as_of)
    )


async def current_rates(db: AsyncSession | AsyncConnection) -> dict[str, Decimal]:
    """Every currency's latest rate to yen, yen included."""
    statement = current_rates_statement().with_only_columns(FxRate.currency, FxRate.rate_to_jpy)
    rates: dict[str, Decimal] = {c: r for c, r in await db.execute(statement)}
    rates["JPY"] = Decimal(1)
    return rates


async def list_current(
    session: AsyncSession, page: PageParams, *, secret: str
) -> tuple[list[FxRate], str | None]:
    return await paginate(
        session,
        current_rates_statement(),
        [SortKey(FxRate.currency)],
        page,
        secret=secret,
        scope="fx",
    )
