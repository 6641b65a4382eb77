"""MSME profiles: registration by owners, edits, verification by curators."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.catalog.cache import CATALOG
from app.catalog.sync import sync
from app.core.db import signal, utcnow
from app.core.errors import Conflict
from app.core.pagination import PageParams, SortKey, paginate
from app.models import Msme, Product, User
from app.msmes.access import readable_msmes
from app.msmes.schemas import MsmeCreate, MsmeUpdate

# Changing these means the business has to be checked again.
IDENTITY_FIELDS = frozenset({"legal_name", "nib", "npwp"})


async def _check_nib_free(session: AsyncSession, nib: str, msme: Msme | None = None) -> None:
    stmt = select(Msme.id).where(Msme.nib == nib)
    if msme is not None:
        stmt = stmt.where(Msme.id != msme.id)
    if await session.scalar(stmt) is not None:
        raise Conflict("An MSME with this NIB is registered already")


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("An MSME with this NIB is registered already") from exc


async def create_msme(session: AsyncSession, owner: User, data: MsmeCreate) -> Msme:
    await _check_nib_free(session, data.nib)
    msme = Msme(owner_id=owner.id, **data.model_dump())
    session.add(msme)
    await _flush(session)
    return msme


async def update_msme(session: AsyncSession, msme: Msme, data: MsmeUpdate) -> Msme:
    changes = data.model_dump(exclude_unset=True)
    required = {"legal_name", "brand_name", "nib", "province", "city", "address", "size_class"}
    changes = {k: v for k, v in changes.items() if v is not None or k not in required}
    if "description" in changes and changes["description"] is None:
        changes["description"] = {}
    if "capabilities" in changes:  # a statement of the owner's: an approval stays (§10)
        changes["capabilities"] = data.capabilities.stored() if data.capabilities else None
    if changes.get("nib") and changes["nib"] != msme.nib:
        await _check_nib_free(session, changes["nib"], msme)
    if any(k in IDENTITY_FIELDS and v != getattr(msme, k) for k, v in changes.items()):
        msme.verified, msme.verified_at, msme.verified_by_id = False, None, None
    moved = "province" in changes and changes["province"] != msme.province
    for key, value in changes.items():
        setattr(msme, key, value)
    await _flush(session)
    signal(session, CATALOG)  # its brand and verified mark are on catalog pages
    if moved:  # the catalog filters and counts by province
        await sync(session, select(Product.id).where(Product.msme_id == msme.id))
    return msme


async def set_verified(session: AsyncSession, msme: Msme, curator: User, verified: bool) -> Msme:
    msme.verified = verified
    msme.verified_at = utcnow() if verified else None
    msme.verified_by_id = curator.id if verified else None
    await session.flush()
    signal(session, CATALOG)
    return msme


async def list_readable(
    session: AsyncSession, user: User, page: PageParams, *, secret: str
) -> tuple[list[Msme], str | None]:
    """The MSMEs `user` may read, oldest first, with their documents."""
    return await paginate(
        session,
        readable_msmes(user).options(selectinload(Msme.documents)),
        [SortKey(Msme.created_at), SortKey(Msme.id)],
        page,
        secret=secret,
        scope="msmes",
    )
