from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from app.access.dependencies import AdminUser
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import responses
from app.core.pagination import Page, PageParams, page_params
from app.core.routing import router as make_router
from app.core.schemas import CURRENCIES, OneOf
from app.fx import service
from app.fx.schemas import FxRateIn, FxRateOut

router = make_router(prefix="/fx-rates", tags=["fx"])


# Any currency in use but the yen the rates are in.
CurrencyPath = Annotated[
    str,
    OneOf(
        CURRENCIES - {"JPY"}, "a currency in use other than JPY, the catalog's own", "FxCurrency"
    ),
    Path(examples=["IDR"]),
]


@router.put(
    "/{currency}",
    response_model=FxRateOut,
    responses=responses(401, 403, 422),
    description="Set the rate of one currency to JPY as of a date; history is kept.",
)
async def set_fx_rate(
    currency: CurrencyPath, body: FxRateIn, admin: AdminUser, session: SessionDep
) -> FxRateOut:
    """Set a currency's exchange rate to JPY"""
    return FxRateOut.model_validate(await service.set_rate(session, currency, body, admin))


@router.get(
    "", response_model=Page[FxRateOut], responses=responses(422), description="Current rates"
)
async def list_fx_rates(
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[FxRateOut]:
    """The current exchange rates to JPY"""
    rows, cursor = await service.list_current(session, page, secret=settings.secret_key)
    return Page(items=[FxRateOut.model_validate(r) for r in rows], next_cursor=cursor)
