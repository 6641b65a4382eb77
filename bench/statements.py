"""SQL statements per request: each scenario's request made once more in-process, counted.

The app is built as `kurasi serve` builds it (same settings, same database), with no event
worker beside it, and every statement any of its engines sends (the request's session and
the side sessions that count facets) is counted while one request runs. A catalog
request is asked twice: the first answer is rendered from the database, the second may
come from the page cache as it does under load. The count never needs the server to do
anything the deployed one does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.config import Settings
from app.main import create_app
from bench.scenarios import Scenario
from bench.workspace import product_body
from bench.writes import MIX_STEPS, mix_checklist


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)


async def count(
    settings: Settings,
    scenarios: list[Scenario],
    msme_id: str,
    owner: dict[str, str],
    curator: dict[str, str],
) -> dict[str, Any]:
    """{scenario name: [statements of the first request, of the same again]}, and the
    write mix's statements for each of its steps on one product."""
    app = create_app(settings.model_copy(update={"run_worker": False}))
    counts: dict[str, Any] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

            async def counted(method: str, path: str, headers: dict[str, str], **kw: Any) -> Any:
                with counting() as statements:
                    r = await client.request(method, path, headers=headers, **kw)
                r.raise_for_status()
                return r, len(statements)

            for s in scenarios:
                _, first = await counted("GET", s.path, s.headers)
                _, again = await counted("GET", s.path, s.headers)
                counts[s.name] = [first, again]
            r, created = await counted(
                "POST", "/api/v1/products", owner, json=product_body(msme_id, 0)
            )
            path = f"/api/v1/products/{r.json()['id']}"
            steps = [created]
            _, n = await counted("PATCH", path, owner, json={"moq": 150})
            steps.append(n)
            for who, body in (
                (owner, {"action": "submit"}),
                (curator, {"action": "start_review"}),
                (curator, {"action": "approve", "checklist": mix_checklist(), "score": 85}),
            ):
                _, n = await counted("POST", f"{path}/transitions", who, json=body)
                steps.append(n)
            counts["write mix"] = dict(zip(MIX_STEPS, steps, strict=True))
    return counts
