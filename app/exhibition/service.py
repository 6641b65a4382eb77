"""A channel's catalog as a file: read, then rendered off the event loop.

The rows are read first (a constant number of statements); the caller may then give the
connection back before the rendering, which takes seconds for a large PDF. Rendering
runs in a worker thread, at most `RENDERING` at a time in a process, so that a crowd of
downloads queues instead of each holding its images and document in memory at once.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.core.db import create_engine, create_sessionmaker
from app.core.storage import Storage, create_storage
from app.exhibition import pdf, rows, spreadsheet
from app.exhibition.choices import CatalogLanguage, Format
from app.exhibition.rows import ExhibitionCatalog
from app.exhibition.thumbnails import thumbnails


@dataclass(frozen=True)
class FileKind:
    media_type: str
    most: int  # products a file may hold: a printed catalog is read, not searched


KINDS = {
    Format.pdf: FileKind("application/pdf", 1_000),
    Format.csv: FileKind("text/csv; charset=utf-8", 20_000),
    Format.xlsx: FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 20_000
    ),
}
RENDERING = anyio.CapacityLimiter(2)  # files rendered at once in a process


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str
    products: int


async def load(
    session: AsyncSession,
    code: str,
    fmt: Format,
    *,
    lang: CatalogLanguage,
    base_url: str,
    storage: Storage,
) -> ExhibitionCatalog:
    """The channel's rows for a file of `fmt`: 404 for an unknown channel, 422 when it
    holds more products than the format takes."""
    return await rows.load(
        session, code, lang=lang, base_url=base_url, storage=storage, most=KINDS[fmt].most
    )


async def render(catalog: ExhibitionCatalog, fmt: Format, storage: Storage) -> ExportFile:
    """The file of `catalog`; a PDF reads its images from `storage` (503 when it is away)."""
    async with RENDERING:  # taken before any image is read: a waiting download holds none
        if fmt is Format.pdf:
            images = await thumbnails(storage, [row.image_key for row in catalog.rows])
            content = await anyio.to_thread.run_sync(pdf.render, catalog, images)
        else:
            write = spreadsheet.to_csv if fmt is Format.csv else spreadsheet.to_xlsx
            content = await anyio.to_thread.run_sync(write, catalog)
    filename = f"{catalog.channel.code}-catalog.{fmt.value}"
    return ExportFile(content, KINDS[fmt].media_type, filename, catalog.count)


async def export(
    settings: Settings, code: str, fmt: Format, *, lang: CatalogLanguage, base_url: str
) -> ExportFile:
    """A file of channel `code` read with a database connection and store of its own
    (`kurasi catalog export`)."""
    engine = create_engine(settings)
    storage = create_storage(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            catalog = await load(session, code, fmt, lang=lang, base_url=base_url, storage=storage)
        return await render(catalog, fmt, storage)
    finally:
        await engine.dispose()


def save(content: bytes, path: Path) -> None:
    """Write `content` to `path` whole or not at all: a half-written catalog never lands
    where a print shop would pick it up."""
    part = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        with part.open("xb") as f:  # made as any new file is (the umask applies)
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        part.replace(path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise OSError(exc.errno, f"cannot write {path}: {exc.strerror}") from exc
