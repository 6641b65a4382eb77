from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.access.dependencies import CurrentUser
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import responses
from app.core.pagination import Page, PageParams, page_params
from app.core.routing import router as make_router
from app.notifications import service
from app.notifications.schemas import NotificationOut

router = make_router(prefix="/users/me/notifications", tags=["notifications"])


@router.get("", response_model=Page[NotificationOut], responses=responses(401, 422))
async def list_my_notifications(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[NotificationOut]:
    """The caller's notifications, newest first

    What the caller was told of (SPEC §9), in their preferred language: the same texts
    email carries, each with the product or inquiry it concerns and when it was read.
    """
    rows, cursor = await service.list_notifications(session, user, page, secret=settings.secret_key)
    return Page(items=[NotificationOut.model_validate(n) for n in rows], next_cursor=cursor)


@router.post(
    "/{notification_id}/read", response_model=NotificationOut, responses=responses(401, 404, 422)
)
async def mark_notification_read(
    notification_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> NotificationOut:
    """Mark one of the caller's notifications read

    Marking it again changes nothing (its `read_at` stays the first). Another user's
    notification is 404.
    """
    notification = await service.mark_read(session, user, notification_id)
    return NotificationOut.model_validate(notification)
