from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Response

from app.access.dependencies import AdminUser
from app.channels import service
from app.channels.schemas import ChannelCreate, ChannelOut, ChannelUpdate, ListingCreate, ListingOut
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import responses
from app.core.pagination import Page, PageParams, page_params
from app.core.routing import router as make_router

router = make_router(prefix="/channels", tags=["channels"])


@router.post(
    "", status_code=201, response_model=ChannelOut, responses=responses(401, 403, 409, 422)
)
async def create_channel(body: ChannelCreate, _: AdminUser, session: SessionDep) -> ChannelOut:
    """Create a channel (the Tokyo center or an exhibition)"""
    return ChannelOut.model_validate(await service.create_channel(session, body))


@router.get(
    "",
    response_model=Page[ChannelOut],
    responses=responses(422),
    description="Active channels; an exhibition drops out after its last day.",
)
async def list_channels(
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[ChannelOut]:
    """List the active channels"""
    rows, cursor = await service.open_channels(session, page, secret=settings.secret_key)
    return Page(items=[ChannelOut.model_validate(c) for c in rows], next_cursor=cursor)


@router.patch("/{code}", response_model=ChannelOut, responses=responses(401, 403, 404, 422))
async def update_channel(
    code: str, body: ChannelUpdate, _: AdminUser, session: SessionDep
) -> ChannelOut:
    """Change a channel

    Fields left out stay. A channel made inactive leaves the catalog with its listings.
    """
    channel = await service.get_channel(session, code)
    return ChannelOut.model_validate(await service.update_channel(session, channel, body))


@router.post(
    "/{code}/listings",
    status_code=201,
    response_model=ListingOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def publish_listing(
    code: str, body: ListingCreate, admin: AdminUser, session: SessionDep
) -> ListingOut:
    """Publish a product on a channel

    Publishes the product's approved revision; 409 unless it has one and its MSME is
    verified.
    """
    channel = await service.get_channel(session, code)
    listing = await service.publish(session, channel, body, admin)
    return ListingOut.of(listing, channel)


@router.delete("/{code}/listings/{product_id}", status_code=204, responses=responses(401, 403, 404))
async def unpublish_listing(
    code: str, product_id: uuid.UUID, _: AdminUser, session: SessionDep
) -> Response:
    """Take a product off a channel"""
    channel = await service.get_channel(session, code)
    await service.unpublish(session, channel, product_id)
    return Response(status_code=204)
