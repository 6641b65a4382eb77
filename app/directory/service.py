"""The supplier directory (SPEC §10): approved suppliers whose quality certificate holds.

An MSME is in the directory while its supplier review stands approved and it holds a
quality certificate (QUALITY_CERTIFICATES) verified and expiring today or later: the
date is compared with today in every query, so a lapsed certificate takes the supplier
out at once, with no job to run. The directory is small (hundreds to a few thousand
suppliers): it reads the MSMEs themselves, their terms written with them
(app/catalog/supplier_terms.py). A query word matches a supplier by its own terms, by
the name of one of its certificates held today, or by the name of one of its products
in the catalog today; each is an uncorrelated `IN (...)`, which the planner hashes.

A page is four statements whatever its size: the page, the suppliers with their
certificates, their products, and the facets. Order: score (the review's) descending,
then brand name, then id.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import search
from app.catalog.facets import _values
from app.catalog.filters import Entry, visible
from app.catalog.language import pick
from app.catalog.search import NAME, Query, Word
from app.catalog.service import raise_unknown, unknown_code
from app.catalog.supplier_terms import (
    CERTIFICATE_TERMS,
    PROCESS,
    PROCESS_WORDS,
    material_keys,
)
from app.catalog.sync import codes
from app.core import clock
from app.core.errors import NotFound
from app.core.pagination import PageParams, SortKey, paginate_rows
from app.directory.schemas import SupplierCertification as Certification
from app.directory.schemas import SupplierFacets, SupplierItem, SupplierPage, SupplierProduct
from app.models import Document, Msme, Revision
from app.models.enums import SupplierStatus
from app.standards.provinces import NAMES as PROVINCE_NAMES
from app.standards.provinces import PROVINCES, canonical_province
from app.standards.table import (
    DOCUMENT_TYPES_BY_CODE,
    PROCESSES_BY_CODE,
    QUALITY_CERTIFICATES,
    SUPPLIER_CERTIFICATIONS,
)
from app.suppliers.service import certificate_held, holders

FACETED = ("process", "certification", "province")


@dataclass
class DirectoryFilter:
    """What a buyer asked for; codes already checked and in their canonical case."""

    q: str | None = None
    process: str | None = None
    material: str | None = None
    certification: str | None = None
    province: str | None = None
    today: date = field(default_factory=lambda: clock.today())

    @cached_property
    def query(self) -> Query | None:
        """`q` as words, each also matching the processes it names; None without words."""
        parsed = search.parse(self.q) if self.q else None
        if parsed is None:
            return None
        return Query(tuple(_with_processes(w) for w in parsed.words))

    @cached_property
    def materials(self) -> frozenset[str]:
        """The `mat:` keys a supplier's materials must hold (none: no filter)."""
        return frozenset(material_keys(self.material or ""))


def _with_processes(word: Word) -> Word:
    written = word.phrase or next(iter(word.all_of))
    keys = {PROCESS + code for code in PROCESS_WORDS.get(written, ())}
    return Word(word.all_of, word.phrase, word.any_of | keys)


def checked_filter(**given: Any) -> DirectoryFilter:
    """The filter asked for, codes in their canonical case; 422 naming the valid codes of
    an unknown process, certification or province."""
    f = DirectoryFilter(**given)
    for name in ("q", "process", "material", "certification", "province"):
        value = getattr(f, name)
        setattr(f, name, value.strip() or None if value else None)
    f.process = f.process.lower() if f.process else None
    f.certification = f.certification.lower() if f.certification else None
    errors = []
    if f.process and f.process not in PROCESSES_BY_CODE:
        errors.append(unknown_code("process", f.process, list(PROCESSES_BY_CODE)))
    if f.certification and f.certification not in SUPPLIER_CERTIFICATIONS:
        errors.append(unknown_code("certification", f.certification, [*SUPPLIER_CERTIFICATIONS]))
    if f.province:
        if (province := canonical_province(f.province)) is None:
            errors.append(unknown_code("province", f.province, [p[0] for p in PROVINCES]))
        f.province = province
    raise_unknown(errors)
    return f


# -- the SQL of it ----------------------------------------------------------------------------


def listed(today: date) -> ColumnElement[bool]:
    """In the directory `today`: approved, with a quality certificate that holds."""
    return and_(
        Msme.supplier_status == SupplierStatus.approved,
        Msme.id.in_(holders(QUALITY_CERTIFICATES, today)),
    )


def _own(word: Word, dialect: str) -> ColumnElement[bool]:
    return search.holds(word, dialect, Msme.supplier_terms, Msme.supplier_text)


def _matches(word: Word, dialect: str, today: date) -> ColumnElement[bool]:
    """The supplier holds `word`: itself, by a certificate it holds, or by the name of
    one of its products in the catalog."""
    ways = [_own(word, dialect)]
    products = search.holds(word, dialect, Entry.terms, Entry.search_text, NAME)
    ways.append(Msme.id.in_(select(Entry.msme_id).where(visible(today), products)))
    if named := [c for c, (terms, text) in CERTIFICATE_TERMS.items() if _names(word, terms, text)]:
        ways.append(Msme.id.in_(holders(named, today)))
    return or_(*ways)


def _names(word: Word, terms: set[str], text: str) -> bool:
    """`word` matches a certificate of these terms and folded names (as SQL would)."""
    if word.any_of & terms:
        return True
    return word.all_of <= terms and (word.phrase is None or word.phrase in text)


def conditions(f: DirectoryFilter, dialect: str) -> dict[str, ColumnElement[bool]]:
    """Every condition by the filter it comes from, so that facets can leave some out."""
    conds: dict[str, ColumnElement[bool]] = {"listed": listed(f.today)}
    if f.query is not None:
        conds["q"] = and_(*(_matches(w, dialect, f.today) for w in f.query.words))
    if f.materials:
        conds["material"] = _own(Word(f.materials, None, frozenset()), dialect)
    if f.process:
        conds["process"] = _own(Word(frozenset(), None, frozenset({PROCESS + f.process})), dialect)
    if f.certification:
        conds["certification"] = Msme.id.in_(holders([f.certification], f.today))
    if f.province:
        conds["province"] = Msme.province == f.province
    return conds


SORT = [
    SortKey(func.coalesce(Msme.supplier_score, 0), descending=True),
    SortKey(Msme.brand_name),
    SortKey(Msme.id),
]


# -- pages --------------------------------------------------------------------------------------


async def search_page(
    session: AsyncSession, f: DirectoryFilter, page: PageParams, *, lang: str, secret: str
) -> SupplierPage:
    dialect = session.get_bind().dialect.name
    conds = conditions(f, dialect)
    given = ":".join(str(getattr(f, x.name)) for x in fields(f) if x.name != "today")
    rows, cursor = await paginate_rows(
        session,
        select(Msme.id).where(*conds.values()),
        SORT,
        page,
        secret=secret,
        scope=f"suppliers:{given}",
    )
    found = await items_by_id(session, [r[0] for r in rows], lang=lang, today=f.today)
    counts = await count(session, conds, f, dialect)
    return SupplierPage(
        items=[found[r[0]] for r in rows if r[0] in found],
        next_cursor=cursor,
        facets=labelled(counts, lang),
    )


async def get_item(session: AsyncSession, msme_id: uuid.UUID, *, lang: str) -> SupplierItem:
    items = await items_by_id(session, [msme_id], lang=lang)
    if msme_id not in items:
        raise NotFound("No such supplier in the directory")
    return items[msme_id]


@dataclass(frozen=True)
class Supplier:
    """A supplier of the directory, without its products."""

    id: uuid.UUID
    brand_name: str
    province: str
    city: str
    capabilities: dict[str, Any] | None
    score: int | None
    certifications: list[Certification]


async def suppliers_by_id(
    session: AsyncSession, ids: Sequence[uuid.UUID], today: date
) -> dict[uuid.UUID, Supplier]:
    """Those of `ids` in the directory `today`, in one statement: each with its
    certificates held today as `code@expires_on` words."""
    if not ids:
        return {}
    dialect = session.get_bind().dialect.name
    dated = Document.doc_type + literal("@") + cast(Document.expires_on, String)
    stmt = select(
        Msme.id,
        Msme.brand_name,
        Msme.province,
        Msme.city,
        Msme.capabilities,
        Msme.supplier_score,
        _certificates(dated, today, dialect),
    ).where(Msme.id.in_(ids), listed(today))
    found = {}
    for msme_id, brand, province, city, capabilities, score, held in await session.execute(stmt):
        latest: dict[str, date] = {}
        for word in held.split():  # one a document: a renewed certificate is there twice
            code, _, day = word.partition("@")
            latest[code] = max(latest.get(code, date.min), date.fromisoformat(day))
        shown = [Certification(code=c, expires_on=d) for c, d in sorted(latest.items())]
        found[msme_id] = Supplier(msme_id, brand, province, city, capabilities, score, shown)
    return found


def _certificates(code: Any, today: date, dialect: str) -> Any:
    """`code` of each supplier certificate an MSME holds today, space-separated."""
    return codes(
        code,
        [Document.msme_id == Msme.id, *certificate_held(SUPPLIER_CERTIFICATIONS, today)],
        dialect,
    )


async def items_by_id(
    session: AsyncSession, ids: Sequence[uuid.UUID], *, lang: str, today: date | None = None
) -> dict[uuid.UUID, SupplierItem]:
    """Directory items of those of `ids` in the directory, in two statements."""
    today = today or clock.today()
    suppliers = await suppliers_by_id(session, ids, today)
    if not suppliers:
        return {}
    products: dict[uuid.UUID, list[SupplierProduct]] = {}
    stmt = (
        select(Entry.msme_id, Entry.product_id, Revision.content)
        .join(Revision, Revision.id == Entry.revision_id)
        .where(Entry.msme_id.in_(list(suppliers)), visible(today))
    )
    for msme_id, product_id, content in await session.execute(stmt):
        name = pick(content.name, lang)
        products.setdefault(msme_id, []).append(SupplierProduct(id=product_id, name=name))
    return {
        s.id: SupplierItem(
            id=s.id,
            brand_name=s.brand_name,
            province=s.province,
            city=s.city,
            capabilities=s.capabilities,
            certifications=s.certifications,
            score=s.score,
            products=sorted(products.get(s.id, []), key=lambda p: (p.name.casefold(), p.id)),
        )
        for s in suppliers.values()
    }


# -- facets -------------------------------------------------------------------------------------

Counts = dict[str, Counter[str]]  # by facet (FACETED), by value


async def count(
    session: AsyncSession, conds: dict[str, ColumnElement[bool]], f: DirectoryFilter, dialect: str
) -> Counts:
    """Each facet's counts under every filter but its own, as the catalog's facets: one
    statement reads the suppliers passing the other filters (a few thousand at most),
    and each is counted here by its processes, certificates and province."""
    others = [c for name, c in conds.items() if name not in FACETED]
    certs = _certificates(Document.doc_type, f.today, dialect)
    stmt = select(Msme.province, Msme.capabilities, certs).where(*others)
    chosen = {"process": f.process, "certification": f.certification, "province": f.province}
    counts: Counts = {name: Counter() for name in FACETED}
    for province, capabilities, held in await session.execute(stmt):
        processes = (capabilities or {}).get("processes") or []
        values = {
            "process": {p for p in processes if p in PROCESSES_BY_CODE},
            "certification": set(held.split()),
            "province": {province},
        }
        passes = {name: chosen[name] is None or chosen[name] in values[name] for name in FACETED}
        for name in FACETED:
            if all(passes[other] for other in FACETED if other != name):
                counts[name].update(values[name])
    return counts


def labelled(counts: Counts, lang: str) -> SupplierFacets:
    return SupplierFacets(
        process=_values(counts["process"], lambda c: pick(PROCESSES_BY_CODE[c].name, lang)),
        certification=_values(
            counts["certification"], lambda c: pick(DOCUMENT_TYPES_BY_CODE[c].name, lang)
        ),
        province=_values(counts["province"], lambda p: pick(PROVINCE_NAMES.get(p, {}), lang) or p),
    )
