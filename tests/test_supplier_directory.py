"""The supplier directory (SPEC §10): who is in it, its filters and facets against its
results, cursor pages, search in three languages, a lapsed certificate, the statements a
page reads, and the exhibition catalog's section of suppliers."""

from __future__ import annotations

import io
import shutil
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from fastapi import FastAPI

from app.core import clock
from tests.factories import Factory, Team, days_pass, statements_run
from tests.test_catalog_export import pdf_text

SUPPLIERS = "/api/v1/catalog/suppliers"
BRACKET = {"id": "Braket jok", "en": "Seat bracket", "ja": "シートブラケット"}


@dataclass
class Directory:
    team: Team
    press: dict[str, Any]  # stamping in Bekasi, ISO 9001 and 14001, one product listed
    rubber: dict[str, Any]  # rubber molding in Tangerang, IATF 16949
    harness: dict[str, Any]  # harness assembly in Karawang, ISO 9001 that lapses soon
    unreviewed: dict[str, Any]  # certified, never approved
    bracket: dict[str, Any]  # the press shop's product


def capabilities(processes: list[str], materials: list[str], **more: Any) -> dict[str, Any]:
    return {"processes": processes, "materials": materials, **more}


async def directory(factory: Factory) -> Directory:
    team = await Team.make(factory)
    owner, curator = team.owner, team.curator
    press = await factory.supplier(
        owner,
        curator,
        brand_name="Maju Press",
        province="Jawa Barat",
        city="Bekasi",
        capabilities=capabilities(
            ["stamping", "welding"], ["SPCC steel", "SPHC"], customers=["PT Astra Otoparts"]
        ),
        certificates=("iso9001", "iso14001"),
        score=90,
    )
    rubber = await factory.supplier(
        owner,
        curator,
        brand_name="Karet Jaya",
        province="Banten",
        city="Tangerang",
        capabilities=capabilities(["rubber_molding"], ["EPDM rubber"]),
        certificates=("iatf16949",),
    )
    soon = (clock.today() + timedelta(days=3)).isoformat()
    harness = await factory.supplier(
        owner,
        curator,
        brand_name="Harness Karawang",
        province="Jawa Barat",
        city="Karawang",
        capabilities=capabilities(["wire_harness_assembly", "assembly"], ["Copper wire"]),
        expires_on=soon,
    )
    unreviewed = await factory.supplier(
        owner,
        curator,
        brand_name="Belum Dinilai",
        province="Jawa Barat",
        city="Bekasi",
        capabilities=capabilities(["stamping"], ["SPCC steel"]),
        decision=None,
    )
    bracket = await team.listed(msme_id=press["id"], name=BRACKET)
    return Directory(team, press, rubber, harness, unreviewed, bracket)


async def page(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    r = await client.get(SUPPLIERS, params={"limit": 100, **params})
    assert r.status_code == 200, r.text
    return dict(r.json())


async def found(client: httpx.AsyncClient, **params: Any) -> list[str]:
    return [s["id"] for s in (await page(client, **params))["items"]]


def counted(items: list[dict[str, Any]], name: str) -> dict[str, int]:
    """What a facet should say of `items`, counted from the items themselves."""
    if name == "province":
        return dict(Counter(s["province"] for s in items))
    if name == "process":
        return dict(Counter(p for s in items for p in s["capabilities"]["processes"]))
    return dict(Counter(c["code"] for s in items for c in s["certifications"]))


async def assert_facets_count_the_results(client: httpx.AsyncClient, **params: Any) -> None:
    """Each facet counts what each of its values gives with the other filters kept."""
    shown = await page(client, **params)
    for name in ("process", "certification", "province"):
        got = {v["value"]: v["count"] for v in shown["facets"][name]}
        assert all(v["label"] for v in shown["facets"][name])
        others = {k: v for k, v in params.items() if k != name}
        expected = counted((await page(client, **others))["items"], name)
        assert got == expected, (params, name)


async def test_the_directory_lists_approved_certified_suppliers_by_filter_and_facet(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    d = await directory(factory)
    listed = [d.press["id"], d.harness["id"], d.rubber["id"]]  # score, then brand
    assert await found(client) == listed
    seen: list[str] = []  # cursor pages of one each walk the same, once
    cursor = None
    while True:
        shown = await page(client, limit=1, **({"cursor": cursor} if cursor else {}))
        seen += [s["id"] for s in shown["items"]]
        if (cursor := shown["next_cursor"]) is None:
            break
    assert seen == listed
    r = await client.get(SUPPLIERS, params={"cursor": "bogus"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"

    shown = (await page(client, lang="en"))["items"][0]
    assert shown["brand_name"] == "Maju Press" and shown["city"] == "Bekasi"
    assert shown["score"] == 90 and shown["capabilities"]["processes"] == ["stamping", "welding"]
    assert [c["code"] for c in shown["certifications"]] == ["iso14001", "iso9001"]
    assert shown["products"] == [{"id": d.bracket["id"], "name": "Seat bracket"}]
    assert (await page(client, lang="ja"))["items"][0]["products"][0]["name"] == BRACKET["ja"]

    press, rubber, harness = d.press["id"], d.rubber["id"], d.harness["id"]
    for params, expected in [
        ({"process": "stamping"}, [press]),
        ({"process": "STAMPING"}, [press]),
        ({"process": "assembly"}, [harness]),
        ({"certification": "iatf16949"}, [rubber]),
        ({"certification": "iso9001"}, [press, harness]),
        ({"certification": "iso14001", "process": "welding"}, [press]),
        ({"province": "JB"}, [press, harness]),
        ({"province": "banten"}, [rubber]),
        ({"material": "spcc"}, [press]),
        ({"material": "ＳＰＣＣ Steel"}, [press]),
        ({"material": "copper"}, [harness]),
        ({"material": "copper", "province": "Banten"}, []),
    ]:
        assert await found(client, **params) == expected, params

    for params in [{}, {"province": "Jawa Barat"}, {"certification": "iso9001", "q": "pt"}]:
        await assert_facets_count_the_results(client, **params)
    await assert_facets_count_the_results(client, process="stamping", province="Banten")
    facets = (await page(client, lang="ja"))["facets"]
    assert {"value": "stamping", "label": "プレス加工", "count": 1} in facets["process"]
    assert {"value": "Jawa Barat", "label": "西ジャワ", "count": 2} in facets["province"]

    for bad, valid in [("process", "stamping"), ("certification", "iatf16949")]:
        r = await client.get(SUPPLIERS, params={bad: "laser"})
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
        assert valid in r.json()["detail"], r.text
    r = await client.get(SUPPLIERS, params={"province": "Atlantis", "certification": "halal"})
    assert r.status_code == 422 and "Jawa Barat" in r.text and "iso14001" in r.text, r.text

    r = await client.get(f"{SUPPLIERS}/{press}", params={"lang": "id"})
    assert r.status_code == 200 and r.json()["products"][0]["name"] == BRACKET["id"]
    for absent in (d.unreviewed["id"], str(uuid.uuid4())):
        r = await client.get(f"{SUPPLIERS}/{absent}")
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"

    # The harness shop's ISO 9001 lapses after three days: out of the directory that day.
    with days_pass(4):
        assert await found(client) == [press, rubber]
        assert (await client.get(f"{SUPPLIERS}/{harness}")).status_code == 404
        await assert_facets_count_the_results(client, province="Jawa Barat")


async def test_search_finds_suppliers_in_japanese_english_and_indonesian(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    d = await directory(factory)
    press, rubber, harness = d.press["id"], d.rubber["id"], d.harness["id"]
    for q, expected in [
        ("プレス", [press]),  # a process's name, in each language
        ("stamping", [press]),
        ("pengelasan", [press]),
        ("溶接", [press]),
        ("ゴム成形", [rubber]),
        ("ﾜｲﾔｰﾊｰﾈｽ", [harness]),  # half-width katakana
        ("wire harness assembly", [harness]),
        ("perakitan", [harness]),
        ("karet jaya", [rubber]),  # brand
        ("MAJU", [press]),
        ("tangerang", [rubber]),  # city, province
        ("西ジャワ", [press, harness]),
        ("astra", [press]),  # customers
        ("epdm", [rubber]),  # materials
        ("ISO 9001", [press, harness]),  # certificates
        ("IATF", [rubber]),
        ("品質マネジメント", [press, harness, rubber]),
        ("シートブラケット", [press]),  # a published product's name
        ("seat brackets", [press]),
        ("braket", [press]),
        ("stamping bracket", [press]),
        ("stamping karawang", []),
        ("kopi", []),  # a product's description, not its name
    ]:
        assert await found(client, q=q) == expected, q
    with days_pass(4):
        assert await found(client, q="ISO 9001") == [press]

    # The owner renames the brand and states another process: found by them at once.
    changed = {"brand_name": "Gomu Indah", "capabilities": capabilities(["forging"], ["NBR"])}
    r = await client.patch(f"/api/v1/msmes/{rubber}", json=changed, headers=d.team.owner.headers)
    assert r.status_code == 200, r.text
    for q, expected in [("鍛造", [rubber]), ("gomu", [rubber]), ("jaya", []), ("epdm", [])]:
        assert await found(client, q=q) == expected, q
    assert await found(client, process="forging", material="nbr") == [rubber]


async def test_a_page_reads_the_same_statements_for_2_suppliers_as_for_6(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    team = await Team.make(factory)

    async def add(n: int) -> None:
        for i in range(n):
            await factory.supplier(
                team.owner,
                team.curator,
                brand_name=f"Supplier {i}",
                capabilities=capabilities(["stamping"], ["SPCC"]),
            )

    async def statements() -> int:
        with statements_run(app) as run:
            shown = await page(client, q="stamping", certification="iso9001", lang="en")
        assert shown["items"]
        return len(run)

    await add(2)
    two = await statements()
    await add(4)
    assert await statements() == two <= 5  # BEGIN, the page, suppliers, products, facets


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing: make tools")
async def test_the_exhibition_catalog_has_a_section_of_the_suppliers_it_shows(
    client: httpx.AsyncClient, factory: Factory, tmp_path: Path
) -> None:
    await directory(factory)  # the press shop's bracket is in the Tokyo showroom
    r = await client.get("/api/v1/channels/tokyo-msme-center/catalog.pdf")
    assert r.status_code == 200, r.text
    text = pdf_text(r.content, tmp_path)
    assert "サプライヤー 1社" in text  # on the cover
    suppliers = text[text.index("サプライヤー（自動車部品）") :]
    for shown in ("Maju Press", "プレス加工（Stamping）", "溶接（Welding）", "シートブラケット"):
        assert shown in suppliers, shown
    assert "ISO 14001" in suppliers and "まで" in suppliers
    for absent in ("Karet Jaya", "Harness Karawang", "Belum Dinilai"):  # nothing shown here
        assert absent not in text

    r = await client.get("/api/v1/channels/tokyo-msme-center/catalog.xlsx", params={"lang": "en"})
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    rows = list(book["Suppliers (automotive parts)"].iter_rows(values_only=True))
    assert rows[0][1] == "Brand" and [row[1] for row in rows[1:]] == ["Maju Press"]
    assert rows[1][4] == "Stamping (プレス加工), Welding (溶接)" and rows[1][6] == BRACKET["en"]
