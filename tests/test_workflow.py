"""The curation workflow over HTTP (SPEC §3): states, roles, reviews, revisions, the queue."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.demo.files import png
from tests.factories import Actor, Factory

STATES = (
    "draft",
    "submitted",
    "in_review",
    "changes_requested",
    "approved",
    "rejected",
    "archived",
)
# SPEC §3, written out here independently of the app's own table.
SOURCES = {
    "submit": {"draft", "changes_requested"},
    "withdraw": {"submitted"},
    "start_review": {"submitted"},
    "request_changes": {"in_review"},
    "approve": {"in_review"},
    "reject": {"in_review"},
    "archive": set(STATES) - {"in_review", "archived"},
}
OWNER_ACTIONS = ("submit", "withdraw", "archive")
CURATOR_ACTIONS = ("start_review", "request_changes", "approve", "reject")


async def _trail(client: httpx.AsyncClient, actor: Actor, pid: str) -> list[dict[str, Any]]:
    r = await client.get(f"/api/v1/products/{pid}/transitions", headers=actor.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def _reviews(client: httpx.AsyncClient, actor: Actor, pid: str) -> list[dict[str, Any]]:
    r = await client.get(f"/api/v1/products/{pid}/reviews", headers=actor.headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def _status(factory: Factory, actor: Actor, pid: str) -> str:
    return str((await factory.get_product(actor, pid))["status"])


def _body(factory: Factory, product: dict[str, Any], action: str) -> dict[str, Any]:
    """A body that is valid for `action` in every way but (possibly) the product's state."""
    if action == "approve":
        return {"checklist": factory.checklist(product), "score": 80}
    if action in ("request_changes", "reject"):
        return {"comment": "Please add a Japanese label draft with allergens."}
    return {}


async def _in_state(
    factory: Factory, owner: Actor, curator: Actor, state: str, **overrides: Any
) -> dict[str, Any]:
    """A ready coffee product brought to `state` through the workflow."""
    product = await factory.ready_product(owner, **overrides)
    pid = product["id"]

    async def go(actor: Actor, action: str) -> None:
        r = await factory.transition(actor, pid, action, **_body(factory, product, action))
        assert r.status_code == 200, (action, r.text)

    if state == "archived":
        await go(owner, "archive")
    elif state != "draft":
        await go(owner, "submit")
        if state != "submitted":
            await go(curator, "start_review")
            if state == "approved":
                await factory.verify_documents(curator, pid)
                await go(curator, "approve")
            elif state == "changes_requested":
                await go(curator, "request_changes")
            elif state == "rejected":
                await go(curator, "reject")
    assert await _status(factory, owner, pid) == state
    return product


async def _verify_all_but(
    client: httpx.AsyncClient, factory: Factory, curator: Actor, pid: str, skip: str
) -> None:
    product = await factory.get_product(curator, pid)
    msme = (await client.get(f"/api/v1/msmes/{product['msme_id']}", headers=curator.headers)).json()
    for doc in [*product["documents"], *msme["documents"]]:
        if doc["doc_type"] != skip and doc["status"] == "uploaded":
            r = await client.post(
                f"/api/v1/documents/{doc['id']}/verify",
                json={"status": "verified"},
                headers=curator.headers,
            )
            assert r.status_code == 200, r.text


def _mentioned(body: dict[str, Any]) -> set[str]:
    return {str(part) for e in body.get("errors") or [] for part in e["loc"]}


# -- the state machine -----------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
async def test_every_action_from_a_wrong_state_conflicts(
    client: httpx.AsyncClient, factory: Factory, state: str
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await _in_state(factory, owner, curator, state)
    pid = product["id"]
    before = await factory.get_product(owner, pid)
    trail = await _trail(client, owner, pid)
    for action, sources in SOURCES.items():
        if state in sources:
            continue
        actor = owner if action in OWNER_ACTIONS else curator
        r = await factory.transition(actor, pid, action, **_body(factory, product, action))
        assert r.status_code == 409, (state, action, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    after = await factory.get_product(owner, pid)
    assert after["status"] == state
    assert after["version"] == before["version"]
    assert await _trail(client, owner, pid) == trail


async def test_roles_refused_per_table(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, curator, admin, buyer = (
        await factory.owner(),
        await factory.curator(),
        await factory.admin(),
        await factory.buyer(),
    )
    product = await factory.ready_product(owner)
    pid = product["id"]

    async def refused(actor: Actor, action: str, status: str) -> None:
        r = await factory.transition(actor, pid, action, **_body(factory, product, action))
        assert r.status_code == 403, (actor.role, action, r.text)
        assert await _status(factory, owner, pid) == status

    # draft: only the owner submits; nobody else may.
    await refused(curator, "submit", "draft")
    await refused(admin, "submit", "draft")
    await refused(buyer, "submit", "draft")
    await refused(curator, "archive", "draft")
    await refused(buyer, "archive", "draft")

    assert (await factory.transition(owner, pid, "submit")).status_code == 200
    await refused(owner, "start_review", "submitted")
    await refused(buyer, "start_review", "submitted")
    await refused(curator, "withdraw", "submitted")
    await refused(admin, "withdraw", "submitted")
    await refused(buyer, "withdraw", "submitted")

    assert (await factory.transition(curator, pid, "start_review")).status_code == 200
    await factory.verify_documents(curator, pid)
    for action in ("approve", "request_changes", "reject"):
        await refused(owner, action, "in_review")
        await refused(buyer, action, "in_review")

    assert [t["action"] for t in await _trail(client, owner, pid)] == ["submit", "start_review"]
    r = await factory.transition(owner, pid, "publish")
    assert r.status_code == 422, r.text


async def test_withdraw_returns_a_submitted_product_to_draft(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await _in_state(factory, owner, curator, "submitted")
    pid = product["id"]
    r = await factory.transition(owner, pid, "withdraw")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "draft"
    queue = await client.get("/api/v1/curation/queue", headers=curator.headers)
    assert pid not in [i["id"] for i in queue.json()["items"]]
    # A draft can be edited and submitted again.
    r = await client.patch(f"/api/v1/products/{pid}", json={"moq": 40}, headers=owner.headers)
    assert r.status_code == 200, r.text
    assert (await factory.transition(owner, pid, "submit")).json()["status"] == "submitted"
    trail = await _trail(client, owner, pid)
    assert [(t["from_status"], t["to_status"], t["action"]) for t in trail] == [
        ("draft", "submitted", "submit"),
        ("submitted", "draft", "withdraw"),
        ("draft", "submitted", "submit"),
    ]


async def test_start_review_makes_the_caller_the_reviewing_curator(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await _in_state(factory, owner, curator, "submitted")
    pid = product["id"]
    assert await _reviews(client, owner, pid) == []
    r = await factory.transition(curator, pid, "start_review")
    assert r.status_code == 200 and r.json()["status"] == "in_review"
    reviews = await _reviews(client, curator, pid)
    assert len(reviews) == 1
    review = reviews[0]
    assert review["curator_id"] == curator.id
    assert review["decision"] is None and review["decided_at"] is None
    assert review["started_at"]


async def test_another_curator_cannot_decide_the_review_but_an_admin_can(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator, other, admin = (
        await factory.owner(),
        await factory.curator(),
        await factory.curator(),
        await factory.admin(),
    )
    product = await _in_state(factory, owner, curator, "in_review")
    pid = product["id"]
    await factory.verify_documents(curator, pid)
    for action in ("approve", "request_changes", "reject"):
        r = await factory.transition(other, pid, action, **_body(factory, product, action))
        assert r.status_code == 403, (action, r.text)
        assert await _status(factory, owner, pid) == "in_review"

    r = await factory.transition(
        admin, pid, "approve", checklist=factory.checklist(product), score=90
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved" and r.json()["approved_revision"] == 1
    reviews = await _reviews(client, owner, pid)
    assert len(reviews) == 1
    assert reviews[0]["curator_id"] == curator.id
    assert reviews[0]["decision"] == "approve"
    assert reviews[0]["decided_by_id"] == admin.id
    trail = await _trail(client, owner, pid)
    assert trail[-1]["action"] == "approve" and trail[-1]["actor_id"] == admin.id


@pytest.mark.parametrize(
    ("action", "target"), [("request_changes", "changes_requested"), ("reject", "rejected")]
)
async def test_request_changes_and_reject_need_a_comment(
    client: httpx.AsyncClient, factory: Factory, action: str, target: str
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await _in_state(factory, owner, curator, "in_review")
    pid = product["id"]
    r = await factory.transition(curator, pid, action)
    assert r.status_code == 422, r.text
    assert "comment" in _mentioned(r.json())
    r = await factory.transition(curator, pid, action, comment="")
    assert r.status_code == 422, r.text
    assert await _status(factory, owner, pid) == "in_review"

    comment = "Lab report lacks mycotoxin results."
    r = await factory.transition(curator, pid, action, comment=comment, score=55)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == target
    assert r.json()["approved_revision"] is None
    reviews = await _reviews(client, owner, pid)
    assert reviews[-1]["decision"] == action
    assert reviews[-1]["comment"] == comment
    assert reviews[-1]["score"] == 55 and reviews[-1]["grade"] == "C"
    trail = await _trail(client, owner, pid)
    assert trail[-1]["comment"] == comment and trail[-1]["to_status"] == target


async def test_changes_requested_product_is_edited_and_resubmitted(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await _in_state(factory, owner, curator, "changes_requested")
    pid = product["id"]
    r = await client.patch(
        f"/api/v1/products/{pid}", json={"packaging": "Nitrogen-flushed bag"}, headers=owner.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "changes_requested"
    r = await factory.transition(owner, pid, "submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    queue = (await client.get("/api/v1/curation/queue", headers=curator.headers)).json()
    assert [i["id"] for i in queue["items"]] == [pid]


# -- approval rules --------------------------------------------------------------------------


async def test_approve_requires_a_complete_passing_checklist(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await _in_state(factory, owner, curator, "in_review")
    pid = product["id"]
    await factory.verify_documents(curator, pid)
    full = factory.checklist(product)
    assert len(full) > 3

    missing = full[1:]
    r = await factory.transition(curator, pid, "approve", checklist=missing, score=80)
    assert r.status_code == 422, r.text
    assert full[0]["criterion"] in r.text

    failed = [dict(full[0], result="fail"), *full[1:]]
    r = await factory.transition(curator, pid, "approve", checklist=failed, score=80)
    assert r.status_code == 422, r.text
    assert full[0]["criterion"] in r.text

    unknown = [*full, {"criterion": "made_up_criterion", "result": "pass"}]
    r = await factory.transition(curator, pid, "approve", checklist=unknown, score=80)
    assert r.status_code == 422, r.text
    assert "made_up_criterion" in r.text

    r = await factory.transition(curator, pid, "approve", score=80)
    assert r.status_code == 422, r.text

    r = await factory.transition(
        curator, pid, "approve", checklist=[{"criterion": "legality", "result": "maybe"}]
    )
    assert r.status_code == 422, r.text

    after = await factory.get_product(owner, pid)
    assert after["status"] == "in_review" and after["approved_revision"] is None
    assert [r["decision"] for r in await _reviews(client, owner, pid)] == [None]

    # not_applicable is a result, not a failure.
    allowed = [dict(full[0], result="not_applicable", note="no sample held"), *full[1:]]
    r = await factory.transition(curator, pid, "approve", checklist=allowed, score=80)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved" and r.json()["approved_revision"] == 1


async def test_approve_requires_every_required_document_verified(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await _in_state(factory, owner, curator, "in_review")
    pid = product["id"]
    await _verify_all_but(client, factory, curator, pid, skip="lab_test")
    r = await factory.transition(
        curator, pid, "approve", checklist=factory.checklist(product), score=80
    )
    assert r.status_code == 422, r.text
    assert "lab_test" in r.text
    for verified in ("nib", "food_registration", "jp_label_draft"):
        assert verified not in _mentioned(r.json()), verified
    assert await _status(factory, owner, pid) == "in_review"

    await factory.verify_documents(curator, pid)
    r = await factory.transition(
        curator, pid, "approve", checklist=factory.checklist(product), score=80
    )
    assert r.status_code == 200, r.text


async def test_a_rejected_document_blocks_approval(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await _in_state(factory, owner, curator, "in_review")
    pid = product["id"]
    await _verify_all_but(client, factory, curator, pid, skip="jp_label_draft")
    label = next(
        d
        for d in (await factory.get_product(curator, pid))["documents"]
        if d["doc_type"] == "jp_label_draft"
    )
    r = await client.post(
        f"/api/v1/documents/{label['id']}/verify",
        json={"status": "rejected", "note": "allergens missing"},
        headers=curator.headers,
    )
    assert r.status_code == 200, r.text
    r = await factory.transition(
        curator, pid, "approve", checklist=factory.checklist(product), score=80
    )
    assert r.status_code == 422, r.text
    assert "jp_label_draft" in r.text
    assert await _status(factory, owner, pid) == "in_review"


async def test_curator_never_reviews_a_product_of_their_own_msme(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, admin, colleague = await factory.owner(), await factory.admin(), await factory.curator()
    product = await factory.ready_product(owner)
    pid = product["id"]
    assert (await factory.transition(owner, pid, "submit")).status_code == 200

    r = await client.patch(
        f"/api/v1/users/{owner.id}", json={"role": "curator"}, headers=admin.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["role"] == "curator"

    r = await factory.transition(owner, pid, "start_review")
    assert r.status_code == 403, r.text
    assert await _status(factory, admin, pid) == "submitted"
    assert await _reviews(client, admin, pid) == []

    r = await factory.transition(colleague, pid, "start_review")
    assert r.status_code == 200, r.text


# -- archive ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state", ["draft", "submitted", "changes_requested", "approved", "rejected"]
)
async def test_archive_from_any_state_but_in_review(
    client: httpx.AsyncClient, factory: Factory, state: str
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await _in_state(factory, owner, curator, state)
    pid = product["id"]
    r = await factory.transition(owner, pid, "archive")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "archived"
    last = (await _trail(client, owner, pid))[-1]
    assert (last["from_status"], last["to_status"], last["action"], last["actor_id"]) == (
        state,
        "archived",
        "archive",
        owner.id,
    )


async def test_admin_archives_and_listings_end(client: httpx.AsyncClient, factory: Factory) -> None:
    product, actors = await factory.published_product()
    pid = product["id"]
    assert (await client.get(f"/api/v1/catalog/products/{pid}")).status_code == 200
    r = await factory.transition(actors["admin"], pid, "archive")
    assert r.status_code == 200 and r.json()["status"] == "archived"
    assert (await client.get(f"/api/v1/catalog/products/{pid}")).status_code == 404
    page = (await client.get("/api/v1/catalog/products")).json()
    assert pid not in [i["id"] for i in page["items"]]


# -- the audit trail and reviews ---------------------------------------------------------------


async def test_audit_trail_and_reviews_record_the_whole_history(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator, second = await factory.owner(), await factory.curator(), await factory.curator()
    product = await factory.ready_product(owner)
    pid = product["id"]

    async def ok(actor: Actor, action: str, **body: Any) -> None:
        r = await factory.transition(actor, pid, action, **body)
        assert r.status_code == 200, (action, r.text)

    await ok(owner, "submit")
    await ok(curator, "start_review")
    await ok(curator, "request_changes", comment="Add the Japanese label draft.", score=55)
    await ok(owner, "submit")
    await ok(second, "start_review")
    await factory.verify_documents(second, pid)
    checklist = factory.checklist(product)
    checklist[0]["note"] = "Sample matches"
    await ok(second, "approve", checklist=checklist, score=85, comment="Ready for Tokyo.")

    trail = await _trail(client, owner, pid)
    assert [(t["from_status"], t["to_status"], t["action"], t["actor_id"]) for t in trail] == [
        ("draft", "submitted", "submit", owner.id),
        ("submitted", "in_review", "start_review", curator.id),
        ("in_review", "changes_requested", "request_changes", curator.id),
        ("changes_requested", "submitted", "submit", owner.id),
        ("submitted", "in_review", "start_review", second.id),
        ("in_review", "approved", "approve", second.id),
    ]
    stamps = [t["at"] for t in trail]
    assert stamps == sorted(stamps)
    assert trail[2]["comment"] == "Add the Japanese label draft."
    # Curators read the same trail.
    assert await _trail(client, curator, pid) == trail

    reviews = await _reviews(client, owner, pid)
    assert [(r["curator_id"], r["decision"], r["score"], r["grade"]) for r in reviews] == [
        (curator.id, "request_changes", 55, "C"),
        (second.id, "approve", 85, "A"),
    ]
    approved = reviews[1]
    assert {(c["criterion"], c["result"]) for c in approved["checklist"]} == {
        (c["criterion"], c["result"]) for c in checklist
    }
    assert approved["checklist"][0]["note"] == "Sample matches"
    assert approved["comment"] == "Ready for Tokyo."
    assert approved["decided_at"] is not None
    assert reviews[0]["decided_at"] <= reviews[1]["started_at"]


async def test_review_grades_follow_the_rubric(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await _in_state(factory, owner, curator, "in_review")
    pid = product["id"]
    for score in (64, 79):
        r = await factory.transition(curator, pid, "request_changes", comment="again", score=score)
        assert r.status_code == 200, r.text
        assert (await factory.transition(owner, pid, "submit")).status_code == 200
        assert (await factory.transition(curator, pid, "start_review")).status_code == 200
    r = await factory.transition(curator, pid, "reject", comment="No.", score=49)
    assert r.status_code == 200, r.text
    grades = [(r["score"], r["grade"]) for r in await _reviews(client, owner, pid)]
    assert grades == [(64, "C"), (79, "B"), (49, "D")]


# -- revisions and the catalog ---------------------------------------------------------------


async def test_edit_after_approval_keeps_the_approved_revision_in_the_catalog(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator, admin = await factory.owner(), await factory.curator(), await factory.admin()
    product = await factory.approved_product(owner, curator)
    pid = product["id"]
    assert product["status"] == "approved" and product["approved_revision"] == 1
    await factory.channel(admin)
    await factory.publish(admin, pid)

    shown = await client.get(f"/api/v1/catalog/products/{pid}", params={"lang": "en"})
    assert shown.status_code == 200, shown.text
    assert shown.json()["name"] == "Roasted Gayo arabica coffee"

    new_name = {"id": "Kopi Gayo premium", "en": "Premium Gayo coffee", "ja": "プレミアムガヨ"}
    new_price = {"amount": "310000.00", "currency": "IDR"}
    r = await client.patch(
        f"/api/v1/products/{pid}",
        json={"name": new_name, "price": new_price},
        headers=owner.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "draft"
    assert r.json()["name"] == new_name and r.json()["price"] == new_price
    assert r.json()["approved_revision"] == 1
    assert r.json()["version"] > product["version"]
    last = (await _trail(client, owner, pid))[-1]
    assert (last["from_status"], last["to_status"], last["action"], last["actor_id"]) == (
        "approved",
        "draft",
        "edit",
        owner.id,
    )

    # The catalog still shows what the curator approved, never the draft.
    shown = await client.get(f"/api/v1/catalog/products/{pid}", params={"lang": "en"})
    assert shown.status_code == 200, shown.text
    assert shown.json()["name"] == "Roasted Gayo arabica coffee"
    assert shown.json()["translations"]["name"]["id"] == "Kopi Arabika Gayo sangrai"
    assert shown.json()["price"] == {"amount": "285000.00", "currency": "IDR"}
    page = (await client.get("/api/v1/catalog/products", params={"q": "premium"})).json()
    assert page["items"] == []
    page = (await client.get("/api/v1/catalog/products", params={"lang": "en"})).json()
    assert [i["name"] for i in page["items"]] == ["Roasted Gayo arabica coffee"]

    # A new review approves revision 2, which replaces revision 1 in the catalog.
    assert (await factory.transition(owner, pid, "submit")).status_code == 200
    assert (await factory.transition(curator, pid, "start_review")).status_code == 200
    await factory.verify_documents(curator, pid)
    r = await factory.transition(
        curator, pid, "approve", checklist=factory.checklist(product), score=90
    )
    assert r.status_code == 200, r.text
    assert r.json()["approved_revision"] == 2
    shown = await client.get(f"/api/v1/catalog/products/{pid}", params={"lang": "en"})
    assert shown.status_code == 200
    assert shown.json()["name"] == "Premium Gayo coffee"
    assert shown.json()["price"] == new_price
    page = (await client.get("/api/v1/catalog/products", params={"q": "premium"})).json()
    assert [i["id"] for i in page["items"]] == [pid]


async def test_unapproved_product_cannot_be_listed(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator, admin = await factory.owner(), await factory.curator(), await factory.admin()
    product = await _in_state(factory, owner, curator, "in_review")
    await factory.channel(admin)
    r = await client.post(
        "/api/v1/channels/tokyo-msme-center/listings",
        json={"product_id": product["id"]},
        headers=admin.headers,
    )
    assert r.status_code == 409, r.text
    assert (await client.get(f"/api/v1/catalog/products/{product['id']}")).status_code == 404


# -- the curation queue ----------------------------------------------------------------------


async def test_queue_lists_submitted_products_oldest_submission_first(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator, admin = await factory.owner(), await factory.curator(), await factory.admin()
    msme = await factory.msme(owner)
    first, second, third, draft, reviewing = [
        await factory.ready_product(owner, msme["id"]) for _ in range(5)
    ]
    # Submission order, not creation order, decides.
    for p in (second, third, first, reviewing):
        assert (await factory.transition(owner, p["id"], "submit")).status_code == 200
    assert (await factory.transition(curator, reviewing["id"], "start_review")).status_code == 200

    for staff in (curator, admin):
        r = await client.get("/api/v1/curation/queue", headers=staff.headers)
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        assert [i["id"] for i in items] == [second["id"], third["id"], first["id"]]
        for item in items:
            assert item["status"] == "submitted"
            assert item["readiness"]["ready"] is True
            assert item["readiness"]["score"] == 100
            assert item["readiness"]["requirements"]
    assert draft["id"] not in [i["id"] for i in items]

    # Paging keeps the order.
    r = await client.get("/api/v1/curation/queue", params={"limit": 2}, headers=curator.headers)
    page = r.json()
    assert [i["id"] for i in page["items"]] == [second["id"], third["id"]]
    r = await client.get(
        "/api/v1/curation/queue",
        params={"limit": 2, "cursor": page["next_cursor"]},
        headers=curator.headers,
    )
    assert [i["id"] for i in r.json()["items"]] == [first["id"]]

    # Withdrawing leaves the queue; re-submitting goes to the back.
    assert (await factory.transition(owner, second["id"], "withdraw")).status_code == 200
    assert (await factory.transition(owner, second["id"], "submit")).status_code == 200
    items = (await client.get("/api/v1/curation/queue", headers=curator.headers)).json()["items"]
    assert [i["id"] for i in items] == [third["id"], first["id"], second["id"]]


async def test_queue_is_for_staff_only(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, buyer = await factory.owner(), await factory.buyer()
    product = await factory.ready_product(owner)
    assert (await factory.transition(owner, product["id"], "submit")).status_code == 200
    for actor in (owner, buyer):
        r = await client.get("/api/v1/curation/queue", headers=actor.headers)
        assert r.status_code == 403, (actor.role, r.text)
    assert (await client.get("/api/v1/curation/queue")).status_code == 401


async def test_an_image_added_during_review_never_reaches_the_catalog_unreviewed(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    """SPEC §3: no edits in review, and the catalog never shows content no curator approved."""
    owner, curator, admin = await factory.owner(), await factory.curator(), await factory.admin()
    product = await _in_state(factory, owner, curator, "in_review")
    pid = product["id"]
    await factory.verify_documents(curator, pid)
    seen = await client.get(f"/api/v1/products/{pid}", headers=curator.headers)
    seen_media = [m["id"] for m in seen.json()["media"]]
    assert len(seen_media) == 1

    # The owner tries to slip in another image while the curator reviews.
    content = png()
    started = await client.post(
        f"/api/v1/products/{pid}/media",
        json={"filename": "new.png", "content_type": "image/png", "size": len(content)},
        headers=owner.headers,
    )
    assert started.status_code in (201, 409), started.text
    if started.status_code == 201:
        sent = await factory.send_upload(started.json()["upload"], content, "new.png")
        assert sent.status_code == 204, sent.text
        await client.post(
            f"/api/v1/media/{started.json()['media']['id']}/complete", headers=owner.headers
        )

    # The curator approves what they read.
    r = await client.post(
        f"/api/v1/products/{pid}/transitions",
        json={"action": "approve", "checklist": factory.checklist(product), "score": 80},
        headers={**curator.headers, "If-Match": seen.headers["ETag"]},
    )
    assert r.status_code in (200, 412), r.text
    if r.status_code == 200:
        await factory.channel(admin)
        await factory.publish(admin, pid)
        item = (await client.get(f"/api/v1/catalog/products/{pid}")).json()
        assert len(item["media"]) == len(seen_media), (
            "the catalog shows an image the curator never saw"
        )
