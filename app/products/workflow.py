"""The curation workflow (SPEC §3): the transition table and the one function that applies it.

A transition is a conditional UPDATE (`WHERE id AND status AND version`): of two
concurrent transitions on one product the database lets exactly one through, and the
other finds no row and answers 409. The audit entry is written in the same transaction.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Update, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden
from app.models import Product, Transition, User
from app.models.enums import ProductStatus as S
from app.models.enums import Role


@dataclass(frozen=True)
class Rule:
    sources: frozenset[S]
    target: S
    roles: frozenset[Role]


TRANSITIONS: dict[str, Rule] = {
    "submit": Rule(
        frozenset({S.draft, S.changes_requested}), S.submitted, frozenset({Role.msme_owner})
    ),
    "withdraw": Rule(frozenset({S.submitted}), S.draft, frozenset({Role.msme_owner})),
    "start_review": Rule(
        frozenset({S.submitted}), S.in_review, frozenset({Role.curator, Role.admin})
    ),
    "request_changes": Rule(
        frozenset({S.in_review}), S.changes_requested, frozenset({Role.curator, Role.admin})
    ),
    "approve": Rule(frozenset({S.in_review}), S.approved, frozenset({Role.curator, Role.admin})),
    "reject": Rule(frozenset({S.in_review}), S.rejected, frozenset({Role.curator, Role.admin})),
    "archive": Rule(
        frozenset(set(S) - {S.in_review, S.archived}),
        S.archived,
        frozenset({Role.msme_owner, Role.admin}),
    ),
}
# Not a client action: an owner's edit of an approved product starts its next revision.
EDIT = "edit"

ACTIONS = tuple(TRANSITIONS)


def check_allowed(product: Product, action: str, actor: User) -> Rule:
    rule = TRANSITIONS[action]
    if actor.role not in rule.roles:
        raise Forbidden(f"A {actor.role} may not {action} a product")
    if product.status not in rule.sources:
        raise Conflict(f"A product in status {product.status} cannot take the action {action}")
    return rule


async def apply(
    session: AsyncSession,
    product: Product,
    action: str,
    actor: User,
    *,
    comment: str | None = None,
    values: dict[str, Any] | None = None,
) -> Transition:
    """Move `product` by `action`, atomically, and append the audit entry."""
    rule = check_allowed(product, action, actor)
    now = utcnow()
    changes = {"status": rule.target.value, "updated_at": now, **(values or {})}
    result = await session.execute(
        _transition_update(tuple(changes)),
        {
            "product_id": product.id,
            "from_status": product.status,
            "from_version": product.version,
            **{f"new_{key}": value for key, value in changes.items()},
        },
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("The product was changed by another request; reload it and try again")
    from_status = product.status
    for key, value in {**changes, "version": product.version + 1}.items():
        set_committed_value(product, key, value)
    entry = Transition(
        product_id=product.id,
        from_status=from_status,
        to_status=rule.target.value,
        action=action,
        actor_id=actor.id,
        at=now,
        comment=comment,
        product_version=product.version,
    )
    session.add(entry)  # written by the request's next flush, in its transaction
    return entry


@functools.cache
def _transition_update(keys: tuple[str, ...]) -> Update:
    """`apply`'s conditional UPDATE of the columns `keys`, built once for each set of them."""
    return (
        update(Product)
        .where(
            Product.id == bindparam("product_id"),
            Product.status == bindparam("from_status"),
            Product.version == bindparam("from_version"),
        )
        .values(version=Product.version + 1, **{key: bindparam(f"new_{key}") for key in keys})
        .execution_options(synchronize_session=False)
    )


async def record_edit(session: AsyncSession, product: Product, actor: User) -> Transition:
    """An approved product that its owner edits goes back to draft for a new revision."""
    product.status = S.draft.value
    await session.flush()  # the version check of the mapper makes this conditional too
    entry = edit_entry(product, actor)
    session.add(entry)
    await session.flush()
    return entry


def edit_entry(product: Product, actor: User) -> Transition:
    """The audit entry of an approved product's edit, once the edit is flushed (it names
    the product's new version)."""
    return Transition(
        product_id=product.id,
        from_status=S.approved.value,
        to_status=S.draft.value,
        action=EDIT,
        actor_id=actor.id,
        at=utcnow(),
        comment="edited after approval; the approved revision stays listed",
        product_version=product.version,
    )


async def set_columns(session: AsyncSession, product: Product, **values: Any) -> None:
    """Write bookkeeping columns (no new version) after a transition held the row."""
    await session.execute(
        update(Product)
        .where(Product.id == product.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    for key, value in values.items():
        set_committed_value(product, key, value)
