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
from dataclasses import dataclass
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
from sqlalchemy.sql import Subquery

from app.catalog import changes, entries
from app.catalog.tokens import Query, document_terms, normalize
from app.core.db import table_of
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
    """Make the product findable by the terms of `revision`, and by no others.

    The terms it replaces are kept under the catalog version the commit makes, so that
    cached counts of queries can still be brought up to date (app/catalog/changes.py).
    """
    seq, _ = await entries.take_turn(session)
    await session.execute(changes.retire_terms(revision.product_id, seq + 1))
    entries.changed(session, logged=True)
    await session.execute(delete(SearchTerm).where(SearchTerm.product_id == revision.product_id))
    rows = term_rows(revision.product_id, revision.content, revision.approved_at)
    if rows:
        await session.execute(insert(SearchTerm), rows)


# Postings counted per (term, weight) up to this many: enough to tell a rare pair from
# a common one, cheap to count even for the commonest term.
COUNT_CAP = 1_000
# Up to this many terms, a relevance page is drawn from one index walk per combination
# of weights (2**n of them); longer queries join every posting instead.
MAX_WALKED_TERMS = 4
# Each word's first postings in walking order that are tried for the other words: when
# none of them holds them all, the words seldom meet and a walk would read every
# posting to find a page, so their postings are joined instead. Each probes the other
# words, so longer queries sample fewer per word: SAMPLE probes per word in all.
SAMPLE = 100
Pair = tuple[str, int]
# Statements are built for each request, and a query of four words holds 64 walked
# aliases of the terms: they are aliases of tables rather than of mapped classes (whose
# columns are adapted each time they are read), made once. A walk is a subquery of its
# own, so every walk can use the same ones.
TERMS = changes.SEARCH_TERMS
WALKED = [TERMS.alias(f"walked_{i}") for i in range(MAX_WALKED_TERMS)]
PHRASE_REVISION = table_of(Revision).alias("phrase_revision")


@dataclass(frozen=True)
class Postings:
    """What a several-word search learns before choosing how to find its page."""

    counts: dict[Pair, int]  # per (term, weight), up to COUNT_CAP
    sparse: bool  # no sampled posting holds every word


async def read_postings(session: AsyncSession, query: Query) -> Postings:
    """For several words, one statement: the capped count of each (term, weight), then
    the sampled matches. One word needs neither, nor do queries too long to walk."""
    terms = sorted(query.terms)
    if not 1 < len(terms) <= MAX_WALKED_TERMS:
        return Postings({}, sparse=False)
    pairs = _pairs(terms)
    counts = []
    for term, weight in pairs:
        capped = (
            select(literal(1))
            .where(TERMS.c.term == term, TERMS.c.weight == weight)
            .limit(COUNT_CAP)
            .subquery()
        )
        counts.append(select(func.count()).select_from(capped).scalar_subquery())
    *counted, sampled = (await session.execute(select(*counts, _sampled_matches(terms)))).one()
    return Postings(dict(zip(pairs, counted, strict=True)), sparse=sampled == 0)


def _sampled_matches(terms: list[str]) -> Any:
    """How many of each word's first postings hold every other word, added up."""
    per_word = SAMPLE // (len(terms) - 1)
    found = []
    for term in terms:
        first = (
            select(TERMS.c.product_id)
            .where(TERMS.c.term == term)
            .order_by(TERMS.c.weight.desc(), TERMS.c.approved_at.desc())
            .limit(per_word)
            .subquery()
        )
        holds = [_holds(first.c.product_id, t) for t in terms if t != term]
        found.append(select(func.count()).select_from(first).where(*holds).scalar_subquery())
    return sum(found)


def _holds(product_id: Any, term: str) -> ColumnElement[bool]:
    """The product has `term` among its search terms (a probe of the primary key)."""
    posting = TERMS.alias()
    return exists().where(posting.c.product_id == product_id, posting.c.term == term)


def _pairs(terms: list[str]) -> list[Pair]:
    return [(t, w) for t in terms for w in WEIGHTS]


def ranked(
    query: Query,
    conds: list[ColumnElement[bool]],
    postings: Postings,
    after: Sequence[Any] | None,
    limit: int,
) -> Subquery:
    """Rows (product_id, score, approved_at) that hold the first `limit` + 1 matches after
    the cursor `after` in relevance order, among others: the caller orders and cuts them.

    A product holds each term once, with the weight of where it stands (name 2,
    description 1), so it falls in exactly one combination of weights, and every row
    of a combination has the same score. Each combination is walked from its rarest
    (term, weight) in (approved_at, product_id) order, joining the other terms (probed
    by key, or merged in the same order when a probe per posting would cost more) and
    applying `conds` on the way, and stops at `limit` + 1 rows. A combination with
    a term that has no postings at that weight is skipped unread.

    Scores are read from the highest down, and a lower score is not read at all once
    the higher ones fill the page: with "kopi コーヒー", the products holding both
    words in the name fill it, and the far rarer ones holding "コーヒー" only in the
    description, which cost a walk of every "kopi" to find, are looked for only on the
    last pages.
    """
    terms = sorted(query.terms)
    if len(terms) > MAX_WALKED_TERMS or postings.sparse:
        return _joined(query, conds, after, limit)
    counts = postings.counts
    tiers: dict[int, list[Select[Any]]] = {}
    for weights in itertools.product(WEIGHTS, repeat=len(terms)):
        score = sum(weights)
        pairs = list(zip(terms, weights, strict=True))
        if (after is not None and score > after[0]) or any(counts.get(p) == 0 for p in pairs):
            continue
        pairs.sort(key=lambda p: counts.get(p, COUNT_CAP))  # the rarest drives
        tiers.setdefault(score, []).append(_walk(query, conds, pairs, score, after, limit))
    if not tiers:
        return _joined(query, [false()], None, limit)
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
    driver = WALKED[0].c
    stmt = select(driver.product_id, literal(score).label("score"), driver.approved_at).where(
        driver.term == pairs[0][0], driver.weight == pairs[0][1]
    )
    for other, (term, weight) in zip(WALKED[1 : len(pairs)], pairs[1:], strict=True):
        stmt = stmt.join(
            other,
            and_(
                other.c.term == term,
                other.c.weight == weight,
                # A product's terms share its approval time: both sides can be read in
                # index order and merged, as well as probed by key.
                other.c.approved_at == driver.approved_at,
                other.c.product_id == driver.product_id,
            ),
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


def _joined(
    query: Query, conds: list[ColumnElement[bool]], after: Sequence[Any] | None, limit: int
) -> Subquery:
    """Every product holding every term, scored, then ordered: for words that seldom
    meet (the database joins their postings, by hashing them) and for long queries."""
    terms = sorted(query.terms)
    aliases = [TERMS.alias() for _ in terms]
    first, *others = [a.c for a in aliases]
    stmt = select(
        first.product_id,
        sum((o.weight for o in others), first.weight).label("score"),
        first.approved_at,
    ).where(first.term == terms[0])
    for alias, other, term in zip(aliases[1:], others, terms[1:], strict=True):
        stmt = stmt.join(alias, and_(other.product_id == first.product_id, other.term == term))
    scored = stmt.subquery()
    keys = relevance_keys(scored)
    where = [] if after is None else [keyset_after(keys, after)]
    return _limited(
        select(scored).where(*where), scored.c.product_id, query, conds, keys, limit
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
    revision = PHRASE_REVISION.c  # its own, though the page query joins revisions too
    return [
        exists().where(
            revision.id == CatalogEntry.revision_id,
            *(revision.search_text.contains(p, autoescape=True) for p in query.phrases),
        )
    ]


def text_condition(query: Query) -> ColumnElement[bool]:
    """The catalog entry holds every term of `query` (probed by key, one per term)."""
    held = [_holds(CatalogEntry.product_id, t) for t in sorted(query.terms)]
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
