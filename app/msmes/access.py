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
    session: AsyncSession, user: User, msme_id: uuid.UUID, *, with_documents: bool = False
) -> Msme:
    stmt = readable_msmes(user).where(Msme.id == msme_id)
    if with_documents:
        stmt = stmt.options(selectinload(Msme.documents))
    msme = await session.scalar(stmt)
    if msme is None:
        raise NotFound("No such MSME")
    return msme
