"""The deployment files say what the README says: a multi-stage image run as a non-root
user, migrations as their own one-shot step, and PostgreSQL, S3, the API and the worker
in compose.yaml. Parsed only: no image is built or pulled."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return data


def test_dockerfile_is_multi_stage_non_root_and_serves() -> None:
    lines = [
        line.strip()
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    stages = [line for line in lines if line.startswith("FROM ")]
    assert len(stages) >= 2
    final = lines[lines.index(stages[-1]) :]
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    # No compiler, no pip and no source tree in the final stage.
    assert not any(re.search(r"apt-get|build-essential|gcc|pip install", line) for line in final)
    assert not any(line.startswith("COPY app") for line in final)
    cmd = next(line for line in reversed(final) if line.startswith("CMD "))
    assert '"kurasi", "serve"' in cmd and "--migrate" not in cmd
    assert any(line.startswith("HEALTHCHECK") for line in final)
    assert "/healthz" in (ROOT / "Dockerfile").read_text()


def test_compose_has_the_services_and_a_separate_migration(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"postgres", "minio", "minio-init", "migrate", "api", "worker"} <= set(services)
    assert services["migrate"]["command"] == ["kurasi", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    for name in ("api", "worker"):
        service = services[name]
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "--migrate" not in service["command"]
        env = service["environment"]
        assert env["KURASI_STORAGE"] == "s3"
        assert env["KURASI_DATABASE_URL"].startswith("postgresql://")
        assert {"KURASI_S3_BUCKET", "KURASI_S3_ENDPOINT_URL", "KURASI_SECRET_KEY"} <= set(env)
        assert "container_name" not in service  # so that --scale works
    assert services["api"]["command"][:2] == ["kurasi", "serve"]
    assert "--no-worker" in services["api"]["command"]
    assert services["worker"]["command"] == ["kurasi", "worker"]


def test_compose_settings_are_settings(compose: dict[str, Any]) -> None:
    from app.config import Settings

    known = {f"KURASI_{name.upper()}" for name in Settings.model_fields}
    env = compose["services"]["api"]["environment"]
    unknown = {key for key in env if key.startswith("KURASI_")} - known
    assert not unknown
