"""Who is calling, and what their role lets them do: the routes' user dependencies.

Deny by default: a route that names none of these is public (the catalog, standards).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import bindparam, select

from app.core.db import utcnow
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import Forbidden, Unauthorized
from app.core.security import decode_access_token
from app.models import AuthSession, User
from app.models.enums import Role

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


@dataclass(frozen=True)
class Login:
    user: User
    session_id: uuid.UUID


# One query: the user, only if the token's session is still live. Built once: every
# authenticated request runs it.
LIVE_USER = (
    select(User)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(
        User.id == bindparam("user_id"),
        User.is_active,
        AuthSession.id == bindparam("session_id"),
        AuthSession.revoked_at.is_(None),
        AuthSession.expires_at > bindparam("now"),
    )
)


async def optional_login(
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Login | None:
    """The caller and their session, or None when anonymous. A token sent must be valid,
    its session live (not logged out, not revoked) and its user active."""
    if token is None:
        return None
    claims = decode_access_token(settings, token)
    if claims is None:
        raise Unauthorized("The token is invalid or has expired")
    user = await session.scalar(
        LIVE_USER,
        {"user_id": claims.user_id, "session_id": claims.session_id, "now": utcnow()},
    )
    if user is None:
        raise Unauthorized("The token was revoked, or its user is inactive")
    return Login(user, claims.session_id)


async def optional_user(login: Annotated[Login | None, Depends(optional_login)]) -> User | None:
    return login.user if login else None


async def current_login(login: Annotated[Login | None, Depends(optional_login)]) -> Login:
    if login is None:
        raise Unauthorized()
    return login


async def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise Unauthorized()
    return user


def require_roles(*roles: Role) -> Callable[..., Coroutine[Any, Any, User]]:
    allowed = {r.value for r in roles}

    async def dependency(user: Annotated[User, Depends(current_user)]) -> User:
        if user.role not in allowed:
            raise Forbidden(f"This requires the role {' or '.join(sorted(allowed))}")
        return user

    return dependency


CurrentLogin = Annotated[Login, Depends(current_login)]
OptionalUser = Annotated[User | None, Depends(optional_user)]
# `openapi_extra` of a route that takes OptionalUser: FastAPI lists the bearer scheme
# only; an empty requirement beside it says the route may be called without a token.
ANONYMOUS_TOO: dict[str, Any] = {"security": [{}]}
CurrentUser = Annotated[User, Depends(current_user)]
AdminUser = Annotated[User, Depends(require_roles(Role.admin))]
StaffUser = Annotated[User, Depends(require_roles(Role.curator, Role.admin))]
OwnerUser = Annotated[User, Depends(require_roles(Role.msme_owner))]
BuyerUser = Annotated[User, Depends(require_roles(Role.buyer))]
WorkspaceUser = Annotated[User, Depends(require_roles(Role.msme_owner, Role.curator, Role.admin))]
OwnerOrAdminUser = Annotated[User, Depends(require_roles(Role.msme_owner, Role.admin))]
