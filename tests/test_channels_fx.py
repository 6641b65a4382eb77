"""Channels, listings and exchange rates: admin-managed, public where the spec says so."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from tests.factories import Actor, Factory


def channel_body(code: str, **overrides: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": {"en": f"Channel {code}", "ja": f"チャネル {code}"},
        "kind": "showroom",
        "city": "Tokyo",
        "country": "JP",
        **overrides,
    }


async def channel_codes(client: httpx.AsyncClient) -> list[str]:
    r = await client.get("/api/v1/channels", params={"limit": 100})
    assert r.status_code == 200, r.text
    return [c["code"] for c in r.json()["items"]]


async def catalog_ids(client: httpx.AsyncClient, **params: Any) -> list[str]:
    r = await client.get("/api/v1/catalog/products", params={"limit": 100, **params})
    assert r.status_code == 200, r.text
    return [i["id"] for i in r.json()["items"]]


# -- channels ---------------------------------------------------------------------------------


async def test_only_admins_create_channels(client: httpx.AsyncClient, factory: Factory) -> None:
    actors = [await factory.owner(), await factory.curator(), await factory.buyer()]
    for actor in actors:
        r = await client.post(
            "/api/v1/channels", json=channel_body("jcc-expo"), headers=actor.headers
        )
        assert r.status_code == 403, (actor.role, r.text)
    assert (await client.post("/api/v1/channels", json=channel_body("jcc-expo"))).status_code == 401
    assert await channel_codes(client) == []

    admin = await factory.admin()
    r = await client.post(
        "/api/v1/channels",
        json=channel_body(
            "jcc-expo-2026",
            kind="exhibition",
            venue="Jakarta Convention Center",
            city="Jakarta",
            country="ID",
            starts_on=date.today().isoformat(),
            ends_on=(date.today() + timedelta(days=3)).isoformat(),
        ),
        headers=admin.headers,
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["code"] == "jcc-expo-2026"
    assert created["kind"] == "exhibition"
    assert created["active"] is True
    assert created["name"]["ja"] == "チャネル jcc-expo-2026"
    assert created["country"] == "ID"
    assert await channel_codes(client) == ["jcc-expo-2026"]


async def test_duplicate_and_malformed_channel_codes(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin = await factory.admin()
    await factory.channel(admin, "tokyo-msme-center")
    r = await client.post(
        "/api/v1/channels", json=channel_body("tokyo-msme-center"), headers=admin.headers
    )
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    for bad in ("Tokyo-Center", "tokyo center", "tokyo_center", "-tokyo", ""):
        r = await client.post("/api/v1/channels", json=channel_body(bad), headers=admin.headers)
        assert r.status_code == 422, (bad, r.text)
    assert await channel_codes(client) == ["tokyo-msme-center"]


async def test_public_channel_list_shows_open_channels_only(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin = await factory.admin()
    today = date.today()
    await factory.channel(admin, "tokyo-msme-center")
    await factory.channel(admin, "closed-showroom", active=False)
    await factory.channel(
        admin,
        "jcc-2025",
        kind="exhibition",
        starts_on=(today - timedelta(days=10)).isoformat(),
        ends_on=(today - timedelta(days=1)).isoformat(),
    )
    await factory.channel(
        admin,
        "jcc-last-day",
        kind="exhibition",
        starts_on=(today - timedelta(days=3)).isoformat(),
        ends_on=today.isoformat(),
    )
    await factory.channel(
        admin,
        "jcc-2027",
        kind="exhibition",
        starts_on=(today + timedelta(days=100)).isoformat(),
        ends_on=(today + timedelta(days=103)).isoformat(),
    )
    # Anonymous, no token at all.
    assert sorted(await channel_codes(client)) == ["jcc-2027", "jcc-last-day", "tokyo-msme-center"]


async def test_admin_patches_a_channel(client: httpx.AsyncClient, factory: Factory) -> None:
    admin = await factory.admin()
    await factory.channel(admin, "tokyo-msme-center")
    r = await client.patch(
        "/api/v1/channels/tokyo-msme-center",
        json={"venue": "Indonesian MSME Center, Meguro", "name": {"en": "MSME Center Tokyo"}},
        headers=admin.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["venue"] == "Indonesian MSME Center, Meguro"
    assert r.json()["name"] == {"en": "MSME Center Tokyo"}
    listed = (await client.get("/api/v1/channels")).json()["items"]
    assert listed[0]["venue"] == "Indonesian MSME Center, Meguro"

    for actor in (await factory.curator(), await factory.owner(), await factory.buyer()):
        r = await client.patch(
            "/api/v1/channels/tokyo-msme-center", json={"active": False}, headers=actor.headers
        )
        assert r.status_code == 403, r.text
    r = await client.patch(
        "/api/v1/channels/no-such-channel", json={"active": False}, headers=admin.headers
    )
    assert r.status_code == 404
    r = await client.patch(
        "/api/v1/channels/tokyo-msme-center",
        json={"starts_on": "2026-10-10", "ends_on": "2026-10-01"},
        headers=admin.headers,
    )
    assert r.status_code == 422, r.text

    r = await client.patch(
        "/api/v1/channels/tokyo-msme-center", json={"active": False}, headers=admin.headers
    )
    assert r.status_code == 200 and r.json()["active"] is False
    assert await channel_codes(client) == []


async def test_a_channel_holds_a_contact_for_buyers_without_an_account(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    """Its email and phone show on the public pages of the products it lists."""
    admin = await factory.admin()
    contact = {"contact_email": "desk@kurasi.example", "contact_phone": "+81 (3) 1234-5678"}
    for field, value in (
        ("contact_email", "not-an-email"),
        ("contact_email", "desk@kurasi.test"),
        ("contact_phone", "call the desk"),
        ("contact_phone", "12345"),
        ("contact_phone", "+81 3-1234-5678 ext 9"),
    ):
        body = channel_body("tokyo-desk", **{**contact, field: value})
        r = await client.post("/api/v1/channels", json=body, headers=admin.headers)
        assert r.status_code == 422, (field, value)
        assert r.json()["errors"][0]["loc"] == ["body", field]
    assert await channel_codes(client) == []

    body = channel_body("tokyo-desk", **contact)
    r = await client.post("/api/v1/channels", json=body, headers=admin.headers)
    assert r.status_code == 201, r.text
    [shown] = (await client.get("/api/v1/channels")).json()["items"]
    assert {k: shown[k] for k in contact} == contact
    r = await client.patch(
        "/api/v1/channels/tokyo-desk",
        json={"contact_email": "expo@kurasi.example", "contact_phone": None},
        headers=admin.headers,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["contact_email"], r.json()["contact_phone"]) == ("expo@kurasi.example", None)


# -- listings ---------------------------------------------------------------------------------


async def listing(
    client: httpx.AsyncClient, admin: Actor, product_id: str, channel: str = "tokyo-msme-center"
) -> httpx.Response:
    return await client.post(
        f"/api/v1/channels/{channel}/listings",
        json={"product_id": product_id, "booth": "A-12"},
        headers=admin.headers,
    )


async def test_publish_needs_an_approved_revision(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator, admin = await factory.owner(), await factory.curator(), await factory.admin()
    await factory.channel(admin)
    msme_id = (await factory.msme(owner))["id"]
    draft = await factory.product(owner, msme_id)
    r = await listing(client, admin, draft["id"])
    assert r.status_code == 409, r.text
    submitted = await factory.ready_product(owner, msme_id)
    assert (await factory.transition(owner, submitted["id"], "submit")).status_code == 200
    assert (await listing(client, admin, submitted["id"])).status_code == 409
    assert await catalog_ids(client) == []

    approved = await factory.approved_product(owner, curator, msme_id)
    r = await listing(client, admin, approved["id"])
    assert r.status_code == 201, r.text
    assert r.json()["channel"] == "tokyo-msme-center"
    assert r.json()["product_id"] == approved["id"]
    assert r.json()["booth"] == "A-12"
    assert r.json()["published_at"]
    assert await catalog_ids(client) == [approved["id"]]

    r = await listing(client, admin, approved["id"])
    assert r.status_code == 409, r.text
    assert (await listing(client, admin, approved["id"], "no-such-channel")).status_code == 404
    unknown = "00000000-0000-4000-8000-000000000000"
    assert (await listing(client, admin, unknown)).status_code == 404


async def test_only_admins_publish_and_unpublish(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator, admin = await factory.owner(), await factory.curator(), await factory.admin()
    await factory.channel(admin)
    approved = await factory.approved_product(owner, curator)
    for actor in (owner, curator, await factory.buyer()):
        assert (await listing(client, actor, approved["id"])).status_code == 403
    assert await catalog_ids(client) == []
    await factory.publish(admin, approved["id"])
    for actor in (owner, curator):
        r = await client.delete(
            f"/api/v1/channels/tokyo-msme-center/listings/{approved['id']}", headers=actor.headers
        )
        assert r.status_code == 403
    assert await catalog_ids(client) == [approved["id"]]


async def test_unpublish_removes_product_from_catalog(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    product, actors = await factory.published_product()
    admin = actors["admin"]
    pid = product["id"]
    assert await catalog_ids(client) == [pid]
    path = f"/api/v1/channels/tokyo-msme-center/listings/{pid}"
    r = await client.delete(path, headers=admin.headers)
    assert r.status_code == 204, r.text
    assert await catalog_ids(client) == []
    assert (await client.get(f"/api/v1/catalog/products/{pid}")).status_code == 404
    r = await client.delete(path, headers=admin.headers)
    assert r.status_code == 404
    # It can be published again.
    await factory.publish(admin, pid)
    assert await catalog_ids(client) == [pid]


async def test_publish_in_closed_channel_is_refused(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, curator, admin = await factory.owner(), await factory.curator(), await factory.admin()
    await factory.channel(admin, "old-expo", kind="exhibition", ends_on="2020-01-31")
    await factory.channel(admin, "closed-showroom", active=False)
    approved = await factory.approved_product(owner, curator)
    assert (await listing(client, admin, approved["id"], "old-expo")).status_code == 409
    assert (await listing(client, admin, approved["id"], "closed-showroom")).status_code == 409
    assert await catalog_ids(client) == []


# -- exchange rates ---------------------------------------------------------------------------


async def put_rate(
    client: httpx.AsyncClient, actor: Actor | None, currency: str, rate: Any, as_of: str
) -> httpx.Response:
    return await client.put(
        f"/api/v1/fx-rates/{currency}",
        json={"rate_to_jpy": rate, "as_of": as_of},
        headers=actor.headers if actor else {},
    )


async def rates(client: httpx.AsyncClient) -> dict[str, tuple[str, str]]:
    r = await client.get("/api/v1/fx-rates")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert len({i["currency"] for i in items}) == len(items), items
    return {i["currency"]: (i["rate_to_jpy"], i["as_of"]) for i in items}


async def test_only_admins_set_rates(client: httpx.AsyncClient, factory: Factory) -> None:
    for actor in (await factory.owner(), await factory.curator(), await factory.buyer()):
        r = await put_rate(client, actor, "IDR", "0.0094", "2026-11-01")
        assert r.status_code == 403, r.text
    assert (await put_rate(client, None, "IDR", "0.0094", "2026-11-01")).status_code == 401
    assert await rates(client) == {}

    admin = await factory.admin()
    r = await put_rate(client, admin, "IDR", "0.0094", "2026-11-01")
    assert r.status_code == 200, r.text
    assert r.json()["currency"] == "IDR"
    assert r.json()["rate_to_jpy"] == "0.0094"
    assert r.json()["as_of"] == "2026-11-01"
    assert await rates(client) == {"IDR": ("0.0094", "2026-11-01")}


async def test_invalid_rates_are_422(client: httpx.AsyncClient, factory: Factory) -> None:
    admin = await factory.admin()
    for rate in ("0", "-0.0094", 0.0094, "abc"):
        r = await put_rate(client, admin, "IDR", rate, "2026-11-01")
        assert r.status_code == 422, (rate, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert (await put_rate(client, admin, "JPY", "1", "2026-11-01")).status_code == 422
    assert (await put_rate(client, admin, "idr", "0.0094", "2026-11-01")).status_code == 422
    assert await rates(client) == {}


async def test_current_rates_show_the_latest_date_per_currency(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin = await factory.admin()
    assert (await put_rate(client, admin, "IDR", "0.0094", "2026-11-01")).status_code == 200
    assert (await put_rate(client, admin, "IDR", "0.0090", "2026-10-01")).status_code == 200
    assert (await put_rate(client, admin, "USD", "151.25", "2026-10-15")).status_code == 200
    assert await rates(client) == {
        "IDR": ("0.0094", "2026-11-01"),
        "USD": ("151.25", "2026-10-15"),
    }
    assert (await put_rate(client, admin, "IDR", "0.0096", "2026-11-20")).status_code == 200
    assert (await rates(client))["IDR"] == ("0.0096", "2026-11-20")
    # Setting the rate for the same day again corrects it rather than adding a second one.
    assert (await put_rate(client, admin, "IDR", "0.0097", "2026-11-20")).status_code == 200
    assert await rates(client) == {
        "IDR": ("0.0097", "2026-11-20"),
        "USD": ("151.25", "2026-10-15"),
    }
