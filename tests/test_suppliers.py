"""Automotive suppliers (SPEC §10): the standards served, capabilities on the MSME
profile, supplier reviews and their refusals, and an auto part through curation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from app.core import clock
from app.models import SupplierReview
from app.models.curation import AppendOnly
from tests.dbutil import backend
from tests.factories import Actor, Factory, ids
from tests.test_msmes import assert_problem, error_locs

V1 = "/api/v1"

CAPABILITIES = {
    "processes": ["stamping", "welding"],
    "materials": ["SPCC", " SPHC "],
    "max_part_size_mm": 600,
    "tolerance_mm": "0.05",
    "machines": [{"type": "200-ton press", "count": 4}],
    "monthly_capacity": 120_000,
    "customers": ["PT Astra Otoparts"],
    "trainings": [{"programme": "AOTS", "year": 2019, "people": 3}],
}
CRITERIA = (
    "qms_valid",
    "process_capability",
    "msa",
    "control_plan_pfmea",
    "traceability",
    "change_control",
    "nonconformance",
    "five_s_kaizen",
    "delivery",
    "capacity",
    "cost",
    "environment",
)


def checklist(**results: str) -> list[dict[str, str]]:
    return [{"criterion": c, "result": results.get(c, "pass")} for c in CRITERIA]


async def patch(
    client: httpx.AsyncClient, actor: Actor, msme_id: str, **body: Any
) -> httpx.Response:
    return await client.patch(f"{V1}/msmes/{msme_id}", json=body, headers=actor.headers)


async def review(
    client: httpx.AsyncClient, actor: Actor, msme_id: str, decision: str = "approve", **body: Any
) -> httpx.Response:
    body = {"decision": decision, "checklist": checklist(), "score": 82, **body}
    return await client.post(
        f"{V1}/msmes/{msme_id}/supplier-review", json=body, headers=actor.headers
    )


async def verify_document(client: httpx.AsyncClient, curator: Actor, doc_id: str) -> None:
    r = await client.post(
        f"{V1}/documents/{doc_id}/verify", json={"status": "verified"}, headers=curator.headers
    )
    assert r.status_code == 200, r.text


async def supplier(
    factory: Factory, curator: Actor, *, verified: bool = True, certificate: str | None = "iso9001"
) -> tuple[Actor, dict[str, Any]]:
    """An owner's MSME with capabilities, verified, and its certificate verified."""
    owner = await factory.owner()
    msme = await factory.msme(owner, brand_name="Bekasi Press", province="Jawa Barat")
    r = await patch(factory.client, owner, msme["id"], capabilities=CAPABILITIES)
    assert r.status_code == 200, r.text
    if certificate:
        doc = await factory.document(owner, certificate, msme_id=msme["id"])
        await verify_document(factory.client, curator, doc["id"])
    if verified:
        r = await factory.client.post(f"{V1}/msmes/{msme['id']}/verify", headers=curator.headers)
        assert r.status_code == 200, r.text
    return owner, msme


async def test_standards_serve_processes_criteria_and_automotive_categories(
    client: httpx.AsyncClient,
) -> None:
    body = (await client.get(f"{V1}/standards")).json()
    processes = {p["code"]: p["name"] for p in body["processes"]}
    for code in ("stamping", "machining", "casting", "forging", "injection_molding"):
        assert code in processes
    for code in ("rubber_molding", "welding", "plating", "heat_treatment"):
        assert code in processes
    assert {"wire_harness_assembly", "mold_and_die"} <= processes.keys()
    assert processes["stamping"]["ja"] == "プレス加工"
    assert [c["code"] for c in body["supplier_criteria"]] == list(CRITERIA)
    assert body["supplier_criteria"][0]["title"]["id"] == "Sistem mutu berlaku"
    categories = {c["code"]: c for c in body["categories"]}
    metal = categories["auto_metal_parts"]
    assert metal["hs_prefixes"] == ["8708", "7326", "8483"]
    assert metal["required_documents"] == [
        "nib",
        "iso9001",
        "isir",
        "dimensional_report",
        "mill_cert",
        "material_data",
        "substances_declaration",
    ]
    assert {"iatf16949", "capability_study", "tkdn", "cmrt"} <= {
        c["document"] for c in metal["conditional_documents"]
    }
    assert categories["tyres_wheels"]["required_documents"] == ["nib", "sni_product"]
    types = {d["code"]: d for d in body["document_types"]}
    assert types["iatf16949"]["scope"] == "msme" and types["iatf16949"]["expires"]
    assert types["isir"]["scope"] == "product" and not types["isir"]["expires"]


async def test_capabilities_set_read_back_and_cleared(factory: Factory) -> None:
    client = factory.client
    owner, curator, other = await factory.owner(), await factory.curator(), await factory.owner()
    msme = await factory.msme(owner)
    assert msme["capabilities"] is None and msme["supplier"] is None
    r = await patch(client, owner, msme["id"], capabilities=CAPABILITIES)
    assert r.status_code == 200, r.text
    stored = {**CAPABILITIES, "materials": ["SPCC", "SPHC"]}
    assert r.json()["capabilities"] == stored
    seen = await client.get(f"{V1}/msmes/{msme['id']}", headers=curator.headers)
    assert seen.json()["capabilities"] == stored
    assert (await client.get(f"{V1}/msmes/{msme['id']}", headers=other.headers)).status_code == 404
    listed = await client.get(f"{V1}/msmes", headers=curator.headers)
    assert [m["capabilities"] for m in listed.json()["items"]] == [stored]
    # Sent whole: a body with only processes replaces the rest.
    once = {"processes": ["machining", "machining"]}
    r = await patch(client, owner, msme["id"], capabilities=once)
    assert r.json()["capabilities"]["processes"] == ["machining"]
    assert r.json()["capabilities"]["materials"] == []
    r = await patch(client, owner, msme["id"], capabilities=None)
    assert r.json()["capabilities"] is None
    # The owner's statement: a curator, who may correct the profile, does not write it.
    assert (await patch(client, curator, msme["id"], capabilities=once)).status_code == 403
    assert (await patch(client, curator, msme["id"], city="Cikarang")).status_code == 200
    admin = await factory.admin()
    assert (await patch(client, admin, msme["id"], capabilities=once)).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"processes": ["stamping", "origami"]}, ["processes", 1]),
        ({"tolerance_mm": "0"}, ["tolerance_mm"]),
        ({"tolerance_mm": "-1"}, ["tolerance_mm"]),
        ({"tolerance_mm": 0.05}, ["tolerance_mm"]),
        ({"tolerance_mm": "0.00001"}, ["tolerance_mm"]),
        ({"max_part_size_mm": 0}, ["max_part_size_mm"]),
        ({"materials": ["  "]}, ["materials", 0]),
        ({"machines": [{"type": "lathe", "count": 0}]}, ["machines", 0, "count"]),
        ({"trainings": [{"programme": "AOTS", "year": 1949, "people": 2}]}, ["trainings", 0]),
        ({"monthly_capacity": "many"}, ["monthly_capacity"]),
        ({"robots": 3}, ["robots"]),
    ],
)
async def test_invalid_capabilities_are_refused_and_nothing_written(
    factory: Factory, change: dict[str, Any], field: list[Any]
) -> None:
    owner = await factory.owner()
    msme = await factory.msme(owner)
    r = await patch(
        factory.client, owner, msme["id"], capabilities={**CAPABILITIES, **change}, employees=99
    )
    body = assert_problem(r, 422)
    loc = ["body", "capabilities", *field]
    assert any(got[: len(loc)] == loc for got in error_locs(body)), body
    if field == ["processes", 1]:
        assert "stamping, machining" in r.text  # the valid codes are named
    after = await factory.client.get(f"{V1}/msmes/{msme['id']}", headers=owner.headers)
    assert after.json()["capabilities"] is None and after.json()["employees"] == 24


async def test_supplier_from_profile_to_approval_and_history(factory: Factory) -> None:
    client = factory.client
    curator = await factory.curator()
    owner, msme = await supplier(factory, curator)
    r = await review(
        client,
        curator,
        msme["id"],
        "request_changes",
        checklist=checklist(process_capability="fail"),
        score=60,
        comment="Ppk 1.2 on the flange hole: rework the die",
    )
    assert r.status_code == 200, r.text
    assert r.json()["supplier"]["status"] == "changes_requested"
    r = await review(client, curator, msme["id"], checklist=checklist(environment="not_applicable"))
    assert r.status_code == 200, r.text
    approved = r.json()["supplier"]
    assert approved["status"] == "approved" and approved["score"] == 82
    assert approved["decided_at"]
    history = await client.get(f"{V1}/msmes/{msme['id']}/supplier-reviews", headers=owner.headers)
    assert history.status_code == 200, history.text
    items = history.json()["items"]
    assert [i["decision"] for i in items] == ["approve", "request_changes"]
    assert items[1]["comment"].startswith("Ppk 1.2")
    assert items[1]["checklist"][1] == {
        "criterion": "process_capability",
        "result": "fail",
        "note": None,
    }
    # The owner's later statement of capabilities keeps the approval (§10).
    r = await patch(client, owner, msme["id"], capabilities={"processes": ["stamping"]})
    assert r.json()["supplier"] == approved


async def test_supplier_review_refusals(factory: Factory) -> None:
    client = factory.client
    curator, buyer = await factory.curator(), await factory.buyer()
    # Unverified, no certificate, a criterion missing and one failed: all listed at once.
    owner, bare = await supplier(factory, curator, verified=False, certificate=None)
    r = await review(client, curator, bare["id"], checklist=checklist(cost="fail")[1:])
    body = assert_problem(r, 422)
    assert {tuple(loc) for loc in error_locs(body)} == {
        ("body", "checklist"),
        ("body", "checklist", 9, "result"),
        ("msme", "verified"),
        ("documents", "quality_certificate"),
    }
    # An expired certificate does not count, nor one not verified yet.
    lapsed_owner, lapsed = await supplier(factory, curator, certificate=None)
    today = clock.today()
    await factory.document(lapsed_owner, "iso9001", msme_id=lapsed["id"])  # never verified
    doc = await factory.document(
        lapsed_owner,
        "iatf16949",
        msme_id=lapsed["id"],
        issued_on=(today - timedelta(days=1100)).isoformat(),
        expires_on=(today - timedelta(days=1)).isoformat(),
    )
    await verify_document(client, curator, doc["id"])
    body = assert_problem(await review(client, curator, lapsed["id"]), 422)
    assert error_locs(body) == [["documents", "quality_certificate"]]
    standing = {d["doc_type"]: d for d in body["errors"][0]["documents"]}
    assert standing["iatf16949"]["expires_on"] == (today - timedelta(1)).isoformat()
    assert standing["iso9001"]["status"] == "uploaded"
    # A failed criterion; unknown and repeated criteria; a rejection with no comment.
    _, ready = await supplier(factory, curator)
    body = assert_problem(
        await review(client, curator, ready["id"], checklist=checklist(msa="fail")), 422
    )
    assert error_locs(body) == [["body", "checklist", 2, "result"]]
    items = [
        *checklist(),
        {"criterion": "msa", "result": "pass"},
        {"criterion": "halal", "result": "pass"},
    ]
    body = assert_problem(await review(client, curator, ready["id"], checklist=items), 422)
    assert error_locs(body) == [
        ["body", "checklist", 12, "criterion"],
        ["body", "checklist", 13, "criterion"],
    ]
    assert [e["msg"] for e in body["errors"]] == [
        "msa is listed twice",
        "halal is not a supplier criterion; see GET /api/v1/standards",
    ]
    body = assert_problem(await review(client, curator, ready["id"], "reject"), 422)
    assert error_locs(body) == [["body", "comment"]]
    # Who may not review: the owner, a buyer, a curator who owns the MSME.
    assert_problem(await review(client, owner, bare["id"]), 403)
    assert_problem(await review(client, buyer, ready["id"]), 403)
    own = await factory.msme(curator)
    assert_problem(await review(client, curator, own["id"], comment="x"), 403)
    # Nothing was written by any of these.
    for msme in (bare, lapsed, ready):
        got = await client.get(f"{V1}/msmes/{msme['id']}", headers=curator.headers)
        assert got.json()["supplier"] is None
        history = await client.get(
            f"{V1}/msmes/{msme['id']}/supplier-reviews", headers=curator.headers
        )
        assert history.json()["items"] == []


async def test_an_auto_part_goes_from_draft_to_the_catalog(factory: Factory) -> None:
    """Readiness, submission, curation and the catalog treat a part like any product."""
    client = factory.client
    owner, curator, admin = await factory.owner(), await factory.curator(), await factory.admin()
    await factory.channel(admin)
    msme = await factory.msme(owner, brand_name="Bekasi Press")
    part = await factory.product(
        owner,
        msme["id"],
        category="auto_metal_parts",
        hs_code="870829",
        name={"id": "Braket knalpot", "en": "Muffler bracket", "ja": "マフラーブラケット"},
        unit="piece",
    )
    readiness = await client.get(f"{V1}/products/{part['id']}/readiness", headers=owner.headers)
    missing = {r["code"] for r in readiness.json()["requirements"] if not r["met"]}
    assert {"iso9001", "isir", "mill_cert", "substances_declaration"} <= missing
    assert "tkdn" not in missing  # conditional: only when the customer asks for it
    await factory.required_documents(owner, part)
    await factory.media(owner, part["id"])
    assert (await factory.transition(owner, part["id"], "submit")).status_code == 200
    assert (await factory.transition(curator, part["id"], "start_review")).status_code == 200
    await factory.verify_documents(curator, part["id"])
    r = await factory.transition(
        curator, part["id"], "approve", checklist=factory.checklist(part), score=80
    )
    assert r.status_code == 200, r.text
    await factory.publish(admin, part["id"])
    assert part["id"] in await ids(client, category="auto_metal_parts")
    shown = (await client.get(f"{V1}/catalog/products/{part['id']}")).json()
    assert "iso9001" in str(shown)


async def test_supplier_reviews_are_append_only(factory: Factory, sync_engine: Engine) -> None:
    curator = await factory.curator()
    owner, msme = await supplier(factory, curator)
    r = await review(factory.client, curator, msme["id"], "reject", comment="Not a fit")
    assert r.status_code == 200, r.text
    with pytest.raises(AppendOnly):
        async with factory.session() as session:
            entry = await session.scalar(select(SupplierReview))
            assert entry is not None
            entry.comment = "rewritten"
            await session.flush()
    if backend() != "sqlite":  # the trigger is PostgreSQL's
        with pytest.raises(DBAPIError, match="append-only"), sync_engine.begin() as conn:
            conn.execute(text("DELETE FROM supplier_reviews"))
    history = await factory.client.get(
        f"{V1}/msmes/{msme['id']}/supplier-reviews", headers=owner.headers
    )
    assert [i["comment"] for i in history.json()["items"]] == ["Not a fit"]
