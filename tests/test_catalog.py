"""The public catalog (§6): what is visible, filters, facets, paging, languages, prices."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, event, update

from app.catalog import service as catalog_service
from app.catalog.invalidation import CHANNEL
from app.catalog.sync import sync
from app.config import Settings
from app.demo.files import png
from app.main import create_app
from app.models import CatalogEntry, Document
from tests.dbutil import backend
from tests.factories import (
    Actor,
    Factory,
    Team,
    assert_facets_count_the_results,
    browse,
    counted,
    days_pass,
    detail,
    facet_counts,
    ids,
    in_db,
    set_rate,
)

HANDICRAFT: dict[str, Any] = {
    "category": "handicraft",
    "hs_code": "442010",
    "name": {"id": "Ukiran kayu Jepara", "en": "Jepara wood carving", "ja": "ジェパラ木彫り"},
    "description": {"id": "Ukiran jati.", "en": "Teak carving.", "ja": "チーク材の彫刻。"},
    "unit": "pcs",
    "shelf_life_days": None,
}

# -- what is visible --------------------------------------------------------------------------


async def test_only_approved_and_listed_products_appear(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    msme_id = (await factory.msme(team.owner))["id"]
    draft = await factory.ready_product(team.owner, msme_id)
    submitted = await factory.ready_product(team.owner, msme_id)
    assert (await factory.transition(team.owner, submitted["id"], "submit")).status_code == 200
    unlisted = await factory.approved_product(team.owner, team.curator, msme_id)
    published = await team.listed(msme_id=msme_id)

    assert await ids(client) == {published["id"]}
    for hidden in (draft, submitted, unlisted):
        r = await detail(client, hidden["id"])
        assert r.status_code == 404, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    assert (await detail(client, str(uuid.uuid4()))).status_code == 404
    r = await detail(client, published["id"])
    assert r.status_code == 200 and r.json()["id"] == published["id"]


async def test_catalog_item_carries_what_buyers_need(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    msme = await factory.msme(team.owner, brand_name="Gayo Lestari", province="Aceh")
    product = await team.listed(msme_id=msme["id"], booth="B-07")
    halal = await factory.document(team.owner, "halal", product_id=product["id"])
    await team.verify(halal["id"])
    item = (await detail(client, product["id"], lang="en")).json()
    assert item["msme"] == {
        "id": msme["id"],
        "brand_name": "Gayo Lestari",
        "province": "Aceh",
        "verified": True,  # listing needs a verified MSME
    }
    assert item["category"] == "coffee" and item["hs_code"] == "090121"
    assert item["name"] == "Roasted Gayo arabica coffee"
    assert item["description"] == "Medium roast."
    assert item["price"] == {"amount": "285000.00", "currency": "IDR"}
    assert item["incoterm"] == "FOB"
    assert (item["moq"], item["unit"], item["lead_time_days"], item["monthly_capacity"]) == (
        50,
        "kg",
        21,
        2000,
    )
    # What buyers look for: the food registration (BPOM MD) and halal, never the NIB,
    # the lab report or the label draft the product also holds.
    assert item["certifications"] == ["food_registration", "halal"]
    assert item["channels"] == [
        {"code": "tokyo-msme-center", "name": "Indonesian MSME Center Tokyo", "booth": "B-07"}
    ]
    assert len(item["media"]) == 1 and item["media"][0]["alt"] == "photo"
    assert item["published_at"]
    listed = (await browse(client, lang="en"))["items"]
    assert listed == [item]


async def test_catalog_shows_the_approved_revision_not_the_draft(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    product = await team.listed()
    pid = product["id"]
    current = await factory.get_product(team.owner, pid)
    r = await client.patch(
        f"/api/v1/products/{pid}",
        json={
            "name": {"id": "Kopi baru", "en": "New coffee name", "ja": "新しい名前"},
            "price": {"amount": "1.00", "currency": "IDR"},
        },
        headers={**team.owner.headers, "If-Match": f'"{current["version"]}"'},
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "draft"
    item = (await detail(client, pid, lang="en")).json()
    assert item["name"] == "Roasted Gayo arabica coffee"
    assert item["price"] == {"amount": "285000.00", "currency": "IDR"}
    assert await ids(client, q="baru") == set()
    assert await ids(client) == {pid}


# -- filters and facets -----------------------------------------------------------------------


async def filter_world(
    client: httpx.AsyncClient, factory: Factory, team: Team | None = None
) -> dict[str, str]:
    """Three listed products: two coffees and a carving, in Aceh and Bali, two channels."""
    team = team or await Team.make(factory)
    today = date.today()
    await factory.channel(
        team.admin,
        "jcc-expo",
        kind="exhibition",
        name={"en": "JCC export expo", "ja": "JCC輸出展"},
        starts_on=today.isoformat(),
        ends_on=(today + timedelta(days=5)).isoformat(),
    )
    aceh = (await factory.msme(team.owner, province="Aceh"))["id"]
    bali = (await factory.msme(team.owner, province="Bali", brand_name="Bali Craft"))["id"]
    p1 = await team.listed(msme_id=aceh, price={"amount": "285000.00", "currency": "IDR"}, moq=50)
    p2 = await team.listed(
        msme_id=bali,
        channel="jcc-expo",
        hs_code="090111",
        price={"amount": "150000.00", "currency": "IDR"},
        moq=200,
    )
    p3 = await team.listed(
        msme_id=bali, price={"amount": "500000.00", "currency": "IDR"}, moq=10, **HANDICRAFT
    )
    halal = await factory.document(team.owner, "halal", product_id=p1["id"])
    await team.verify(halal["id"])
    # 2679, 1410 and 4700 yen.
    await set_rate(client, team.admin, "IDR", "0.0094", "2026-11-01")
    return {"p1": p1["id"], "p2": p2["id"], "p3": p3["id"]}


async def test_filters(client: httpx.AsyncClient, factory: Factory) -> None:
    w = await filter_world(client, factory)
    p1, p2, p3 = w["p1"], w["p2"], w["p3"]
    assert await ids(client) == {p1, p2, p3}
    assert await ids(client, category="coffee") == {p1, p2}
    assert await ids(client, category="handicraft") == {p3}
    assert await ids(client, category="tea") == set()
    assert await ids(client, province="Bali") == {p2, p3}
    assert await ids(client, province="Aceh") == {p1}
    assert await ids(client, channel="jcc-expo") == {p2}
    assert await ids(client, channel="tokyo-msme-center") == {p1, p3}
    assert await ids(client, hs_code="0901") == {p1, p2}
    assert await ids(client, hs_code="090121") == {p1}
    assert await ids(client, hs_code="4420") == {p3}
    assert await ids(client, certification="halal") == {p1}
    assert await ids(client, certification="food_registration") == {p1, p2}
    assert await ids(client, max_moq=50) == {p1, p3}
    assert await ids(client, max_moq=9) == set()
    assert await ids(client, min_price_jpy=2000) == {p1, p3}
    assert await ids(client, max_price_jpy=3000) == {p1, p2}
    assert await ids(client, min_price_jpy=2679, max_price_jpy=2679) == {p1}
    assert await ids(client, category="coffee", province="Bali") == {p2}
    assert await ids(client, category="coffee", certification="halal", max_moq=100) == {p1}


async def test_filter_codes_are_case_insensitive(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    w = await filter_world(client, factory)
    assert await ids(client, category="Coffee") == await ids(client, category="coffee")
    assert await ids(client, certification="HALAL") == {w["p1"]}
    assert await ids(client, channel="JCC-Expo") == {w["p2"]}
    assert (
        await ids(client, province="bali")
        == await ids(client, province="ID-BA")
        == {
            w["p2"],
            w["p3"],
        }
    )
    assert await ids(client, province="西ジャワ") == set()  # a province, with no products


async def test_unknown_filter_codes_are_422_naming_the_valid_ones(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    await filter_world(client, factory)
    for name, value, valid in (
        ("category", "sake", "coffee"),
        ("certification", "nib", "halal"),  # a business document, not a certification
        ("channel", "osaka-fair", "jcc-expo, tokyo-msme-center"),
    ):
        r = await client.get("/api/v1/catalog/products", params={name: value})
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        [error] = r.json()["errors"]
        assert error["loc"] == ["query", name]
        assert value in error["msg"] and valid in error["msg"], error


async def test_certification_counts_only_verified_documents(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    product = await team.listed()
    halal = await factory.document(team.owner, "halal", product_id=product["id"])
    assert await ids(client, certification="halal") == set()
    item = (await detail(client, product["id"])).json()
    assert "halal" not in item["certifications"]
    await team.verify(halal["id"])
    assert await ids(client, certification="halal") == {product["id"]}
    item = (await detail(client, product["id"])).json()
    assert "halal" in item["certifications"]


async def test_facets_count_the_filtered_results(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    w = await filter_world(client, factory)
    page = await browse(client)
    assert facet_counts(page, "category") == {"coffee": 2, "handicraft": 1}
    assert facet_counts(page, "province") == {"Bali": 2, "Aceh": 1}
    assert facet_counts(page, "certification") == {"food_registration": 2, "halal": 1}
    assert facet_counts(page, "channel") == {"tokyo-msme-center": 2, "jcc-expo": 1}
    for params in (
        {"province": "Bali"},
        {"channel": "tokyo-msme-center"},
        {"max_price_jpy": 3000},
        {"hs_code": "0901", "province": "Bali"},
        {"category": "coffee", "max_moq": 100},
        {"certification": "halal"},
        {"category": "coffee", "province": "Bali"},
        {"province": "Aceh", "certification": "food_registration", "max_moq": 1000},
        {"channel": "jcc-expo", "category": "coffee"},
        {"q": "coffee", "channel": "tokyo-msme-center"},
    ):
        page = await browse(client, **params)
        assert page["items"], params
        await assert_facets_count_the_results(client, params)
    assert w["p2"] in {i["id"] for i in (await browse(client, province="Bali"))["items"]}
    # An empty choice filters nothing, facets included.
    assert (await browse(client, category=""))["facets"] == (await browse(client))["facets"]


async def test_facet_values_carry_their_label_in_the_chosen_language(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    await filter_world(client, factory)
    labels = {
        lang: {
            name: {v["value"]: v["label"] for v in values}
            for name, values in (await browse(client, lang=lang))["facets"].items()
        }
        for lang in ("ja", "en", "id")
    }
    assert labels["ja"]["category"] == {
        "coffee": "コーヒー",
        "handicraft": "手工芸品（籐・竹・木・陶磁器）",
    }
    assert labels["en"]["category"]["coffee"] == "Coffee"
    assert labels["id"]["category"]["coffee"] == "Kopi"
    assert labels["ja"]["province"] == {"Aceh": "アチェ", "Bali": "バリ"}
    assert labels["en"]["province"]["Aceh"] == "Aceh"
    assert labels["ja"]["certification"]["halal"] == "BPJPHハラール認証"
    assert labels["en"]["certification"]["halal"] == "BPJPH halal certificate"
    assert labels["ja"]["channel"] == {
        "tokyo-msme-center": "インドネシアUMKMセンター東京",
        "jcc-expo": "JCC輸出展",
    }
    assert labels["id"]["channel"]["jcc-expo"] == "JCC輸出展"  # no Indonesian: ja, en, id
    r = await client.get("/api/v1/catalog/products", headers={"Accept-Language": "en"})
    assert r.json()["facets"]["category"][0]["label"] == "Coffee"


async def test_facets_count_the_results_on_every_day(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    """Certificates and exhibitions lapse by time alone: with no write, the facets and the
    results still agree on every later day, before and after each lapse."""
    team = await Team.make(factory)
    w = await filter_world(client, factory, team)
    soon = (date.today() + timedelta(days=3)).isoformat()
    halal = await factory.document(team.owner, "halal", product_id=w["p3"], expires_on=soon)
    await team.verify(halal["id"])
    await factory.publish(team.admin, w["p1"], "jcc-expo")  # in both channels
    filters: list[dict[str, Any]] = [
        {},
        {"channel": "jcc-expo"},
        {"hs_code": "0901"},
        {"channel": "tokyo-msme-center", "province": "Bali"},
        {"certification": "halal"},
        {"category": "coffee", "certification": "food_registration"},
        {"max_moq": 1000, "channel": "jcc-expo"},
        {"q": "coffee"},
    ]
    # The carving's halal lapses after day 3, the expo (p2's only channel) after day 5.
    for days in (0, 3, 4, 5, 6, 40):
        with days_pass(days):
            for params in filters:
                await assert_facets_count_the_results(client, params)
    with days_pass(6):
        page = await browse(client)
        item = (await detail(client, w["p1"])).json()
    assert facet_counts(page, "certification") == {"food_registration": 1, "halal": 1}
    assert facet_counts(page, "province") == {"Aceh": 1, "Bali": 1}
    assert facet_counts(page, "channel") == {"tokyo-msme-center": 2}
    assert [c["code"] for c in item["channels"]] == ["tokyo-msme-center"]


async def test_facets_follow_every_change_to_the_catalog(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    msme_id = (await factory.msme(team.owner, province="Aceh"))["id"]
    first = await team.listed(msme_id=msme_id)
    assert facet_counts(await browse(client), "province") == {"Aceh": 1}

    r = await client.patch(
        f"/api/v1/msmes/{msme_id}", json={"province": "Bali"}, headers=team.owner.headers
    )
    assert r.status_code == 200, r.text
    assert facet_counts(await browse(client), "province") == {"Bali": 1}
    assert await ids(client, province="Bali") == {first["id"]}
    assert await ids(client, province="Aceh") == set()

    second = await team.listed(msme_id=msme_id, **HANDICRAFT)
    assert facet_counts(await browse(client), "category") == {"coffee": 1, "handicraft": 1}
    halal = await factory.document(team.owner, "halal", product_id=second["id"])
    assert "halal" not in facet_counts(await browse(client), "certification")
    await team.verify(halal["id"])
    assert facet_counts(await browse(client), "certification")["halal"] == 1

    r = await factory.transition(team.owner, second["id"], "archive")
    assert r.status_code == 200, r.text
    page = await browse(client)
    assert facet_counts(page, "category") == {"coffee": 1}
    assert "halal" not in facet_counts(page, "certification")


async def test_facets_agree_with_the_results_after_every_kind_of_write(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    w = await filter_world(client, factory, team)
    filters: list[dict[str, Any]] = [
        {},
        {"max_moq": 100},
        {"max_price_jpy": 3000},
        {"min_price_jpy": 2000, "channel": "tokyo-msme-center"},
        {"q": "coffee"},
        {"q": "コーヒー", "certification": "halal"},
        {"q": "carving", "province": "Bali"},
        {"max_moq": 1000, "category": "coffee", "certification": "food_registration"},
        {"max_moq": 1000, "channel": "jcc-expo", "province": "Bali"},
    ]

    async def agree() -> None:
        for params in filters:
            await assert_facets_count_the_results(client, params)

    await agree()
    aceh = (await factory.get_product(team.owner, w["p1"]))["msme_id"]
    await team.listed(msme_id=aceh, moq=20, **HANDICRAFT)
    await agree()
    halal = await factory.document(team.owner, "halal", product_id=w["p2"])
    await team.verify(halal["id"])
    await agree()
    await factory.publish(team.admin, w["p1"], "jcc-expo")
    await agree()
    for active in (False, True):
        r = await client.patch(
            "/api/v1/channels/jcc-expo", json={"active": active}, headers=team.admin.headers
        )
        assert r.status_code == 200, r.text
        await agree()
    await team.revised(w["p3"], moq=500, price={"amount": "100000.00", "currency": "IDR"})
    await agree()
    await team.revised(w["p1"], name={"id": "Kopi Gayo", "en": "Gayo beans", "ja": "ガヨ豆"})
    await agree()
    await set_rate(client, team.admin, "IDR", "0.005", "2026-11-02")
    await agree()
    r = await client.delete(
        f"/api/v1/channels/jcc-expo/listings/{w['p2']}", headers=team.admin.headers
    )
    assert r.status_code == 204, r.text
    await agree()
    assert (await factory.transition(team.owner, w["p3"], "archive")).status_code == 200
    await agree()
    with days_pass(6):  # the expo has ended: no write, another day
        await agree()


async def test_a_product_without_words_is_found_once_a_revision_has_some(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    blank = {"id": "🍵", "en": "🍵", "ja": "🍵"}
    plain = await team.listed(name=blank, description=blank, moq=10)
    params = {"q": "teh", "max_moq": 1000}
    assert (await browse(client, **params))["items"] == []
    await team.revised(plain["id"], name={"id": "Teh hijau", "en": "Green tea", "ja": "緑茶"})
    assert await ids(client, **params) == {plain["id"]}
    await assert_facets_count_the_results(client, params)


# -- paging -----------------------------------------------------------------------------------


async def walk(client: httpx.AsyncClient, **params: Any) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor = None
    while True:
        query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        r = await client.get("/api/v1/catalog/products", params=query)
        assert r.status_code == 200, r.text
        body = r.json()
        pages.append([i["id"] for i in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 10, "the cursor never ends"


async def test_cursor_paging_has_no_gaps_or_duplicates(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    msme_id = (await factory.msme(team.owner))["id"]
    prices = ["100000.00", "250000.00", "250000.00", "90000.00", "250000.00"]
    expected = set()
    for amount in prices:
        product = await team.listed(msme_id=msme_id, price={"amount": amount, "currency": "IDR"})
        expected.add(product["id"])

    for sort in ("relevance", "newest", "price_asc", "price_desc"):
        pages = await walk(client, sort=sort)
        assert [len(p) for p in pages] == [2, 2, 1], sort
        flat = [pid for page in pages for pid in page]
        assert len(flat) == len(set(flat)) == 5, sort
        assert set(flat) == expected, sort
        assert flat == [i["id"] for i in (await browse(client, sort=sort))["items"]], sort

    await set_rate(client, team.admin, "IDR", "0.0094", "2026-11-01")
    for sort in ("price_asc", "price_desc"):
        pages = await walk(client, sort=sort)
        flat = [pid for page in pages for pid in page]
        assert len(flat) == len(set(flat)) == 5 and set(flat) == expected, sort
        items = (await browse(client, sort=sort))["items"]
        assert flat == [i["id"] for i in items]
        yen = [int(i["price_jpy"]["amount"]) for i in items]
        assert yen == sorted(yen, reverse=sort == "price_desc")


async def test_bad_paging_parameters_are_422(client: httpx.AsyncClient, factory: Factory) -> None:
    team = await Team.make(factory)
    await team.listed()
    for params in (
        {"cursor": "not-a-cursor"},
        {"cursor": "eyJ0YW1wZXJlZCI6dHJ1ZX0"},
        {"limit": 101},
        {"limit": 0},
    ):
        r = await client.get("/api/v1/catalog/products", params=params)
        assert r.status_code == 422, (params, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.get("/api/v1/catalog/products", params={"limit": 100})
    assert r.status_code == 200 and len(r.json()["items"]) == 1


# -- languages --------------------------------------------------------------------------------


async def test_language_choice(client: httpx.AsyncClient, factory: Factory) -> None:
    team = await Team.make(factory)
    pid = (await team.listed())["id"]
    names = {
        "id": "Kopi Arabika Gayo sangrai",
        "en": "Roasted Gayo arabica coffee",
        "ja": "ガヨ・アラビカ焙煎コーヒー",
    }
    for lang, name in names.items():
        [item] = (await browse(client, lang=lang))["items"]
        assert item["name"] == name, lang
        assert (await detail(client, pid, lang=lang)).json()["name"] == name
    r = await client.get(
        "/api/v1/catalog/products", headers={"Accept-Language": "id;q=0.9, en;q=0.8"}
    )
    assert r.json()["items"][0]["name"] == names["id"]
    assert r.json()["items"][0]["description"] == "Kopi sangrai medium."
    r = await client.get(
        f"/api/v1/catalog/products/{pid}", headers={"Accept-Language": "en-US,en;q=0.9,ja;q=0.5"}
    )
    assert r.json()["name"] == names["en"]
    # `lang` wins over the header.
    r = await client.get(
        "/api/v1/catalog/products", params={"lang": "ja"}, headers={"Accept-Language": "id"}
    )
    assert r.json()["items"][0]["name"] == names["ja"]
    [item] = (await browse(client, lang="en"))["items"]
    assert item["translations"]["name"] == names
    assert item["translations"]["description"] == {
        "id": "Kopi sangrai medium.",
        "en": "Medium roast.",
        "ja": "中煎り。",
    }


async def test_language_fallback_is_ja_then_en_then_id(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    no_ja = await team.listed(
        name={"id": "Kopi Toraja", "en": "Toraja coffee"},
        description={"id": "Kopi dari Toraja.", "en": "Coffee from Toraja."},
    )
    no_en = await team.listed(
        name={"id": "Kopi Kintamani", "ja": "キンタマーニ・コーヒー"},
        description={"id": "Kopi dari Bali.", "ja": "バリ島のコーヒー。"},
    )
    item = (await detail(client, no_ja["id"], lang="ja")).json()
    assert (item["name"], item["description"]) == ("Toraja coffee", "Coffee from Toraja.")
    assert item["translations"]["name"] == {"id": "Kopi Toraja", "en": "Toraja coffee"}
    item = (await detail(client, no_en["id"], lang="en")).json()
    assert (item["name"], item["description"]) == ("キンタマーニ・コーヒー", "バリ島のコーヒー。")
    item = (await detail(client, no_en["id"], lang="id")).json()
    assert item["name"] == "Kopi Kintamani"
    # With nothing asked for, Japanese first.
    by_id = {i["id"]: i["name"] for i in (await browse(client))["items"]}
    assert by_id == {no_ja["id"]: "Toraja coffee", no_en["id"]: "キンタマーニ・コーヒー"}


async def test_search_matches_every_language(client: httpx.AsyncClient, factory: Factory) -> None:
    team = await Team.make(factory)
    coffee = await team.listed()
    tea = await team.listed(
        category="tea",
        hs_code="090210",
        name={"id": "Teh hijau Jawa", "en": "Javanese green tea", "ja": "ジャワ緑茶"},
        description={"id": "Teh hijau.", "en": "Green tea.", "ja": "緑茶です。"},
    )
    assert await ids(client, q="茶") == {tea["id"]}
    assert await ids(client, q="コーヒー") == {coffee["id"]}
    assert await ids(client, q="GAYO") == {coffee["id"]}
    assert await ids(client, q="hijau") == {tea["id"]}
    assert await ids(client, q="medium roast") == {coffee["id"]}
    assert await ids(client, q="sake") == set()


# -- prices in yen ----------------------------------------------------------------------------


async def test_price_jpy_uses_the_latest_rate(client: httpx.AsyncClient, factory: Factory) -> None:
    team = await Team.make(factory)
    msme_id = (await factory.msme(team.owner))["id"]
    a = await team.listed(msme_id=msme_id, price={"amount": "285000.00", "currency": "IDR"})
    b = await team.listed(msme_id=msme_id, price={"amount": "123457.00", "currency": "IDR"})
    c = await team.listed(msme_id=msme_id, price={"amount": "12.50", "currency": "USD"})

    async def yen() -> dict[str, Any]:
        items = (await browse(client))["items"]
        return {i["id"]: i["price_jpy"] for i in items}

    assert await yen() == {a["id"]: None, b["id"]: None, c["id"]: None}
    await set_rate(client, team.admin, "IDR", "0.0094", "2026-11-01")
    prices = await yen()
    assert prices[a["id"]] == {"amount": "2679", "currency": "JPY"}
    assert prices[b["id"]] == {"amount": "1160", "currency": "JPY"}  # 1160.4958
    assert prices[c["id"]] is None
    # An older rate set later changes nothing; a newer one takes over.
    await set_rate(client, team.admin, "IDR", "0.0090", "2026-10-01")
    assert (await yen())[a["id"]] == {"amount": "2679", "currency": "JPY"}
    await set_rate(client, team.admin, "IDR", "0.0095", "2026-11-20")
    prices = await yen()
    assert prices[a["id"]] == {"amount": "2708", "currency": "JPY"}  # 2707.5
    assert prices[b["id"]] == {"amount": "1173", "currency": "JPY"}  # 1172.8415
    await set_rate(client, team.admin, "USD", "151.25", "2026-11-20")
    assert (await yen())[c["id"]] == {"amount": "1891", "currency": "JPY"}  # 1890.625
    item = (await detail(client, c["id"])).json()
    assert item["price"] == {"amount": "12.50", "currency": "USD"}
    assert item["price_jpy"] == {"amount": "1891", "currency": "JPY"}


async def test_half_yen_rounds_up(client: httpx.AsyncClient, factory: Factory) -> None:
    team = await Team.make(factory)
    product = await team.listed(price={"amount": "75000.00", "currency": "IDR"})
    await set_rate(client, team.admin, "IDR", "0.0093", "2026-11-01")
    # 75000 × 0.0093 = 697.5 exactly, which rounds to 698 yen.
    item = (await detail(client, product["id"])).json()
    assert item["price_jpy"] == {"amount": "698", "currency": "JPY"}
    assert await ids(client, min_price_jpy=698) == {product["id"]}


# -- things that end --------------------------------------------------------------------------


async def test_exhibition_end_hides_its_listings(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    today = date.today()
    await factory.channel(
        team.admin,
        "jcc-expo",
        kind="exhibition",
        starts_on=(today - timedelta(days=5)).isoformat(),
        ends_on=(today + timedelta(days=2)).isoformat(),
    )
    only_expo = await team.listed(channel="jcc-expo", booth="Hall A 12")
    both = await team.listed()
    await factory.publish(team.admin, both["id"], "jcc-expo")
    assert await ids(client, channel="jcc-expo") == {only_expo["id"], both["id"]}

    # The last day still counts.
    r = await client.patch(
        "/api/v1/channels/jcc-expo", json={"ends_on": today.isoformat()}, headers=team.admin.headers
    )
    assert r.status_code == 200, r.text
    assert await ids(client) == {only_expo["id"], both["id"]}

    yesterday = (today - timedelta(days=1)).isoformat()
    r = await client.patch(
        "/api/v1/channels/jcc-expo", json={"ends_on": yesterday}, headers=team.admin.headers
    )
    assert r.status_code == 200, r.text
    assert await ids(client) == {both["id"]}
    assert await ids(client, channel="jcc-expo") == set()
    assert (await detail(client, only_expo["id"])).status_code == 404
    item = (await detail(client, both["id"])).json()
    assert [c["code"] for c in item["channels"]] == ["tokyo-msme-center"]


async def test_inactive_channel_hides_its_listings(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    product = await team.listed()
    r = await client.patch(
        "/api/v1/channels/tokyo-msme-center",
        json={"name": {"en": "Tokyo MSME Center", "ja": "東京中小企業センター"}},
        headers=team.admin.headers,
    )
    assert r.status_code == 200, r.text
    item = (await detail(client, product["id"])).json()
    assert [c["name"] for c in item["channels"]] == ["東京中小企業センター"]  # ja first
    assert facet_counts(await browse(client, lang="en"), "channel") == {"tokyo-msme-center": 1}
    r = await client.patch(
        "/api/v1/channels/tokyo-msme-center", json={"active": False}, headers=team.admin.headers
    )
    assert r.status_code == 200
    assert await ids(client) == set()
    assert (await detail(client, product["id"])).status_code == 404


async def required_document(
    factory: Factory, owner: Actor, product_id: str, doc_type: str
) -> dict[str, Any]:
    docs = (await factory.get_product(owner, product_id))["documents"]
    [doc] = [d for d in docs if d["doc_type"] == doc_type]
    return dict(doc)


async def test_expired_required_certificate_hides_the_product(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    team = await Team.make(factory)
    msme_id = (await factory.msme(team.owner))["id"]
    expiring = await team.listed(msme_id=msme_id)
    other = await team.listed(msme_id=msme_id)
    assert await ids(client) == {expiring["id"], other["id"]}
    registration = await required_document(factory, team.owner, expiring["id"], "food_registration")
    lab = await required_document(factory, team.owner, expiring["id"], "lab_test")
    yesterday = date.today() - timedelta(days=1)
    await in_db(
        app,
        update(Document)
        .where(Document.id == uuid.UUID(registration["id"]))
        .values(expires_on=yesterday),
    )
    # A curator touching any document of the product recomputes its certification.
    await team.verify(lab["id"])
    assert await ids(client) == {other["id"]}
    assert (await detail(client, expiring["id"])).status_code == 404


async def test_a_certificate_without_expires_on_is_never_held(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    """A type that expires counts only with its date (rows written before the rule)."""
    team = await Team.make(factory)
    product = await team.listed()
    pid = product["id"]
    halal = await factory.document(team.owner, "halal", product_id=pid)
    await team.verify(halal["id"])
    assert (await detail(client, pid)).json()["certifications"] == ["food_registration", "halal"]
    lab = await required_document(factory, team.owner, pid, "lab_test")

    async def undated(doc: dict[str, Any]) -> None:
        await in_db(
            app, update(Document).where(Document.id == uuid.UUID(doc["id"])).values(expires_on=None)
        )
        await team.verify(lab["id"])  # recomputes the product's catalog row

    await undated(halal)
    assert (await detail(client, pid)).json()["certifications"] == ["food_registration"]
    await undated(await required_document(factory, team.owner, pid, "food_registration"))
    assert (await detail(client, pid)).status_code == 404


async def test_certificate_lapsing_overnight_hides_the_product_at_once(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    msme_id = (await factory.msme(team.owner))["id"]
    short = date.today() + timedelta(days=31)
    product = await factory.product(team.owner, msme_id)
    await factory.document(
        team.owner, "food_registration", product_id=product["id"], expires_on=short.isoformat()
    )
    for code in ("lab_test", "jp_label_draft"):
        await factory.document(team.owner, code, product_id=product["id"])
    await factory.document(team.owner, "nib", msme_id=msme_id)
    await factory.media(team.owner, product["id"])
    pid = product["id"]
    assert (await factory.transition(team.owner, pid, "submit")).status_code == 200
    assert (await factory.transition(team.curator, pid, "start_review")).status_code == 200
    await factory.verify_documents(team.curator, pid)
    r = await factory.transition(
        team.curator, pid, "approve", checklist=factory.checklist(product), score=90
    )
    assert r.status_code == 200, r.text
    await factory.publish(team.admin, pid)
    other = await team.listed(msme_id=msme_id)
    assert await ids(client) == {pid, other["id"]}

    # The registration's last day passes. Nothing runs; only the date moves on.
    assert await ids(client, days_later=31) == {pid, other["id"]}
    assert await ids(client, days_later=32) == {other["id"]}
    with days_pass(32):
        assert (await detail(client, pid)).status_code == 404
        page = await browse(client)
    assert facet_counts(page, "category") == {"coffee": 1}


async def test_expired_optional_certificate_is_no_longer_claimed(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    product = await team.listed()
    soon = (date.today() + timedelta(days=10)).isoformat()
    halal = await factory.document(team.owner, "halal", product_id=product["id"], expires_on=soon)
    await team.verify(halal["id"])
    assert await ids(client, certification="halal") == {product["id"]}
    assert await ids(client, certification="halal", days_later=10) == {product["id"]}
    # Halal is not required for coffee: once it lapses the product stays, without the claim.
    with days_pass(11):
        assert await ids(client) == {product["id"]}
        assert await ids(client, certification="halal") == set()
        item = (await detail(client, product["id"])).json()
        page = await browse(client)
    assert "halal" not in item["certifications"]
    assert "halal" not in facet_counts(page, "certification")
    assert "halal" in facet_counts(await browse(client), "certification")
    assert counted(page["items"], "certification") == facet_counts(page, "certification")


async def test_archived_product_disappears(client: httpx.AsyncClient, factory: Factory) -> None:
    team = await Team.make(factory)
    product = await team.listed()
    keep = await team.listed()
    r = await factory.transition(team.owner, product["id"], "archive")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "archived"
    assert await ids(client) == {keep["id"]}
    assert (await detail(client, product["id"])).status_code == 404
    r = await client.post(
        "/api/v1/channels/tokyo-msme-center/listings",
        json={"product_id": product["id"]},
        headers=team.admin.headers,
    )
    assert r.status_code == 409


# -- images -----------------------------------------------------------------------------------


async def test_media_urls_are_fetchable_while_published(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    product = await team.listed()
    pid = product["id"]
    image = png(16, 16, (10, 200, 30))
    await factory.media(team.owner, pid, image)  # added after approval: not in the revision

    [item] = (await browse(client))["items"]
    assert len(item["media"]) == 1
    url = item["media"][0]["url"]
    r = await client.get(url, follow_redirects=True)
    assert r.status_code == 200
    assert r.content == png()
    assert r.headers["content-type"] == "image/png"

    owned = (await factory.get_product(team.owner, pid))["media"]
    [later] = [m for m in owned if m["size"] == len(image)]
    base = url.rsplit("/", 1)[0]
    assert (await client.get(f"{base}/{later['id']}", follow_redirects=True)).status_code == 404

    r = await client.delete(
        f"/api/v1/channels/tokyo-msme-center/listings/{pid}", headers=team.admin.headers
    )
    assert r.status_code == 204
    assert (await client.get(url, follow_redirects=True)).status_code == 404


async def test_media_of_unapproved_product_is_404(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    published = await team.listed()
    draft = await factory.ready_product(team.owner)
    [item] = (await browse(client))["items"]
    base = item["media"][0]["url"].rsplit("/", 1)[0]
    [media] = draft["media"]
    assert (await client.get(f"{base}/{media['id']}", follow_redirects=True)).status_code == 404
    assert (await client.get(f"{base}/{uuid.uuid4()}", follow_redirects=True)).status_code == 404
    assert published["id"] == item["id"]


# -- the short cache of rendered pages ---------------------------------------------------------


async def test_cached_pages_are_dropped_by_the_servers_own_writes(
    settings: Settings, factory: Factory
) -> None:
    team = await Team.make(factory)
    first = await team.listed()
    cached = create_app(settings.model_copy(update={"catalog_cache_seconds": 600}))
    async with cached.router.lifespan_context(cached):
        transport = httpx.ASGITransport(app=cached)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            assert await ids(c) == {first["id"]}
            second = await team.listed()
            if backend() == "sqlite":
                # A write behind the server's back (another process, say) waits for the
                # cache; on PostgreSQL the server hears of it (the test below).
                assert await ids(c) == {first["id"]}
            assert await ids(c, lang="en") == {first["id"], second["id"]}  # another page
            # The server's own write shows on its next request.
            r = await c.delete(
                f"/api/v1/channels/tokyo-msme-center/listings/{first['id']}",
                headers=team.admin.headers,
            )
            assert r.status_code == 204, r.text
            assert await ids(c) == {second["id"]}
            assert (await detail(c, first["id"])).status_code == 404


on_postgresql = pytest.mark.skipif(backend() == "sqlite", reason="LISTEN/NOTIFY: PostgreSQL's")


@on_postgresql
async def test_cached_pages_are_dropped_in_every_server_process(
    settings: Settings, factory: Factory
) -> None:
    team = await Team.make(factory)
    first, second = await team.listed(), await team.listed()
    cached = settings.model_copy(update={"catalog_cache_seconds": 600})
    one, other = create_app(cached), create_app(cached)  # two processes, say
    async with one.router.lifespan_context(one), other.router.lifespan_context(other):
        transport = httpx.ASGITransport(app=one)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            assert await ids(c) == {first["id"], second["id"]}
            assert (await detail(c, first["id"])).status_code == 200
            transport = httpx.ASGITransport(app=other)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as elsewhere:
                r = await elsewhere.delete(
                    f"/api/v1/channels/tokyo-msme-center/listings/{first['id']}",
                    headers=team.admin.headers,
                )
                assert r.status_code == 204, r.text
            # The notification takes a moment to cross; then the first server's next
            # request shows the write (its pages were cached for ten minutes).
            deadline = asyncio.get_running_loop().time() + 2
            while await ids(c) != {second["id"]}:
                assert asyncio.get_running_loop().time() < deadline, "no notification"
                await asyncio.sleep(0.02)
            assert (await detail(c, first["id"])).status_code == 404


@on_postgresql
async def test_a_rolled_back_catalog_change_tells_no_process(
    app: FastAPI, settings: Settings, factory: Factory
) -> None:
    team = await Team.make(factory)
    product = uuid.UUID((await team.listed())["id"])
    url = settings.libpq_database_url
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as listener:
        await listener.execute(f"LISTEN {CHANNEL}")

        async def heard_until(last: str) -> list[str]:
            payloads = []
            async for note in listener.notifies(timeout=2):
                payloads.append(note.payload)
                if note.payload == last:
                    return payloads
            raise AssertionError(f"no {last!r} after {payloads}")

        async with app.state.sessionmaker() as session:
            await sync(session, [product])
            await session.rollback()
        # Notifications arrive in the order of their commits: one sent by the rolled-back
        # transaction would come before this mark.
        await listener.execute(f"NOTIFY {CHANNEL}, 'mark'")
        assert await heard_until("mark") == ["mark"]
        async with app.state.sessionmaker() as session:
            await sync(session, [product])
            await sync(session, [product])
            await session.commit()
        await listener.execute(f"NOTIFY {CHANNEL}, 'mark'")
        assert await heard_until("mark") == ["", "mark"]  # one, however many changes


@on_postgresql
async def test_a_server_drops_its_pages_when_it_listens_again(
    app: FastAPI, settings: Settings, factory: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    team = await Team.make(factory)
    product = uuid.UUID((await team.listed())["id"])
    cached = create_app(settings.model_copy(update={"catalog_cache_seconds": 600}))
    async with cached.router.lifespan_context(cached):
        transport = httpx.ASGITransport(app=cached)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            assert await ids(c) == {str(product)}
            # A change no one hears of, as one made while the server's connection was down.
            await in_db(app, delete(CatalogEntry).where(CatalogEntry.product_id == product))
            assert await ids(c) == {str(product)}
            with psycopg.connect(settings.libpq_database_url, autocommit=True) as admin:
                dropped = admin.execute(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                    " FROM pg_stat_activity WHERE datname = current_database() AND query = %s",
                    [f"LISTEN {CHANNEL}"],
                ).fetchone()
            assert dropped == (1,)
            deadline = asyncio.get_running_loop().time() + 3
            while await ids(c) != set():
                assert asyncio.get_running_loop().time() < deadline, "pages kept"
                await asyncio.sleep(0.02)
    assert "catalog changes not heard" in caplog.text
    async with app.state.sessionmaker() as session:  # the entry back, as a rebuild has it
        await sync(session, [product])
        await session.commit()


async def test_a_page_asked_by_many_at_once_is_rendered_once(
    settings: Settings, factory: Factory
) -> None:
    team = await Team.make(factory)
    await team.listed()
    cached = create_app(settings.model_copy(update={"catalog_cache_seconds": 600}))
    async with cached.router.lifespan_context(cached):
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(args[2])

        event.listen(cached.state.engine.sync_engine, "before_cursor_execute", count)
        transport = httpx.ASGITransport(app=cached)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            pages = await asyncio.gather(*(browse(c, lang="id") for _ in range(10)))
            assert all(p == pages[0] for p in pages)
            once = len(statements)
            assert (await browse(c, lang="id")) == pages[0]
            assert len(statements) == once  # from the cache
            # A signed-in buyer's request is answered by the app: its token is checked.
            buyer = await factory.buyer()
            r = await c.get(
                "/api/v1/catalog/products",
                params={"lang": "id", "limit": 100},
                headers=buyer.headers,
            )
            assert r.json() == pages[0] and len(statements) > once
            r = await c.get("/api/v1/catalog/products", headers={"Authorization": "Bearer x"})
            assert r.status_code == 401
    # Ten at once took the statements of one page.
    assert 0 < once <= 8, once


async def test_every_write_the_catalog_shows_is_on_the_next_cached_request(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    """A publish, an FX change, an approval, an unpublish and a lapse by date each show on
    the very next request of a page the server keeps for ten minutes (the suite's own
    client, uncached, only empties the database first)."""
    cached = create_app(settings.model_copy(update={"catalog_cache_seconds": 600}))
    async with cached.router.lifespan_context(cached):
        transport = httpx.ASGITransport(app=cached)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            team = await Team.make(Factory(c, cached))
            first = await team.listed(price={"amount": "285000.00", "currency": "IDR"})
            assert await ids(c) == {first["id"]}
            assert (await detail(c, first["id"])).json()["price_jpy"] is None
            # A publish.
            second = await team.listed()
            assert await ids(c) == {first["id"], second["id"]}
            # An FX change.
            await set_rate(c, team.admin, "IDR", "0.0094", "2026-11-01")
            assert (await detail(c, first["id"])).json()["price_jpy"]["amount"] == "2679"
            [item] = [i for i in (await browse(c))["items"] if i["id"] == first["id"]]
            assert item["price_jpy"]["amount"] == "2679"
            # An approval of a new revision.
            await team.revised(first["id"], name={"en": "Gayo peaberry", "id": "Kopi lanang"})
            assert (await detail(c, first["id"], lang="en")).json()["name"] == "Gayo peaberry"
            assert await ids(c, q="peaberry") == {first["id"]}
            # An unpublish.
            r = await c.delete(
                f"/api/v1/channels/tokyo-msme-center/listings/{second['id']}",
                headers=team.admin.headers,
            )
            assert r.status_code == 204, r.text
            assert await ids(c) == {first["id"]}
            # A lapse by date: an exhibition's last day passes, nothing is written.
            ends = date.today() + timedelta(days=1)
            await team.factory.channel(
                team.admin, "jcc-expo", kind="exhibition", ends_on=ends.isoformat()
            )
            third = await team.listed(channel="jcc-expo")
            assert await ids(c) == {first["id"], third["id"]}
            assert await ids(c, days_later=2) == {first["id"]}


async def test_a_page_past_its_seconds_is_answered_while_it_is_rendered_again(
    app: FastAPI, settings: Settings, factory: Factory
) -> None:
    team = await Team.make(factory)
    first = uuid.UUID((await team.listed())["id"])
    second = uuid.UUID((await team.listed())["id"])
    cached = create_app(settings.model_copy(update={"catalog_cache_seconds": 0.3}))
    async with cached.router.lifespan_context(cached):
        cached.state.page_cache.heard = False  # as while PostgreSQL's listener is down
        transport = httpx.ASGITransport(app=cached)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            assert await ids(c) == {str(first), str(second)}
            # Changes no one hears of (as made while a server's connection was down).
            await in_db(app, delete(CatalogEntry).where(CatalogEntry.product_id == second))
            await asyncio.sleep(0.35)
            # Past its seconds: answered as it was, and rendered again behind the answer.
            assert await ids(c) == {str(first), str(second)}
            deadline = asyncio.get_running_loop().time() + 2
            while await ids(c) != {str(first)}:
                assert asyncio.get_running_loop().time() < deadline, "never rendered again"
                await asyncio.sleep(0.01)
            # Past twice its seconds a page is never answered: the request renders it.
            await in_db(app, delete(CatalogEntry).where(CatalogEntry.product_id == first))
            await asyncio.sleep(0.65)
            assert await ids(c) == set()
    async with app.state.sessionmaker() as session:  # the entries back, as a rebuild has them
        await sync(session, [first, second])
        await session.commit()


@pytest.mark.skipif(
    backend() == "sqlite", reason="SQLite's writer waits for the reading request to end"
)
async def test_a_rendering_begun_before_a_write_is_not_kept(
    settings: Settings, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page whose rendering read the catalog before a write committed may answer the
    requests that were waiting for it, but is not kept for the requests after the write."""
    team = await Team.make(factory)
    first = await team.listed()
    read, go_on = asyncio.Event(), asyncio.Event()
    search = catalog_service.search

    async def held_search(*args: Any, **kwargs: Any) -> Any:
        found = await search(*args, **kwargs)
        read.set()
        await go_on.wait()  # the write below commits meanwhile
        return found

    monkeypatch.setattr(catalog_service, "search", held_search)
    cached = create_app(settings.model_copy(update={"catalog_cache_seconds": 600}))
    async with cached.router.lifespan_context(cached):
        transport = httpx.ASGITransport(app=cached)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            own = Factory(c, cached)
            page = asyncio.create_task(ids(c))
            await read.wait()
            product = await own.approved_product(team.owner, team.curator)
            await own.publish(team.admin, product["id"])
            go_on.set()
            assert await page == {first["id"]}  # read before the write
            monkeypatch.setattr(catalog_service, "search", search)
            assert await ids(c) == {first["id"], product["id"]}


async def test_many_asking_a_page_past_its_seconds_start_one_rendering(
    settings: Settings, factory: Factory, caplog: pytest.LogCaptureFixture
) -> None:
    team = await Team.make(factory)
    await team.listed()
    cached = create_app(settings.model_copy(update={"catalog_cache_seconds": 0.2}))
    async with cached.router.lifespan_context(cached):
        cached.state.page_cache.heard = False  # as while PostgreSQL's listener is down
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(args[2])

        async def settled() -> int:
            seen = -1
            while seen != len(statements):
                seen = len(statements)
                await asyncio.sleep(0.05)
            return seen

        event.listen(cached.state.engine.sync_engine, "before_cursor_execute", count)
        transport = httpx.ASGITransport(app=cached)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            first = await browse(c)
            one_rendering = await settled()
            await asyncio.sleep(0.25)
            pages = await asyncio.gather(*(browse(c) for _ in range(20)))
            assert all(p == first for p in pages)  # answered as they were
            assert await settled() == 2 * one_rendering  # and rendered again once
    assert "refreshing a cached catalog page failed" not in caplog.text


@on_postgresql
async def test_pages_do_not_age_while_every_change_is_heard(
    app: FastAPI, settings: Settings, factory: Factory
) -> None:
    """Listening, a server keeps a page until a write drops it: past its seconds it is
    neither rendered again nor answered stale. Stopped, it no longer counts on hearing."""
    team = await Team.make(factory)
    first = uuid.UUID((await team.listed())["id"])
    second = uuid.UUID((await team.listed())["id"])
    cached = create_app(settings.model_copy(update={"catalog_cache_seconds": 0.2}))
    async with cached.router.lifespan_context(cached):
        assert cached.state.page_cache.heard
        statements: list[str] = []
        event.listen(
            cached.state.engine.sync_engine,
            "before_cursor_execute",
            lambda *args: statements.append(args[2]),
        )
        transport = httpx.ASGITransport(app=cached)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            assert await ids(c) == {str(first), str(second)}
            rendered = len(statements)
            assert rendered > 0
            # A change no one hears of: only a page that ages would show it.
            await in_db(app, delete(CatalogEntry).where(CatalogEntry.product_id == second))
            await asyncio.sleep(0.5)  # past twice its seconds
            assert await ids(c) == {str(first), str(second)}
            await asyncio.sleep(0.1)
            assert len(statements) == rendered  # not rendered again behind the answer
            # A change that is heard drops it.
            async with app.state.sessionmaker() as session:
                await sync(session, [first])  # raises CATALOG: NOTIFY at its commit
                await session.commit()
            deadline = asyncio.get_running_loop().time() + 2
            while await ids(c) != {str(first)}:
                assert asyncio.get_running_loop().time() < deadline, "no notification"
                await asyncio.sleep(0.02)
    assert not cached.state.page_cache.heard
    async with app.state.sessionmaker() as session:  # the entries back, as a rebuild has them
        await sync(session, [first, second])
        await session.commit()
