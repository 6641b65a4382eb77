"""Passwords (argon2), access tokens (JWT, HS256) and refresh tokens (opaque, hashed)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.config import Settings

_hasher = PasswordHasher()
# Verifying against this keeps a login for an unknown email as slow as for a known one.
_DUMMY_HASH = _hasher.hash("kurasi-dummy-password")
ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID


def create_access_token(
    settings: Settings, user_id: uuid.UUID, role: str, session_id: uuid.UUID
) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "sid": str(session_id),
        "role": role,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
        "typ": "access",
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_access_token(settings: Settings, token: str) -> AccessClaims | None:
    """The user and session of a valid, unexpired token; None for anything else."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "sid", "exp", "iat"]},
        )
        if claims.get("typ") != "access":
            return None
        return AccessClaims(uuid.UUID(str(claims["sub"])), uuid.UUID(str(claims["sid"])))
    except (jwt.PyJWTError, ValueError):
        return None


@dataclass(frozen=True)
class RefreshToken:
    """`{session id}.{generation}.{random}`: the session and rotation it belongs to."""

    session_id: uuid.UUID
    generation: int
    secret: str

    @classmethod
    def new(cls, session_id: uuid.UUID, generation: int) -> RefreshToken:
        return cls(session_id, generation, secrets.token_urlsafe(32))

    @classmethod
    def parse(cls, token: str) -> RefreshToken | None:
        parts = token.split(".")
        if len(parts) != 3 or not parts[1].isdigit() or len(parts[1]) > 9:
            return None
        try:
            return cls(uuid.UUID(hex=parts[0]), int(parts[1]), parts[2])
        except ValueError:
            return None

    def __str__(self) -> str:
        return f"{self.session_id.hex}.{self.generation}.{self.secret}"

    @property
    def digest(self) -> str:
        """What is stored: a database leak gives no usable token."""
        return hashlib.sha256(str(self).encode()).hexdigest()
