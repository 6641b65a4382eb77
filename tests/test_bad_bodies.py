"""Bodies that cannot be read (not UTF-8, not JSON, broken multipart or forms) are a 400
or 422 problem+json, never a 500, and write nothing."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import Factory

MULTIPART = "multipart/form-data; boundary=xx"
FORM = "application/x-www-form-urlencoded"
UPLOADS, TOKEN = "/api/v1/storage/uploads", "/api/v1/auth/token"
REGISTER, JSON = "/api/v1/auth/register", "application/json"
UTF8 = "Send JSON bodies encoded as UTF-8"
CUT_KEY = b'--xx\r\nContent-Disposition: form-data; name="key"\r\n\r\nv'
CUT_USERNAME = b'--xx\r\nContent-Disposition: form-data; name="username"\r\n\r\nv'


def part(name: bytes, value: bytes) -> bytes:
    return b'--xx\r\nContent-Disposition: form-data; name="' + name + b'"\r\n\r\n' + value + b"\r\n"


@pytest.mark.parametrize(
    ("path", "content_type", "body", "status", "detail"),
    [
        # JSON that is not UTF-8
        (REGISTER, JSON, b'{"email": "caf\xe9@x.id"}', 400, UTF8),
        (REGISTER, JSON, '{"email": "a@x.id"}'.encode("utf-16"), 400, UTF8),
        # multipart without a boundary, or with parts that have no headers
        (UPLOADS, "multipart/form-data", b"abc", 400, "Missing boundary in multipart."),
        (UPLOADS, MULTIPART, b"--xx\r\nno headers\r\n\r\nv\r\n--xx--\r\n", 400, None),
        (TOKEN, "multipart/form-data", b"abc", 400, "Missing boundary in multipart."),
        (TOKEN, MULTIPART, b"--xx\r\nno headers\r\n\r\nv\r\n--xx--\r\n", 400, None),
        # parts cut off, bytes that are not UTF-8: the fields are missing or do not hold
        (UPLOADS, MULTIPART, part(b"key", b"\xff\xfe") + b"--xx--\r\n", 403, None),
        (UPLOADS, MULTIPART, part(b"\xff", b"v") + b"--xx--\r\n", 403, None),
        (
            UPLOADS,
            MULTIPART,
            b'--xx\r\nContent-Disposition: form-data; name="key"\r\n\r\nv',
            403,
            None,
        ),
        (
            TOKEN,
            MULTIPART,
            b'--xx\r\nContent-Disposition: form-data; name="username"\r\n\r\nv',
            422,
            None,
        ),
        (
            TOKEN,
            MULTIPART,
            part(b"username", b"\xff") + part(b"password", b"p") + b"--xx--\r\n",
            401,
            None,
        ),
        (TOKEN, FORM, b"username=\xff\xfe&password=abc", 401, None),
        (TOKEN, FORM, b"username=%ff%fe&password=%zz", 401, None),
        # not a form at all
        (TOKEN, "application/json", b'{"username": "a", "password": "b"}', 422, None),
        (UPLOADS, "application/json", b'{"key": "a"}', 415, None),
    ],
)
async def test_unreadable_bodies_are_client_errors_as_problems(
    client: httpx.AsyncClient,
    path: str,
    content_type: str,
    body: bytes,
    status: int,
    detail: str | None,
) -> None:
    r = await client.post(path, content=body, headers={"content-type": content_type})
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["status"] == status
    if detail is not None:
        assert problem["detail"] == detail
    assert "Traceback" not in r.text


async def test_a_body_that_is_not_utf8_writes_nothing(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.owner()
    body = b'{"legal_name": "CV Kopi \xe9", "brand_name": "K"}'
    r = await client.post(
        "/api/v1/msmes",
        content=body,
        headers={**owner.headers, "content-type": "application/json"},
    )
    assert r.status_code == 400, r.text
    assert r.json()["detail"] == UTF8
    r = await client.get("/api/v1/msmes", headers=owner.headers)
    assert r.json()["items"] == []
