from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

from app.core import clock
from app.core.schemas import (
    DecimalText,
    Description,
    Flag,
    InputModel,
    JsonInteger,
    Multilingual,
    OneOf,
    OutputModel,
    ShortText,
    Unset,
    example,
    named_enum,
)
from app.documents.schemas import DocumentOut
from app.models.enums import SizeClass, SupplierStatus
from app.standards.provinces import PROVINCES, canonical_province
from app.standards.table import PROCESSES


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


# -- capabilities of an automotive supplier (SPEC §10) ------------------------------

PROCESS_CODES = tuple(p.code for p in PROCESSES)
ProcessCode = Annotated[
    str,
    OneOf(
        frozenset(PROCESS_CODES),
        f"a process of GET /api/v1/standards: one of {', '.join(PROCESS_CODES)}",
        "Process",
    ),
]
# A material, a customer's name, a machine type, a training programme: a short label.
Label = Annotated[str, StringConstraints(min_length=1, max_length=100)]


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("a tolerance greater than 0")
    return value


# A decimal string, never a JSON number: 0.05 as a float is not what the drawing says.
Tolerance = Annotated[
    Decimal,
    DecimalText(r"^\d{1,3}(\.\d{1,4})?$", "0.05"),
    AfterValidator(_positive),
    PlainSerializer(lambda d: str(d), return_type=str, when_used="json"),
    Field(description="± millimetres as a decimal string, at most 4 decimals"),
]


class Machine(InputModel):
    type: Label = Field(examples=["200-ton press"])
    count: Annotated[int, Field(ge=1, le=1000), JsonInteger]


class Training(InputModel):
    programme: Label = Field(examples=["AOTS"])
    year: Annotated[
        int,
        Field(ge=1950, json_schema_extra={"maximum": clock.today().year}),
        JsonInteger,
        AfterValidator(_year),
    ]
    people: Annotated[int, Field(ge=1, le=10_000), JsonInteger]


def _once(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))


class Capabilities(InputModel):
    """What the MSME can make, as its owner states it; sent whole (it replaces the last)."""

    processes: Annotated[list[ProcessCode], AfterValidator(_once)] = Field(
        default_factory=list, max_length=30, description="Each code kept once"
    )
    materials: list[Label] = Field(default_factory=list, max_length=50)
    max_part_size_mm: Annotated[int, Field(ge=1, le=10_000), JsonInteger] | None = None
    tolerance_mm: Tolerance | None = None
    machines: list[Machine] = Field(default_factory=list, max_length=100)
    monthly_capacity: (
        Annotated[
            int,
            Field(ge=1, le=100_000_000, description="Parts a month"),
            JsonInteger,
        ]
        | None
    ) = None
    customers: list[Label] = Field(default_factory=list, max_length=50)
    trainings: list[Training] = Field(default_factory=list, max_length=50)

    def stored(self) -> dict[str, Any]:
        """The JSON kept in `msmes.capabilities`."""
        return self.model_dump(mode="json")


class MachineOut(OutputModel):
    type: str
    count: int


class TrainingOut(OutputModel):
    programme: str
    year: int
    people: int


class CapabilitiesOut(OutputModel):
    processes: list[str]
    materials: list[str]
    max_part_size_mm: int | None
    tolerance_mm: str | None = Field(description="± millimetres as a decimal string")
    machines: list[MachineOut]
    monthly_capacity: int | None
    customers: list[str]
    trainings: list[TrainingOut]


class SupplierOut(OutputModel):
    """The last supplier review's outcome."""

    status: SupplierStatus
    score: int
    decided_at: datetime


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
    capabilities: Capabilities | None = Field(
        default=None, description="An automotive supplier's capabilities, whole; null clears"
    )


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
    capabilities: CapabilitiesOut | None = None
    supplier: SupplierOut | None = Field(
        default=None, description="The last supplier review's outcome; null: never reviewed"
    )
    created_at: datetime
    updated_at: datetime


class MsmeBrief(OutputModel):
    """An MSME as shown beside its products."""

    id: uuid.UUID
    brand_name: str
    province: str
    verified: bool
