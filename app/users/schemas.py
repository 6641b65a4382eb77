from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from app.core.schemas import Email, Flag, InputModel, OutputModel, ShortText, Unset, example
from app.models.enums import Language, Role

Password = Annotated[str, StringConstraints(min_length=8, max_length=128)]
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
    role: Literal[Role.msme_owner, Role.buyer] = Field(
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


class Token(OutputModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
