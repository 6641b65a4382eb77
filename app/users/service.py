"""Accounts: creation (self-registration, admin, CLI), updates, passwords, listing."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.core.db import utcnow
from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.pagination import PageParams, SortKey, paginate
from app.core.security import hash_password, verify_password
from app.mail.digest import queue_digest
from app.models import User
from app.models.enums import Role, SubmissionMail
from app.users import sessions
from app.users.schemas import MeUpdate, RegisterIn, UserCreate, UserOut, UserUpdate


def normalize_email(email: str) -> str:
    return email.strip().lower()


async def get_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalize_email(email)))


def _new_user(data: UserCreate) -> User:
    return User(
        id=uuid.uuid4(),
        email=normalize_email(data.email),
        password_hash=hash_password(data.password),
        full_name=data.full_name,
        role=data.role.value,
        company=data.company,
        country=data.country,
        preferred_language=data.preferred_language.value,
        is_active=data.is_active,
        submission_mail=SubmissionMail.each.value,
        created_at=utcnow(),
    )


async def create_user(session: AsyncSession, data: UserCreate) -> User:
    email = normalize_email(data.email)
    if await get_by_email(session, email) is not None:
        raise Conflict("An account with this email exists already")
    user = _new_user(data)
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration won the unique index
        raise Conflict("An account with this email exists already") from exc
    return user


async def register(session: AsyncSession, data: RegisterIn) -> UserOut:
    """A new account, answered alike whether or not the email has one already.

    Telling "this email is taken" would let anyone learn who has an account. For a taken
    email nothing is stored, and the answer is what a new account's would be (the
    password is hashed all the same, so the time taken matches too)."""
    user = _new_user(UserCreate(**data.model_dump()))
    if await get_by_email(session, user.email) is None:
        try:
            async with session.begin_nested():  # a concurrent registration may win
                session.add(user)
        except IntegrityError:
            pass
    return UserOut.model_validate(user)


async def update_user(session: AsyncSession, admin: User, user: User, data: UserUpdate) -> User:
    changes = data.model_dump(exclude_unset=True)
    revoke = False
    if changes.get("password") is not None:
        user.password_hash = hash_password(changes["password"])
        revoke = True
    changes.pop("password", None)
    deactivated = changes.get("is_active") is False and user.is_active
    demoted = changes.get("role") not in (None, Role.admin) and user.role == Role.admin.value
    if deactivated or demoted:
        await _keep_an_admin(session, admin, user, "deactivate" if deactivated else "demote")
        revoke = revoke or deactivated
    for field, value in changes.items():
        if value is None and field in ("full_name", "role", "preferred_language", "is_active"):
            continue
        setattr(user, field, value.value if hasattr(value, "value") else value)
    if revoke:  # a new password or a deactivation ends every session at once
        await sessions.revoke_all(session, user.id)
    await session.flush()
    return user


async def update_me(session: AsyncSession, settings: Settings, user: User, data: MeUpdate) -> User:
    """Change one's own name, language or way of hearing of submissions."""
    for field, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        value = value.value if hasattr(value, "value") else value
        if field == "submission_mail" and value != user.submission_mail:
            if value == SubmissionMail.daily_digest:
                # A digest lists what came after the choice: nothing already mailed.
                user.digest_until = utcnow()
            else:
                # What came since the last digest was mailed to nobody: one last digest.
                if user.digest_until is not None and settings.smtp_url:
                    await queue_digest(session, settings, user, utcnow())
                user.digest_until = None
        setattr(user, field, value)
    await session.flush()
    return user


async def _keep_an_admin(session: AsyncSession, admin: User, user: User, what: str) -> None:
    """Refuse to leave the center without an active admin, or an admin locked out by
    their own hand. The active admins' rows are locked (PostgreSQL), so two admins
    demoting each other at once cannot both succeed."""
    if user.id == admin.id:
        raise Conflict(f"Admins cannot {what} themselves; ask another admin")
    if user.role != Role.admin.value or not user.is_active:
        return
    active = await session.scalars(
        select(User.id).where(User.role == Role.admin.value, User.is_active).with_for_update()
    )
    if set(active) <= {user.id}:
        raise Conflict(f"Cannot {what} the last active admin")


async def change_password(
    session: AsyncSession, user: User, current_password: str, new_password: str
) -> None:
    """Set a new password and end every session of the user, the caller's included."""
    if not verify_password(current_password, user.password_hash):
        raise Unprocessable(
            "The current password is not correct",
            errors=[{"loc": ["body", "current_password"], "msg": "not the current password"}],
        )
    user.password_hash = hash_password(new_password)
    await sessions.revoke_all(session, user.id)
    await session.flush()


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
