"""Exchange rates to JPY: every price in the catalog is also shown in yen."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.catalog import entries
from app.fx.schemas import FxRateIn
from app.models import FxRate, Revision, User


def to_jpy(amount: Decimal, rate: Decimal | None) -> Decimal | None:
    if rate is None:
        return None
    return (amount * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)


async def current_rate(session: AsyncSession, currency: str) -> Decimal | None:
    if currency == "JPY":
        return Decimal(1)
    return await session.scalar(
        select(FxRate.rate_to_jpy)
        .where(FxRate.currency == currency)
        .order_by(FxRate.as_of.desc())
        .limit(1)
    )


async def reprice(session: AsyncSession, currency: str) -> None:
    """Bring every revision priced in `currency` to the latest rate."""
    rate = await current_rate(session, currency)
    if session.get_bind().dialect.name == "postgresql":
        # numeric arithmetic is exact there, and round() rounds half away from zero
        await session.execute(
            update(Revision)
            .where(Revision.price_currency == currency)
            .values(price_jpy=func.round(Revision.price_amount * rate))
            .execution_options(synchronize_session=False)
        )
    else:
        rows = (
            await session.execute(
                select(Revision.id, Revision.price_amount).where(
                    Revision.price_currency == currency
                )
            )
        ).all()
        if rows:
            await session.execute(
                update(Revision).execution_options(synchronize_session=False),
                [{"id": rid, "price_jpy": to_jpy(amount, rate)} for rid, amount in rows],
            )
    await entries.reprice(session, currency)


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
