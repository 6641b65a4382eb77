from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query

from app.access.dependencies import AdminUser, CurrentUser
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import responses
from app.core.pagination import Page, PageParams, page_params
from app.core.routing import router as make_router
from app.models.enums import Role
from app.users import service
from app.users.schemas import UserCreate, UserOut, UserUpdate

router = make_router(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserOut, responses=responses(401))
async def me(user: CurrentUser) -> UserOut:
    """The caller's own account"""
    return UserOut.model_validate(user)


@router.post("", status_code=201, response_model=UserOut, responses=responses(401, 403, 409, 422))
async def create_user(body: UserCreate, _: AdminUser, session: SessionDep) -> UserOut:
    """Create an account of any role (admin)"""
    return UserOut.model_validate(await service.create_user(session, body))


@router.get("", response_model=Page[UserOut], responses=responses(401, 403, 422))
async def list_users(
    _: AdminUser,
    session: SessionDep,
    settings: SettingsDep,
    page: Annotated[PageParams, Depends(page_params)],
    role: Annotated[Role | None, Query()] = None,
) -> Page[UserOut]:
    """List accounts (admin)"""
    rows, cursor = await service.list_users(
        session, page, secret=settings.secret_key, role=role.value if role else None
    )
    return Page(items=[UserOut.model_validate(u) for u in rows], next_cursor=cursor)


@router.patch("/{user_id}", response_model=UserOut, responses=responses(401, 403, 404, 422))
async def update_user(
    user_id: uuid.UUID, body: UserUpdate, _: AdminUser, session: SessionDep
) -> UserOut:
    """Change an account (admin)"""
    user = await service.get_user(session, user_id)
    return UserOut.model_validate(await service.update_user(session, user, body))
