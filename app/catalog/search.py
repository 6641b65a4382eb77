"""Full-text search over approved revisions, through the `search_terms` table.

Why a table of our own terms rather than pg_trgm or FTS5: both miss Japanese queries
of one or two characters (the trigram index cannot serve them), and the two would
match differently on the two databases. Terms come from app/catalog/tokens.py, so
SQLite and PostgreSQL see exactly the same terms and return the same products; the
index (term, weight, approved_at) serves a search in relevance order, one walk per
combination of weights (`ranked`).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Subquery

from app.catalog.tokens import Query, document_terms, normalize
from app.core.pagination import SortKey, keyset_after, order_by
from app.models import CatalogEntry, Product, Revision, SearchTerm
from app.models.search import DESCRIPTION_WEIGHT, NAME_WEIGHT, WEIGHTS


def searchable_text(name: dict[str, str], description: dict[str, str]) -> str:
    """Every language's name and description, normalized, one per line (phrase checks)."""
    return "\n".join(normalize(p) for p in [*name.values(), *description.values()] if p)


def weighted_terms(name: dict[str, str], description: dict[str, str]) -> dict[str, int]:
    """Each term of the texts with the weight of where it stands; the name wins."""
    terms = dict.fromkeys(document_terms(" ".join(description.values())), DESCRIPTION_WEIGHT)
    terms.update(dict.fromkeys(document_terms(" ".join(name.values())), NAME_WEIGHT))
    return terms


def term_rows(
    product_id: uuid.UUID, content: dict[str, Any], approved_at: datetime
) -> list[dict[str, Any]]:
    terms = weighted_terms(content["name"], content.get("description") or {})
    return [
        {"term": t, "product_id": product_id, "weight": w, "approved_at": approved_at}
        for t, w in terms.items()
    ]


async def index_revision(session: AsyncSession, revision: Revision) -> None:
    """Make the product findable by the terms of `revision`, and by no others."""
    await session.execute(delete(SearchTerm).where(SearchTerm.product_id == revision.product_id))
    rows = term_rows(revision.product_id, revision.content, revision.approved_at)
    if rows:
        await session.execute(insert(SearchTerm), rows)


# Postings counted per (term, weight) up to this many: enough to tell a rare pair from
# a common one, cheap to count even for the commonest term.
COUNT_CAP = 1_000
# Up to this many terms, a relevance page is drawn from one index walk per combination
# of weights (2**n of them); longer queries group every posting instead.
MAX_WALKED_TERMS = 4
Pair = tuple[str, int]


def posting_counts(query: Query) -> Select[Any] | None:
    """How many postings each (term, weight) of a several-word query has, up to COUNT_CAP.

    None for one word, which needs no choice of where to start.
    """
    terms = sorted(query.terms)
    if not 1 < len(terms) <= MAX_WALKED_TERMS:
        return None
    counts = []
    for term, weight in _pairs(terms):
        capped = (
            select(literal(1))
            .where(SearchTerm.term == term, SearchTerm.weight == weight)
            .limit(COUNT_CAP)
            .subquery()
        )
        counts.append(select(func.count()).select_from(capped).scalar_subquery())
    return select(*counts)


def _pairs(terms: list[str]) -> list[Pair]:
    return [(t, w) for t in terms for w in WEIGHTS]


def read_counts(query: Query, row: Sequence[int] | None) -> dict[Pair, int]:
    return dict(zip(_pairs(sorted(query.terms)), row or (), strict=False))


def ranked(
    query: Query,
    conds: list[ColumnElement[bool]],
    counts: dict[Pair, int],
    after: Sequence[Any] | None,
    limit: int,
) -> Subquery:
    """Rows (product_id, score, approved_at) that hold the first `limit` + 1 matches after
    the cursor `after` in relevance order, among others: the caller orders and cuts them.

    A product holds each term once, with the weight of where it stands (name 2,
    description 1), so it falls in exactly one combination of weights, and every row
    of a combination has the same score. Each combination is walked from its rarest
    (term, weight) in (approved_at, product_id) order, probing the other terms by key
    and applying `conds` on the way, and stops at `limit` + 1 rows. A combination with
    a term that has no postings at that weight is skipped unread.

    Scores are read from the highest down, and a lower score is not read at all once
    the higher ones fill the page: with "kopi コーヒー", the products holding both
    words in the name fill it, and the far rarer ones holding "コーヒー" only in the
    description, which cost a walk of every "kopi" to find, are looked for only on the
    last pages.
    """
    terms = sorted(query.terms)
    if len(terms) > MAX_WALKED_TERMS:
        return _grouped(query, conds, after, limit)
    tiers: dict[int, list[Select[Any]]] = {}
    for weights in itertools.product(WEIGHTS, repeat=len(terms)):
        score = sum(weights)
        pairs = list(zip(terms, weights, strict=True))
        if (after is not None and score > after[0]) or any(counts.get(p) == 0 for p in pairs):
            continue
        pairs.sort(key=lambda p: counts.get(p, COUNT_CAP))  # the rarest drives
        tiers.setdefault(score, []).append(_walk(query, conds, pairs, score, after, limit))
    if not tiers:
        return _grouped(query, [false()], None, limit)
    parts: list[Select[Any]] = []
    found: list[Any] = []  # rows of the higher scores
    for score in sorted(tiers, reverse=True):
        branches = tiers[score]
        tier: Select[Any] = select(
            (branches[0] if len(branches) == 1 else union_all(*branches)).subquery()
        )
        if found:
            # A condition without columns: PostgreSQL checks it once, before reading.
            tier = tier.where(sum(found) <= limit)
        read = tier.cte(f"score_{score}")
        parts.append(select(read))
        found.append(select(func.count()).select_from(read).scalar_subquery())
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("hits")


def _walk(
    query: Query,
    conds: list[ColumnElement[bool]],
    pairs: list[Pair],
    score: int,
    after: Sequence[Any] | None,
    limit: int,
) -> Select[Any]:
    """One combination of weights, walked from its first (term, weight) in index order."""
    driver = aliased(SearchTerm)
    stmt = select(driver.product_id, literal(score).label("score"), driver.approved_at).where(
        driver.term == pairs[0][0], driver.weight == pairs[0][1]
    )
    for term, weight in pairs[1:]:
        other = aliased(SearchTerm)
        stmt = stmt.join(
            other,
            and_(other.product_id == driver.product_id, other.term == term, other.weight == weight),
        )
    keys = [SortKey(driver.approved_at, True), SortKey(driver.product_id, True)]
    if after is not None and score == after[0]:
        stmt = stmt.where(keyset_after(keys, after[1:]))
    return _limited(stmt, driver.product_id, query, conds, keys, limit)


def _limited(
    stmt: Select[Any, Any, Any],
    product_id: Any,
    query: Query,
    conds: list[ColumnElement[bool]],
    keys: list[SortKey],
    limit: int,
) -> Select[Any]:
    """`stmt` joined to the catalog and filtered, its first `limit` + 1 rows in `keys` order."""
    inner = (
        stmt.join(CatalogEntry, CatalogEntry.product_id == product_id)
        .where(*phrase_conditions(query), *conds)
        .order_by(*order_by(keys))
        .limit(limit + 1)
        .subquery()
    )
    return select(inner)  # a subquery, so each branch keeps its own ORDER BY and LIMIT


def _grouped(
    query: Query, conds: list[ColumnElement[bool]], after: Sequence[Any] | None, limit: int
) -> Subquery:
    """Every posting of every term, grouped: for queries of many words."""
    terms = sorted(query.terms)
    stmt = (
        select(
            SearchTerm.product_id,
            func.sum(SearchTerm.weight).label("score"),
            func.max(SearchTerm.approved_at).label("approved_at"),
        )
        .where(SearchTerm.term.in_(terms))
        .group_by(SearchTerm.product_id)
        .having(func.count() == literal(len(terms)))
        .subquery()
    )
    keys = relevance_keys(stmt)
    where = [] if after is None else [keyset_after(keys, after)]
    return _limited(
        select(stmt).where(*where), stmt.c.product_id, query, conds, keys, limit
    ).subquery("hits")


def relevance_keys(hits: Any) -> list[SortKey]:
    return [
        SortKey(hits.c.score, descending=True),
        SortKey(hits.c.approved_at, descending=True),
        SortKey(hits.c.product_id, descending=True),
    ]


def phrase_conditions(query: Query) -> list[ColumnElement[bool]]:
    """Longer Japanese words: their bigrams matched; the text must hold them in order."""
    if not query.phrases:
        return []
    revision = aliased(Revision)  # its own, though the page query joins revisions too
    return [
        exists().where(
            revision.id == CatalogEntry.revision_id,
            *(revision.search_text.contains(p, autoescape=True) for p in query.phrases),
        )
    ]


def text_condition(query: Query) -> ColumnElement[bool]:
    """The catalog entry holds every term of `query` (probed by key, one per term)."""
    held = [
        exists().where(SearchTerm.product_id == CatalogEntry.product_id, SearchTerm.term == t)
        for t in sorted(query.terms)
    ]
    return and_(*held, *phrase_conditions(query))


def reindex_all(conn: Connection) -> int:
    """Rebuild every approved revision's search text and terms; returns the products done.

    For migrations and after a change of tokenizer; runs on a plain connection.
    """
    rows = conn.execute(
        select(Revision.id, Revision.product_id, Revision.content, Revision.approved_at).join(
            Product, Product.approved_revision_id == Revision.id
        )
    ).all()
    conn.execute(delete(SearchTerm))
    for revision_id, product_id, content, approved_at in rows:
        name, description = content["name"], content.get("description") or {}
        conn.execute(
            update(Revision)
            .where(Revision.id == revision_id)
            .values(search_text=searchable_text(name, description))
        )
        terms = term_rows(product_id, content, approved_at)
        if terms:
            conn.execute(insert(SearchTerm), terms)
    return len(rows)
