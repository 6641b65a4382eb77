"""GET /stats against a scenario whose every figure is known: three curators and an admin
deciding products of two categories at set times, a queue, a catalog and inquiries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from app.core import clock
from tests.factories import Actor, Factory, statements_run

# The scenario's hour 0: Monday 3 March 2025, 00:00 UTC. Times are hours after it.
BASE = datetime(2025, 3, 3, tzinfo=UTC)
NOW = 72.0  # Thursday 00:00: when the figures are asked for
RANGE = {"from": "2025-03-03", "to": "2025-03-05"}
HANDICRAFT: dict[str, Any] = {
    "category": "handicraft",
    "hs_code": "442010",
    "name": {"id": "Ukiran kayu Jepara", "en": "Jepara wood carving", "ja": "ジェパラ木彫り"},
    "unit": "pcs",
    "shelf_life_days": None,
}


@contextmanager
def at(hours: float) -> Iterator[None]:
    """The app's clock stands at `hours` after BASE (only what it writes is dated so)."""
    real = clock.now
    clock.now = lambda: BASE + timedelta(hours=hours)  # type: ignore[method-assign]
    try:
        yield
    finally:
        clock.now = real  # type: ignore[method-assign]


class Desk:
    """One owner's MSME, whose products the curators move at set times."""

    def __init__(self, factory: Factory, owner: Actor, msme_id: str) -> None:
        self.factory, self.owner, self.msme_id = factory, owner, msme_id

    async def product(self, handicraft: bool = False) -> dict[str, Any]:
        overrides = HANDICRAFT if handicraft else {}
        return await self.factory.ready_product(self.owner, self.msme_id, **overrides)

    async def submit(self, hours: float, product: dict[str, Any]) -> None:
        with at(hours):
            await self.factory._transition(self.owner, product["id"], "submit")

    async def review(
        self, start: float, curator: Actor, product: dict[str, Any], end: float, action: str
    ) -> None:
        """`curator` starts a review at `start` and decides it with `action` at `end`."""
        factory, pid = self.factory, product["id"]
        with at(start):
            await factory._transition(curator, pid, "start_review")
        body: dict[str, Any] = {"comment": "Please send the Japanese label"}
        if action == "approve":
            await factory.verify_documents(curator, pid)
            body = {"checklist": factory.checklist(product), "score": 85}
        with at(end):
            await factory._transition(curator, pid, action, **body)


async def scenario(factory: Factory) -> dict[str, Any]:
    """Every product and its history, the catalog and inquiries; returns the actors and
    products the figures name."""
    owner, buyer, admin = await factory.owner(), await factory.buyer(), await factory.admin()
    ayu = await factory.user("curator", full_name="Ayu Lestari")
    budi = await factory.user("curator", full_name="Budi Santoso")
    citra = await factory.user("curator", full_name="Citra Dewi")
    desk = Desk(factory, owner, (await factory.msme(owner))["id"])
    coffee = [await desk.product() for _ in range(7)]
    craft = [await desk.product(handicraft=True) for _ in range(4)]
    p1, p2, p3, p6, p7, p8, p11 = coffee
    p4, p5, p9, p10 = craft
    await desk.product()  # a draft, never submitted

    # Before the period: p6 submitted, rejected and archived; p7 submitted and in review.
    await desk.submit(-48, p6)
    await desk.review(-40, citra, p6, -30, "reject")
    with at(-29):
        await factory._transition(owner, p6["id"], "archive")
    await desk.submit(-24, p7)
    with at(-2):
        await factory._transition(citra, p7["id"], "start_review")
    # Within it. Ayu: 12 h, 24 h and 16 h to decision, 2, 4 and 6 h in review.
    await desk.submit(0, p1)
    await desk.submit(0, p2)
    await desk.review(10, ayu, p1, 12, "approve")
    await desk.review(20, ayu, p2, 24, "request_changes")
    await desk.submit(30, p2)
    await desk.review(40, ayu, p2, 46, "approve")
    # Budi: 8 h and 18 h 20 min to decision, 4 h and 10 h 20 min in review.
    await desk.submit(1, p3)
    await desk.review(5, budi, p3, 9, "reject")
    await desk.submit(2, p4)
    await desk.review(10, budi, p4, 20 + 1 / 3, "approve")
    # Citra: 2 h and 30 h to decision (p7 was submitted the day before), 1 h and 8 h.
    await desk.submit(3, p5)
    await desk.review(4, citra, p5, 5, "approve")
    with at(6):
        await factory.verify_documents(citra, p7["id"])
        body = {"checklist": factory.checklist(p7), "score": 90}
        await factory._transition(citra, p7["id"], "approve", **body)
    # The admin: 2 h to decision, 1 h in review.
    await desk.submit(6, p11)
    await desk.review(7, admin, p11, 8, "request_changes")
    # Waiting at hour 72: p8 for 22 h, p9 for 12 h; p10 is in review, not waiting.
    await desk.submit(50, p8)
    await desk.submit(55, p10)
    with at(56):
        await factory._transition(ayu, p10["id"], "start_review")
    await desk.submit(60, p9)

    # The catalog: p1 and p2 at the showroom, p4 there and at the fair; p5 unlisted.
    await factory.channel(admin)
    await factory.channel(admin, "jcc-fair", kind="online")
    await factory.channel(admin, "closed-fair", kind="online", active=False)
    for product in (p1, p2, p4):
        await factory.publish(admin, product["id"])
    await factory.publish(admin, p4["id"], "jcc-fair")
    for hours, product in ((-10, p4), (30, p1), (40, p4)):  # the first before the period
        with at(hours):
            r = await factory.client.post(
                f"/api/v1/catalog/products/{product['id']}/inquiries",
                json={"quantity": 100, "message": "Samples, please"},
                headers=buyer.headers,
            )
            assert r.status_code == 201, r.text
    return {"admin": admin, "ayu": ayu, "budi": budi, "citra": citra, "owner": owner}


async def stats(client: httpx.AsyncClient, actor: Actor, **params: str) -> httpx.Response:
    with at(NOW):
        return await client.get("/api/v1/stats", params=params, headers=actor.headers)


def curator(
    actor: Actor, name: str, decisions: int, approved: int, median: float, review: float
) -> dict[str, Any]:
    return {
        "curator": {"id": actor.id, "full_name": name},
        "decisions": decisions,
        "approved": approved,
        "median_hours_to_decision": median,
        "median_review_hours": review,
    }


async def test_figures_of_a_known_scenario(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    probe = await factory.curator()
    with statements_run(app) as on_empty:
        assert (await stats(client, probe, **RANGE)).status_code == 200

    actors = await scenario(factory)
    admin, ayu, budi, citra = (actors[k] for k in ("admin", "ayu", "budi", "citra"))
    with statements_run(app) as on_scenario:
        r = await stats(client, ayu, **RANGE)
    assert r.status_code == 200, r.text
    # The same statements whatever the data: aggregates, no row visited in Python.
    assert len(on_scenario) == len(on_empty)
    body = r.json()
    assert body["period"] == RANGE
    assert body["as_of"] == "2025-03-06T00:00:00Z"
    assert body["products_by_status"] == {
        "draft": 1,
        "submitted": 2,
        "in_review": 1,
        "changes_requested": 1,
        "approved": 5,
        "rejected": 1,
        "archived": 1,
    }
    assert body["queue"] == {
        "size": 2,
        "oldest_submitted_at": "2025-03-05T02:00:00Z",
        "median_wait_hours": 17.0,  # 22 h and 12 h
    }
    # 2, 2, 8, 12 | 16, 18.33, 24, 30 h to decision; 1, 1, 2, 4 | 4, 6, 8, 10.33 in review.
    # p6's rejection (before the period) is left out; p7's, submitted before, is in.
    assert body["decisions"] == {
        "approve": 5,
        "request_changes": 2,
        "reject": 1,
        "median_hours_to_decision": 14.0,
        "median_review_hours": 4.0,
    }
    assert body["by_category"] == [
        # p2 submitted twice and decided twice counts once; p7 decided, not submitted, here.
        {"category": "coffee", "submitted": 5, "decided": 5, "approved": 3, "approval_rate": 0.6},
        {
            "category": "handicraft",
            "submitted": 4,
            "decided": 2,
            "approved": 2,
            "approval_rate": 1.0,
        },
    ]
    assert body["by_curator"] == [
        curator(ayu, "Ayu Lestari", 3, 2, 16.0, 4.0),  # odd: the middle one
        curator(budi, "Budi Santoso", 2, 1, 13.17, 7.17),  # even: (8 + 18.33) / 2
        curator(citra, "Citra Dewi", 2, 2, 16.0, 4.5),
        curator(admin, "Test admin", 1, 0, 2.0, 1.0),
    ]
    assert body["catalog"] == {
        "published": 3,
        "inquiries": 2,
        "by_channel": [
            {"code": "jcc-fair", "published": 1, "inquiries": 1},
            {"code": "tokyo-msme-center", "published": 3, "inquiries": 2},
        ],
    }
    # A curator and an admin see the same figures.
    assert (await stats(client, admin, **RANGE)).json() == body

    # One day: the request for changes at midnight (hour 24) belongs to the next day.
    day = (await stats(client, admin, **{"from": "2025-03-03", "to": "2025-03-03"})).json()
    assert day["decisions"] == {
        "approve": 4,
        "request_changes": 1,
        "reject": 1,
        "median_hours_to_decision": 10.0,  # 2, 2, 8 | 12, 18.33, 30
        "median_review_hours": 3.0,  # 1, 1, 2 | 4, 8, 10.33
    }
    assert day["queue"] == body["queue"] and day["catalog"]["published"] == 3
    # By default the last 30 days up to today.
    default = (await stats(client, admin)).json()
    assert default["period"] == {"from": "2025-02-05", "to": "2025-03-06"}
    assert default["decisions"]["reject"] == 2  # p6's too


async def test_nothing_to_count(client: httpx.AsyncClient, factory: Factory) -> None:
    r = await stats(client, await factory.admin(), **RANGE)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body["products_by_status"].values()) == {0}
    assert body["queue"] == {"size": 0, "oldest_submitted_at": None, "median_wait_hours": None}
    assert body["decisions"]["median_hours_to_decision"] is None
    assert body["by_category"] == body["by_curator"] == body["catalog"]["by_channel"] == []


async def test_who_may_ask_and_bad_periods(client: httpx.AsyncClient, factory: Factory) -> None:
    assert (await client.get("/api/v1/stats")).status_code == 401
    for actor in (await factory.owner(), await factory.buyer()):
        assert (await stats(client, actor)).status_code == 403
    curator = await factory.curator()
    for params, loc in (
        ({"from": "2025-03-06", "to": "2025-03-05"}, "from"),
        ({"from": "2025-03-07"}, "from"),  # after `to`, which is today (hour 72)
        ({"from": "2025-02-30"}, "from"),
        ({"to": "5 March"}, "to"),
        ({"to": "2025-03-05T00:00:00"}, "to"),
    ):
        r = await stats(client, curator, **params)
        assert r.status_code == 422, (params, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["errors"][0]["loc"] == ["query", loc], params
    # The calendar's ends are a period like any other.
    for params in ({"from": "0001-01-01", "to": "9999-12-31"}, {"to": "0001-01-01"}):
        r = await stats(client, curator, **params)
        assert r.status_code == 200, (params, r.text)
    assert r.json()["period"] == {"from": "0001-01-01", "to": "0001-01-01"}
