"""Partners generate clients from /openapi.json (docs/clients.md): the Python client comes
out of the running app's document without a warning and with every schema, and walks
clients/python/journey.py through the app, answering typed models."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI

from tests.factories import PASSWORD, Factory, set_rate

CLIENTS = Path(__file__).resolve().parents[1] / "clients" / "python"
BIN = Path(sys.executable).parent


async def generate(client: httpx.AsyncClient, folder: Path) -> tuple[dict[str, Any], str]:
    """The document the app serves, and what openapi-python-client said generating
    `kurasi_client` from it into `folder` as docs/clients.md does."""
    spec = (await client.get("/openapi.json")).json()
    (folder / "openapi.json").write_text(json.dumps(spec))
    command = [
        str(BIN / "openapi-python-client"),
        "generate",
        "--path",
        str(folder / "openapi.json"),
        "--config",
        str(CLIENTS / "openapi-python-client.yaml"),
        "--meta",
        "none",
        "--output-path",
        str(folder / "kurasi_client"),
        "--fail-on-warning",
    ]
    # Its post hooks run ruff, the one of this virtualenv.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    result = await anyio.run_process(command, env=env, check=False)
    said = (result.stdout + result.stderr).decode()
    assert result.returncode == 0, said
    return spec, said


@pytest.fixture
def importable(tmp_path: Path) -> Iterator[Path]:
    """A folder on sys.path for the generated package, forgotten afterwards."""
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in [n for n in sys.modules if n == "kurasi_client" or n.startswith("kurasi_client.")]:
        del sys.modules[name]
    sys.modules.pop("journey", None)


def load_journey() -> ModuleType:
    spec = importlib.util.spec_from_file_location("journey", CLIENTS / "journey.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["journey"] = module
    spec.loader.exec_module(module)
    return module


async def test_the_generated_python_client_walks_the_journey(
    client: httpx.AsyncClient, factory: Factory, app: FastAPI, importable: Path
) -> None:
    spec, said = await generate(client, importable)
    assert "warning" not in said.lower(), said
    init = (importable / "kurasi_client" / "models" / "__init__.py").read_text()
    kept = set(re.findall(r'^    "(\w+)",$', init, re.M))
    assert set(spec["components"]["schemas"]) <= kept
    # The document's examples reach the docstrings of the models and of the calls.
    models = importable / "kurasi_client" / "models"
    assert "Example:" in (models / "product_create.py").read_text()
    assert "GAYO-ARB-250" in (models / "product_create.py").read_text()
    call = (importable / "kurasi_client" / "api" / "curation" / "transition_product.py").read_text()
    assert "'action': 'approve'" in call

    # The demo's accounts, channel and exchange rate that the journey counts on.
    journey = load_journey()
    staff = {
        role: await factory.user(role, email=f"{role}@journey.example")
        for role in ("curator", "admin", "buyer")
    }
    await factory.channel(staff["admin"])
    await set_rate(client, staff["admin"], "IDR", "0.0094", dt.date.today().isoformat())
    said_lines: list[str] = []
    done = await journey.walk(
        "http://testserver",
        journey.Accounts(**{role: (actor.email, PASSWORD) for role, actor in staff.items()}),
        httpx_args={"transport": httpx.ASGITransport(app=app)},
        say=said_lines.append,
    )

    typed = sys.modules["kurasi_client.models"]
    assert done.owner.role == typed.Role.MSME_OWNER
    assert done.readiness.ready is False
    assert isinstance(done.product.name, typed.Multilingual)
    assert done.product.name.ja == "ジャワ・プリアンガーコーヒー"
    assert done.product.specifications[0].value == "Medium"
    assert {d.doc_type for d in done.documents} == {
        "nib",
        "food_registration",
        "lab_test",
        "jp_label_draft",
    }
    assert all(d.status == typed.DocumentStatus.UPLOADED for d in done.documents)
    assert done.submitted.status == typed.ProductStatus.SUBMITTED
    assert [i.id for i in done.queue.items] == [done.product.id]
    assert done.approved.status == typed.ProductStatus.APPROVED
    assert done.approved.approved_revision == 1
    item = done.item
    assert isinstance(item, typed.CatalogItem)
    assert item.name == "ジャワ・プリアンガーコーヒー"
    assert item.translations.name.en == "Java Preanger coffee"
    assert (item.price.amount, item.price.currency) == ("250000.00", typed.Currency.IDR)
    assert item.price_jpy is not None and item.price_jpy.amount == "2350"
    assert [c.code for c in item.channels] == ["tokyo-msme-center"]
    assert item.channels[0].booth == "A-12"
    assert isinstance(done.inquiry, typed.InquiryOut)
    assert done.inquiry.status == typed.InquiryStatus.OPEN
    assert done.inquiry.incoterm == typed.Incoterm.CIF
    assert said_lines[-1] == "inquiry open"
