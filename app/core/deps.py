"""Request dependencies: settings, the request's session, the caller and their role."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.core.db import ON_COMMIT
from app.core.errors import Forbidden, Unauthorized
from app.core.routing import SESSION_STATE_KEY
from app.core.security import decode_access_token
from app.core.storage import Storage
from app.models import User
from app.models.enums import Role

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_storage(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessionmaker() as session:
        setattr(request.state, SESSION_STATE_KEY, session)
        session.info[ON_COMMIT] = request.app.state.on_commit  # app/core/db.py, `signal`
        yield session


def get_sessionmaker(request: Request) -> async_sessionmaker[AsyncSession]:
    """For work of a request that runs beside its own session (never sharing it)."""
    sessions: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    return sessions


SettingsDep = Annotated[Settings, Depends(get_settings)]
StorageDep = Annotated[Storage, Depends(get_storage)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
SessionsDep = Annotated[async_sessionmaker[AsyncSession], Depends(get_sessionmaker)]


def base_url(request: Request) -> str:
    """Where clients reach this API: the configured public URL, or the request's own."""
    configured = request.app.state.settings.public_base_url
    return (configured or str(request.base_url)).rstrip("/")


BaseUrlDep = Annotated[str, Depends(base_url)]


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
