"""Each row of an import file as the product API would take it: a new SKU as the body of
POST /products, a known one as the body of PATCH /products/{id}, checked by the same
models and rules, every problem named by row and template column.

A blank cell is a field not given: a new product gets the API's default, a known one
keeps its value. Texts by language are merged into what the product has (a row that
gives only `name_ja` keeps the product's Indonesian and English names), and a price
given without its currency keeps the product's currency.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from pydantic import ValidationError

from app.core.errors import validation_errors
from app.imports import numbers
from app.imports.columns import BY_NAME, NAMES
from app.imports.numbers import Cell, NotANumber
from app.imports.reading import Row
from app.imports.schemas import ImportProblem
from app.models import Product
from app.models.enums import Incoterm, ProductStatus
from app.products.schemas import ProductCreate, ProductUpdate
from app.products.service import LOCKED, category_problem
from app.standards.table import CATEGORIES

LANGS = ("id", "en", "ja")
TEXTS = ("name", "description")
# Columns that are fields of the product API under their own name.
PLAIN = tuple(n for n in NAMES if not n.startswith(("name_", "description_", "price_")))
_CODES = ("category", "hs_code", "price_currency", "incoterm", "unit")
_ORDER = {name: i for i, name in enumerate(NAMES)}


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# A category by its code or by its name in any language ("Kopi", "コーヒー").
CATEGORY_CODES = {_folded(name): c.code for c in CATEGORIES for name in (c.code, *c.name.values())}


# What people write for the currencies of the trade beside their ISO codes.
CURRENCY_NAMES = {
    "RP": "IDR",
    "RP.": "IDR",
    "RUPIAH": "IDR",
    "YEN": "JPY",
    "円": "JPY",
    "¥": "JPY",
    "$": "USD",
    "US$": "USD",
}


@dataclass
class Plan:
    """What an import would do: the products to create (their columns), the products to
    change (with the changes), and every problem found."""

    rows: int = 0
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[tuple[Product, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)


def plan(rows: list[Row], msme_id: uuid.UUID, products: dict[str, Product]) -> Plan:
    """Check every row against the MSME's products by SKU (`products`); nothing is written."""
    result = Plan(rows=len(rows))
    first_row: dict[str, int] = {}
    for row in rows:
        # One problem a column (None: the row's own), the first found.
        found: dict[str | None, str] = {None: "; ".join(row.problems)} if row.problems else {}
        values = _values(row, found)
        sku = values.get("sku")
        product = products.get(sku) if sku else None
        if not sku:
            found.setdefault("sku", "required: the import matches rows to products by SKU")
        elif sku in first_row:
            found.setdefault("sku", f"SKU {sku} is on row {first_row[sku]} already")
        else:
            first_row[sku] = row.number
        if product is not None and product.status in LOCKED:
            found.setdefault("sku", LOCKED[ProductStatus(product.status)])
        outcome = _check(values, msme_id, product, found)
        if found:
            result.problems += [
                ImportProblem(row=row.number, column=column, message=message)
                for column, message in sorted(found.items(), key=_in_template_order)
            ]
        elif product is None:
            result.creates.append(outcome)
        elif outcome:
            result.updates.append((product, outcome))
        else:
            result.unchanged += 1
    return result


def _in_template_order(problem: tuple[str | None, str]) -> int:
    return -1 if problem[0] is None else _ORDER.get(problem[0], -1)


# -- reading cells ---------------------------------------------------------------------


def _text(cell: Cell) -> str:
    if isinstance(cell, bool):
        text = "TRUE" if cell else "FALSE"
    elif isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))  # a code stored as a number (an SKU, an HS code)
    elif isinstance(cell, datetime | date | time):
        text = cell.isoformat()
    else:
        text = str(cell)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _code(name: str, text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    if name == "category":
        return CATEGORY_CODES.get(_folded(text), text)
    if name == "hs_code":
        digits = re.sub(r"[\s.\-]", "", text)
        # A number cell, or Excel reading a CSV, drops an HS code's leading zero; codes
        # have 6, 8 or 10 digits, so one short by one got it.
        if re.fullmatch(r"[0-9]{5}|[0-9]{7}|[0-9]{9}", digits):
            digits = "0" + digits
        return digits
    if name == "unit":
        return text.lower()
    if name == "price_currency":
        return CURRENCY_NAMES.get(text.upper(), text.upper())
    # An incoterm with its named place, as contracts write it ("FOB Jakarta"): the term.
    word = re.split(r"[\s,(]", text, maxsplit=1)[0].upper()
    return word if word in Incoterm.__members__ else text.upper()


def _values(row: Row, found: dict[str | None, str]) -> dict[str, Any]:
    """The row's cells read by their column's kind; a cell that cannot be read is a
    problem and counts as not given."""
    values: dict[str, Any] = {}
    for name, cell in row.cells.items():
        kind = BY_NAME[name].kind
        try:
            if kind == "amount":
                values[name] = numbers.amount(cell)
            elif kind == "whole":
                values[name] = numbers.whole(cell)
            else:
                text = _text(cell)
                if "\x00" in text:
                    raise NotANumber("text may not hold NUL characters")
                values[name] = _code(name, text) if name in _CODES else text
        except NotANumber as exc:
            found[name] = str(exc)
    return values


# -- the API's rules -------------------------------------------------------------------


def _body(
    values: dict[str, Any], product: Product | None, found: dict[str | None, str]
) -> dict[str, Any]:
    """The row as a body of POST (no product) or PATCH (the product of its SKU)."""
    body = {name: values[name] for name in PLAIN if name in values}
    for text in TEXTS:
        given = {lang: values[f"{text}_{lang}"] for lang in LANGS if f"{text}_{lang}" in values}
        if given:
            body[text] = {**(getattr(product, text) if product else {}), **given}
    amount, currency = values.get("price_amount"), values.get("price_currency")
    if product is not None and (amount is None) != (currency is None):
        known = product.price_amount
        amount = amount or (str(known) if known is not None else None)
        currency = currency or product.price_currency
    if amount is not None and currency is not None:
        body["price"] = {"amount": amount, "currency": currency}
    elif amount is not None:
        found.setdefault("price_currency", "required with price_amount (IDR, USD, JPY, ...)")
    elif currency is not None and "price_amount" not in found:
        found.setdefault("price_amount", "required with price_currency")
    return body


def _check(
    values: dict[str, Any],
    msme_id: uuid.UUID,
    product: Product | None,
    found: dict[str | None, str],
) -> dict[str, Any]:
    """The columns of the product to create, or the changes to the known one; its
    problems go into `found`."""
    body = _body(values, product, found)
    try:
        if product is None:
            new = ProductCreate.model_validate({"msme_id": msme_id, **body})
        else:
            edit = ProductUpdate.model_validate(body)
    except ValidationError as exc:
        for error, raw in zip(validation_errors(exc.errors()), exc.errors(), strict=True):
            column = _column(error["loc"], error["msg"])
            found.setdefault(column, _message(column, raw["type"], error["msg"]))
        return {}
    if product is None:
        mismatch = category_problem(new.category, new.hs_code)
        if mismatch is not None:
            found.setdefault(*mismatch)
        return new.columns()
    changes = edit.columns()
    if {"category", "hs_code"} & changes.keys():
        category = changes.get("category", product.category)
        mismatch = category_problem(category, changes.get("hs_code", product.hs_code))
        if mismatch is not None:
            found.setdefault(*mismatch)
    return {k: v for k, v in changes.items() if getattr(product, k) != v}


def _column(loc: list[str | int], msg: str) -> str | None:
    """The template column of a pydantic error's location."""
    if not loc:  # a model's own rule; the only one a row can break is the Indonesian name
        return "name_id" if "name.id" in msg else None
    head = str(loc[0])
    if head in TEXTS:
        return f"{head}_{loc[1]}" if len(loc) > 1 and loc[1] in LANGS else f"{head}_id"
    if head == "price":
        return f"price_{loc[1]}" if len(loc) > 1 and loc[1] == "currency" else "price_amount"
    return head if head in BY_NAME else None


_PATTERNS = {
    "hs_code": "an HS code of 6 to 10 digits",
    "unit": "a unit such as kg, pcs or box (letters, digits and _)",
}


def _message(column: str | None, kind: str, msg: str) -> str:
    if kind == "missing" or (column == "name_id" and "name.id" in msg):
        return "required for a new product"
    if column == "category" and kind == "value_error":
        return (
            msg.removeprefix("Value error, ").split(" is not")[0] + " is not a category: "
            "write a code of the template's Categories sheet, or a category's name"
        )
    if kind == "string_pattern_mismatch" and column in _PATTERNS:
        return _PATTERNS[column]
    return msg.removeprefix("Value error, ")
