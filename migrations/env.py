"""Alembic environment: the URL comes from Kurasi's settings, or from the caller's config."""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import create_engine, pool

from app.config import Settings, sync_database_url
from app.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def database_url() -> str:
    url = config.attributes.get("database_url") or Settings().database_url
    return sync_database_url(str(url))


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # Migrations that change the catalog tables say so with REBUILDS_CATALOG; their rows
    # are recomputed once the upgrade reaches the newest schema, which the rebuild
    # writes (a migration itself can only see its own).
    rebuilds: list[str] = []

    def note_rebuild(ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
        module = getattr(step.up_revision, "module", None)
        if step.is_upgrade and step.is_migration and getattr(module, "REBUILDS_CATALOG", False):
            rebuilds.append(step.up_revision_id)

    url = database_url()
    if url.startswith("sqlite:///"):
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
            on_version_apply=note_rebuild,
        )
        with context.begin_transaction():
            context.run_migrations()
            at_head = set(context.get_context().get_current_heads()) == set(
                context.script.get_heads()
            )
            if rebuilds and at_head:
                from app.catalog.entries import rebuild

                rebuild(connection)
        if connection.in_transaction():  # SQLite: no transactional DDL, nothing committed it
            connection.commit()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
