"""What the standards table asks of one product, and whether the product meets it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, Protocol

from app.standards.table import (
    CATEGORIES_BY_CODE,
    COMMON_CRITERIA,
    COMMON_FIELDS,
    CRITERIA_BY_CODE,
    DOCUMENT_TYPES_BY_CODE,
    EXPIRING,
    FLAG_CRITERIA,
    FLAG_DOCUMENTS,
    FOOD_FIELDS,
    GROUP_CRITERIA,
    UNSET_FLAGS,
    Category,
    Flag,
)


class ProductLike(Protocol):
    """A product, or the content of one of its revisions."""

    @property
    def category(self) -> str: ...
    @property
    def hs_code(self) -> str: ...
    @property
    def name(self) -> Mapping[str, Any]: ...
    @property
    def description(self) -> Mapping[str, Any]: ...
    @property
    def organic_claim(self) -> bool: ...
    @property
    def is_electrical(self) -> bool: ...
    @property
    def species(self) -> str | None: ...


class DocumentLike(Protocol):
    doc_type: str
    status: str
    issued_on: date
    expires_on: date | None


@dataclass(frozen=True)
class Requirement:
    code: str
    kind: Literal["field", "document", "language"]
    met: bool
    detail: str


@dataclass(frozen=True)
class Readiness:
    requirements: list[Requirement]

    @property
    def ready(self) -> bool:
        return all(r.met for r in self.requirements)

    @property
    def score(self) -> int:
        if not self.requirements:
            return 100
        return round(100 * sum(r.met for r in self.requirements) / len(self.requirements))

    @property
    def unmet(self) -> list[Requirement]:
        return [r for r in self.requirements if not r.met]


def category(code: str) -> Category | None:
    return CATEGORIES_BY_CODE.get(code)


def hs_code_matches(cat: Category, hs_code: str) -> bool:
    return any(hs_code.startswith(prefix) for prefix in cat.hs_prefixes)


def _flag(product: ProductLike, flag: Flag) -> bool:
    if flag in UNSET_FLAGS:
        return False
    return bool(getattr(product, flag))


def required_fields(cat: Category) -> list[str]:
    fields = list(COMMON_FIELDS)
    if cat.group == "food":
        fields += FOOD_FIELDS
    return fields + [f for f in cat.extra_fields if f not in fields]


def required_documents(cat: Category, product: ProductLike) -> list[str]:
    docs = list(cat.required_documents)
    for cond in (*cat.conditional_documents, *FLAG_DOCUMENTS):
        if _flag(product, cond.when) and cond.document not in docs:
            docs.append(cond.document)
    return docs


def applicable_criteria(cat: Category, product: ProductLike) -> list[str]:
    codes = (
        list(COMMON_CRITERIA) + list(GROUP_CRITERIA.get(cat.group, ())) + list(cat.extra_criteria)
    )
    for code in FLAG_CRITERIA:
        when = CRITERIA_BY_CODE[code].when
        if code not in codes and when is not None and _flag(product, when):
            codes.append(code)
    return codes


def valid_until(doc: DocumentLike, lab_test_max_age_days: int) -> date | None:
    """The last day a document counts; None when it never lapses."""
    dtype = DOCUMENT_TYPES_BY_CODE.get(doc.doc_type)
    limits = []
    if doc.expires_on is not None:
        limits.append(doc.expires_on)
    if dtype is not None and dtype.stale_after_issue:
        limits.append(doc.issued_on + timedelta(days=lab_test_max_age_days))
    return min(limits) if limits else None


def dated(doc: DocumentLike) -> bool:
    """False for a document of a type that expires with no `expires_on`: it never counts."""
    return doc.expires_on is not None or doc.doc_type not in EXPIRING


def _best(
    docs: Iterable[DocumentLike], doc_type: str, statuses: tuple[str, ...], max_age: int
) -> tuple[DocumentLike | None, date | None]:
    """The document of `doc_type` in one of `statuses` that stays valid longest."""
    best: DocumentLike | None = None
    best_until: date | None = None
    for doc in docs:
        if doc.doc_type != doc_type or doc.status not in statuses or not dated(doc):
            continue
        until = valid_until(doc, max_age)
        if best is None or until is None or (best_until is not None and until > best_until):
            best, best_until = doc, until
            if until is None:
                break
    return best, best_until


# A required field stored in several columns: `price` is its amount and currency.
_COLUMNS = {"price": ("price_amount", "price_currency")}


def _field_filled(product: ProductLike, name: str) -> bool:
    values = [getattr(product, column, None) for column in _COLUMNS.get(name, (name,))]
    return all(value is not None and value != "" for value in values)


def _text(value: dict[str, Any], lang: str) -> bool:
    return bool(str(value.get(lang) or "").strip())


def evaluate(
    product: ProductLike,
    documents: Iterable[DocumentLike],
    *,
    today: date,
    min_validity_days: int,
    lab_test_max_age_days: int,
    statuses: tuple[str, ...] = ("uploaded", "verified"),
) -> Readiness:
    """Readiness (§5): fields filled, documents present and valid long enough, languages."""
    cat = category(product.category)
    if cat is None:
        return Readiness([Requirement("category", "field", False, "unknown category")])
    docs = list(documents)
    reqs: list[Requirement] = []
    for name in required_fields(cat):
        filled = _field_filled(product, name)
        reqs.append(
            Requirement(name, "field", filled, "filled" if filled else f"{name} is required")
        )
    horizon = today + timedelta(days=min_validity_days)
    for code in required_documents(cat, product):
        doc, until = _best(docs, code, statuses, lab_test_max_age_days)
        if doc is None:
            wanted = "verified" if statuses == ("verified",) else "uploaded"
            reqs.append(Requirement(code, "document", False, f"no {wanted} {code} document"))
        elif until is not None and until < horizon:
            reqs.append(
                Requirement(
                    code,
                    "document",
                    False,
                    f"{code} is valid until {until.isoformat()}, "
                    f"less than {min_validity_days} days from now",
                )
            )
        else:
            detail = f"valid until {until.isoformat()}" if until else "valid"
            reqs.append(Requirement(code, "document", True, detail))
    for part in ("name", "description"):
        text = getattr(product, part) or {}
        has_id = _text(text, "id")
        reqs.append(
            Requirement(
                f"{part}.id",
                "language",
                has_id,
                "present" if has_id else f"{part} in Indonesian is required",
            )
        )
        has_foreign = _text(text, "en") or _text(text, "ja")
        reqs.append(
            Requirement(
                f"{part}.en_or_ja",
                "language",
                has_foreign,
                "present" if has_foreign else f"{part} in English or Japanese is required",
            )
        )
    return Readiness(reqs)


def certified_until(
    product: ProductLike, documents: Iterable[DocumentLike], lab_test_max_age_days: int
) -> date | None:
    """The earliest day a verified required document lapses (None: none lapses).

    A required document with no verified copy at all lapses at once (yesterday).
    """
    cat = category(product.category)
    if cat is None:
        return None
    docs = list(documents)
    earliest: date | None = None
    for code in required_documents(cat, product):
        doc, until = _best(docs, code, ("verified",), lab_test_max_age_days)
        if doc is None:
            return date.min
        if until is not None and (earliest is None or until < earliest):
            earliest = until
    return earliest
