"""Exchange rates to JPY: every price in the catalog is also shown in yen."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.fx.schemas import FxRateIn
from app.models import FxRate, User


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


async def current_rates(session: AsyncSession) -> dict[str, Decimal]:
    rates = {r.currency: r.rate_to_jpy for r in (await session.scalars(current_rates_statement()))}
    rates["JPY"] = Decimal(1)
    return rates
