"""A channel's catalog as a file: read, then rendered off the event loop.

The rows are read first (a constant number of statements); the caller may then give the
connection back before the rendering, which takes seconds for a large PDF. Rendering
runs in a worker thread, at most `RENDERING` at a time in a process, so that a crowd of
downloads queues instead of each holding its images and document in memory at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.export import pdf, rows, spreadsheet
from app.catalog.export.rows import ExhibitionCatalog
from app.catalog.export.thumbnails import ImageFeed
from app.catalog.export.words import Lang
from app.core.storage import Storage


class Format(StrEnum):
    pdf = "pdf"
    csv = "csv"
    xlsx = "xlsx"


@dataclass(frozen=True)
class FileKind:
    media_type: str
    most: int  # products a file may hold: a printed catalog is read, not searched


KINDS = {
    Format.pdf: FileKind("application/pdf", 2_000),
    Format.csv: FileKind("text/csv; charset=utf-8", 20_000),
    Format.xlsx: FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 20_000
    ),
}
RENDERING = anyio.CapacityLimiter(2)


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str


async def load(
    session: AsyncSession, code: str, fmt: Format, *, lang: Lang, base_url: str, storage: Storage
) -> ExhibitionCatalog:
    """The channel's rows for a file of `fmt`: 404 for an unknown channel, 422 when it
    holds more products than the format takes."""
    return await rows.load(
        session, code, lang=lang, base_url=base_url, storage=storage, most=KINDS[fmt].most
    )


async def render(catalog: ExhibitionCatalog, fmt: Format, storage: Storage) -> ExportFile:
    if fmt is Format.pdf:
        async with ImageFeed(storage, [row.image_key for row in catalog.rows]) as images:
            content = await anyio.to_thread.run_sync(
                pdf.render, catalog, images.next, limiter=RENDERING
            )
    else:
        write = spreadsheet.to_csv if fmt is Format.csv else spreadsheet.to_xlsx
        content = await anyio.to_thread.run_sync(write, catalog, limiter=RENDERING)
    filename = f"{catalog.channel.code}-catalog.{fmt.value}"
    return ExportFile(content, KINDS[fmt].media_type, filename)
