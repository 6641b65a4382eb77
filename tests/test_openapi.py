"""The OpenAPI document says what the server does, so that partners can generate clients."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.factories import Factory

PROBLEM = "application/problem+json"


@pytest.fixture
async def spec(client: httpx.AsyncClient) -> dict[str, Any]:
    r = await client.get("/openapi.json")
    assert r.status_code == 200
    return r.json()


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The component a schema refers to, or the schema itself."""
    ref = schema.get("$ref")
    return spec["components"]["schemas"][ref.rpartition("/")[2]] if ref else schema


def test_every_operation_has_a_written_summary(spec: dict[str, Any]) -> None:
    generated = []
    for path, method, op in operations(spec):
        # FastAPI's fallback is the function name in title case ("Get Me").
        fallback = op["operationId"].replace("_", " ").title()
        if op.get("summary", fallback) == fallback or len(op["summary"].split()) < 2:
            generated.append(f"{method.upper()} {path}: {op.get('summary')}")
    assert generated == []


def test_errors_are_documented_as_problem_json_only(spec: dict[str, Any]) -> None:
    wrong = []
    for path, method, op in operations(spec):
        for status, response in op["responses"].items():
            if int(status) < 400:
                continue
            content = response.get("content", {})
            schema = content.get(PROBLEM, {}).get("schema")
            if list(content) != [PROBLEM] or schema != {"$ref": "#/components/schemas/Problem"}:
                wrong.append(f"{method.upper()} {path} {status}: {sorted(content)}")
    assert wrong == []
    assert "HTTPValidationError" not in json.dumps(spec)


def test_guards_and_faults_are_documented_on_every_api_route(spec: dict[str, Any]) -> None:
    missing = []
    for path, method, op in operations(spec):
        if not path.startswith("/api/"):
            continue
        expected = {"422", "503"}
        if method in ("post", "put", "patch"):
            expected |= {"413", "415"}
        if "requestBody" in op:
            expected.add("400")
        if not expected <= set(op["responses"]):
            missing.append(f"{method.upper()} {path}: {sorted(expected - set(op['responses']))}")
    assert missing == []
    assert (
        "Retry-After" in spec["paths"]["/api/v1/auth/token"]["post"]["responses"]["429"]["headers"]
    )


def test_every_request_body_has_an_example(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    without = []
    for path, method, op in operations(spec):
        for media_type, media in op.get("requestBody", {}).get("content", {}).items():
            ref = media.get("schema", {}).get("$ref", "")
            component = schemas.get(ref.rpartition("/")[2], {})
            if not (media.get("example") or media.get("examples") or component.get("examples")):
                without.append(f"{method.upper()} {path} {media_type}")
    assert without == []


def test_optional_parameters_are_not_documented_as_null(spec: dict[str, Any]) -> None:
    nullable = [
        f"{method.upper()} {path} {p['name']}"
        for path, method, op in operations(spec)
        for p in op.get("parameters", [])
        if '"null"' in json.dumps(p["schema"])
    ]
    assert nullable == []
    # A form field is sent or left out: a form cannot carry null.
    login_form = spec["components"]["schemas"]["LogInForm"]
    assert '"null"' not in json.dumps(login_form)


def test_money_and_codes_are_documented_as_what_the_server_takes(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    amount = schemas["MoneyIn"]["properties"]["amount"]
    assert amount["type"] == "string" and amount["pattern"].startswith("^")
    currencies = resolve(spec, schemas["MoneyIn"]["properties"]["currency"])["enum"]
    assert "IDR" in currencies and "QQQ" not in currencies
    image_types = resolve(spec, schemas["MediaCreate"]["properties"]["content_type"])["enum"]
    assert "image/webp" in image_types
    product_docs = resolve(spec, schemas["ProductDocumentCreate"]["properties"]["doc_type"])
    msme_docs = resolve(spec, schemas["MsmeDocumentCreate"]["properties"]["doc_type"])
    assert "halal" in product_docs["enum"] and "nib" not in product_docs["enum"]
    assert "nib" in msme_docs["enum"]
    catalog = {
        p["name"]: resolve(spec, p["schema"])
        for p in spec["paths"]["/api/v1/catalog/products"]["get"]["parameters"]
    }
    assert "coffee" in catalog["category"]["enum"]
    assert "Aceh" in catalog["province"]["enum"]
    assert "halal" in catalog["certification"]["enum"]
    assert catalog["min_price_jpy"]["type"] == "string"
    upload = spec["paths"]["/api/v1/storage/uploads"]["post"]["requestBody"]["content"]
    assert "file" in upload["multipart/form-data"]["schema"]["properties"]


async def test_unknown_province_filter_is_422_naming_the_valid_ones(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get("/api/v1/catalog/products", params={"province": "Atlantis"})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    assert "Aceh" in r.json()["errors"][0]["msg"]
    ok = await client.get("/api/v1/catalog/products", params={"province": "id-ac"})
    assert ok.status_code == 200


def test_bounds_are_json_schema_keywords(spec: dict[str, Any]) -> None:
    text = json.dumps(spec)
    for raw in ('"ge":', '"le":', '"gt":', '"lt":'):
        assert raw not in text
    quantity = spec["components"]["schemas"]["InquiryCreate"]["properties"]["quantity"]
    assert quantity["minimum"] == 1


def test_free_text_is_documented_without_nul_and_not_blank(spec: dict[str, Any]) -> None:
    legal_name = spec["components"]["schemas"]["MsmeCreate"]["properties"]["legal_name"]
    pattern = re.compile(legal_name["pattern"])
    assert pattern.match("CV Gayo Lestari") and not pattern.match("   ")
    assert not pattern.match("CV\x00Gayo")


async def test_a_null_body_is_refused(client: httpx.AsyncClient, factory: Factory) -> None:
    curator = await factory.user(role="curator")
    msme = await factory.msme(await factory.user())
    r = await client.post(
        f"/api/v1/msmes/{msme['id']}/verify",
        content=b"null",
        headers={**curator.headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM


async def test_reserved_email_domains_are_refused_as_documented(
    client: httpx.AsyncClient, spec: dict[str, Any]
) -> None:
    body = {
        "email": "aya@store.test",
        "password": "kurasi-buyer-aya-2026",
        "full_name": "Aya Tanaka",
        "role": "buyer",
    }
    r = await client.post("/api/v1/auth/register", json=body)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "email"]
    reserved = spec["components"]["schemas"]["RegisterIn"]["properties"]["email"]["not"]
    assert re.search(reserved["pattern"], "aya@store.test")
    assert re.search(reserved["pattern"], "aya@HOST.Local")
    assert not re.search(reserved["pattern"], "aya@tokyo-trading.example")


# -- shaped for generated clients (docs/clients.md) ----------------------------------------


def test_operation_ids_read_as_method_names(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(spec)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    unreadable = [i for i in ids if not re.fullmatch(r"[a-z]+(_[a-z0-9]+)*", i) or "_api_" in i]
    assert unreadable == []
    catalog = spec["paths"]["/api/v1/catalog/products"]["get"]["operationId"]
    assert catalog == "list_catalog_products"
    assert spec["paths"]["/api/v1/products"]["get"]["operationId"] == "list_products"


def test_every_operation_is_in_one_tag(spec: dict[str, Any]) -> None:
    tags = {f"{method.upper()} {path}": op.get("tags") for path, method, op in operations(spec)}
    assert [where for where, names in tags.items() if len(names or []) != 1] == []
    assert tags["POST /api/v1/msmes/{msme_id}/documents"] == ["documents"]


def test_every_schema_has_a_name_a_class_can_carry(spec: dict[str, Any]) -> None:
    """No `Money-Output` beside `Money`, no `Body_log_in` or `Page_ProductOut_`."""
    names = list(spec["components"]["schemas"])
    assert [n for n in names if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", n)] == []
    assert {"ProductPage", "LogInForm", "Money", "MoneyIn"} <= set(names)


def test_enums_and_text_in_languages_are_named_components(spec: dict[str, Any]) -> None:
    """Generators name an anonymous enum or object after its place (`ProductOutStatus`,
    `ProductCreateName`); each is a component of its own name instead."""
    anonymous = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "enum" in node or (node.get("type") == "object" and "properties" in node):
                anonymous.append(where)
            for key, child in node.items():
                if key not in ("examples", "example", "default"):
                    walk(child, f"{where}/{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, f"{where}/{i}")

    walk(spec["paths"], "paths")
    for name, schema in spec["components"]["schemas"].items():
        for key, child in schema.items():
            if key not in ("examples", "example", "default"):
                walk(child, f"{name}/{key}")
    # The storage's own upload form is one route's body (the fields of `upload`).
    assert [a for a in anonymous if not a.startswith("paths//api/v1/storage/uploads/")] == []
    schemas = spec["components"]["schemas"]
    product = schemas["ProductOut"]["properties"]
    assert product["name"]["$ref"].endswith("/Multilingual")
    assert product["status"]["$ref"].endswith("/ProductStatus")
    assert set(schemas["Multilingual"]["properties"]) == {"id", "en", "ja"}
    assert schemas["ProductName"]["required"] == ["id"]
    assert schemas["MoneyIn"]["properties"]["currency"]["$ref"].endswith("/Currency")
    assert schemas["Money"]["properties"]["currency"]["$ref"].endswith("/Currency")


def test_examples_are_also_given_as_example_for_generators(spec: dict[str, Any]) -> None:
    """openapi-python-client puts a schema's `example` (not 3.1's `examples`) in docstrings."""
    schemas = spec["components"]["schemas"]
    assert schemas["ProductCreate"]["example"] == schemas["ProductCreate"]["examples"][0]
    assert schemas["ProductCreate"]["properties"]["hs_code"]["example"] == "090121"
    missing = [n for n, s in schemas.items() if "examples" in s and "example" not in s]
    assert missing == []
