"""Run Alembic from code (CLI and tests), against a URL given explicitly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

SOURCE_ROOT = Path(__file__).resolve().parents[2]


def project_root() -> Path:
    """The folder with alembic.ini: the source checkout, or the working directory of an
    installed deployment (the Docker image keeps them in its WORKDIR)."""
    for candidate in (SOURCE_ROOT, Path.cwd()):
        if (candidate / "alembic.ini").is_file():
            return candidate
    raise FileNotFoundError("alembic.ini not found; run kurasi from the project folder")


def alembic_config(database_url: str) -> Config:
    root = project_root()
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logging"] = False
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


def include_object(dialect: str) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """For Alembic's comparison on `dialect`: leave out what the models create on another
    database only (the GIN index of search terms is PostgreSQL's; SQLite keeps the terms
    as JSON, unindexed)."""

    def include(obj: Any, name: str | None, kind: str, reflected: bool, other: Any) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        if kind != "index" or reflected or condition is None or condition.dialect is None:
            return True
        return bool(condition.dialect == dialect)

    return include
