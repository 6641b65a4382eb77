from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from app.access.dependencies import CurrentLogin
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import Unauthorized, responses
from app.core.ratelimit import LimitsDep, client_address
from app.core.routing import router as make_router
from app.core.security import verify_password
from app.users import service as users
from app.users import sessions
from app.users.schemas import RefreshIn, RegisterIn, Token, UserOut

router = make_router(prefix="/auth", tags=["auth"])


@router.post(
    "/register",
    status_code=201,
    response_model=UserOut,
    responses=responses(422, 429),
)
async def register(
    request: Request, body: RegisterIn, session: SessionDep, limits: LimitsDep
) -> UserOut:
    """Create an MSME owner or buyer account

    Self-registration for `msme_owner` and `buyer`; curators and admins are created by
    an admin. The password needs at least 12 characters and must not be a common one.

    So that nobody can learn who has an account here, an email that has one already is
    answered exactly as a new one (201 and the same shape of body), but nothing is
    stored and the existing account is untouched: log in, or ask an admin, if you
    forgot you had one. Registrations per client address are limited (429).
    """
    await limits.hit("register-address", client_address(request))
    return await users.register(session, body)


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
async def log_in(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    limits: LimitsDep,
) -> Token:
    """Log in with email and password (OAuth2 password flow)

    Form fields `username` (the email) and `password`. Answers a short-lived
    `access_token` (`expires_in` seconds) and a `refresh_token` for `POST /auth/refresh`.

    An unknown email and a wrong password get the same 401, in about the same time.
    Attempts, failed or not, are limited per account and per client address (429 with
    `Retry-After`), before the password is even checked.
    """
    email = users.normalize_email(form.username)
    await limits.hit("login-address", client_address(request))
    await limits.hit("login-account", email)
    user = await users.get_by_email(session, email)
    if not verify_password(form.password, user.password_hash if user else None) or user is None:
        raise Unauthorized("Incorrect email or password")
    if not user.is_active:
        raise Unauthorized("This account is deactivated")
    return await sessions.start(session, settings, user)


@router.post("/refresh", response_model=Token, responses=responses(401, 422))
async def refresh_token(body: RefreshIn, session: SessionDep, settings: SettingsDep) -> Token:
    """Trade a refresh token for a new pair

    Answers a new access token and a new refresh token; the refresh token sent stops
    working. A refresh token that was already traded is taken as stolen: the whole
    session is revoked (its access tokens too) and the user must log in again.
    """
    try:
        return await sessions.rotate(session, settings, body.refresh_token)
    except sessions.ReplayedRefreshToken:
        await session.commit()  # the revocation stands although the answer is a 401
        raise Unauthorized(sessions.INVALID_REFRESH) from None


@router.post("/logout", status_code=204, responses=responses(401))
async def log_out(login: CurrentLogin, session: SessionDep) -> Response:
    """Log out: revoke this session's tokens

    The access token used and the session's refresh token stop working at once. Other
    sessions of the same account (other devices) stay logged in.
    """
    await sessions.revoke(session, login.session_id)
    return Response(status_code=204)
