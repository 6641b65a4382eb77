"""Engine, sessions and the declarative base shared by every model."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel
from sqlalchemy import JSON, DateTime, MetaData, Table, event
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from app.config import Settings
from app.core import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# After a commit, the signals its transaction raised (`signal`) go to the callback kept in
# `session.info[ON_COMMIT]` by whoever made the session (the app: a worker in the same
# process starts on new events, cached catalog pages are dropped).
ON_COMMIT = "on_commit"
_SIGNALS = "commit_signals"


def signal(session: AsyncSession | Session, name: str) -> None:
    """Tell the session's owner, once the transaction commits, that it did `name`."""
    session.info.setdefault(_SIGNALS, set()).add(name)


def pending_signals(session: Session) -> set[str]:
    """The signals the session's transaction has raised so far (before it commits)."""
    return session.info.get(_SIGNALS, set())  # type: ignore[no-any-return]


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    signals = session.info.pop(_SIGNALS, None)
    callback = session.info.get(ON_COMMIT)
    if signals and callback is not None:
        callback(signals)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_SIGNALS, None)


JSONType = JSON().with_variant(JSONB(), "postgresql")


class WeightedTerms(TypeDecorator[dict[str, str]]):
    """Search terms, each with the weight of where it stands ("A" in a name, "D" else):
    a `tsvector` on PostgreSQL (every term at position 1, for its weight), which a GIN
    index serves and `@@` matches quickly; a JSON object on SQLite."""

    impl = JSON
    cache_ok = True
    _LEXEME = re.compile(r"'((?:[^'\\]|''|\\.)*)'(?::1([ABC])?)?")

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        return dialect.type_descriptor(TSVECTOR() if dialect.name == "postgresql" else JSON())

    def process_bind_param(self, value: dict[str, str] | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "postgresql":
            return value
        return tsvector_text(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, str] | None:
        if value is None or dialect.name != "postgresql":
            return value  # type: ignore[no-any-return]
        return {
            re.sub(r"''|\\(.)", lambda m: m.group(1) or "'", t): w or "D"
            for t, w in self._LEXEME.findall(value)
        }


def lexeme(term: str) -> str:
    """A term quoted as PostgreSQL's tsvector and tsquery read it."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_text(terms: dict[str, str]) -> str:
    return " ".join(f"{lexeme(t)}:1{'' if w == 'D' else w}" for t, w in sorted(terms.items()))


def utcnow() -> datetime:
    return clock.now()


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class PydanticJSON(TypeDecorator[Any]):
    """A JSON column read and written as a pydantic model."""

    impl = JSON
    cache_ok = True

    def __init__(self, model: type[BaseModel]) -> None:
        super().__init__()
        self.model = model

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        return dialect.type_descriptor(JSONB() if dialect.name == "postgresql" else JSON())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return self.model.model_validate(value).model_dump(mode="json")

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else self.model.model_validate(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSONType,
    }


def table_of(model: type[Base]) -> Table:
    """A mapped class's table, as a Table (typed a FromClause on the class)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# JIT compiling pays off for long analytic queries; for a catalog page it only adds
# its compile time (hundreds of milliseconds) whenever a plan's estimate runs high.
# Statements the driver has prepared are still planned for their values: a generic
# plan would ignore how common a search term or a channel is, and catalog data is
# skewed enough for that to cost seconds. Random reads cost about what sequential
# ones do on SSDs and cached data (the usual 1.1 rather than the default 4): at the
# default, a word in a fifth of the catalog is matched by reading and testing every
# entry (~100 ms at 100,000) instead of through its GIN index (~35 ms).
SESSION_SETTINGS = ("jit=off", "plan_cache_mode=force_custom_plan", "random_page_cost=1.1")


def create_engine(
    settings: Settings, *, pool_size: int = 5, overflow: int = 10, statement_timeout: bool = True
) -> AsyncEngine:
    """The app's engine; the pool's size and overflow apply to PostgreSQL.

    A database that is down or stuck fails fast (connect and statement timeouts, a
    bounded wait for a pooled connection), so requests answer 503 instead of hanging;
    `pool_pre_ping` replaces connections a restart killed, so the pool recovers by
    itself. Batch commands (seeding) pass `statement_timeout=False`.
    """
    url = settings.async_database_url
    if settings.is_sqlite:
        return _sqlite_engine(url, settings.database_echo)
    options = list(SESSION_SETTINGS)
    if statement_timeout and settings.db_statement_timeout:
        options.append(f"statement_timeout={settings.db_statement_timeout}")
    return create_async_engine(
        url,
        echo=settings.database_echo,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=overflow,
        pool_timeout=settings.db_pool_timeout,
        connect_args={
            "options": " ".join(f"-c {o}" for o in options),
            "connect_timeout": settings.db_connect_timeout,
        },
    )


# How long a SQLite writer waits for the one before it: writers queue (BEGIN IMMEDIATE)
# rather than fail with "database is locked".
SQLITE_BUSY_MS = 30_000


def _sqlite_engine(url: str, echo: bool) -> AsyncEngine:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the driver so that every transaction can
        # start with BEGIN IMMEDIATE: SQLite then serialises writers up front instead of
        # failing one of two transactions that both read before writing.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # Wait for other writers (first, so that switching to WAL waits as well).
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_sessionmaker(
    engine: AsyncEngine, on_commit: Callable[[set[str]], None] | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions of the app; `on_commit` hears the signals of each commit (`signal`)."""
    info = {ON_COMMIT: on_commit} if on_commit is not None else {}
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False, info=info)
