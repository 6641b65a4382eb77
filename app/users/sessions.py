"""Login sessions: started by a login, rotated by each refresh, revoked by a logout, a
password change or a deactivation. Access tokens name their session (`sid`), so a
revoked session's access tokens stop working at once, not when they expire."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.core.db import utcnow
from app.core.errors import Unauthorized
from app.core.security import RefreshToken, create_access_token
from app.models import AuthSession, User
from app.users.schemas import Token

INVALID_REFRESH = "The refresh token is invalid, expired or revoked"


class ReplayedRefreshToken(Exception):
    """A rotated refresh token came back: whoever holds it, the session is revoked."""


def _pair(settings: Settings, user: User, refresh: RefreshToken) -> Token:
    return Token(
        access_token=create_access_token(settings, user.id, user.role, refresh.session_id),
        refresh_token=str(refresh),
        expires_in=settings.access_token_minutes * 60,
    )


async def start(session: AsyncSession, settings: Settings, user: User) -> Token:
    row = AuthSession(
        id=uuid.uuid4(),
        user_id=user.id,
        refresh_hash="",
        expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
    )
    refresh = RefreshToken.new(row.id, 0)
    row.refresh_hash = refresh.digest
    session.add(row)
    await session.flush()
    return _pair(settings, user, refresh)


async def rotate(session: AsyncSession, settings: Settings, token: str) -> Token:
    """A new pair for a live session's current refresh token; the old one stops working.

    Raises ReplayedRefreshToken, after revoking the session, for a token of an earlier
    generation (or one that lost a race to rotate): the caller must commit that."""
    presented = RefreshToken.parse(token)
    if presented is None:
        raise Unauthorized(INVALID_REFRESH)
    found = (
        await session.execute(
            select(AuthSession, User)
            .join(User, User.id == AuthSession.user_id)
            .where(
                AuthSession.id == presented.session_id,
                AuthSession.revoked_at.is_(None),
                AuthSession.expires_at > utcnow(),
                User.is_active,
            )
        )
    ).one_or_none()
    if found is None:
        raise Unauthorized(INVALID_REFRESH)
    row, user = found
    if presented.generation < row.generation:
        await revoke(session, row.id)
        raise ReplayedRefreshToken
    if presented.generation > row.generation or presented.digest != row.refresh_hash:
        raise Unauthorized(INVALID_REFRESH)
    fresh = RefreshToken.new(row.id, row.generation + 1)
    # Conditional, so that of two refreshes with one token exactly one rotates.
    rotated = await session.execute(
        update(AuthSession)
        .where(AuthSession.id == row.id, AuthSession.generation == presented.generation)
        .values(generation=fresh.generation, refresh_hash=fresh.digest)
        .execution_options(synchronize_session=False)
    )
    if rotated.rowcount != 1:  # type: ignore[attr-defined]
        await revoke(session, row.id)
        raise ReplayedRefreshToken
    return _pair(settings, user, fresh)


async def revoke(session: AsyncSession, session_id: uuid.UUID) -> None:
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def revoke_all(session: AsyncSession, user_id: uuid.UUID) -> None:
    """End every session of the user: each of their tokens stops working."""
    await session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
