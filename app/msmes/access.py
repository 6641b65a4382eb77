"""What MSMEs a caller may read: owners their own, curators and admins all."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.access.msmes import msme_visible
from app.core.errors import NotFound
from app.models import Msme, User


def readable_msmes(user: User) -> Select[Msme]:
    return select(Msme).where(msme_visible(user, Msme.id))


async def get_readable_msme(
    session: AsyncSession,
    user: User,
    msme_id: uuid.UUID,
    *,
    with_documents: bool = False,
    for_update: bool = False,
) -> Msme:
    """The MSME if `user` may read it; `for_update` locks its row until the transaction
    ends (PostgreSQL), for a write computed from what was read."""
    stmt = readable_msmes(user).where(Msme.id == msme_id)
    if for_update:
        stmt = stmt.with_for_update()
    if with_documents:
        stmt = stmt.options(selectinload(Msme.documents))
    msme = await session.scalar(stmt)
    if msme is None:
        raise NotFound("No such MSME")
    return msme
