"""Catalog search (`q`) in Japanese, English and Indonesian, and relevance ranking.

The expected results are written out by hand, and the suite runs on SQLite and on
PostgreSQL, so the fixed query table below is also the parity check of both.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from app.catalog import facets, search, tokens
from tests.factories import Factory
from tests.test_catalog import Team, browse

# Approved in this order, so "newest" is the reverse of it.
CATALOG: dict[str, dict[str, Any]] = {
    "green_tea": {
        "name": {"ja": "緑茶ティーバッグ", "en": "Green tea bags", "id": "Teh hijau celup"},
        "description": {"ja": "茶葉の緑が鮮やか。", "en": "Bright leaves.", "id": "Daun cerah."},
    },
    "gayo": {
        "name": {
            "ja": "ガヨ・アラビカコーヒー",
            "en": "Gayo Arabica Coffee",
            "id": "Kopi Arabika Gayo",
        },
        "description": {
            "ja": "チョコレートの香り。",
            "en": "Notes of chocolate.",
            "id": "Kopinya harum dengan rasa cokelat.",
        },
    },
    "pepper": {
        "name": {"ja": "黒胡椒", "en": "Black pepper", "id": "Lada hitam"},
        "description": {
            "ja": "ランプン産。緑茶にも合う香り。",
            "en": "From Lampung.",
            "id": "Dari Lampung.",
        },
    },
    "chips": {
        "name": {"ja": "キャッサバチップス", "en": "Cassava chips", "id": "Keripik singkong"},
        "description": {
            "ja": "お茶に合うチップス。",
            "en": "Crispy chips, great with tea.",
            "id": "Renyah.",
        },
    },
    "robusta": {
        "name": {"ja": "ロブスタ豆", "en": "Robusta beans", "id": "Biji kopi robusta"},
        "description": {
            "ja": "コーヒー豆、深煎り。",
            "en": "Dark roast for espresso blends.",
            "id": "Sangrai gelap.",
        },
    },
}

# query -> expected products in relevance order (name matches first, then newest).
QUERIES: list[tuple[str, list[str]]] = [
    ("茶", ["green_tea", "chips", "pepper"]),
    ("緑茶", ["green_tea", "pepper"]),
    ("胡椒", ["pepper"]),
    ("黒胡椒", ["pepper"]),
    ("コーヒー", ["gayo", "robusta"]),
    ("ｺｰﾋｰ", ["gayo", "robusta"]),
    ("ヒー豆", ["robusta"]),
    ("緑茶葉", []),  # both bigrams occur in green_tea, but never side by side
    ("kopi コーヒー", ["gayo", "robusta"]),
    ("KOPI", ["robusta", "gayo"]),
    ("kopinya", ["robusta", "gayo"]),
    ("Kopi", ["robusta", "gayo"]),
    ("chip", ["chips"]),
    ("CHIPS", ["chips"]),
    ("bean", ["robusta"]),
    ("beans", ["robusta"]),
    ("tea", ["green_tea", "chips"]),
    ("teh hijau", ["green_tea"]),
    ("rasa cokelat", ["gayo"]),
    ("rasa espresso", []),
    ("lampung", ["pepper"]),
    ("kop", []),  # words match whole, after stemming; not as substrings
    ("durian", []),
]


async def seed(factory: Factory) -> dict[str, str]:
    team = await Team.make(factory)
    msme_id = (await factory.msme(team.owner))["id"]
    made = {}
    for key, texts in CATALOG.items():
        product = await team.listed(msme_id=msme_id, **texts)
        made[key] = product["id"]
    return made


@pytest.fixture(params=["walked", "joined"])
def ranking(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Rank by walking each weight combination, or (as for long queries) by joining."""
    if request.param == "joined":
        monkeypatch.setattr(search, "MAX_WALKED_TERMS", 0)
    return str(request.param)


async def test_fixed_queries_in_three_languages(
    client: httpx.AsyncClient, factory: Factory, ranking: str
) -> None:
    made = await seed(factory)
    name_of = {v: k for k, v in made.items()}
    wrong = {}
    for q, expected in QUERIES:
        page = await browse(client, q=q)
        got = [name_of[i["id"]] for i in page["items"]]
        if got != expected:
            wrong[q] = got
        # facets describe exactly the result set
        assert sum(f["count"] for f in page["facets"]["category"]) == len(got), q
    assert wrong == {}, wrong


async def every_page(client: httpx.AsyncClient, **params: Any) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        page = await browse(client, **params, **({"cursor": cursor} if cursor else {}))
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


async def test_relevance_pages_through_every_match_once(
    client: httpx.AsyncClient, factory: Factory, ranking: str
) -> None:
    made = await seed(factory)
    seen = await every_page(client, q="茶", limit=1, sort="relevance")
    assert seen == [made["green_tea"], made["chips"], made["pepper"]]


async def test_words_that_never_meet_are_joined_rather_than_walked(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    await seed(factory)
    cases = {"kopi コーヒー": False, "rasa cokelat": False, "kopi lampung": True}
    async with app.state.sessionmaker() as session:
        for q, sparse in cases.items():
            postings = await search.read_postings(session, tokens.parse(q))
            assert postings.sparse == sparse, q
            if "kopi" in q:
                assert postings.counts[("kopi", 2)] == 2, q  # gayo and robusta
    assert (await browse(client, q="kopi lampung"))["items"] == []


async def test_several_words_rank_by_how_many_are_in_the_name(
    client: httpx.AsyncClient, factory: Factory, ranking: str
) -> None:
    team = await Team.make(factory)
    made = {}
    # Approved in this order: within a score, the later comes first.
    for key, name, description in [
        ("both_in_name", "Kopi arabika", "Gayo."),
        ("kopi_in_name", "Kopi Gayo", "Biji arabika."),
        ("arabika_in_name", "Arabika Gayo", "Kopi pilihan."),
        ("both_in_description", "Gayo", "Kopi arabika."),
        ("kopi_only", "Kopi robusta", "Gayo."),
        ("newer_both_in_name", "Arabika kopi", "Gayo."),
    ]:
        product = await team.listed(
            name={"id": name, "en": "Item", "ja": "品"},
            description={"id": description, "en": "Item.", "ja": "品。"},
        )
        made[product["id"]] = key
    expected = [
        "newer_both_in_name",
        "both_in_name",
        "arabika_in_name",
        "kopi_in_name",
        "both_in_description",
    ]
    for limit in (1, 2, 20):
        seen = await every_page(client, q="kopi arabika", limit=limit)
        assert [made[i] for i in seen] == expected, limit
    # Gayo stands in the name of the middle three: five points each, as both_in_name.
    assert [made[i] for i in await every_page(client, q="arabika kopi gayo", limit=2)] == [
        "newer_both_in_name",
        "arabika_in_name",
        "kopi_in_name",
        "both_in_name",
        "both_in_description",
    ]


@pytest.mark.parametrize("sort", ["newest", "price_asc", "price_desc"])
async def test_other_sorts_keep_the_same_matches(
    client: httpx.AsyncClient, factory: Factory, sort: str
) -> None:
    made = await seed(factory)
    page = await browse(client, q="茶", sort=sort)
    assert {i["id"] for i in page["items"]} == {
        made["green_tea"],
        made["chips"],
        made["pepper"],
    }
    if sort == "newest":
        assert [i["id"] for i in page["items"]] == [
            made["chips"],
            made["pepper"],
            made["green_tea"],
        ]


async def test_search_combines_with_filters_and_blank_queries_match_everything(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    made = await seed(factory)
    page = await browse(client, q="kopi", hs_code="0901")
    assert {i["id"] for i in page["items"]} == {made["gayo"], made["robusta"]}
    page = await browse(client, q="kopi", category="handicraft")
    assert page["items"] == []
    assert page["facets"]["category"] == [{"value": "coffee", "count": 2}]
    for blank in ("   ", "!!!", "・"):
        page = await browse(client, q=blank)
        assert len(page["items"]) == len(made), blank


async def test_a_new_revision_is_found_by_its_own_words_only(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    product = await team.listed(**CATALOG["pepper"])
    pid = product["id"]
    # The owner renames it; the catalog keeps the approved words until approval.
    r = await client.patch(
        f"/api/v1/products/{pid}",
        json={"name": {"ja": "白胡椒", "en": "White pepper", "id": "Lada putih"}},
        headers=team.owner.headers,
    )
    assert r.status_code == 200, r.text
    assert [i["id"] for i in (await browse(client, q="white"))["items"]] == []
    assert [i["id"] for i in (await browse(client, q="黒胡椒"))["items"]] == [pid]

    assert (await factory.transition(team.owner, pid, "submit")).status_code == 200
    assert (await factory.transition(team.curator, pid, "start_review")).status_code == 200
    await factory.verify_documents(team.curator, pid)
    fresh = await factory.get_product(team.owner, pid)
    r = await factory.transition(
        team.curator, pid, "approve", checklist=factory.checklist(fresh), score=90
    )
    assert r.status_code == 200, r.text
    assert [i["id"] for i in (await browse(client, q="white"))["items"]] == [pid]
    assert [i["id"] for i in (await browse(client, q="黒胡椒"))["items"]] == []


async def test_statements_per_page_do_not_grow_with_the_page(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    await seed(factory)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        used: dict[tuple[str, bool], set[int]] = {}
        for limit in (1, 5, 100):
            for params in (
                {},
                {"q": "茶"},
                {"q": "kopi コーヒー"},
                {"q": "kopi コーヒー", "sort": "price_asc"},
            ):
                # Facet counts are computed once per catalog version: count both ways.
                for facets_cached in (False, True):
                    if not facets_cached:
                        facets.clear_cache()
                    statements.clear()
                    await browse(client, **params, limit=limit)
                    used.setdefault((str(params), facets_cached), set()).add(len(statements))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # The same count for every page size, per kind of request.
    assert all(len(n) == 1 for n in used.values()), used
    for (params, cached), (n,) in used.items():
        if cached:
            # A search counts its two facet counts; the whole catalog reads the kept ones.
            made = 1 if params == "{}" else 2
            assert n == used[(params, False)].pop() - made, used
