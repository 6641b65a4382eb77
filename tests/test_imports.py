"""Bulk import of products (SPEC §8): the files MSMEs really send, read through the API
and the CLI; a dry run and a refused commit write nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import anyio
import httpx
import openpyxl
import pytest
from typer.testing import CliRunner, Result

from app.cli import app as cli
from app.demo.files import png
from app.imports.template import template_xlsx
from tests.factories import Actor, Factory, Team

V1 = "/api/v1"
PROBLEM = "application/problem+json"
COLUMNS = [
    "sku", "category", "hs_code", "name_id", "name_en", "name_ja", "description_id",
    "description_en", "description_ja", "price_amount", "price_currency", "incoterm",
    "port_of_loading", "unit", "moq", "lead_time_days", "monthly_capacity",
    "shelf_life_days", "packaging", "net_weight_g",
]  # fmt: skip

# Two products as an Indonesian MSME writes them: a category by its Indonesian name, an
# HS code with a dot, a price with a decimal comma and one with a decimal point, a
# thousands dot in the MOQ, commas and a line break inside quoted descriptions.
KOPI = {
    "sku": "KOPI-250",
    "category": "Kopi",
    "hs_code": "0901.21",
    "name_id": "Kopi Arabika Gayo Sangrai",
    "name_en": "Gayo arabica, roasted",
    "name_ja": "ガヨ・アラビカ 焙煎豆",
    "description_id": "Kopi sangrai, medium.\nDipetik tangan di Takengon.",
    "description_ja": "中煎り、手摘み。",
    "price_amount": "12.500,50",
    "price_currency": "IDR",
    "incoterm": "fob",
    "port_of_loading": "Belawan, Medan",
    "unit": "pack",
    "moq": "1.000",
    "lead_time_days": "30",
    "monthly_capacity": "4000",
    "shelf_life_days": "365",
    "packaging": "Valve bag, 20 per carton",
    "net_weight_g": "250",
}
TEH = {
    "sku": "TEH-100",
    "category": "tea",
    "hs_code": "090230",
    "name_id": "Teh Hijau Jawa",
    "name_en": "Java green tea",
    "name_ja": "ジャワ緑茶",
    "price_amount": "12500.50",
    "price_currency": "IDR",
    "incoterm": "FOB",
    "unit": "box",
    "moq": "200",
    "shelf_life_days": "540",
}


def csv_file(
    rows: list[dict[str, Any]],
    *,
    columns: list[str] = COLUMNS,
    delimiter: str = ",",
    bom: bool = True,
    trailing: int = 2,
    encoding: str = "utf-8",
) -> bytes:
    """A CSV as Excel saves it: CRLF lines, quoted where needed, empty rows at the end."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    for _ in range(trailing):
        writer.writerow([""] * len(columns))
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode(encoding)


def xlsx_file(rows: list[dict[str, Any]], columns: list[str] = COLUMNS) -> bytes:
    """The template's workbook (GET /imports/template.xlsx) filled in, as an owner would."""
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = book["Products"]
    assert [c.value for c in sheet[1]] == columns
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    sheet.append([None] * len(columns))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def send(
    client: httpx.AsyncClient,
    actor: Actor | None,
    msme_id: str,
    content: bytes,
    *,
    dry_run: bool = True,
    filename: str = "products.csv",
) -> httpx.Response:
    return await client.post(
        f"{V1}/msmes/{msme_id}/imports",
        params={"dry_run": str(dry_run).lower()},
        files={"file": (filename, content, "application/octet-stream")},
        headers=actor.headers if actor else {},
    )


async def products(client: httpx.AsyncClient, owner: Actor, msme_id: str) -> dict[str, Any]:
    """The MSME's products by SKU."""
    r = await client.get(
        f"{V1}/products", params={"msme_id": msme_id, "limit": 100}, headers=owner.headers
    )
    assert r.status_code == 200, r.text
    return {p["sku"]: p for p in r.json()["items"]}


def problems(body: dict[str, Any]) -> set[tuple[int | None, str | None]]:
    return {(e["row"], e["column"]) for e in body["errors"]}


# -- templates --------------------------------------------------------------------------


async def test_anyone_downloads_the_templates(client: httpx.AsyncClient) -> None:
    r = await client.get(f"{V1}/imports/template.csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")))) == [COLUMNS]

    r = await client.get(f"{V1}/imports/template.xlsx")
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["Products", "Guide", "Categories"]
    assert [c.value for c in book["Products"][1]] == COLUMNS
    guide = {row[0]: row for row in book["Guide"].iter_rows(values_only=True)}
    assert set(COLUMNS) <= set(guide)
    assert "FOB" in guide["incoterm"][3] and "pcs" in guide["unit"][3]
    assert guide["sku"][6] and guide["sku"][5]  # Japanese and Indonesian
    codes = [row[0] for row in book["Categories"].iter_rows(min_row=2, values_only=True)]
    assert "coffee" in codes


# -- good files -------------------------------------------------------------------------


# The same rows in an XLSX with numbers stored as numbers: the HS codes lost their
# leading zero, as Excel drops it, and the prices are floats.
KOPI_NUMBERS = {
    **KOPI,
    "hs_code": 90121,
    "price_amount": 12500.5,
    **{"moq": 1000, "lead_time_days": 30, "monthly_capacity": 4000, "shelf_life_days": 365},
    "net_weight_g": 250,
}
# A price a formula computed carries float noise (12500.500000000002); Excel shows 12500.5.
TEH_NUMBERS = {
    **TEH,
    "hs_code": 90230,
    "price_amount": 12500.5 / 21 * 21,
    "moq": 200,
    "shelf_life_days": 540,
}

FILES = {
    "excel-csv-utf8-bom": lambda: csv_file([KOPI, TEH]),
    "semicolon-csv-no-bom": lambda: csv_file([KOPI, TEH], delimiter=";", bom=False),
    "xlsx-numbers-as-numbers": lambda: xlsx_file([KOPI_NUMBERS, TEH_NUMBERS]),
    "xlsx-numbers-as-text": lambda: xlsx_file([KOPI, TEH]),
}


@pytest.mark.parametrize("kind", FILES)
async def test_a_real_file_is_checked_then_imported(
    client: httpx.AsyncClient, factory: Factory, kind: str
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    content = FILES[kind]()

    r = await send(client, owner, msme["id"], content)
    assert r.status_code == 200, r.text
    assert r.json() == {
        "dry_run": True,
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
    }
    assert await products(client, owner, msme["id"]) == {}  # a dry run writes nothing

    r = await send(client, owner, msme["id"], content, dry_run=False)
    assert r.status_code == 200, r.text
    assert r.json()["dry_run"] is False and r.json()["created"] == 2
    made = await products(client, owner, msme["id"])
    kopi, teh = made["KOPI-250"], made["TEH-100"]
    assert kopi["status"] == teh["status"] == "draft"
    assert kopi["category"] == "coffee" and kopi["hs_code"] == "090121"
    assert kopi["price"] == {"amount": "12500.50", "currency": "IDR"}
    assert teh["price"] == {"amount": "12500.50", "currency": "IDR"}
    assert kopi["incoterm"] == "FOB" and kopi["moq"] == 1000 and kopi["unit"] == "pack"
    assert kopi["name"] == {"id": KOPI["name_id"], "en": KOPI["name_en"], "ja": KOPI["name_ja"]}
    assert kopi["description"] == {"id": KOPI["description_id"], "ja": KOPI["description_ja"]}
    assert kopi["packaging"] == "Valve bag, 20 per carton"
    assert teh["hs_code"] == "090230" and teh["shelf_life_days"] == 540
    assert teh["lead_time_days"] is None and teh["description"] == {}


# How prices are read, as the route's description and the README say.
PRICES = {
    "12500.50": "12500.50",
    "12.500,50": "12500.50",
    "12,500.50": "12500.50",
    "12.500": "12500.00",  # one mark before three digits groups thousands
    "12,500": "12500.00",
    "12,5": "12.50",  # before one or two digits it is the decimal mark
    "1.250.000": "1250000.00",
    "Rp 12.500": "12500.00",
    "1,200円": "1200.00",
}


async def test_prices_are_read_in_either_notation(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    rows = [{**TEH, "sku": written, "price_amount": written} for written in PRICES]
    r = await send(client, owner, msme["id"], csv_file(rows), dry_run=False)
    assert r.status_code == 200, r.text
    made = await products(client, owner, msme["id"])
    assert {sku: p["price"]["amount"] for sku, p in made.items()} == PRICES


# -- every problem at once; nothing written ----------------------------------------------

BAD_ROWS = [
    ({**TEH, "sku": ""}, "sku"),  # row 2: no SKU
    ({**TEH, "sku": "P-1"}, None),  # row 3: good
    ({**TEH, "sku": "P-1"}, "sku"),  # row 4: the same SKU again
    ({**TEH, "sku": "P-2", "price_amount": "12.5.0"}, "price_amount"),
    ({**TEH, "sku": "P-3", "category": "perabot antik"}, "category"),
    ({**TEH, "sku": "P-4", "hs_code": "080121"}, "hs_code"),  # not a tea chapter
    ({**TEH, "sku": "P-5", "name_id": ""}, "name_id"),
    ({**TEH, "sku": "P-6", "incoterm": "FCA"}, "incoterm"),
    ({**TEH, "sku": "P-7", "price_currency": ""}, "price_currency"),
    ({**TEH, "sku": "P-8", "moq": "1,5"}, "moq"),
    ({**TEH, "sku": "P-9", "price_currency": "QQQ"}, "price_currency"),
    ({**TEH, "sku": "P-10", "moq": "-1"}, "moq"),
]


async def test_every_problem_of_every_row_is_reported_and_a_failed_commit_writes_nothing(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    content = csv_file([row for row, _ in BAD_ROWS])
    expected = {(n, column) for n, (_, column) in enumerate(BAD_ROWS, 2) if column}

    r = await send(client, owner, msme["id"], content)
    assert r.status_code == 200, r.text
    report = r.json()
    assert problems(report) == expected
    assert report["rows"] == len(BAD_ROWS) and report["created"] == 1
    duplicate = next(e for e in report["errors"] if e["row"] == 4)
    assert "row 3" in duplicate["message"]
    negative = next(e for e in report["errors"] if e["row"] == len(BAD_ROWS) + 1)
    assert negative["message"] == "'-1' is negative: write a number of 0 or more"

    r = await send(client, owner, msme["id"], content, dry_run=False)
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["dry_run"] is False and body["rows"] == len(BAD_ROWS)
    assert problems(body) == expected
    assert all(
        e["msg"] == e["message"] and e["loc"][:2] == ["body", "file"] for e in body["errors"]
    )
    assert await products(client, owner, msme["id"]) == {}  # not even the good row


# -- known SKUs: updated as PATCH would ----------------------------------------------------


async def test_known_skus_are_updated_as_a_patch_would(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    team = await Team.make(factory)
    owner = team.owner
    msme_id = (await factory.msme(owner))["id"]
    draft = await factory.product(owner, msme_id, sku="D-1")
    approved = await team.listed(msme_id=msme_id, sku="A-1")
    reviewed = await factory.ready_product(owner, msme_id, sku="R-1")
    for who, action in ((owner, "submit"), (team.curator, "start_review")):
        assert (await factory.transition(who, reviewed["id"], action)).status_code == 200
    rows = [
        {"sku": "D-1", "moq": "75", "name_ja": "新しい名前"},
        {"sku": "A-1", "price_amount": "300.000"},  # keeps its currency
        {"sku": "R-1", "moq": "10"},
    ]

    r = await send(client, owner, msme_id, csv_file(rows))
    assert r.status_code == 200, r.text
    assert r.json()["updated"] == 2 and r.json()["created"] == 0
    assert problems(r.json()) == {(4, "sku")}
    assert "review" in r.json()["errors"][0]["message"]

    before = await products(client, owner, msme_id)
    r = await send(client, owner, msme_id, csv_file(rows), dry_run=False)
    assert r.status_code == 422, r.text
    assert await products(client, owner, msme_id) == before  # the failed commit wrote nothing

    r = await send(client, owner, msme_id, csv_file(rows[:2]), dry_run=False)
    assert r.status_code == 200, r.text
    assert (r.json()["updated"], r.json()["unchanged"]) == (2, 0)
    after = await products(client, owner, msme_id)
    d1, a1 = after["D-1"], after["A-1"]
    assert d1["moq"] == 75 and d1["version"] == draft["version"] + 1
    assert d1["name"] == {**draft["name"], "ja": "新しい名前"}
    assert d1["price"] == draft["price"] and d1["status"] == "draft"
    assert a1["status"] == "draft" and a1["approved_revision"] == approved["approved_revision"]
    assert a1["price"] == {"amount": "300000.00", "currency": "IDR"}
    trail = await client.get(f"{V1}/products/{a1['id']}/transitions", headers=owner.headers)
    last = trail.json()["items"][-1]
    assert (last["action"], last["to_status"]) == ("edit", "draft")
    listed = await client.get(f"{V1}/catalog/products/{a1['id']}")
    assert listed.status_code == 200 and listed.json()["price"] == approved["price"]

    r = await send(client, owner, msme_id, csv_file(rows[:2]), dry_run=False)
    assert (r.json()["updated"], r.json()["unchanged"]) == (2, 2)  # the same file again


# -- bad files -----------------------------------------------------------------------------


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return out.getvalue()


def _over_10_mb() -> bytes:
    content = csv_file([TEH], trailing=0)
    return content + b"\r\n" * ((10_000_001 - len(content)) // 2 + 1)


BAD_FILES = {
    "pdf": lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
    "png": png,
    "zip, not a workbook": _zip,
    "xls (Excel 97-2003)": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    "Shift-JIS CSV": lambda: csv_file([TEH], bom=False, encoding="cp932"),
    "missing column": lambda: csv_file([TEH], columns=[c for c in COLUMNS if c != "name_id"]),
    "unknown column": lambda: csv_file([TEH], columns=[*COLUMNS, "colour"]),
    "10,001 rows": lambda: csv_file([{"sku": f"S-{i}"} for i in range(10_001)], bom=False),
    "over 10 MB": _over_10_mb,
    "empty": lambda: b"",
}


async def test_bad_files_are_a_clear_422_and_write_nothing(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    wrong = []
    for name, make in BAD_FILES.items():
        for dry_run in (True, False):
            r = await send(client, owner, msme["id"], make(), dry_run=dry_run)
            body = r.json()
            if r.status_code != 422 or r.headers["content-type"] != PROBLEM:
                wrong.append(f"{name}: {r.status_code} {r.text[:200]}")
            elif not body["errors"] or not all(e["message"] for e in body["errors"]):
                wrong.append(f"{name}: no errors in {body}")
    assert wrong == []
    assert await products(client, owner, msme["id"]) == {}

    missing = await send(client, owner, msme["id"], BAD_FILES["missing column"]())
    assert problems(missing.json()) == {(1, "name_id")} and "name_id" in missing.json()["detail"]
    unknown = await send(client, owner, msme["id"], BAD_FILES["unknown column"]())
    assert problems(unknown.json()) == {(1, "colour")}
    too_many = await send(client, owner, msme["id"], BAD_FILES["10,001 rows"]())
    assert "10,000" in too_many.json()["detail"]
    shift_jis = await send(client, owner, msme["id"], BAD_FILES["Shift-JIS CSV"]())
    assert "UTF-8" in shift_jis.json()["detail"] and "line 2" in shift_jis.json()["detail"]

    url = f"{V1}/msmes/{msme['id']}/imports"
    r = await client.post(url, data={"other": "x"}, files={"x": ("a", b"")}, headers=owner.headers)
    assert r.status_code == 422 and "file" in r.json()["detail"]
    r = await client.post(url, json={"file": "sku,category"}, headers=owner.headers)
    assert r.status_code == 415 and r.headers["content-type"] == PROBLEM


async def test_only_the_msme_owner_and_admins_may_import(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    content = csv_file([TEH])
    callers = {
        "another owner": (await factory.owner(), 404),
        "buyer": (await factory.buyer(), 403),
        "curator": (await factory.curator(), 403),
        "anonymous": (None, 401),
        "admin": (await factory.admin(), 200),
    }
    for name, (actor, status) in callers.items():
        r = await send(client, actor, msme["id"], content, dry_run=False)
        assert r.status_code == status, f"{name}: {r.text}"
    assert set(await products(client, owner, msme["id"])) == {"TEH-100"}  # the admin's


# -- the CLI -------------------------------------------------------------------------------


async def kurasi(database_url: str, folder: Path, *args: str) -> Result:
    """`kurasi ...` on the suite's database, in a thread of its own (the command runs its
    own event loop), with settings from the environment only, as in production."""
    env = {
        "KURASI_DATABASE_URL": database_url,
        "KURASI_STORAGE_DIR": str(folder / "storage"),
        "KURASI_SECRET_KEY": "kurasi-cli-test-secret-0123456789abcdef",
    }
    return await anyio.to_thread.run_sync(lambda: CliRunner().invoke(cli, list(args), env=env))


async def test_cli_imports_as_the_owner_after_a_dry_run(
    client: httpx.AsyncClient, factory: Factory, database_url: str, tmp_path: Path
) -> None:
    owner, curator = await factory.owner(), await factory.curator()
    msme_id = (await factory.msme(owner))["id"]
    approved = await factory.approved_product(owner, curator, msme_id, sku="A-1")
    good, bad = tmp_path / "products.xlsx", tmp_path / "bad.csv"
    good.write_bytes(xlsx_file([KOPI, TEH, {"sku": "A-1", "moq": 999}]))
    bad.write_bytes(csv_file([TEH, {**KOPI, "price_amount": "12.5.0"}]))
    command = ("products", "import", "--msme", msme_id)

    run = await kurasi(database_url, tmp_path, *command, str(good))
    assert run.exit_code == 0, run.output
    assert "3 rows, 2 to create, 1 to update" in run.stdout and "--commit" in run.stdout
    assert set(await products(client, owner, msme_id)) == {"A-1"}

    run = await kurasi(database_url, tmp_path, *command, str(bad), "--commit")
    assert run.exit_code == 1
    assert "row 3, price_amount" in run.stderr
    assert set(await products(client, owner, msme_id)) == {"A-1"}

    run = await kurasi(database_url, tmp_path, *command, str(good), "--commit")
    assert run.exit_code == 0, run.output
    assert "2 created, 1 updated" in run.stdout
    made = await products(client, owner, msme_id)
    assert set(made) == {"A-1", "KOPI-250", "TEH-100"} and made["A-1"]["moq"] == 999
    # The audit trail names the MSME's owner as the one who edited the approved product.
    trail = await client.get(f"{V1}/products/{approved['id']}/transitions", headers=owner.headers)
    last = trail.json()["items"][-1]
    assert (last["action"], last["actor_id"]) == ("edit", owner.id)
