"""Full-text search over approved revisions, through the `search_terms` table.

Why a table of our own terms rather than pg_trgm or FTS5: both miss Japanese queries
of one or two characters (the trigram index cannot serve them), and the two would
match differently on the two databases. Terms come from app/catalog/tokens.py, so
SQLite and PostgreSQL see exactly the same terms and return the same products; the
index (term, weight, approved_at) serves a one-term search in relevance order.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.catalog.tokens import Query, document_terms, normalize
from app.models import CatalogEntry, Product, Revision, SearchTerm
from app.models.search import DESCRIPTION_WEIGHT, NAME_WEIGHT


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


def hits(query: Query) -> Select[uuid.UUID, int, datetime]:
    """(product_id, score, approved_at) of the products holding every term of `query`.

    The score adds the weight of each matched term, so name matches rank first.
    """
    terms = sorted(query.terms)
    if len(terms) == 1:
        # Plain rows, so that the index serves the relevance order directly.
        return select(
            SearchTerm.product_id,
            SearchTerm.weight.label("score"),
            SearchTerm.approved_at,
        ).where(SearchTerm.term == terms[0])
    return (
        select(
            SearchTerm.product_id,
            func.sum(SearchTerm.weight).label("score"),
            func.max(SearchTerm.approved_at).label("approved_at"),
        )
        .where(SearchTerm.term.in_(terms))
        .group_by(SearchTerm.product_id)
        .having(func.count() == literal(len(terms)))
    )


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
    hit_ids = hits(query).with_only_columns(SearchTerm.product_id)
    return and_(CatalogEntry.product_id.in_(hit_ids), *phrase_conditions(query))


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
