from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query

from app.access.dependencies import AdminUser
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import responses
from app.core.pagination import Page, PageParams, page_params
from app.core.routing import router as make_router
from app.mail import service
from app.mail.schemas import MailMessageOut
from app.models.enums import MailStatus

router = make_router(prefix="/mail-messages", tags=["mail"])


@router.get("", response_model=Page[MailMessageOut], responses=responses(401, 403, 422))
async def list_mail_messages(
    _: AdminUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
    status: Annotated[MailStatus | None, Query(description="Only messages of this status")] = None,
) -> Page[MailMessageOut]:
    """The mail queue, newest first (admin)

    Each message with its recipient, subject, status, number of tries and the last
    error or server's answer: `status=failed` lists what will not be sent unless retried.
    """
    rows, cursor = await service.list_messages(
        session, page, secret=settings.secret_key, status=status
    )
    return Page(items=[MailMessageOut.of(m) for m in rows], next_cursor=cursor)


@router.post(
    "/{message_id}/retry",
    response_model=MailMessageOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def retry_mail_message(
    message_id: uuid.UUID, _: AdminUser, session: SessionDep, settings: SettingsDep
) -> MailMessageOut:
    """Send a failed message again (admin)

    It goes back to `pending`, due now, with a new span of tries. A message that has not
    failed is 409.
    """
    return MailMessageOut.of(await service.retry(session, settings, message_id))
