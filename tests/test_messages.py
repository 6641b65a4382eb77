"""Validation messages speak the codes clients send (`buyer`), never Python's enum reprs."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.factories import Factory, coffee
from tests.test_auth import REGISTER, registration
from tests.test_errors import assert_problem

REPR = re.compile(r"<\w+\.\w+:")


async def test_every_enum_message_lists_the_codes(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner, buyer, admin = await factory.owner(), await factory.buyer(), await factory.admin()
    msme = await factory.msme(owner)
    product = await factory.product(owner, msme["id"])
    nowhere = uuid.uuid4()
    # (caller, method, path, body, field, the codes its message must list)
    cases: list[tuple[Any, str, str, dict[str, Any], str, tuple[str, ...]]] = [
        (None, "POST", REGISTER, registration(role="curator"), "role", ("msme_owner", "buyer")),
        (None, "POST", REGISTER, registration(preferred_language="fr"), "preferred_language",
         ("id", "en", "ja")),
        (admin, "POST", "/api/v1/users", registration(role="root"), "role",
         ("msme_owner", "curator", "admin", "buyer")),
        (admin, "POST", f"/api/v1/documents/{nowhere}/verify", {"status": "uploaded"}, "status",
         ("verified", "rejected")),
        (buyer, "PATCH", f"/api/v1/inquiries/{nowhere}", {"status": "answered"}, "status",
         ("closed", "open")),
        (owner, "POST", "/api/v1/products", {"msme_id": msme["id"], **coffee(incoterm="FAS")},
         "incoterm", ("EXW", "FOB", "CIF", "DAP", "DDP")),
        (owner, "PATCH", f"/api/v1/msmes/{msme['id']}", {"size_class": "huge"}, "size_class",
         ("micro", "small", "medium")),
        (admin, "PATCH", "/api/v1/channels/nowhere", {"kind": "mall"}, "kind",
         ("showroom", "exhibition", "online")),
        (admin, "POST", f"/api/v1/products/{product['id']}/transitions",
         {"action": "approve", "checklist": [{"criterion": "legality", "result": "ok"}]},
         "result", ("pass", "fail", "not_applicable")),
    ]  # fmt: skip
    for actor, method, path, body, field, codes in cases:
        headers = actor.headers if actor else {}
        r = await client.request(method, path, json=body, headers=headers)
        problem = assert_problem(r, 422)
        msgs = [e["msg"] for e in problem["errors"] if e["loc"][-1] == field]
        assert msgs, (path, problem)
        for msg in msgs:
            assert not REPR.search(msg), (path, msg)
            for code in codes:
                assert f"'{code}'" in msg, (path, code, msg)
