from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Response

from app.access.dependencies import AdminUser
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import responses
from app.core.pagination import Page, PageParams, page_params
from app.core.routing import router as make_router
from app.webhooks import service
from app.webhooks.schemas import WebhookAttemptOut, WebhookCreated, WebhookIn, WebhookOut

router = make_router(prefix="/webhooks", tags=["webhooks"])


@router.post("", status_code=201, response_model=WebhookCreated, responses=responses(401, 403, 422))
async def create_webhook(
    body: WebhookIn, admin: AdminUser, session: SessionDep, settings: SettingsDep
) -> WebhookCreated:
    """Subscribe a partner system to events (admin)

    Each delivery is a POST signed with the `secret` of this answer, which is never shown
    again (the README says how to check a signature). In production the URL must be
    `https://` and must not resolve to a private, loopback or link-local address (422).
    """
    webhook = await service.create_webhook(session, body, admin, settings)
    return WebhookCreated.model_validate(webhook)


@router.get("", response_model=Page[WebhookOut], responses=responses(401, 403, 422))
async def list_webhooks(
    _: AdminUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[WebhookOut]:
    """List webhook subscriptions (admin), without their secrets"""
    rows, cursor = await service.list_webhooks(session, page, secret=settings.secret_key)
    return Page(items=[WebhookOut.model_validate(w) for w in rows], next_cursor=cursor)


@router.delete("/{webhook_id}", status_code=204, responses=responses(401, 403, 404, 422))
async def delete_webhook(webhook_id: uuid.UUID, _: AdminUser, session: SessionDep) -> Response:
    """Remove a webhook subscription (admin)

    Deliveries not yet made are dropped with it, and so is its log.
    """
    await service.delete_webhook(session, webhook_id)
    return Response(status_code=204)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=Page[WebhookAttemptOut],
    responses=responses(401, 403, 404, 422),
)
async def list_webhook_deliveries(
    webhook_id: uuid.UUID,
    _: AdminUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[WebhookAttemptOut]:
    """A webhook's delivery attempts, newest first (admin)

    One entry per attempt: the event, the attempt's number, the receiver's status code or
    the error, how long it took, and when the next attempt is due (none once delivered,
    or once 24 hours of failures have made it give up).
    """
    rows, cursor = await service.list_attempts(
        session, webhook_id, page, secret=settings.secret_key
    )
    return Page(items=[WebhookAttemptOut.model_validate(a) for a in rows], next_cursor=cursor)
