"""The `kurasi` command."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Annotated, Literal

import typer

from app.config import get_settings
from app.exhibition.choices import CatalogLanguage, Format
from app.models.enums import Role

app = typer.Typer(help="Kurasi: export-curation marketplace backend.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Accounts.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
storage_app = typer.Typer(help="File storage (local folder or S3).", no_args_is_help=True)
catalog_app = typer.Typer(help="The buyers' catalog.", no_args_is_help=True)
products_app = typer.Typer(help="Products.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(catalog_app, name="catalog")
app.add_typer(users_app, name="users")
app.add_typer(demo_app, name="demo")
app.add_typer(storage_app, name="storage")
app.add_typer(products_app, name="products")


# Below compose.yaml's stop_grace_period (40 s), after which the container is killed.
GRACEFUL_SHUTDOWN_SECONDS = 30


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port (PORT= works too)")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
    migrate: Annotated[bool, typer.Option(help="Upgrade the database schema first")] = False,
    worker: Annotated[
        bool,
        typer.Option(help="Run the event worker in each server process (or: kurasi worker)"),
    ] = True,
    loop: Annotated[
        Literal["auto", "uvloop", "asyncio"],
        typer.Option(help="Event loop (auto: uvloop, installed with the server)"),
    ] = "auto",
    http: Annotated[
        Literal["auto", "httptools", "h11"],
        typer.Option(help="HTTP parser (auto: httptools, installed with the server)"),
    ] = "auto",
) -> None:
    """Serve the API (it does not migrate unless --migrate is given)."""
    import os
    import signal

    import uvicorn

    if migrate:
        upgrade()
    if workers > 1 and get_settings().redis_url is None:
        typer.echo(
            "warning: without KURASI_REDIS_URL each worker counts abuse limits on its own",
            err=True,
        )
    os.environ["KURASI_RUN_WORKER"] = "true" if worker else "false"  # each process reads it
    shared = None
    if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        import tempfile

        # The processes count requests in files there, so that /metrics adds them up.
        shared = tempfile.mkdtemp(prefix="kurasi-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = shared
    from app.core.logs import LOG_CONFIG

    # Once it has stopped gracefully, uvicorn raises the SIGTERM it caught again, under
    # the handler it found: the default one would end the process as killed (exit 143),
    # skipping what follows. A shutdown that finished its requests is a clean exit (0).
    signal.signal(signal.SIGTERM, lambda *_: None)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop=loop,
        http=http,
        log_config=LOG_CONFIG,  # JSON lines; our access line replaces uvicorn's
        access_log=False,
        # On SIGTERM: stop accepting, let in-flight requests finish for up to this long.
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    if shared is not None:
        import shutil

        shutil.rmtree(shared, ignore_errors=True)


@app.command("worker")
def run_worker(
    once: Annotated[bool, typer.Option(help="Run the events due now, then stop")] = False,
) -> None:
    """Run the handlers of outbox events (image copies, webhooks, ...) and send the
    webhooks and mail owed, until stopped."""
    import logging.config
    import signal

    from app.core.db import create_engine, create_sessionmaker
    from app.core.logs import LOG_CONFIG
    from app.core.storage import create_storage
    from app.events.worker import WorkerContext
    from app.handlers import run_background, run_due

    settings = get_settings()
    logging.config.dictConfig(LOG_CONFIG)

    async def run() -> None:
        engine = create_engine(settings)
        context = WorkerContext(create_sessionmaker(engine), create_storage(settings), settings)
        try:
            if once:
                await run_due(context)
                return
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            typer.echo("worker running; Ctrl-C stops it")
            await run_background(context, stop)
        finally:
            await engine.dispose()

    asyncio.run(run())


@db_app.command("upgrade")
def upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Upgrade the database schema (Alembic)."""
    from app.core.migrate import upgrade as run_upgrade

    settings = get_settings()
    run_upgrade(settings.database_url, revision)
    typer.echo(f"database at {revision}")


@users_app.command("create")
def create_user(
    email: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    role: Annotated[Role, typer.Option(prompt=True)],
    full_name: Annotated[str, typer.Option("--full-name", prompt=True)],
    company: Annotated[str | None, typer.Option()] = None,
    country: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Create an account of any role (curators and admins are made here or by an admin)."""
    from pydantic import ValidationError

    from app.core.db import create_engine, create_sessionmaker
    from app.core.errors import KurasiError, validation_errors
    from app.users.schemas import UserCreate
    from app.users.service import create_user as create

    try:
        data = UserCreate(
            email=email,
            password=password,
            role=role,
            full_name=full_name,
            company=company,
            country=country,
        )
    except ValidationError as exc:
        for error in validation_errors(exc.errors()):
            typer.echo(f"{'.'.join(map(str, error['loc']))}: {error['msg']}", err=True)
        raise typer.Exit(2) from exc

    async def run() -> tuple[str, str]:
        engine = create_engine(get_settings())
        try:
            async with create_sessionmaker(engine)() as session:
                user = await create(session, data)
                await session.commit()
                return user.email, str(user.id)
        finally:
            await engine.dispose()

    try:
        stored_email, user_id = asyncio.run(run())
    except KurasiError as exc:
        typer.echo(exc.detail, err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"created {role.value} {stored_email} ({user_id})")


@demo_app.command("seed")
def demo_seed(
    products: Annotated[
        int,
        typer.Option(
            min=0, help="Also add this many generated published listings (for benchmarks)"
        ),
    ] = 0,
) -> None:
    """Load demo data once; running it again changes nothing (but --products adds more)."""
    from app.demo import data
    from app.demo.seed import seed, seed_listings

    result = asyncio.run(seed(get_settings()))
    if products:
        started = time.monotonic()
        asyncio.run(seed_listings(get_settings(), products))
        typer.echo(f"added {products} published listings in {time.monotonic() - started:.0f} s")
    if not result.created:
        typer.echo("demo data is there already")
        return
    typer.echo(f"demo data loaded: {result.products} published products")
    typer.echo("accounts (email / password):")
    for email, password in data.PASSWORDS.items():
        typer.echo(f"  {email:32} {password}")


@storage_app.command("gc")
def storage_gc(
    older_than_hours: Annotated[float, typer.Option(min=0, help="Age of abandoned uploads")] = 24,
) -> None:
    """Delete uploads started but never completed, and withdraw stale public images."""
    from datetime import timedelta

    from app.core.db import create_engine, create_sessionmaker
    from app.core.storage import create_storage
    from app.files.maintenance import collect_garbage

    settings = get_settings()

    async def run() -> str:
        engine = create_engine(settings)
        try:
            result = await collect_garbage(
                create_sessionmaker(engine),
                create_storage(settings),
                timedelta(hours=older_than_hours),
            )
        finally:
            await engine.dispose()
        return (
            f"deleted {result.media} abandoned images and {result.documents} abandoned "
            f"documents; withdrew {result.unpublished_images} public images"
        )

    typer.echo(asyncio.run(run()))


@storage_app.command("check")
def storage_check() -> None:
    """Check that the storage is reachable and the credentials can put, head, get, delete."""
    from app.core.storage import create_storage
    from app.files.maintenance import check

    settings = get_settings()
    result = asyncio.run(check(create_storage(settings)))
    where = settings.s3_bucket if settings.storage == "s3" else str(settings.storage_dir)
    typer.echo(f"storage: {settings.storage} ({where})")
    for step, ok, detail in result.steps:
        typer.echo(f"  {step:7} {'ok' if ok else 'FAILED'}{'' if ok else ': ' + detail}")
    if not result.ok:
        raise typer.Exit(1)


@catalog_app.command("rebuild")
def catalog_rebuild(
    reindex: Annotated[
        bool, typer.Option(help="Also recompute every revision's search terms first")
    ] = False,
) -> None:
    """Recompute the catalog tables and the supplier directory's terms from the record
    (after a change of the search rules or of the synonym table, with --reindex)."""
    from sqlalchemy import create_engine

    from app.catalog.search import reindex_revisions
    from app.catalog.supplier_terms import reindex_suppliers
    from app.catalog.sync import rebuild

    settings = get_settings()
    engine = create_engine(settings.sync_database_url)
    try:
        with engine.begin() as conn:
            if reindex:
                typer.echo(f"reindexed {reindex_revisions(conn)} revisions")
            rebuild(conn)
            typer.echo(f"supplier terms of {reindex_suppliers(conn)} MSMEs")
    finally:
        engine.dispose()
    typer.echo("catalog rebuilt")


@app.command("openapi")
def openapi_document(
    output: Annotated[str | None, typer.Option(help="Write it to this file")] = None,
) -> None:
    """Print the OpenAPI document as GET /openapi.json serves it, with no server running:
    what clients are generated from (docs/clients.md)."""
    import json
    from pathlib import Path

    from app.main import create_app

    text = json.dumps(create_app(get_settings()).openapi(), ensure_ascii=False, indent=2)
    if output is None:
        typer.echo(text)
    else:
        Path(output).write_text(text + "\n", encoding="utf-8")


@products_app.command("import")
def products_import(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, help="A CSV or XLSX file laid out as the template"
        ),
    ],
    msme: Annotated[uuid.UUID, typer.Option(help="The id of the MSME the products belong to")],
    commit: Annotated[
        bool, typer.Option("--commit", help="Write the rows (all or none); without it, a dry run")
    ] = False,
) -> None:
    """Import products from a CSV or XLSX file into an MSME, as its owner (a dry run
    unless --commit); exits 1 when the file or a row has a problem."""
    from app.core.errors import KurasiError
    from app.imports.command import import_file, read_file

    try:
        report = asyncio.run(import_file(get_settings(), read_file(file), msme, commit=commit))
    except KurasiError as exc:
        typer.echo(exc.detail, err=True)
        for item in exc.errors or []:
            typer.echo(_import_problem(item.get("row"), item.get("column"), item["msg"]), err=True)
        raise typer.Exit(1) from exc
    done = "to create" if report.dry_run else "created"
    changed = "to update" if report.dry_run else "updated"
    typer.echo(
        f"{'dry run' if report.dry_run else 'imported'}: {report.rows} rows, {report.created} "
        f"{done}, {report.updated} {changed} ({report.unchanged} unchanged), "
        f"{len(report.errors)} problems"
    )
    for problem in report.errors:
        typer.echo(_import_problem(problem.row, problem.column, problem.message))
    if report.errors:
        raise typer.Exit(1)
    if report.dry_run:
        typer.echo("nothing written; run again with --commit to import")


def _import_problem(row: int | None, column: str | None, message: str) -> str:
    where = ", ".join(p for p in (f"row {row}" if row else None, column) if p)
    return f"  {where}: {message}" if where else f"  {message}"


@catalog_app.command("export")
def catalog_export(
    channel: Annotated[str, typer.Option(help="The channel's code, e.g. jcc-export-expo")],
    file_format: Annotated[Format, typer.Option("--format", help="The file's format")],
    output: Annotated[Path, typer.Option(dir_okay=False, help="The file to write")],
    lang: Annotated[
        CatalogLanguage, typer.Option(help="The language that comes first")
    ] = CatalogLanguage.ja,
    base_url: Annotated[
        str | None,
        typer.Option(help="Where buyers open the QR codes; default KURASI_PUBLIC_BASE_URL"),
    ] = None,
) -> None:
    """Write a channel's exhibition catalog: an A4 PDF for print, or CSV or XLSX rows."""
    from app.core.errors import KurasiError
    from app.exhibition.service import export, save

    settings = get_settings()
    base = base_url or settings.public_base_url
    if base is None:
        base = "http://127.0.0.1:8000"
        typer.echo(f"warning: KURASI_PUBLIC_BASE_URL is not set; QR codes open {base}", err=True)
    try:
        file = asyncio.run(export(settings, channel, file_format, lang=lang, base_url=base))
        save(file.content, output)
    except (KurasiError, OSError) as exc:
        typer.echo(exc.detail if isinstance(exc, KurasiError) else exc.strerror, err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"wrote {output}: {file.products} products, {len(file.content):,} bytes")


def main() -> None:
    app()
