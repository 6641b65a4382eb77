from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from app.access.dependencies import AdminUser
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import Unprocessable, responses
from app.core.pagination import Page, PageParams, page_params
from app.core.routing import router as make_router
from app.fx import service
from app.fx.schemas import FxRateIn, FxRateOut

router = make_router(prefix="/fx-rates", tags=["fx"])

CurrencyPath = Annotated[str, Path(pattern=r"^[A-Z]{3}$", examples=["IDR"])]


@router.put(
    "/{currency}",
    response_model=FxRateOut,
    responses=responses(401, 403, 422),
    description="Set the rate of one currency to JPY as of a date; history is kept.",
)
async def set_rate(
    currency: CurrencyPath, body: FxRateIn, admin: AdminUser, session: SessionDep
) -> FxRateOut:
    if currency == "JPY":
        raise Unprocessable(
            "JPY is the catalog's own currency",
            errors=[{"loc": ["path", "currency"], "msg": "JPY has no rate to itself"}],
        )
    return FxRateOut.model_validate(await service.set_rate(session, currency, body, admin))


@router.get(
    "", response_model=Page[FxRateOut], responses=responses(422), description="Current rates"
)
async def list_rates(
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[FxRateOut]:
    rows, cursor = await service.list_current(session, page, secret=settings.secret_key)
    return Page(items=[FxRateOut.model_validate(r) for r in rows], next_cursor=cursor)
