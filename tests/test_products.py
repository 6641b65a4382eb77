"""Products over HTTP: creation, visibility, ETag/If-Match, edits, readiness (SPEC §2, §4, §5)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from tests.factories import Actor, Factory, coffee

COFFEE_DOCUMENTS = {"nib", "food_registration", "lab_test", "jp_label_draft"}


def _locs(body: dict[str, Any]) -> list[list[Any]]:
    return [list(e["loc"]) for e in body.get("errors") or []]


def _mentioned(body: dict[str, Any]) -> set[str]:
    """Every string that appears in the `loc` of a problem's errors."""
    return {str(part) for loc in _locs(body) for part in loc}


def _unmet(readiness: dict[str, Any], kind: str | None = None) -> set[str]:
    return {
        r["code"]
        for r in readiness["requirements"]
        if not r["met"] and (kind is None or r["kind"] == kind)
    }


async def _create(
    client: httpx.AsyncClient, actor: Actor, msme_id: str, **overrides: Any
) -> httpx.Response:
    return await client.post(
        "/api/v1/products", json={"msme_id": msme_id, **coffee(**overrides)}, headers=actor.headers
    )


async def _readiness(client: httpx.AsyncClient, actor: Actor, pid: str) -> dict[str, Any]:
    r = await client.get(f"/api/v1/products/{pid}/readiness", headers=actor.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


# -- creation ------------------------------------------------------------------------------


async def test_owner_creates_product_and_money_is_a_decimal_string(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    r = await _create(client, owner, msme["id"])
    assert r.status_code == 201, r.text
    product = r.json()
    assert product["msme_id"] == msme["id"]
    assert product["status"] == "draft"
    assert product["price"] == {"amount": "285000.00", "currency": "IDR"}
    assert isinstance(product["price"]["amount"], str)
    assert product["name"]["id"] == "Kopi Arabika Gayo sangrai"
    assert isinstance(product["version"], int)

    fetched = await factory.get_product(owner, product["id"])
    assert fetched["price"]["amount"] == "285000.00"
    assert fetched["media"] == [] and fetched["documents"] == []


async def test_owner_cannot_create_product_in_another_owners_msme(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, other = await factory.owner(), await factory.owner()
    theirs = await factory.msme(other)
    r = await _create(client, owner, theirs["id"])
    assert r.status_code == 404, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    listed = await client.get("/api/v1/products", headers=other.headers)
    assert listed.json()["items"] == []


async def test_only_owners_create_products(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    for actor in (await factory.buyer(), await factory.curator(), await factory.admin()):
        r = await _create(client, actor, msme["id"])
        assert r.status_code == 403, (actor.role, r.text)
    listed = await client.get("/api/v1/products", headers=owner.headers)
    assert listed.json()["items"] == []


async def test_hs_code_must_match_the_category(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    r = await _create(client, owner, msme["id"], hs_code="620520")  # a batik shirt as coffee
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "hs_code" in _mentioned(r.json())

    # The same HS code is fine for apparel.
    r = await _create(client, owner, msme["id"], category="apparel", hs_code="620520")
    assert r.status_code == 201, r.text


async def test_unknown_category_is_refused(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    r = await _create(client, owner, msme["id"], category="spaceships")
    assert r.status_code == 422, r.text
    assert "category" in _mentioned(r.json())


async def test_hs_code_must_have_6_to_10_digits(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    for bad in ("0901", "09012", "09012112345", "09O121", "0901-21", ""):
        r = await _create(client, owner, msme["id"], hs_code=bad)
        assert r.status_code == 422, (bad, r.text)
        assert "hs_code" in _mentioned(r.json()), bad
    for good in ("090121", "0901211000"):
        r = await _create(client, owner, msme["id"], hs_code=good, sku=None)
        assert r.status_code == 201, (good, r.text)
        assert r.json()["hs_code"] == good


async def test_name_in_indonesian_is_required(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    r = await _create(
        client, owner, msme["id"], name={"en": "Roasted coffee", "ja": "焙煎コーヒー"}
    )
    assert r.status_code == 422, r.text
    r = await _create(client, owner, msme["id"], name={"id": "   ", "en": "Roasted coffee"})
    assert r.status_code == 422, r.text
    listed = await client.get("/api/v1/products", headers=owner.headers)
    assert listed.json()["items"] == []


async def test_price_as_a_float_is_refused(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    r = await _create(client, owner, msme["id"], price={"amount": 285000.5, "currency": "IDR"})
    assert r.status_code == 422, r.text
    assert "amount" in _mentioned(r.json())

    r = await _create(client, owner, msme["id"], price={"amount": "285000.5", "currency": "IDR"})
    assert r.status_code == 201, r.text
    assert r.json()["price"] == {"amount": "285000.50", "currency": "IDR"}


async def test_duplicate_sku_within_one_msme_conflicts(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme, other_msme = await factory.msme(owner), await factory.msme(owner)
    assert (await _create(client, owner, msme["id"], sku="KOPI-1")).status_code == 201
    r = await _create(client, owner, msme["id"], sku="KOPI-1")
    assert r.status_code == 409, r.text
    # The SKU is the owner's code per MSME: another MSME may use it.
    assert (await _create(client, owner, other_msme["id"], sku="KOPI-1")).status_code == 201
    # Renaming another product of the first MSME to the taken SKU conflicts too.
    second = await _create(client, owner, msme["id"], sku="KOPI-2")
    r = await client.patch(
        f"/api/v1/products/{second.json()['id']}", json={"sku": "KOPI-1"}, headers=owner.headers
    )
    assert r.status_code == 409, r.text
    assert (await factory.get_product(owner, second.json()["id"]))["sku"] == "KOPI-2"
    listed = await client.get(
        "/api/v1/products", params={"msme_id": msme["id"]}, headers=owner.headers
    )
    assert sorted(p["sku"] for p in listed.json()["items"]) == ["KOPI-1", "KOPI-2"]


# -- listing -------------------------------------------------------------------------------


async def test_list_filters_by_msme_status_and_category(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    first, second = await factory.msme(owner), await factory.msme(owner)
    a = await factory.ready_product(owner, first["id"])
    b = await factory.product(owner, first["id"])
    tea = await factory.product(
        owner,
        first["id"],
        category="tea",
        hs_code="090210",
        name={"id": "Teh hijau Gambung", "en": "Gambung green tea"},
    )
    c = await factory.product(owner, second["id"])
    assert (await factory.transition(owner, a["id"], "submit")).status_code == 200

    async def ids(**params: Any) -> set[str]:
        r = await client.get("/api/v1/products", params=params, headers=owner.headers)
        assert r.status_code == 200, r.text
        return {p["id"] for p in r.json()["items"]}

    assert await ids() == {a["id"], b["id"], tea["id"], c["id"]}
    assert await ids(msme_id=first["id"]) == {a["id"], b["id"], tea["id"]}
    assert await ids(msme_id=second["id"]) == {c["id"]}
    assert await ids(status="submitted") == {a["id"]}
    assert await ids(status="draft") == {b["id"], tea["id"], c["id"]}
    assert await ids(category="tea") == {tea["id"]}
    assert await ids(category="coffee", msme_id=first["id"]) == {a["id"], b["id"]}
    assert await ids(category="coffee", status="draft", msme_id=second["id"]) == {c["id"]}
    r = await client.get("/api/v1/products", params={"status": "nonsense"}, headers=owner.headers)
    assert r.status_code == 422


async def test_list_pages_by_cursor_and_shows_only_own_products(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, other = await factory.owner(), await factory.owner()
    msme = await factory.msme(owner)
    mine = {(await factory.product(owner, msme["id"]))["id"] for _ in range(5)}
    theirs = (await factory.product(other))["id"]

    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        r = await client.get("/api/v1/products", params=params, headers=owner.headers)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= 2
        seen += [p["id"] for p in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert pages < 10
    assert pages == 3
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == mine
    assert theirs not in seen

    curator = await factory.curator()
    r = await client.get("/api/v1/products", params={"limit": 100}, headers=curator.headers)
    assert {p["id"] for p in r.json()["items"]} == mine | {theirs}

    r = await client.get("/api/v1/products", params={"limit": 101}, headers=owner.headers)
    assert r.status_code == 422


# -- visibility and roles ------------------------------------------------------------------


async def test_another_owner_sees_nothing_of_a_product(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, other = await factory.owner(), await factory.owner()
    await factory.msme(other)
    product = await factory.product(owner)
    pid = product["id"]
    h = other.headers
    calls = [
        client.get(f"/api/v1/products/{pid}", headers=h),
        client.patch(f"/api/v1/products/{pid}", json={"moq": 1}, headers=h),
        client.get(f"/api/v1/products/{pid}/readiness", headers=h),
        client.get(f"/api/v1/products/{pid}/transitions", headers=h),
        client.post(f"/api/v1/products/{pid}/transitions", json={"action": "archive"}, headers=h),
        client.get(f"/api/v1/products/{pid}/reviews", headers=h),
    ]
    for call in calls:
        r = await call
        assert r.status_code == 404, (r.request.method, r.request.url, r.text)
    listed = await client.get("/api/v1/products", headers=h)
    assert listed.json()["items"] == []
    after = await factory.get_product(owner, pid)
    assert after["moq"] == product["moq"] and after["status"] == "draft"


async def test_curator_reads_but_cannot_edit(client: httpx.AsyncClient, factory: Factory) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.product(owner)
    pid = product["id"]
    r = await client.get(f"/api/v1/products/{pid}", headers=curator.headers)
    assert r.status_code == 200 and r.json()["id"] == pid
    r = await client.get(f"/api/v1/products/{pid}/readiness", headers=curator.headers)
    assert r.status_code == 200
    r = await client.patch(f"/api/v1/products/{pid}", json={"moq": 1}, headers=curator.headers)
    assert r.status_code == 403, r.text
    assert (await factory.get_product(owner, pid))["moq"] == product["moq"]


async def test_buyer_is_refused_on_product_routes(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, buyer = await factory.owner(), await factory.buyer()
    product = await factory.product(owner)
    pid = product["id"]
    h = buyer.headers
    calls = [
        client.get("/api/v1/products", headers=h),
        client.post(
            "/api/v1/products", json={"msme_id": product["msme_id"], **coffee()}, headers=h
        ),
        client.get(f"/api/v1/products/{pid}", headers=h),
        client.patch(f"/api/v1/products/{pid}", json={"moq": 1}, headers=h),
        client.get(f"/api/v1/products/{pid}/readiness", headers=h),
        client.get(f"/api/v1/products/{pid}/transitions", headers=h),
        client.post(f"/api/v1/products/{pid}/transitions", json={"action": "archive"}, headers=h),
        client.get(f"/api/v1/products/{pid}/reviews", headers=h),
    ]
    for call in calls:
        r = await call
        assert r.status_code == 403, (r.request.method, r.request.url, r.text)
    after = await factory.get_product(owner, pid)
    assert after["moq"] == product["moq"] and after["status"] == "draft"


async def test_anonymous_is_unauthorized(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    r = await client.get(f"/api/v1/products/{product['id']}")
    assert r.status_code == 401
    r = await client.get("/api/v1/products")
    assert r.status_code == 401


# -- ETag and If-Match -----------------------------------------------------------------------


async def test_get_returns_an_etag_that_changes_with_each_edit(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    url = f"/api/v1/products/{product['id']}"
    r = await client.get(url, headers=owner.headers)
    etag = r.headers.get("ETag")
    assert etag, "GET of a product must return an ETag"
    version = r.json()["version"]

    r = await client.patch(
        url, json={"moq": 80, "packaging": "Kraft bag"}, headers={**owner.headers, "If-Match": etag}
    )
    assert r.status_code == 200, r.text
    assert r.json()["moq"] == 80 and r.json()["packaging"] == "Kraft bag"
    assert r.json()["version"] > version
    new_etag = r.headers.get("ETag")
    assert new_etag and new_etag != etag

    again = await client.get(url, headers=owner.headers)
    assert again.headers["ETag"] == new_etag
    assert again.json()["version"] == r.json()["version"]
    assert again.json()["moq"] == 80


async def test_patch_with_stale_if_match_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    url = f"/api/v1/products/{product['id']}"
    stale = (await client.get(url, headers=owner.headers)).headers["ETag"]
    first = await client.patch(url, json={"moq": 60}, headers={**owner.headers, "If-Match": stale})
    assert first.status_code == 200, first.text

    r = await client.patch(
        url,
        json={"moq": 999, "name": {"id": "Nama lain"}},
        headers={**owner.headers, "If-Match": stale},
    )
    assert r.status_code == 412, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    after = await client.get(url, headers=owner.headers)
    assert after.json()["moq"] == 60
    assert after.json()["name"] == product["name"]
    assert after.json()["version"] == first.json()["version"]
    assert after.headers["ETag"] == first.headers["ETag"]


async def test_transition_with_stale_if_match_is_refused(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.ready_product(owner)
    url = f"/api/v1/products/{product['id']}"
    stale = (await client.get(url, headers=owner.headers)).headers["ETag"]
    assert (await client.patch(url, json={"moq": 70}, headers=owner.headers)).status_code == 200
    r = await client.post(
        f"{url}/transitions",
        json={"action": "submit"},
        headers={**owner.headers, "If-Match": stale},
    )
    assert r.status_code == 412, r.text
    assert (await factory.get_product(owner, product["id"]))["status"] == "draft"


# -- edits and the workflow -----------------------------------------------------------------


async def test_submitted_and_in_review_products_cannot_be_edited(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    product = await factory.ready_product(owner)
    pid = product["id"]
    url = f"/api/v1/products/{pid}"
    assert (await factory.transition(owner, pid, "submit")).status_code == 200
    r = await client.patch(url, json={"moq": 1}, headers=owner.headers)
    assert r.status_code == 409, r.text
    assert (await factory.get_product(owner, pid))["moq"] == product["moq"]

    assert (await factory.transition(curator, pid, "start_review")).status_code == 200
    r = await client.patch(url, json={"name": {"id": "Kopi baru"}}, headers=owner.headers)
    assert r.status_code == 409, r.text
    after = await factory.get_product(owner, pid)
    assert after["name"] == product["name"] and after["status"] == "in_review"


async def test_edit_changing_hs_code_outside_the_category_is_refused(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    url = f"/api/v1/products/{product['id']}"
    r = await client.patch(url, json={"hs_code": "620520"}, headers=owner.headers)
    assert r.status_code == 422, r.text
    assert "hs_code" in _mentioned(r.json())
    r = await client.patch(url, json={"hs_code": "090111"}, headers=owner.headers)
    assert r.status_code == 200 and r.json()["hs_code"] == "090111"


# -- readiness -------------------------------------------------------------------------------


async def test_fresh_product_is_not_ready_and_lists_missing_documents(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    readiness = await _readiness(client, owner, product["id"])
    assert readiness["ready"] is False
    assert 0 < readiness["score"] < 100
    assert _unmet(readiness, "document") == COFFEE_DOCUMENTS
    # The body is complete: every field and language requirement holds.
    assert _unmet(readiness) == COFFEE_DOCUMENTS
    for req in readiness["requirements"]:
        assert set(req) >= {"code", "kind", "met", "detail"}
        assert req["kind"] in ("field", "document", "language")

    # The MSME-level NIB counts for the product; the score grows as documents arrive.
    await factory.document(owner, "nib", msme_id=product["msme_id"])
    more = await _readiness(client, owner, product["id"])
    assert _unmet(more) == COFFEE_DOCUMENTS - {"nib"}
    assert readiness["score"] < more["score"] < 100

    for code in ("food_registration", "lab_test", "jp_label_draft"):
        await factory.document(owner, code, product_id=product["id"])
    done = await _readiness(client, owner, product["id"])
    assert done["ready"] is True and done["score"] == 100 and _unmet(done) == set()


async def test_missing_languages_and_fields_are_requirements(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    body = coffee(name={"id": "Kopi Gayo"}, description={})
    del body["shelf_life_days"]
    r = await client.post(
        "/api/v1/products", json={"msme_id": msme["id"], **body}, headers=owner.headers
    )
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    await factory.required_documents(owner, r.json())

    readiness = await _readiness(client, owner, pid)
    assert readiness["ready"] is False
    assert _unmet(readiness, "document") == set()
    assert "shelf_life_days" in _unmet(readiness, "field")
    assert _unmet(readiness, "language"), "name/description without en or ja must be unmet"

    r = await factory.transition(owner, pid, "submit")
    assert r.status_code == 422, r.text
    assert "shelf_life_days" in _mentioned(r.json())

    r = await client.patch(
        f"/api/v1/products/{pid}",
        json={
            "name": {"id": "Kopi Gayo", "ja": "ガヨコーヒー"},
            "description": {"id": "Kopi sangrai.", "en": "Roasted coffee."},
            "shelf_life_days": 365,
        },
        headers=owner.headers,
    )
    assert r.status_code == 200, r.text
    readiness = await _readiness(client, owner, pid)
    assert readiness["ready"] is True, _unmet(readiness)


async def test_readiness_names_the_field_that_is_missing(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    body = coffee()
    del body["incoterm"], body["port_of_loading"]
    r = await client.post(
        "/api/v1/products", json={"msme_id": msme["id"], **body}, headers=owner.headers
    )
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    fields = {r["code"]: r for r in (await _readiness(client, owner, pid))["requirements"]}
    assert fields["price"]["met"] is True
    assert fields["incoterm"] == {
        "code": "incoterm",
        "kind": "field",
        "met": False,
        "detail": "incoterm is required",
    }
    assert fields["port_of_loading"]["detail"] == "port_of_loading is required"
    assert _unmet(await _readiness(client, owner, pid), "field") == {"incoterm", "port_of_loading"}

    r = await client.patch(
        f"/api/v1/products/{pid}", json={"incoterm": "CIF"}, headers=owner.headers
    )
    assert r.status_code == 200, r.text
    assert _unmet(await _readiness(client, owner, pid), "field") == {"port_of_loading"}


async def test_document_expiring_within_30_days_does_not_count(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    pid = product["id"]
    today = date.today()
    await factory.document(owner, "nib", msme_id=product["msme_id"])
    await factory.document(owner, "lab_test", product_id=pid)
    await factory.document(owner, "jp_label_draft", product_id=pid)
    await factory.document(
        owner,
        "food_registration",
        product_id=pid,
        expires_on=(today + timedelta(days=20)).isoformat(),
    )
    readiness = await _readiness(client, owner, pid)
    assert readiness["ready"] is False
    assert _unmet(readiness) == {"food_registration"}

    r = await factory.transition(owner, pid, "submit")
    assert r.status_code == 422, r.text
    assert "food_registration" in _mentioned(r.json())

    # A certificate valid for long enough fixes it.
    await factory.document(
        owner,
        "food_registration",
        product_id=pid,
        expires_on=(today + timedelta(days=60)).isoformat(),
    )
    readiness = await _readiness(client, owner, pid)
    assert readiness["ready"] is True, _unmet(readiness)


async def test_expired_document_and_stale_lab_report_do_not_count(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    pid = product["id"]
    today = date.today()
    await factory.document(owner, "nib", msme_id=product["msme_id"])
    await factory.document(owner, "jp_label_draft", product_id=pid)
    await factory.document(
        owner,
        "food_registration",
        product_id=pid,
        issued_on=(today - timedelta(days=800)).isoformat(),
        expires_on=(today - timedelta(days=5)).isoformat(),
    )
    # A lab report older than 12 months is stale (REQUIREMENTS.md, lab_test).
    await factory.document(
        owner, "lab_test", product_id=pid, issued_on=(today - timedelta(days=400)).isoformat()
    )
    readiness = await _readiness(client, owner, pid)
    assert _unmet(readiness) == {"food_registration", "lab_test"}


async def test_uploaded_but_not_completed_document_does_not_count(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    pid = product["id"]
    await factory.document(owner, "nib", msme_id=product["msme_id"])
    await factory.document(owner, "lab_test", product_id=pid)
    await factory.document(owner, "jp_label_draft", product_id=pid)
    await factory.document(owner, "food_registration", product_id=pid, complete=False)
    readiness = await _readiness(client, owner, pid)
    assert _unmet(readiness) == {"food_registration"}


async def test_submitting_a_product_that_is_not_ready_is_refused_with_the_list(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    product = await factory.product(owner)
    pid = product["id"]
    r = await factory.transition(owner, pid, "submit")
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert _mentioned(r.json()) >= COFFEE_DOCUMENTS

    after = await factory.get_product(owner, pid)
    assert after["status"] == "draft"
    assert after["submitted_at"] is None
    trail = await client.get(f"/api/v1/products/{pid}/transitions", headers=owner.headers)
    assert trail.status_code == 200 and trail.json()["items"] == []
    curator = await factory.curator()
    queue = await client.get("/api/v1/curation/queue", headers=curator.headers)
    assert queue.json()["items"] == []


async def test_a_product_sent_without_a_unit_is_counted_in_pieces(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    body = {"msme_id": msme["id"], **coffee()}
    del body["unit"]
    r = await client.post("/api/v1/products", json=body, headers=owner.headers)
    assert r.status_code == 201, r.text
    assert r.json()["unit"] == "pcs"
