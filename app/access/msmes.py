"""Whose MSMEs a caller may read: owners their own, curators and admins all, others none.

One condition, used by every read of what hangs off an MSME (its products, documents,
images, inquiries), so that another owner's object is a 404 everywhere at once.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, false, select

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
