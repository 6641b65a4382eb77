"""Pydantic types shared by the domains: money, multilingual text, strict models."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
)

# Currencies with no minor unit (ISO 4217): amounts are whole numbers.
ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"})


class InputModel(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def no_float(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError("money amounts are decimal strings, not floats")
    return value


Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Amount = Annotated[
    Decimal,
    BeforeValidator(no_float),
    Field(ge=0, max_digits=18, decimal_places=2),
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


ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=10_000)]


LangCode = Literal["id", "en", "ja"]


def _clean_languages(value: dict[str, str]) -> dict[str, str]:
    """Blank translations are dropped."""
    return {lang: text.strip() for lang, text in value.items() if text.strip()}


Name = Annotated[
    dict[LangCode, Annotated[str, StringConstraints(max_length=300)]],
    AfterValidator(_clean_languages),
    Field(
        examples=[
            {"id": "Kopi Arabika Gayo", "en": "Gayo arabica coffee", "ja": "ガヨ・アラビカコーヒー"}
        ]
    ),
]
Description = Annotated[
    dict[LangCode, Annotated[str, StringConstraints(max_length=10_000)]],
    AfterValidator(_clean_languages),
]
