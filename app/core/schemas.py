"""Pydantic types shared by the domains: money, multilingual text, strict input.

Request bodies are parsed from JSON by FastAPI and validated in pydantic's lax Python
mode, which would coerce `0` to False or to 1970-01-01 and `"5"` to 5. The types here
take only what the OpenAPI document says: a JSON boolean (`Flag`), a JSON integer
(`Int`: 2 or 2.0, as JSON Schema has it), a date as an ISO string (`Day`), money as a
decimal string (`Amount`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal, TypeVar, get_args

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from iso4217 import Currency as Iso4217
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    Strict,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import core_schema

# ISO 4217's list of currencies in use; funds and precious metals (no minor unit) left out.
CURRENCIES = frozenset(c.code for c in Iso4217 if c.exponent is not None)
# Currencies with no minor unit: amounts are whole numbers.
ZERO_DECIMAL_CURRENCIES = frozenset(c.code for c in Iso4217 if c.exponent == 0)

Flag = Annotated[bool, Strict()]


def _json_integer(value: Any) -> Any:
    # JSON Schema counts 2.0 as an integer; a string or a boolean is not one.
    if isinstance(value, bool | str):
        raise ValueError("a JSON integer")
    return value


# Last in an `Annotated[int, Field(ge=...), JsonInteger]`: placed before the bounds, it
# would hide them from the JSON schema (pydantic then writes `ge` for `minimum`).
JsonInteger = BeforeValidator(_json_integer)
Int = Annotated[int, JsonInteger]


def _iso_day(value: Any) -> Any:
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("a date as YYYY-MM-DD")
        return value
    if isinstance(value, date):
        return value
    raise ValueError("a date as a YYYY-MM-DD string")


Day = Annotated[date, BeforeValidator(_iso_day)]

T = TypeVar("T")


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may be left out, but not null")
    return value


def without_null(schema: dict[str, Any]) -> None:
    """The schema without the `null` a Python type (`X | None`) adds: for what may be left
    out but not sent as null (a PATCH field, a query parameter, a form field)."""
    variants = [v for v in schema.pop("anyOf", []) if v.get("type") != "null"]
    if len(variants) == 1:
        schema.update(variants[0])
    elif variants:
        schema["anyOf"] = variants
    if schema.get("default", ...) is None:
        del schema["default"]


# A field of a partial update (PATCH) that may be left out but never set to null: its
# column holds a value always. None in Python means "not given".
Unset = Annotated[T | None, AfterValidator(_not_null), Field(json_schema_extra=without_null)]


class InputModel(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def example(**body: Any) -> ConfigDict:
    """A request model's example, shown in the OpenAPI document (merged with the parent's
    configuration by pydantic)."""
    return ConfigDict(json_schema_extra={"examples": [body]})


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


@dataclass(frozen=True)
class DecimalText:
    """A decimal sent as a string matching `pattern`, never as a JSON number (which a
    client's float would have rounded); documented as that string."""

    pattern: str
    example: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"type": "string", "pattern": self.pattern, "examples": [self.example]}

    def _check(self, value: Any) -> Any:
        if isinstance(value, Decimal):  # from Python callers
            return value
        if not isinstance(value, str) or not re.fullmatch(self.pattern, value):
            raise ValueError(f'a decimal string such as "{self.example}"')
        return value


# Marks the JSON schema of a type that has a name (a set of codes, text in languages):
# app/core/openapi.py makes it one component of that name, referenced wherever it is used.
COMPONENT = "x-kurasi-component"


def named_enum(name: str, values: Iterable[str]) -> dict[str, Any]:
    """The JSON schema of a string among `values`, documented as the component `name`
    (for `WithJsonSchema`, or `json_schema_extra` of a parameter)."""
    return {"type": "string", "enum": list(values), COMPONENT: name}


@dataclass(frozen=True)
class EnumName:
    """`Annotated[Literal[...], EnumName("Grade")]`: the literal's values are the component
    `Grade` of the OpenAPI document."""

    name: str

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {**handler(schema), COMPONENT: self.name}


@dataclass(frozen=True)
class OneOf:
    """A string among `values` (a table's codes), documented as their enum, which is the
    component `name` of the OpenAPI document when it has one."""

    values: frozenset[str]
    what: str  # what the values are, for the error
    name: str | None = None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        if self.name is not None:
            return named_enum(self.name, sorted(self.values))
        return {"type": "string", "enum": sorted(self.values)}

    def _check(self, value: str) -> str:
        if value not in self.values:
            raise ValueError(f"{value!r} is not {self.what}")
        return value


Currency = Annotated[
    str, OneOf(CURRENCIES, "an ISO 4217 currency in use", "Currency"), Field(examples=["IDR"])
]
Amount = Annotated[
    Decimal,
    DecimalText(r"^\d{1,16}(\.\d{1,2})?$", "125000.00"),
    PlainSerializer(lambda d: str(d), return_type=str, when_used="json"),
]


def quantize(amount: Decimal, currency: str) -> Decimal:
    exp = Decimal("1") if currency in ZERO_DECIMAL_CURRENCIES else Decimal("0.01")
    return amount.quantize(exp, rounding=ROUND_HALF_UP)


class Money(BaseModel):
    """A decimal amount with its ISO 4217 currency; never a float."""

    amount: Amount = Field(examples=["125000.00"])
    currency: Currency = Field(examples=["IDR"])

    @classmethod
    def of(cls, amount: Decimal, currency: str) -> Money:
        return cls(amount=quantize(amount, currency), currency=currency)


class MoneyIn(InputModel):
    """Money a client sends: an amount as a decimal string and its currency."""

    amount: Amount
    currency: Currency


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)


# Addresses under a special-use name (.test, .local, .onion, ...) can receive no mail and
# are refused (email-validator); the schema says so for clients and generators.
_RESERVED = "|".join(_any_case(name) for name in SPECIAL_USE_DOMAIN_NAMES)
Email = Annotated[
    EmailStr,
    WithJsonSchema(
        {
            "type": "string",
            "format": "email",
            "maxLength": 254,
            "not": {"pattern": f"[@.]({_RESERVED})$"},
            "description": "Not under a special-use name such as .test or .local",
        }
    ),
]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=10_000)]


LangCode = Literal["id", "en", "ja"]


def multilingual(
    name: str, max_length: int | None = None, required: tuple[LangCode, ...] = ()
) -> WithJsonSchema:
    """Text keyed by language, documented as the component `name`: an object with an
    optional string per language (`id` Bahasa Indonesia, `en`, `ja`), and no other key."""
    text: dict[str, Any] = {"type": "string"}
    if max_length is not None:
        text["maxLength"] = max_length
    properties = {
        lang: {**text, "minLength": 1} if lang in required else text for lang in get_args(LangCode)
    }
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return WithJsonSchema({**schema, COMPONENT: name})


# Text in languages as the server answers it.
Multilingual = Annotated[dict[str, str], multilingual("Multilingual")]


def _clean_languages(value: dict[str, str]) -> dict[str, str]:
    """Blank translations are dropped."""
    return {lang: text.strip() for lang, text in value.items() if text.strip()}


Name = Annotated[
    dict[LangCode, Annotated[str, StringConstraints(max_length=300)]],
    AfterValidator(_clean_languages),
    multilingual("MultilingualName", 300),
    Field(
        examples=[
            {"id": "Kopi Arabika Gayo", "en": "Gayo arabica coffee", "ja": "ガヨ・アラビカコーヒー"}
        ]
    ),
]
Description = Annotated[
    dict[LangCode, Annotated[str, StringConstraints(max_length=10_000)]],
    AfterValidator(_clean_languages),
    multilingual("MultilingualDescription", 10_000),
]
