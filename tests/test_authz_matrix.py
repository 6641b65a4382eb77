"""The authorization matrix: every route of the app, called over HTTP by every role,
answers as the rule of tests/authz_rules.py (SPEC.md §4) says.

Each role calls with a valid body on objects of one owner and one buyer: a role the
rule leaves out gets 401 (anonymous) or 403, another owner or buyer gets 404 for
an object that is not theirs, and everyone else is let through (the status the
route's call names, or at least no 401, 403 or 404). Along the way: every refusal is
problem+json, every status is one the route's OpenAPI lists, and no successful answer
shows a caller another's private objects. The objects are made once and every
mismatch is collected, so one failure lists every (route, role) that differs.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from app.core import clock, security
from app.demo.files import png
from app.imports.template import template_csv
from app.models import MailMessage, Notification
from tests.authz_rules import ACTIONS, ADMIN, BUYER, CURATOR, OWNER, RULES, V1
from tests.factories import Actor, Factory, Team, coffee

REFUSALS = {401, 403, 404}
# Calls that may end the caller's session: after every other check, logout the last.
ENDS_SESSION = ("/users/me/password", "/auth/logout")
# Who calls, and their role. `other_*` act on objects of `owner` and `buyer`.
ACTORS: dict[str, str | None] = {
    "anonymous": None,
    "owner": OWNER,
    "other_owner": OWNER,
    "buyer": BUYER,
    "other_buyer": BUYER,
    "curator": CURATOR,
    "admin": ADMIN,
}
_unique = itertools.count(1)


def app_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path template) of every route the app answers (HEAD goes with GET)."""
    return [
        (method, str(route.path))
        for route in iter_route_contexts(app.routes)
        for method in sorted((route.methods or set()) - {"HEAD"})
    ]


async def test_every_route_has_a_rule(app: FastAPI) -> None:
    missing = [r for r in app_routes(app) if r not in RULES]
    assert missing == [], f"routes without a rule in tests/authz_rules.py: {missing}"


async def test_every_rule_names_a_route(app: FastAPI) -> None:
    stale = sorted(set(RULES) - set(app_routes(app)))
    assert stale == [], f"rules of routes the app no longer has: {stale}"


# -- the objects every call acts on ---------------------------------------------------------


@dataclass
class World:
    actors: dict[str, Actor]
    ids: dict[str, str]  # a value for each path parameter
    spare: dict[str, str]  # objects a single allowed call may delete or change
    secrets: dict[str, frozenset[str]]  # ids of private objects, and who may see them
    login: dict[str, str]  # the form of a valid login
    upload: dict[str, Any]  # a signed upload of an image, not sent yet
    download: str  # a signed download URL of a document


@dataclass
class Call:
    """One request of the matrix: path parameters besides the world's, a body, and the
    statuses a caller the rule lets through gets (None: anything but 401, 403, 404)."""

    params: dict[str, str] = field(default_factory=dict)
    json: Any = None
    data: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    url: str | None = None
    ok: set[int] | None = None


WEBHOOK = {"url": "https://partner.example.com/kurasi", "events": ["product.approved"]}


async def in_review(
    factory: Factory, owner: Actor, curator: Actor, msme_id: str | None = None
) -> dict[str, Any]:
    """A product submitted by `owner` and in review by `curator`."""
    product = await factory.ready_product(owner, msme_id)
    for who, action in ((owner, "submit"), (curator, "start_review")):
        r = await factory.transition(who, product["id"], action)
        assert r.status_code == 200, r.text
    return product


async def build_world(factory: Factory) -> World:
    client = factory.client
    actors = {name: await factory.user(role) for name, role in ACTORS.items() if role}
    owner, buyer, curator, admin = (actors[n] for n in ("owner", "buyer", "curator", "admin"))
    team = Team(factory, owner, curator, admin)
    await factory.channel(admin)
    await factory.channel(admin, "second-showroom")
    listed = await team.listed()
    msme_id = listed["msme_id"]
    shortlisted = await team.listed(msme_id=msme_id)
    await factory.publish(admin, listed["id"], "second-showroom")
    draft = await factory.product(owner, msme_id)
    reviewed = await in_review(factory, owner, curator, msme_id)
    document = await factory.document(owner, "lab_test", product_id=draft["id"])
    spare_document = await factory.document(owner, "lab_test", product_id=draft["id"])
    media = await factory.media(owner, draft["id"])
    spare_media = await factory.media(owner, draft["id"])
    spare_user = await factory.buyer()
    supplier = await factory.supplier(owner, curator, capabilities={"processes": ["stamping"]})

    account = _account()
    login = {"username": account["email"], "password": account["password"]}
    r = await client.post(f"{V1}/auth/register", json=account)
    assert r.status_code == 201, r.text
    r = await client.post(
        f"{V1}/catalog/products/{listed['id']}/inquiries",
        json={"quantity": 100, "message": "Samples?"},
        headers=buyer.headers,
    )
    assert r.status_code == 201, r.text
    inquiry = r.json()["id"]
    r = await client.put(f"{V1}/shortlist/{shortlisted['id']}", headers=buyer.headers)
    assert r.status_code == 200, r.text
    r = await client.post(
        f"{V1}/products/{draft['id']}/media",
        json={"filename": "a.png", "content_type": "image/png", "size": len(png())},
        headers=owner.headers,
    )
    assert r.status_code == 201, r.text
    upload = r.json()["upload"]
    r = await client.get(f"{V1}/documents/{document['id']}/download", headers=owner.headers)
    assert r.status_code == 307, r.text
    webhooks = []
    for _ in range(2):
        made = await client.post(f"{V1}/webhooks", json=WEBHOOK, headers=admin.headers)
        assert made.status_code == 201, made.text
        webhooks.append(made.json()["id"])
    # One notification of each user's own, for the calls that read and mark them.
    notifications = {}
    async with factory.session() as session:
        for name, actor in actors.items():
            made = Notification(
                user_id=uuid.UUID(actor.id),
                event_id=uuid.uuid4(),
                event="product.submitted",
                title=f"For {name}",
                body="A notification of the matrix",
            )
            session.add(made)
            await session.flush()
            notifications[name] = str(made.id)
        # A failed mail, for the admins' retry.
        mail = MailMessage(
            user_id=uuid.UUID(owner.id),
            event_id=uuid.uuid4(),
            event="product.approved",
            to_address="owner@matrix.example",
            language="en",
            subject="Approved",
            body="A mail of the matrix",
            status="failed",
            give_up_at=clock.now(),
        )
        session.add(mail)
        await session.flush()
        mail_id = str(mail.id)
    return World(
        actors=actors,
        ids={
            "user_id": spare_user.id,
            "msme_id": msme_id,
            "product_id": draft["id"],
            "document_id": document["id"],
            "media_id": media["id"],
            "inquiry_id": inquiry,
            "code": "second-showroom",
            "currency": "USD",
            "webhook_id": webhooks[0],
            "notification_id": notifications["owner"],
            "message_id": mail_id,
        },
        spare={
            "listed": listed["id"],
            "listed_media": listed["media"][0]["id"],
            "shortlisted": shortlisted["id"],
            "reviewed": reviewed["id"],
            "document": spare_document["id"],
            "media": spare_media["id"],
            "webhook": webhooks[1],
            "supplier": supplier["id"],
            **{f"notification:{name}": id for name, id in notifications.items()},
        },
        secrets={
            **dict.fromkeys(
                (draft["id"], reviewed["id"], document["id"], spare_document["id"], media["id"]),
                frozenset({"owner", "curator", "admin"}),
            ),
            inquiry: frozenset({"buyer", "owner", "admin"}),
            **{id: frozenset({name}) for name, id in notifications.items()},
        },
        login=login,
        upload=upload,
        download=r.headers["location"],
    )


# -- one valid request per route ---------------------------------------------------------------


def _account() -> dict[str, str]:
    email = f"matrix-{next(_unique)}@example.com"
    return {"email": email, "password": "a-long-password-1", "full_name": "M", "role": BUYER}


def _document(doc_type: str) -> dict[str, Any]:
    today = clock.today().isoformat()
    return {
        "doc_type": doc_type,
        "number": f"M-{next(_unique)}",
        "issuer": "Issuer",
        "issued_on": today,
        "filename": "doc.pdf",
        "content_type": "application/pdf",
        "size": 1000,
    }


Builder = Callable[[World, str], Call]
CALLS: dict[tuple[str, str], Builder] = {
    ("POST", f"{V1}/storage/uploads"): lambda w, _: Call(
        url=w.upload["url"],
        data=w.upload["fields"],
        files={"file": ("a.png", png(), "image/png")},
        ok={204, 409},  # the first caller stores the file; an upload is written once
    ),
    ("GET", f"{V1}/storage/files/{{key:path}}"): lambda w, _: Call(url=w.download, ok={200}),
    ("POST", f"{V1}/auth/register"): lambda w, _: Call(json=_account(), ok={201}),
    ("POST", f"{V1}/auth/token"): lambda w, _: Call(data=w.login, ok={200}),
    ("POST", f"{V1}/users"): lambda w, _: Call(json=_account(), ok={201}),
    ("PATCH", f"{V1}/users/{{user_id}}"): lambda w, _: Call(
        json={"full_name": "Renamed"}, ok={200}
    ),
    ("POST", f"{V1}/msmes"): lambda w, _: Call(
        json={
            "legal_name": "CV Matrix",
            "brand_name": "Matrix",
            "nib": f"{next(_unique) + 9_000_000_000_000:013d}",
            "province": "Aceh",
            "city": "Takengon",
            "address": "Jl. 1",
            "size_class": "micro",
        },
        ok={201},
    ),
    ("PATCH", f"{V1}/msmes/{{msme_id}}"): lambda w, _: Call(json={"employees": 30}, ok={200}),
    ("POST", f"{V1}/msmes/{{msme_id}}/verify"): lambda w, _: Call(ok={200}),
    ("POST", f"{V1}/msmes/{{msme_id}}/documents"): lambda w, _: Call(
        json=_document("nib"), ok={201}
    ),
    ("POST", f"{V1}/products"): lambda w, _: Call(
        json={"msme_id": w.ids["msme_id"], **coffee()}, ok={201}
    ),
    ("PATCH", f"{V1}/products/{{product_id}}"): lambda w, _: Call(json={"moq": 60}, ok={200}),
    # Each caller takes an action of its own role on a product in review: a state
    # conflict, never a refusal (each action's own rule: test_workflow_actions_by_role).
    ("POST", f"{V1}/products/{{product_id}}/transitions"): lambda w, who: Call(
        params={"product_id": w.spare["reviewed"]},
        json={"action": "start_review" if who in ("curator", "admin") else "withdraw"},
        ok={409},
    ),
    ("POST", f"{V1}/products/{{product_id}}/media"): lambda w, _: Call(
        json={"filename": "b.png", "content_type": "image/png", "size": 100}, ok={201}
    ),
    ("POST", f"{V1}/products/{{product_id}}/documents"): lambda w, _: Call(
        json=_document("lab_test"), ok={201}
    ),
    ("DELETE", f"{V1}/media/{{media_id}}"): lambda w, _: Call(
        params={"media_id": w.spare["media"]}, ok={204}
    ),
    ("GET", f"{V1}/documents/{{document_id}}/download"): lambda w, _: Call(ok={307}),
    ("POST", f"{V1}/documents/{{document_id}}/verify"): lambda w, _: Call(
        json={"status": "verified"}, ok={200}
    ),
    ("DELETE", f"{V1}/documents/{{document_id}}"): lambda w, _: Call(
        params={"document_id": w.spare["document"]}, ok={204}
    ),
    ("POST", f"{V1}/channels"): lambda w, _: Call(
        json={"code": f"matrix-{next(_unique)}", "name": {"en": "Matrix"}, "kind": "online"},
        ok={201},
    ),
    ("PATCH", f"{V1}/channels/{{code}}"): lambda w, _: Call(json={"venue": "Hall B"}, ok={200}),
    ("POST", f"{V1}/channels/{{code}}/listings"): lambda w, _: Call(
        json={"product_id": w.spare["shortlisted"]}, ok={201}
    ),
    ("DELETE", f"{V1}/channels/{{code}}/listings/{{product_id}}"): lambda w, _: Call(
        params={"product_id": w.spare["listed"]}, ok={204}
    ),
    ("PUT", f"{V1}/fx-rates/{{currency}}"): lambda w, _: Call(
        json={"rate_to_jpy": "150.25", "as_of": clock.today().isoformat()}, ok={200}
    ),
    ("GET", f"{V1}/catalog/products/{{product_id}}"): lambda w, _: Call(
        params={"product_id": w.spare["listed"]}, ok={200}
    ),
    ("GET", f"{V1}/catalog/media/{{media_id}}"): lambda w, _: Call(
        params={"media_id": w.spare["listed_media"]}, ok={307}
    ),
    ("POST", f"{V1}/catalog/products/{{product_id}}/inquiries"): lambda w, _: Call(
        params={"product_id": w.spare["listed"]},
        json={"quantity": 10, "message": "Price for 10?"},
        ok={201},
    ),
    ("PATCH", f"{V1}/inquiries/{{inquiry_id}}"): lambda w, _: Call(
        json={"status": "open"}, ok={200}
    ),
    ("POST", f"{V1}/inquiries/{{inquiry_id}}/messages"): lambda w, _: Call(
        json={"message": "We can ship in May."}, ok={201}
    ),
    ("PUT", f"{V1}/shortlist/{{product_id}}"): lambda w, _: Call(
        params={"product_id": w.spare["listed"]}, ok={200}
    ),
    ("DELETE", f"{V1}/shortlist/{{product_id}}"): lambda w, _: Call(
        params={"product_id": w.spare["shortlisted"]}, ok={204}
    ),
    ("GET", f"{V1}/catalog/suppliers/{{msme_id}}"): lambda w, _: Call(
        params={"msme_id": w.spare["supplier"]}, ok={200}
    ),
    ("GET", "/p/{product_id}"): lambda w, _: Call(
        params={"product_id": w.spare["listed"]}, ok={200}
    ),
    ("POST", f"{V1}/webhooks"): lambda w, _: Call(json=WEBHOOK, ok={201}),
    ("POST", f"{V1}/users/me/notifications/{{notification_id}}/read"): lambda w, who: Call(
        params={"notification_id": w.spare.get(f"notification:{who}", w.ids["notification_id"])},
        ok={200},
    ),
    ("DELETE", f"{V1}/webhooks/{{webhook_id}}"): lambda w, _: Call(
        params={"webhook_id": w.spare["webhook"]}, ok={204}
    ),
    ("POST", f"{V1}/msmes/{{msme_id}}/imports"): lambda w, _: Call(
        files={"file": ("products.csv", template_csv(), "text/csv")},
        ok={200},  # a dry run
    ),
}


def _session_ending(path: str) -> int:
    """0 for a call that leaves the session alone, else its place in ENDS_SESSION + 1."""
    return next((i + 1 for i, end in enumerate(ENDS_SESSION) if path.endswith(end)), 0)


def default_call(method: str) -> Call:
    """A route with no call of its own: a GET must answer 200; other methods get an
    empty JSON body, and anything but a refusal passes."""
    return Call(ok={200}) if method == "GET" else Call(json={})


def _url(path: str, params: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: params[m.group(1)], path)


async def send(
    client: httpx.AsyncClient, actor: Actor | None, method: str, url: str, **kw: Any
) -> httpx.Response:
    """A request with `actor`'s token, or none for anonymous."""
    return await client.request(method, url, headers=actor.headers if actor else {}, **kw)


@pytest.fixture
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords hashed with argon2's smallest cost: the matrix registers and logs in a
    dozen times, and what it checks is who may, not how slowly a hash is made."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(security, "_hasher", cheap)


@pytest.mark.usefixtures("fast_passwords")
async def test_each_role_gets_what_its_rule_says(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI
) -> None:
    w = await build_world(factory)
    paths = app.openapi()["paths"]
    mismatches = []
    drafts_checked = False
    # A call that may end the caller's session comes after every other check.
    routes = sorted(app_routes(app), key=lambda r: _session_ending(r[1]))
    for method, path in routes:
        if path.endswith(ENDS_SESSION) and not drafts_checked:
            mismatches += await unpublished_is_not_found(client, w)
            drafts_checked = True
        rule = RULES.get((method, path))
        if rule is None:
            continue  # test_every_route_has_a_rule names it
        expected = {
            name: rule.expected(role, owns=not name.startswith("other_"))
            for name, role in ACTORS.items()
        }
        operation = paths.get(re.sub(r":\w+}", "}", path), {}).get(method.lower())
        # The callers refused first: an allowed call may delete or change the object.
        for name in sorted(ACTORS, key=lambda n: expected[n] is None):
            build = CALLS.get((method, path))
            call = build(w, name) if build else default_call(method)
            r = await send(
                client,
                w.actors.get(name),
                method,
                call.url or _url(path, {**w.ids, **call.params}),
                json=call.json,
                data=call.data,
                files=call.files,
            )
            want = expected[name]
            if want is None:
                good = r.status_code in call.ok if call.ok else r.status_code not in REFUSALS
            else:
                good = r.status_code == want
            if not good:
                wanted = want or (sorted(call.ok) if call.ok else "no refusal")
                mismatches.append(f"{method} {path} as {name}: want {wanted}, got {r.status_code}")
            kind = r.headers.get("content-type", "")
            if r.status_code >= 400 and kind != "application/problem+json":
                mismatches.append(f"{method} {path} as {name}: a {r.status_code} in {kind}")
            if operation is not None and str(r.status_code) not in operation["responses"]:
                undocumented = f"{r.status_code}, which its OpenAPI responses do not list"
                mismatches.append(f"{method} {path} as {name}: answers {undocumented}")
            # A list or page shows nobody another's objects.
            if r.is_success and r.headers.get("content-type", "").startswith("application/json"):
                leaked = [i for i, who in w.secrets.items() if name not in who and i in r.text]
                if leaked:
                    mismatches.append(f"{method} {path} as {name}: shows {leaked}")
    assert drafts_checked
    assert mismatches == [], "\n".join(mismatches)


async def unpublished_is_not_found(client: httpx.AsyncClient, w: World) -> list[str]:
    """The catalog's routes and the public page know only published products (§4, §6, §8):
    a draft and its image are 404 to everyone they let in, its owner and the staff included."""
    params = {"product_id": w.ids["product_id"], "media_id": w.ids["media_id"]}
    calls = [
        ("GET", f"{V1}/catalog/products/{{product_id}}", None),
        ("GET", f"{V1}/catalog/media/{{media_id}}", None),
        (
            "POST",
            f"{V1}/catalog/products/{{product_id}}/inquiries",
            {"quantity": 1, "message": "?"},
        ),
        ("PUT", f"{V1}/shortlist/{{product_id}}", None),
        ("GET", "/p/{product_id}", None),  # the public page: an HTML 404
    ]
    found = []
    for (method, path, body), (name, role) in itertools.product(calls, ACTORS.items()):
        want = RULES[(method, path)].expected(role, owns=True) or 404
        r = await send(client, w.actors.get(name), method, _url(path, params), json=body)
        if r.status_code != want:
            found.append(f"{method} {path} of a draft as {name}: want {want}, got {r.status_code}")
    return found


async def test_workflow_actions_by_role(client: httpx.AsyncClient, factory: Factory) -> None:
    """§3's `who` of every action, on a product in review: a caller the action leaves out
    gets 403 (another owner 404, as for any of their products); one it lets through
    gets the state conflict or the missing comment or checklist, never a refusal."""
    callers = {**ACTORS, "other_curator": CURATOR}
    actors = {name: await factory.user(role) for name, role in callers.items() if role}
    product = await in_review(factory, actors["owner"], actors["curator"])
    route = RULES[("POST", f"{V1}/products/{{product_id}}/transitions")]
    mismatches = []
    for action, rule in ACTIONS.items():
        for name, role in callers.items():
            owns = not name.startswith("other_")
            want = route.expected(role, owns) or rule.expected(role, reviewing=owns)
            url = f"{V1}/products/{product['id']}/transitions"
            r = await send(client, actors.get(name), "POST", url, json={"action": action})
            # Let through, a body-less action on a product in review is a 409 or 422.
            if r.status_code not in ({want} if want else {409, 422}):
                wanted = want or "409/422"
                mismatches.append(f"{action} as {name}: want {wanted}, got {r.status_code}")
    assert mismatches == [], "\n".join(mismatches)
    assert (await factory.get_product(actors["owner"], product["id"]))["status"] == "in_review"
