"""Request dependencies: settings, storage, the request's sessions, the base URL.

Who the caller is and what their role lets them do is app/auth/dependencies.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.core.routing import SESSION_STATE_KEY
from app.core.storage import Storage


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_storage(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessionmaker() as session:
        setattr(request.state, SESSION_STATE_KEY, session)
        yield session


async def side_sessions(request: Request) -> async_sessionmaker[AsyncSession] | None:
    """Sessions for reads beside the request's own, at once (PostgreSQL; None on SQLite)."""
    sessions: async_sessionmaker[AsyncSession] | None = request.app.state.side_sessions
    return sessions


SettingsDep = Annotated[Settings, Depends(get_settings)]
StorageDep = Annotated[Storage, Depends(get_storage)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
SideSessionsDep = Annotated[async_sessionmaker[AsyncSession] | None, Depends(side_sessions)]


async def base_url(request: Request) -> str:
    """Where clients reach this API: the configured public URL, or the request's own."""
    configured = request.app.state.settings.public_base_url
    return (configured or str(request.base_url)).rstrip("/")


BaseUrlDep = Annotated[str, Depends(base_url)]
