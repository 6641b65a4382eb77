from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, WithJsonSchema

from app.core import clock
from app.core.schemas import (
    Description,
    Flag,
    InputModel,
    JsonInteger,
    Multilingual,
    OutputModel,
    ShortText,
    Unset,
    example,
    named_enum,
)
from app.documents.schemas import DocumentOut
from app.models.enums import SizeClass
from app.standards.provinces import PROVINCES, canonical_province


def _province(value: str) -> str:
    name = canonical_province(value)
    if name is None:
        raise ValueError("not a province of Indonesia")
    return name


def _year(value: int) -> int:
    if value > clock.today().year:
        raise ValueError("the year lies in the future")
    return value


Province = Annotated[
    str,
    StringConstraints(max_length=60),
    AfterValidator(_province),
    # Documented as the names stored; the English name or ISO 3166-2 code is read too.
    WithJsonSchema(named_enum("Province", [p[0] for p in PROVINCES])),
    Field(examples=["Jawa Barat"], description="Province name, English name or ISO 3166-2 code"),
]
Nib = Annotated[
    str,
    StringConstraints(pattern=r"^\d{13}$"),
    Field(description="Nomor Induk Berusaha: 13 digits"),
]
Npwp = Annotated[
    str, StringConstraints(pattern=r"^\d{15,16}$"), Field(description="15 or 16 digits")
]
# Documented up to the year the server started; checked against today's year.
Year = Annotated[
    int,
    Field(ge=1900, json_schema_extra={"maximum": clock.today().year}),
    JsonInteger,
    AfterValidator(_year),
]
City = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Address = Annotated[str, StringConstraints(min_length=1, max_length=1000)]
Employees = Annotated[int, Field(ge=0, le=10_000), JsonInteger]


class MsmeCreate(InputModel):
    model_config = example(
        legal_name="CV Gayo Lestari",
        brand_name="Gayo Lestari",
        nib="9120001234567",
        province="Aceh",
        city="Takengon",
        address="Jl. Lebe Kader No. 12, Takengon, Aceh Tengah",
        size_class="small",
        established_year=2016,
        employees=18,
        description={
            "id": "Kopi arabika Gayo dari petani Aceh Tengah",
            "en": "Gayo arabica from smallholders in Central Aceh",
        },
    )

    legal_name: ShortText
    brand_name: ShortText
    nib: Nib
    npwp: Npwp | None = None
    province: Province
    city: City
    address: Address
    size_class: SizeClass
    established_year: Year | None = None
    employees: Employees | None = None
    description: Description = Field(default_factory=dict)


class MsmeUpdate(InputModel):
    """Fields left out stay; only `npwp`, `established_year` and `employees` may be null."""

    model_config = example(employees=22, address="Jl. Lebe Kader No. 14, Takengon, Aceh Tengah")

    legal_name: Unset[ShortText] = None
    brand_name: Unset[ShortText] = None
    nib: Unset[Nib] = None
    npwp: Npwp | None = None
    province: Unset[Province] = None
    city: Unset[City] = None
    address: Unset[Address] = None
    size_class: Unset[SizeClass] = None
    established_year: Year | None = None
    employees: Employees | None = None
    description: Unset[Description] = None


class MsmeVerify(InputModel):
    model_config = example(verified=True)

    verified: Flag = True


class MsmeOut(OutputModel):
    id: uuid.UUID
    owner_id: uuid.UUID
    legal_name: str
    brand_name: str
    nib: str
    npwp: str | None
    province: str
    city: str
    address: str
    size_class: SizeClass
    established_year: int | None
    employees: int | None
    description: Multilingual
    verified: bool
    verified_at: datetime | None
    documents: list[DocumentOut]
    created_at: datetime
    updated_at: datetime


class MsmeBrief(OutputModel):
    """An MSME as shown beside its products."""

    id: uuid.UUID
    brand_name: str
    province: str
    verified: bool
