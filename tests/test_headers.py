"""Security headers on every response, a page policy for the docs, HSTS over https only,
and CORS off unless origins are configured."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.config import Settings
from app.main import create_app

COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
JSON = "application/json"
API_POLICY = "default-src 'none'; frame-ancestors 'none'"


def assert_common(r: httpx.Response) -> None:
    for name, value in COMMON.items():
        assert r.headers.get(name) == value, (r.request.url, name)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/healthz", 200),
        ("GET", "/api/v1/standards", 200),
        ("GET", "/api/v1/users/me", 401),
        ("GET", "/api/v1/nowhere", 404),
        ("PUT", "/api/v1/products", 405),
        ("GET", "/openapi.json", 200),
    ],
)
async def test_every_response_carries_the_security_headers(
    client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    r = await client.request(method, path)
    assert r.status_code == status
    assert_common(r)
    assert r.headers["content-security-policy"] == API_POLICY
    assert "strict-transport-security" not in r.headers


async def test_413_and_415_from_the_guards_carry_them_too(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    r = await client.post("/api/v1/msmes", content=b"x", headers={"content-type": "text/plain"})
    assert r.status_code == 415
    assert_common(r)
    big = b"[" + b" " * settings.max_json_body_bytes + b"]"
    r = await client.post(
        "/api/v1/msmes", content=big, headers={"content-type": "application/json"}
    )
    assert r.status_code == 413
    assert_common(r)


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


async def test_docs_pages_may_load_exactly_what_they_use(client: httpx.AsyncClient) -> None:
    r = await client.get("/docs")
    assert r.status_code == 200
    assert_common(r)
    policy = dict(p.strip().split(" ", 1) for p in r.headers["content-security-policy"].split(";"))
    inline = re.findall(r"<script>(.*?)</script>", r.text, re.DOTALL)
    assert len(inline) == 1
    assert policy["script-src"] == f"https://cdn.jsdelivr.net {_sha256(inline[0])}"
    assert policy["default-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["connect-src"] == "'self'"
    assert "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js" in r.text

    r = await client.get("/redoc")
    policy = dict(p.strip().split(" ", 1) for p in r.headers["content-security-policy"].split(";"))
    assert policy["script-src"] == "https://cdn.jsdelivr.net"  # no inline script there
    assert policy["font-src"] == "https://fonts.gstatic.com"
    assert "https://fonts.googleapis.com" in policy["style-src"]


async def test_hsts_only_over_https(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        r = await c.get("/healthz")
    assert r.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert_common(r)


PREFLIGHT = {
    "Origin": "https://buyers.example.jp",
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


async def test_cors_is_off_by_default(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/standards", headers={"Origin": "https://buyers.example.jp"})
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers
    r = await client.options("/api/v1/products", headers=PREFLIGHT)
    assert r.status_code == 405
    assert "access-control-allow-origin" not in r.headers


@pytest.fixture
async def cors_client(settings: Settings, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    configured = settings.model_copy(
        update={"cors_origins": ["https://buyers.example.jp", "https://expo.example.id"]}
    )
    app = create_app(configured)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


async def test_cors_for_the_configured_origins_only(cors_client: httpx.AsyncClient) -> None:
    r = await cors_client.options("/api/v1/products", headers=PREFLIGHT)
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == "https://buyers.example.jp"
    assert "POST" in r.headers["access-control-allow-methods"]
    assert "authorization" in r.headers["access-control-allow-headers"].lower()
    assert_common(r)

    r = await cors_client.get("/api/v1/standards", headers={"Origin": "https://expo.example.id"})
    assert r.headers["access-control-allow-origin"] == "https://expo.example.id"
    assert "etag" in r.headers["access-control-expose-headers"].lower()

    r = await cors_client.options(
        "/api/v1/products", headers={**PREFLIGHT, "Origin": "https://evil.example"}
    )
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == "Disallowed CORS origin"
    assert "access-control-allow-origin" not in r.headers
    r = await cors_client.get("/api/v1/standards", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize(
    "value",
    [
        "https://buyers.example.jp, https://expo.example.id",
        '["https://buyers.example.jp", "https://expo.example.id"]',
    ],
)
def test_cors_origins_read_as_a_list_or_json(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("KURASI_CORS_ORIGINS", value)
    assert Settings().cors_origins == ["https://buyers.example.jp", "https://expo.example.id"]
    monkeypatch.delenv("KURASI_CORS_ORIGINS")
    assert Settings().cors_origins == []
