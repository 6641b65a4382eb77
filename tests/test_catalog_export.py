"""The exhibition catalog as files (SPEC §8): the PDF read back as a print shop and a buyer
would (its text extracted, its pages rendered, its QR codes decoded), the CSV and XLSX
opened, and `kurasi catalog export` run for real."""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import subprocess
import uuid
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
import zxingcpp
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import select

from app.config import Settings
from app.core import clock
from app.exhibition import service
from app.exhibition.choices import Format
from app.exhibition.service import FileKind
from app.models import Media
from tests.factories import Factory, Team, days_pass, set_rate, statements_run
from tests.test_cli import KURASI, cli_env, explain

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="poppler-utils (pdftotext, pdftoppm) missing: make tools",
)

EXPO = "jcc-2027"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
V1 = "/api/v1"
COFFEE = {
    "id": "Kopi Arabika Gayo",
    "en": "Roasted Gayo arabica coffee",
    "ja": "ガヨ・アラビカ焙煎コーヒー",
}
TEA = {"id": "Teh hijau Jawa", "en": "Java green tea", "ja": "ジャワ緑茶"}
# Names that must never show: listed elsewhere, taken off the expo, never approved.
ELSEWHERE = {"id": "Lada Tokyo", "en": "Tokyo-only white pepper", "ja": "東京限定の白胡椒"}
WITHDRAWN = {"id": "Vanili ditarik", "en": "Withdrawn vanilla pods", "ja": "取り下げたバニラ"}
DRAFT = {"id": "Kakao draf", "en": "Draft cocoa nibs", "ja": "下書きのカカオニブ"}


@dataclass
class Expo:
    team: Team
    coffee: dict[str, Any]
    tea: dict[str, Any]


async def expo(factory: Factory) -> Expo:
    """The JCC exhibition with a coffee (booth A-12) and a tea (B-03) of one MSME, plus
    products of the same MSME that are not published there."""
    team = await Team.make(factory)
    today = clock.today()
    await factory.channel(
        team.admin,
        EXPO,
        name={"en": "JCC Export Exhibition 2027", "ja": "JCC輸出展示会2027"},
        kind="exhibition",
        venue="Jakarta Convention Center",
        city="Jakarta",
        country="ID",
        starts_on=today.isoformat(),
        ends_on=(today + timedelta(days=4)).isoformat(),
    )
    await set_rate(factory.client, team.admin, "IDR", "0.0095", today.isoformat())
    msme_id = (await factory.msme(team.owner, brand_name="Gayo Lestari", province="Aceh"))["id"]
    coffee = await team.listed(msme_id=msme_id, channel=EXPO, booth="A-12", name=COFFEE)
    tea = await team.listed(
        msme_id=msme_id,
        channel=EXPO,
        booth="B-03",
        category="tea",
        hs_code="090230",
        name=TEA,
        price={"amount": "150000.00", "currency": "IDR"},
    )
    await team.listed(msme_id=msme_id, name=ELSEWHERE)  # in the Tokyo showroom only
    withdrawn = await team.listed(msme_id=msme_id, channel=EXPO, name=WITHDRAWN)
    r = await factory.client.delete(
        f"{V1}/channels/{EXPO}/listings/{withdrawn['id']}", headers=team.admin.headers
    )
    assert r.status_code == 204, r.text
    await factory.product(team.owner, msme_id, name=DRAFT)
    return Expo(team, coffee, tea)


def pdf_text(content: bytes, folder: Path) -> str:
    path = folder / "catalog.pdf"
    path.write_bytes(content)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return done.stdout.decode()


def qr_codes(content: bytes, folder: Path) -> list[str]:
    """The text of every QR code on every page, rendered at 150 dpi as a scanner would see
    a print."""
    pages = folder / f"pages-{uuid.uuid4().hex[:8]}"
    pages.mkdir()
    path = pages / "catalog.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(pages / "page")], check=True)
    found = []
    for page in sorted(pages.glob("page-*.png")):
        with Image.open(page) as image:
            found += [code.text for code in zxingcpp.read_barcodes(image)]
    return found


def images_drawn(content: bytes, folder: Path) -> int:
    path = folder / "catalog.pdf"
    path.write_bytes(content)
    listed = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True)
    return len(listed.stdout.splitlines()) - 2  # below a header of two lines


def never_unpublished(text: str) -> None:
    for names in (ELSEWHERE, WITHDRAWN, DRAFT):
        for name in names.values():
            assert name not in text


async def download(client: httpx.AsyncClient, fmt: str, **params: str) -> httpx.Response:
    r = await client.get(f"{V1}/channels/{EXPO}/catalog.{fmt}", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == f'attachment; filename="{EXPO}-catalog.{fmt}"'
    return r


async def test_the_pdf_shows_the_channels_products_and_their_qr_codes(
    client: httpx.AsyncClient, factory: Factory, tmp_path: Path
) -> None:
    e = await expo(factory)
    r = await download(client, "pdf")  # no token: anyone may download it
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    text = pdf_text(r.content, tmp_path)
    for expected in (
        # the cover
        "JCC輸出展示会2027",
        "JCC Export Exhibition 2027",
        "Jakarta Convention Center, Jakarta, ID",
        "展示会",
        "掲載商品 2点",
        # the categories, in both languages
        "コーヒー / Coffee（1点）",
        "茶 / Tea（1点）",
        # each product
        COFFEE["ja"],
        COFFEE["en"],
        "Gayo Lestari ・ アチェ",
        "¥2,708 / kg（IDR 285,000.00 / kg FOB）",  # 285,000 IDR at 0.0095, to the yen
        "最低発注数量 50 kg",
        "リードタイム 21日",
        "ブース A-12",
        TEA["ja"],
        TEA["en"],
        "¥1,425 / kg（IDR 150,000.00 / kg FOB）",
        "ブース B-03",
    ):
        assert expected in text, (expected, text)
    never_unpublished(text)
    assert text.index(COFFEE["ja"]) < text.index(COFFEE["en"])  # Japanese first
    # By category, each named in both languages before its products.
    assert (
        text.index("\nコーヒー / Coffee\n") < text.index(COFFEE["ja"]) < text.index("\n茶 / Tea\n")
    )
    assert images_drawn(r.content, tmp_path) == 2
    codes = qr_codes(r.content, tmp_path)
    assert sorted(codes) == sorted(f"http://testserver/p/{p['id']}" for p in (e.coffee, e.tea))
    for url in codes:  # each opens its product's public page, as a buyer's phone would
        page = await client.get(url)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert COFFEE["ja"] in (await client.get(f"/p/{e.coffee['id']}")).text

    english = pdf_text((await download(client, "pdf", lang="en")).content, tmp_path)
    assert english.index(COFFEE["en"]) < english.index(COFFEE["ja"])  # English first
    for expected in (
        "Coffee / コーヒー (1)",
        "¥2,708 / kg (IDR 285,000.00 / kg FOB)",
        "MOQ 50 kg ・ Lead time 21 days",
        "Booth A-12",
        "2 products",
    ):
        assert expected in english, expected
    never_unpublished(english)


JA_HEADER = [
    *("商品ID", "カテゴリー", "商品名（日本語）", "商品名（英語）", "ブランド", "州", "HSコード"),
    *("価格（円）", "価格（現地通貨）", "通貨", "インコタームズ", "最低発注数量", "単位"),
    *("リードタイム（日）", "認証", "ブース", "商品ページ"),
]
EN_HEADER = [
    *("Product ID", "Category", "Name (English)", "Name (Japanese)", "Brand", "Province"),
    *("HS code", "Price (JPY)", "Price (own currency)", "Currency", "Incoterm", "MOQ", "Unit"),
    *("Lead time (days)", "Certifications", "Booth", "Product page"),
]


def read_csv(response: httpx.Response) -> list[list[str]]:
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(codecs.BOM_UTF8)  # so that Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(response.content[3:].decode("utf-8"), newline="")))


def read_xlsx(response: httpx.Response) -> list[list[Any]]:
    assert response.headers["content-type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.title == EXPO
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_csv_and_xlsx_hold_the_pdfs_rows_under_a_header_in_the_chosen_language(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    e = await expo(factory)
    brand, food = ["Gayo Lestari", "アチェ"], "食品登録（SPP-IRT／BPOM MD）"
    coffee = [e.coffee["id"], "コーヒー", COFFEE["ja"], COFFEE["en"], *brand, "090121"]
    tea = [e.tea["id"], "茶", TEA["ja"], TEA["en"], *brand, "090230"]
    coffee_page, tea_page = (f"http://testserver/p/{p['id']}" for p in (e.coffee, e.tea))
    assert read_csv(await download(client, "csv")) == [
        JA_HEADER,
        [*coffee, "2708", "285000.00", "IDR", "FOB", "50", "kg", "21", food, "A-12", coffee_page],
        [*tea, "1425", "150000.00", "IDR", "FOB", "50", "kg", "21", food, "B-03", tea_page],
    ]
    assert read_xlsx(await download(client, "xlsx")) == [  # numbers as numbers
        JA_HEADER,
        [*coffee, 2708, 285000, "IDR", "FOB", 50, "kg", 21, food, "A-12", coffee_page],
        [*tea, 1425, 150000, "IDR", "FOB", 50, "kg", 21, food, "B-03", tea_page],
    ]
    with days_pass(5):  # the exhibition is over: its products leave its files
        assert read_csv(await download(client, "csv")) == [JA_HEADER]

    english = read_csv(await download(client, "csv", lang="en"))
    assert english[0] == EN_HEADER
    assert english[1][1:4] == ["Coffee", COFFEE["en"], COFFEE["ja"]]
    assert english[1][5] == "Aceh" and english[1][14] == "Food registration (SPP-IRT or BPOM MD)"
    assert read_xlsx(await download(client, "xlsx", lang="en"))[0] == EN_HEADER


async def test_no_spreadsheet_cell_is_a_formula_made_of_an_owners_text(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    await factory.channel(team.admin, EXPO, name={"en": "Expo"}, kind="exhibition")
    names = {"id": "-2+3", "en": '=HYPERLINK("http://evil.example","prize")', "ja": "@SUM(1,2)"}
    await team.listed(channel=EXPO, name=names, booth="+81")
    header, cells = read_csv(await download(client, "csv"))
    assert cells[2:4] == ["'@SUM(1,2)", "'" + names["en"]]  # shown as text, never run
    assert cells[header.index("ブース")] == "'+81"
    response = await download(client, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    typed = [(c.value, c.data_type) for c in sheet[2]]
    assert (names["ja"], "s") in typed and (names["en"], "s") in typed and ("+81", "s") in typed
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        assert b"<f>" not in book.read("xl/worksheets/sheet1.xml")


async def test_an_empty_channel_has_files_an_unknown_one_is_404_a_language_422(
    client: httpx.AsyncClient, factory: Factory, tmp_path: Path
) -> None:
    await Team.make(factory)  # its showroom has no product yet: files with none
    r = await client.get(f"{V1}/channels/tokyo-msme-center/catalog.pdf")
    assert r.status_code == 200
    assert "このチャネルに掲載中の商品はまだありません。" in pdf_text(r.content, tmp_path)
    r = await client.get(f"{V1}/channels/tokyo-msme-center/catalog.csv", params={"lang": "en"})
    assert read_csv(r) == [EN_HEADER]
    for fmt in ("pdf", "csv", "xlsx"):
        r = await client.get(f"{V1}/channels/no-such-expo/catalog.{fmt}")
        assert r.status_code == 404, r.text
        assert r.headers["content-type"] == "application/problem+json"
        r = await client.get(f"{V1}/channels/tokyo-msme-center/catalog.{fmt}?lang=id")
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["loc"] == ["query", "lang"]


async def test_a_missing_or_broken_image_leaves_an_empty_frame(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, tmp_path: Path
) -> None:
    team = await Team.make(factory)
    broken, missing = await team.listed(), await team.listed()
    storage = app.state.storage
    keys = {m["id"]: m for m in (broken["media"][0], missing["media"][0])}
    async with factory.session() as session:
        stored = dict(
            (
                await session.execute(
                    select(Media.id, Media.storage_key).where(
                        Media.id.in_([uuid.UUID(k) for k in keys])
                    )
                )
            ).all()
        )
    await storage.put(
        stored[uuid.UUID(broken["media"][0]["id"])],
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "image/png",
    )
    await storage.delete(stored[uuid.UUID(missing["media"][0]["id"])])
    r = await client.get(f"{V1}/channels/tokyo-msme-center/catalog.pdf")
    assert r.status_code == 200, r.text
    assert images_drawn(r.content, tmp_path) == 0
    assert len(qr_codes(r.content, tmp_path)) == 2


async def test_the_export_reads_the_same_statements_for_2_products_as_for_6(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, tmp_path: Path
) -> None:
    team = await Team.make(factory)

    async def export() -> list[str]:
        with statements_run(app) as statements:
            r = await client.get(f"{V1}/channels/tokyo-msme-center/catalog.pdf")
        assert r.status_code == 200, r.text
        assert images_drawn(r.content, tmp_path) == len(found)  # each image was read
        return statements

    msme_id = (await factory.msme(team.owner))["id"]
    found = [await team.listed(msme_id=msme_id) for _ in range(2)]
    two = await export()
    for _ in range(4):
        found.append(await team.listed(msme_id=msme_id, category="tea", hs_code="090230"))
    six = await export()
    assert len(six) == len(two) <= 7, six  # 7: the suppliers among the MSMEs shown


async def test_kurasi_catalog_export_writes_the_same_catalog(
    client: httpx.AsyncClient, factory: Factory, settings: Settings, tmp_path: Path
) -> None:
    e = await expo(factory)
    env = cli_env(settings.database_url, settings.storage_dir)
    env["KURASI_PUBLIC_BASE_URL"] = "https://kurasi.example.jp"

    def export(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(KURASI), "catalog", "export", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)

    pdf = tmp_path / "expo.pdf"
    done = export("--channel", EXPO, "--format", "pdf", "--output", str(pdf), "--lang", "en")
    assert done.returncode == 0, explain(done)
    assert done.stdout == f"wrote {pdf}: 2 products, {pdf.stat().st_size:,} bytes\n"
    text = pdf_text(pdf.read_bytes(), tmp_path)
    for expected in (COFFEE["en"], COFFEE["ja"], TEA["en"], TEA["ja"], "¥2,708 / kg"):
        assert expected in text, expected
    assert text.index(COFFEE["en"]) < text.index(COFFEE["ja"])
    never_unpublished(text)
    assert sorted(qr_codes(pdf.read_bytes(), tmp_path)) == sorted(
        f"https://kurasi.example.jp/p/{p['id']}" for p in (e.coffee, e.tea)
    )

    spreadsheet = tmp_path / "expo.csv"
    done = export("--channel", EXPO, "--format", "csv", "--output", str(spreadsheet))
    assert done.returncode == 0, explain(done)
    rows = list(csv.reader(io.StringIO(spreadsheet.read_text("utf-8-sig"), newline="")))
    assert rows[0] == JA_HEADER and [r[2] for r in rows[1:]] == [COFFEE["ja"], TEA["ja"]]

    before = pdf.read_bytes()
    done = export("--channel", "no-such-expo", "--format", "pdf", "--output", str(pdf))
    assert done.returncode == 1 and "No such channel" in done.stderr
    assert pdf.read_bytes() == before  # the file there stays as it was


async def test_a_channel_larger_than_a_file_takes_is_422(
    client: httpx.AsyncClient, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = await Team.make(factory)
    msme_id = (await factory.msme(team.owner))["id"]
    for _ in range(2):
        await team.listed(msme_id=msme_id)
    monkeypatch.setitem(service.KINDS, Format.pdf, FileKind("application/pdf", 1))
    r = await client.get(f"{V1}/channels/tokyo-msme-center/catalog.pdf")
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == "The channel shows 2 products; this format holds at most 1."
    assert (await client.get(f"{V1}/channels/tokyo-msme-center/catalog.csv")).status_code == 200
