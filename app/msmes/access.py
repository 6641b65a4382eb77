"""What MSMEs a caller may read: owners their own, curators and admins all."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, false, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from app.core.errors import NotFound
from app.models import Msme, User
from app.models.enums import Role


def owned_msme_ids(user: User) -> Select[uuid.UUID]:
    return select(Msme.id).where(Msme.owner_id == user.id)


def msme_visible(user: User, msme_id: Any) -> ColumnElement[bool]:
    """A condition on an MSME id column: may `user` read that MSME (and what hangs off it)?"""
    if user.role in (Role.curator, Role.admin):
        return msme_id.isnot(None)  # type: ignore[no-any-return]
    if user.role == Role.msme_owner:
        return msme_id.in_(owned_msme_ids(user))  # type: ignore[no-any-return]
    return false()


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
