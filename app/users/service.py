"""Accounts: creation (self-registration, admin, CLI), updates, listing."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import Conflict, NotFound
from app.core.pagination import PageParams, SortKey, paginate
from app.core.security import hash_password
from app.models import User
from app.users.schemas import UserCreate, UserUpdate


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def get_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalize_email(email)))


async def create_user(session: AsyncSession, data: UserCreate) -> User:
    email = normalize_email(data.email)
    if await get_by_email(session, email) is not None:
        raise Conflict("An account with this email exists already")
    user = User(
        email=email,
        password_hash=hash_password(data.password),
        full_name=data.full_name,
        role=data.role.value,
        company=data.company,
        country=data.country,
        preferred_language=data.preferred_language.value,
        is_active=data.is_active,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration won the unique index
        raise Conflict("An account with this email exists already") from exc
    return user


async def update_user(session: AsyncSession, user: User, data: UserUpdate) -> User:
    changes = data.model_dump(exclude_unset=True)
    if "password" in changes:
        password = changes.pop("password")
        if password is not None:
            user.password_hash = hash_password(password)
    for field, value in changes.items():
        if value is None and field in ("full_name", "role", "preferred_language", "is_active"):
            continue
        setattr(user, field, value.value if hasattr(value, "value") else value)
    await session.flush()
    return user


async def list_users(
    session: AsyncSession, page: PageParams, *, secret: str, role: str | None = None
) -> tuple[list[User], str | None]:
    stmt = select(User)
    if role is not None:
        stmt = stmt.where(User.role == role)
    return await paginate(
        session,
        stmt,
        [SortKey(User.created_at), SortKey(User.id)],
        page,
        secret=secret,
        scope=f"users:{role}",
    )


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user")
    return user
