from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query, Response

from app.access.dependencies import AdminUser, CurrentUser
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import responses
from app.core.pagination import Page, PageParams, page_params
from app.core.ratelimit import LimitsDep
from app.core.routing import router as make_router
from app.models.enums import Role
from app.users import service
from app.users.schemas import MeUpdate, PasswordChange, UserCreate, UserOut, UserUpdate

router = make_router(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserOut, responses=responses(401))
async def get_me(user: CurrentUser) -> UserOut:
    """The caller's own account"""
    return UserOut.model_validate(user)


@router.patch("/me", response_model=UserOut, responses=responses(401, 422))
async def update_me(
    body: MeUpdate, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> UserOut:
    """Change one's own account settings

    `full_name`, `preferred_language` (of notifications and email) and, for curators,
    `submission_mail`: `daily_digest` replaces the mail per submission by one mail a day
    listing the submissions since the last (in-app notifications stay one each); going
    back to `each` queues one last digest of what came since the last one.
    """
    return UserOut.model_validate(await service.update_me(session, settings, user, body))


@router.post("/me/password", status_code=204, responses=responses(401, 422, 429))
async def change_password(
    body: PasswordChange, user: CurrentUser, session: SessionDep, limits: LimitsDep
) -> Response:
    """Change one's own password

    `current_password` must be right (422 otherwise; tries count against the account's
    login limit). Every session of the account ends, this one included: each access and
    refresh token issued before answers 401 from now on, so log in again.
    """
    await limits.hit("login-account", user.email)
    await service.change_password(session, user, body.current_password, body.new_password)
    return Response(status_code=204)


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


@router.patch(
    "/{user_id}",
    response_model=UserOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def update_user(
    user_id: uuid.UUID, body: UserUpdate, admin: AdminUser, session: SessionDep
) -> UserOut:
    """Change an account (admin)

    A new `password` or `is_active: false` ends every session of the account at once.
    An admin cannot deactivate or demote themselves, nor the last active admin (409).
    """
    user = await service.get_user(session, user_id)
    return UserOut.model_validate(await service.update_user(session, admin, user, body))
