"""Who is calling, and what their role lets them do: the routes' user dependencies.

Deny by default: a route that names none of these is public (the catalog, standards).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from app.core.deps import SessionDep, SettingsDep
from app.core.errors import Forbidden, Unauthorized
from app.core.security import decode_access_token
from app.models import User
from app.models.enums import Role

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def optional_user(
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> User | None:
    """The caller, or None when anonymous. A token that is sent must be valid."""
    if token is None:
        return None
    user_id = decode_access_token(settings, token)
    if user_id is None:
        raise Unauthorized("The token is invalid or has expired")
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise Unauthorized("The token's user does not exist or is inactive")
    return user


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


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]
AdminUser = Annotated[User, Depends(require_roles(Role.admin))]
StaffUser = Annotated[User, Depends(require_roles(Role.curator, Role.admin))]
OwnerUser = Annotated[User, Depends(require_roles(Role.msme_owner))]
BuyerUser = Annotated[User, Depends(require_roles(Role.buyer))]
WorkspaceUser = Annotated[User, Depends(require_roles(Role.msme_owner, Role.curator, Role.admin))]
