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


def test_every_operation_has_a_written_summary(spec: dict[str, Any]) -> None:
    generated = []
    for path, method, op in operations(spec):
        # FastAPI's fallback is the function name in title case ("Me", "Queue").
        fallback = op["operationId"].split("_api_")[0].replace("_", " ").title()
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
    login_form = spec["components"]["schemas"]["Body_token_api_v1_auth_token_post"]
    assert '"null"' not in json.dumps(login_form)


def test_money_and_codes_are_documented_as_what_the_server_takes(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    amount = schemas["MoneyIn"]["properties"]["amount"]
    assert amount["type"] == "string" and amount["pattern"].startswith("^")
    assert "IDR" in schemas["MoneyIn"]["properties"]["currency"]["enum"]
    assert "QQQ" not in schemas["MoneyIn"]["properties"]["currency"]["enum"]
    assert "image/webp" in schemas["MediaCreate"]["properties"]["content_type"]["enum"]
    product_docs = schemas["ProductDocumentCreate"]["properties"]["doc_type"]["enum"]
    msme_docs = schemas["MsmeDocumentCreate"]["properties"]["doc_type"]["enum"]
    assert "halal" in product_docs and "nib" not in product_docs and "nib" in msme_docs
    catalog = {
        p["name"]: p["schema"]
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
