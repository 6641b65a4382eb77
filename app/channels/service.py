"""Channels (the Tokyo showroom, JCC exhibitions) and the listings an admin publishes there."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ColumnElement, and_, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.cache import CATALOG
from app.catalog.sync import sync
from app.channels.schemas import ChannelCreate, ChannelUpdate, ListingCreate
from app.core import clock
from app.core.db import signal
from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.pagination import PageParams, SortKey, paginate
from app.events.outbox import EventType, record
from app.models import Channel, Listing, Msme, Product, User
from app.models.enums import ProductStatus


def channel_open(today: date) -> ColumnElement[bool]:
    """A channel shows listings while active and, for exhibitions, until its last day."""
    return and_(Channel.active.is_(True), or_(Channel.ends_on.is_(None), Channel.ends_on >= today))


async def open_channels(
    session: AsyncSession, page: PageParams, *, secret: str
) -> tuple[list[Channel], str | None]:
    return await paginate(
        session,
        select(Channel).where(channel_open(clock.today())),
        [SortKey(Channel.code)],
        page,
        secret=secret,
        scope="channels",
    )


async def get_channel(session: AsyncSession, code: str) -> Channel:
    channel = await session.scalar(select(Channel).where(Channel.code == code))
    if channel is None:
        raise NotFound("No such channel")
    return channel


async def create_channel(session: AsyncSession, data: ChannelCreate) -> Channel:
    if await session.scalar(select(Channel.id).where(Channel.code == data.code)) is not None:
        raise Conflict(f"A channel with the code {data.code} exists already")
    channel = Channel(**data.model_dump())
    session.add(channel)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"A channel with the code {data.code} exists already") from exc
    return channel


async def update_channel(session: AsyncSession, channel: Channel, data: ChannelUpdate) -> Channel:
    changes = data.model_dump(exclude_unset=True)
    for key in ("name", "kind", "active"):
        if key in changes and changes[key] is None:
            del changes[key]
    shown_while = (channel.active, channel.ends_on)
    for key, value in changes.items():
        setattr(channel, key, value)
    if channel.starts_on and channel.ends_on and channel.ends_on < channel.starts_on:
        raise Unprocessable(
            "ends_on comes before starts_on",
            errors=[{"loc": ["body", "ends_on"], "msg": "before starts_on"}],
        )
    await session.flush()
    signal(session, CATALOG)  # its name is on catalog pages
    # Only these decide which listings show (names and venues are read with the page);
    # a renamed hall changes no catalog row.
    if (channel.active, channel.ends_on) != shown_while:
        await sync(session, select(Listing.product_id).where(Listing.channel_id == channel.id))
        opened = channel.active and (channel.ends_on is None or channel.ends_on >= clock.today())
        kind = EventType.channel_opened if opened else EventType.channel_closed
        record(session, kind, channel_id=channel.id, channel=channel.code)
    return channel


async def publish(
    session: AsyncSession, channel: Channel, data: ListingCreate, admin: User
) -> Listing:
    product = await session.get(Product, data.product_id)
    if product is None:
        raise NotFound("No such product")
    if product.approved_revision_id is None:
        raise Conflict("The product has no approved revision to publish")
    msme = await session.get_one(Msme, product.msme_id)
    if not msme.verified:
        raise Conflict("The product's MSME is not verified")
    if product.status == ProductStatus.archived:
        raise Conflict("The product is archived")
    if not channel.active or (channel.ends_on is not None and channel.ends_on < clock.today()):
        raise Conflict("The channel is not active")
    exists = await session.scalar(
        select(Listing.id).where(Listing.channel_id == channel.id, Listing.product_id == product.id)
    )
    if exists is not None:
        raise Conflict("The product is listed in this channel already")
    listing = Listing(
        channel_id=channel.id, product_id=product.id, booth=data.booth, published_by_id=admin.id
    )
    session.add(listing)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("The product is listed in this channel already") from exc
    await sync(session, [product.id])
    record(
        session,
        EventType.listing_published,
        product_id=product.id,
        msme_id=product.msme_id,
        channel=channel.code,
        booth=listing.booth,
    )
    return listing


async def unpublish(session: AsyncSession, channel: Channel, product_id: uuid.UUID) -> None:
    result = await session.execute(
        delete(Listing).where(Listing.channel_id == channel.id, Listing.product_id == product_id)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound("The product is not listed in this channel")
    await sync(session, [product_id])
    record(session, EventType.listing_unpublished, product_id=product_id, channel=channel.code)
