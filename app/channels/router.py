from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Depends, Response
from sqlalchemy import select

from app.catalog import entries, publication
from app.channels import service
from app.channels.schemas import ChannelCreate, ChannelOut, ChannelUpdate, ListingCreate, ListingOut
from app.core.deps import AdminUser, SessionDep, SettingsDep, StorageDep
from app.core.errors import responses
from app.core.pagination import Page, PageParams, SortKey, page_params, paginate
from app.core.routing import router as make_router
from app.models import Channel, Listing

router = make_router(prefix="/channels", tags=["channels"])


@router.post(
    "", status_code=201, response_model=ChannelOut, responses=responses(401, 403, 409, 422)
)
async def create_channel(body: ChannelCreate, _: AdminUser, session: SessionDep) -> ChannelOut:
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
    rows, cursor = await paginate(
        session,
        select(Channel).where(service.channel_open(date.today())),
        [SortKey(Channel.code)],
        page,
        secret=settings.secret_key,
        scope="channels",
    )
    return Page(items=[ChannelOut.model_validate(c) for c in rows], next_cursor=cursor)


@router.patch("/{code}", response_model=ChannelOut, responses=responses(401, 403, 404, 422))
async def update_channel(
    code: str, body: ChannelUpdate, _: AdminUser, session: SessionDep, storage: StorageDep
) -> ChannelOut:
    channel = await service.get_channel(session, code)
    shown_while = (channel.active, channel.ends_on)
    channel = await service.update_channel(session, channel, body)
    # Only these decide which listings show (names and venues are read with the page);
    # recomputing a large channel's listings is not worth doing for a renamed hall.
    if (channel.active, channel.ends_on) != shown_while:
        listed = select(Listing.product_id).where(Listing.channel_id == channel.id)
        await publication.sync(session, storage, listed)
        # The channel filter reads whether the channel is open from the channel itself,
        # which the catalog's change log does not keep: counts filtered by a channel are
        # made again.
        entries.changed(session, logged=True, moves="opened")
    return ChannelOut.model_validate(channel)


@router.post(
    "/{code}/listings",
    status_code=201,
    response_model=ListingOut,
    responses=responses(401, 403, 404, 409, 422),
    description="Publish a product's approved revision in the channel; 409 unless it has one.",
)
async def publish(
    code: str, body: ListingCreate, admin: AdminUser, session: SessionDep, storage: StorageDep
) -> ListingOut:
    channel = await service.get_channel(session, code)
    listing = await service.publish(session, channel, body, admin)
    await publication.sync(session, storage, [listing.product_id])
    return ListingOut(
        id=listing.id,
        channel=channel.code,
        product_id=listing.product_id,
        booth=listing.booth,
        published_at=listing.published_at,
    )


@router.delete("/{code}/listings/{product_id}", status_code=204, responses=responses(401, 403, 404))
async def unpublish(
    code: str, product_id: uuid.UUID, _: AdminUser, session: SessionDep, storage: StorageDep
) -> Response:
    channel = await service.get_channel(session, code)
    await service.unpublish(session, channel, product_id)
    await publication.sync(session, storage, [product_id])
    return Response(status_code=204)
