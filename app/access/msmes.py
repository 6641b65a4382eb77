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
    return _owned_by(user.id)


def _owned_by(owner_id: Any) -> Select[uuid.UUID]:
    """The ids of the MSMEs of `owner_id` (a value or a bound parameter)."""
    return select(Msme.id).where(Msme.owner_id == owner_id)


def msme_visible(user: User, msme_id: Any) -> ColumnElement[bool]:
    """A condition on an MSME id column: may `user` read that MSME (and what hangs off it)?"""
    return msme_visible_to(user.role, user.id, msme_id)


def msme_visible_to(role: str, user_id: Any, msme_id: Any) -> ColumnElement[bool]:
    """`msme_visible` for a user of `role` whose id is `user_id` (a value or a bound
    parameter, for a statement built once for every user of the role)."""
    if role in (Role.curator, Role.admin):
        return msme_id.isnot(None)  # type: ignore[no-any-return]
    if role == Role.msme_owner:
        return msme_id.in_(_owned_by(user_id))  # type: ignore[no-any-return]
    return false()
