from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from app.auth.throttle import LoginThrottle
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import TooManyRequests, Unauthorized, responses
from app.core.routing import router as make_router
from app.core.security import create_access_token, verify_password
from app.users import service as users
from app.users.schemas import RegisterIn, Token, UserCreate, UserOut

router = make_router(prefix="/auth", tags=["auth"])


@router.post(
    "/register",
    status_code=201,
    response_model=UserOut,
    responses=responses(409, 422),
)
async def register(body: RegisterIn, session: SessionDep) -> UserOut:
    """Create an MSME owner or buyer account

    Self-registration for `msme_owner` and `buyer`; curators and admins are created by
    an admin. The password is at least 12 characters.
    """
    user = await users.create_user(session, UserCreate(**body.model_dump()))
    return UserOut.model_validate(user)


@router.post(
    "/token",
    response_model=Token,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "example": {"username": "buyer@tokyo-trading.example", "password": "…"}
                }
            }
        }
    },
    responses=responses(401, 422, 429),
)
async def token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    """Log in with email and password (OAuth2 password flow)

    Form fields `username` (the email) and `password`. Failed logins are limited per
    account and per client address (429 with `Retry-After`).
    """
    throttle: LoginThrottle = request.app.state.login_throttle
    key = users.normalize_email(form.username)
    wait = throttle.blocked_for(key)
    if wait:
        raise TooManyRequests(
            "Too many failed logins; try again later", headers={"Retry-After": str(wait)}
        )
    user = await users.get_by_email(session, key)
    if not verify_password(form.password, user.password_hash if user else None) or user is None:
        throttle.failed(key)
        raise Unauthorized("Incorrect email or password")
    if not user.is_active:
        raise Unauthorized("This account is deactivated")
    throttle.succeeded(key)
    return Token(
        access_token=create_access_token(settings, user.id, user.role),
        expires_in=settings.access_token_minutes * 60,
    )
