from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from app.core.schemas import (
    Email,
    EnumName,
    Flag,
    InputModel,
    OutputModel,
    ShortText,
    Unset,
    example,
)
from app.models.enums import Language, Role, SubmissionMail
from app.users.passwords import MAX_LENGTH, MIN_LENGTH, check_password

# Kept as typed (no stripping): a password may begin or end with a space.
Password = Annotated[
    str,
    StringConstraints(min_length=MIN_LENGTH, max_length=MAX_LENGTH, strip_whitespace=False),
    AfterValidator(check_password),
    Field(description=f"At least {MIN_LENGTH} characters, and not a common password"),
]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True)]


class UserOut(OutputModel):
    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    company: str | None
    country: str | None
    preferred_language: Language
    is_active: bool
    created_at: datetime
    submission_mail: SubmissionMail = Field(
        description="Submissions by email: a mail each, or one daily digest (curators)"
    )


class RegisterIn(InputModel):
    model_config = example(
        email="sari@gayo-lestari.example",
        password="kopi-gayo-2026-panen",
        full_name="Sari Wulandari",
        role="msme_owner",
        company="CV Gayo Lestari",
        country="ID",
        preferred_language="id",
    )

    email: Email
    password: Password
    full_name: ShortText
    role: Annotated[Literal[Role.msme_owner, Role.buyer], EnumName("RegistrationRole")] = Field(
        description="Self-registration creates MSME owners and buyers only"
    )
    company: ShortText | None = None
    country: Country | None = None
    preferred_language: Language = Language.en


class UserCreate(InputModel):
    model_config = example(
        email="dewi@kurasi.example",
        password="kurasi-curator-dewi-26",
        full_name="Dewi Lestari",
        role="curator",
        preferred_language="en",
    )

    email: Email
    password: Password
    full_name: ShortText
    role: Role
    company: ShortText | None = None
    country: Country | None = None
    preferred_language: Language = Language.en
    is_active: Flag = True


class UserUpdate(InputModel):
    """Fields left out stay; only `company` and `country` may be null."""

    model_config = example(full_name="Dewi Lestari Putri", preferred_language="ja")

    full_name: Unset[ShortText] = None
    role: Unset[Role] = None
    company: ShortText | None = None
    country: Country | None = None
    preferred_language: Unset[Language] = None
    is_active: Unset[Flag] = None
    password: Unset[Password] = None


class MeUpdate(InputModel):
    """One's own settings; fields left out stay."""

    model_config = example(preferred_language="ja", submission_mail="daily_digest")

    full_name: Unset[ShortText] = None
    preferred_language: Unset[Language] = None
    submission_mail: Unset[SubmissionMail] = Field(
        default=None,
        description="How a curator hears of submissions by email: `each` (one mail per "
        "submission) or `daily_digest` (one mail a day listing them)",
    )


class Token(OutputModel):
    access_token: str = Field(description="Bearer token for `Authorization`; short-lived")
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds the access token stays valid")
    refresh_token: str = Field(
        description="For `POST /auth/refresh`: works once, and is replaced by the new pair"
    )


class RefreshIn(InputModel):
    model_config = example(refresh_token="0b6c4f0e9a1d4c3b8f2e7d6a5c4b3a21.0.Zk3vQ9...")

    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class PasswordChange(InputModel):
    model_config = example(
        current_password="kurasi-owner-2026", new_password="teh-melati-di-sore-hari"
    )

    current_password: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    new_password: Password
