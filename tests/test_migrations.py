"""The Alembic migrations: they build exactly the models' schema, and go down and up again.

Each test migrates a scratch database of its own (SQLite, or PostgreSQL when the suite runs
there), never the suite's database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.core.migrate import alembic_config, downgrade, include_object, upgrade
from app.models import Base
from tests.dbutil import rows, scratch_database, sync_engine, table_names

MODEL_TABLES = set(Base.metadata.tables)
VERSIONS = Path(__file__).resolve().parents[1] / "migrations" / "versions"
FILE_NAME = re.compile(
    r"^\d{4}_(0[1-9]|1[0-2])_(0[1-9]|[12]\d|3[01])_([01]\d|2[0-3])[0-5]\d-\w+\.py$"
)


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    with scratch_database(tmp_path, "kurasi_mig") as url:
        yield url


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, heads
    return heads[0]


def test_upgrade_head_creates_every_model_table(scratch_url: str) -> None:
    assert table_names(scratch_url) == set()
    upgrade(scratch_url)
    tables = table_names(scratch_url)
    assert tables >= MODEL_TABLES, f"missing: {sorted(MODEL_TABLES - tables)}"
    assert tables - MODEL_TABLES == {"alembic_version"}
    versions = rows(scratch_url, "SELECT version_num FROM alembic_version")
    assert versions == [{"version_num": head_revision()}]


def test_migrated_schema_matches_the_models(scratch_url: str) -> None:
    upgrade(scratch_url)
    with sync_engine(scratch_url) as engine, engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "target_metadata": Base.metadata,
                "include_object": include_object(conn.dialect.name),
            },
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"the migrations and the models disagree: {diff}"
    # `alembic check`, as a developer runs it, agrees (it raises on any drift).
    command.check(alembic_config(scratch_url))


def test_downgrade_to_base_removes_everything_then_upgrade_again(scratch_url: str) -> None:
    upgrade(scratch_url)
    downgrade(scratch_url, "base")
    left = table_names(scratch_url) - {"alembic_version"}
    assert left == set(), f"tables left after downgrade to base: {sorted(left)}"
    if "alembic_version" in table_names(scratch_url):
        assert rows(scratch_url, "SELECT version_num FROM alembic_version") == []

    upgrade(scratch_url)
    assert table_names(scratch_url) >= MODEL_TABLES
    assert rows(scratch_url, "SELECT version_num FROM alembic_version") == [
        {"version_num": head_revision()}
    ]


def test_migration_file_names_follow_the_template() -> None:
    files = sorted(p.name for p in VERSIONS.glob("*.py") if p.name != "__init__.py")
    assert files, "no migrations found"
    wrong = [name for name in files if not FILE_NAME.match(name)]
    assert wrong == [], f"not YYYY_MM_DD_HHMM-slug.py: {wrong}"


def test_revisions_form_a_single_line_of_history() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, f"several heads: {script.get_heads()}"
    assert len(script.get_bases()) == 1, f"several bases: {script.get_bases()}"
    revisions = list(script.walk_revisions())
    files = [p for p in VERSIONS.glob("*.py") if p.name != "__init__.py"]
    assert len(revisions) == len(files), "a migration file is not part of the history"


def test_revision_ids_fit_the_version_table() -> None:
    """`alembic_version.version_num` is VARCHAR(32): PostgreSQL refuses a longer id at the
    end of the upgrade, where SQLite, which does not check lengths, takes it."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    long = [r.revision for r in script.walk_revisions() if len(r.revision) > 32]
    assert long == [], long
