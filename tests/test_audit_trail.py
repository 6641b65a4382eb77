"""The audit trail is append-only: no code path changes or removes a transition, the ORM
refuses to on every database, and on PostgreSQL a trigger refuses any UPDATE or DELETE."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from app.models import Transition
from app.models.curation import AppendOnly
from tests.dbutil import backend
from tests.factories import Actor, Factory

APP = Path(__file__).resolve().parents[1] / "app"
CHANGES = re.compile(
    r"(update|delete)\(\s*Transition\b|(UPDATE|DELETE\s+FROM)\s+transitions\b", re.IGNORECASE
)


async def submitted(factory: Factory) -> tuple[Actor, str]:
    owner = await factory.owner()
    product = await factory.ready_product(owner)
    r = await factory.transition(owner, product["id"], "submit")
    assert r.status_code == 200, r.text
    return owner, product["id"]


async def trail(client: httpx.AsyncClient, actor: Actor, pid: str) -> list[tuple[str, str]]:
    r = await client.get(f"/api/v1/products/{pid}/transitions", headers=actor.headers)
    assert r.status_code == 200, r.text
    return [(t["action"], t["comment"]) for t in r.json()["items"]]


def test_no_code_changes_or_removes_a_transition() -> None:
    found = [
        f"{path.relative_to(APP)}: {m.group(0)}"
        for path in APP.rglob("*.py")
        for m in CHANGES.finditer(path.read_text())
    ]
    assert found == []


async def test_the_orm_refuses_to_change_or_delete_a_transition(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, pid = await submitted(factory)
    for change in ("update", "delete"):
        with pytest.raises(AppendOnly, match="audit trail"):
            async with factory.session() as session:
                entry = await session.scalar(
                    select(Transition).where(Transition.product_id == uuid.UUID(pid))
                )
                assert entry is not None
                if change == "update":
                    entry.comment = "rewritten"
                else:
                    await session.delete(entry)
                await session.flush()
    assert await trail(client, owner, pid) == [("submit", None)]


@pytest.mark.skipif(backend() == "sqlite", reason="the trigger is PostgreSQL's")
async def test_postgresql_refuses_raw_updates_and_deletes_of_transitions(
    client: httpx.AsyncClient, factory: Factory, sync_engine: Engine
) -> None:
    owner, pid = await submitted(factory)
    for sql in (
        "UPDATE transitions SET comment = 'rewritten' WHERE product_id = :pid",
        "DELETE FROM transitions WHERE product_id = :pid",
    ):
        with (
            pytest.raises(DBAPIError, match="transitions are append-only"),
            sync_engine.begin() as conn,
        ):
            conn.execute(text(sql), {"pid": uuid.UUID(pid)})
    assert await trail(client, owner, pid) == [("submit", None)]
    # Appending goes on as before.
    curator = await factory.curator()
    r = await factory.transition(curator, pid, "start_review")
    assert r.status_code == 200, r.text
    assert await trail(client, owner, pid) == [("submit", None), ("start_review", None)]
