"""`kurasi products import`: the API's import, run on a file on disk as the MSME's owner
(so the audit trail names the owner, as if they had sent the file themselves)."""

from __future__ import annotations

import uuid
from pathlib import Path

from app.config import Settings
from app.core.db import create_engine, create_sessionmaker
from app.core.errors import NotFound
from app.imports.reading import MAX_BYTES, too_large
from app.imports.schemas import ImportReport
from app.imports.service import run_import
from app.models import Msme, User


def read_file(path: Path) -> bytes:
    """The file's bytes, refused unread when it is over the import's limit."""
    if path.stat().st_size > MAX_BYTES:
        raise too_large()
    return path.read_bytes()


async def import_file(
    settings: Settings, data: bytes, msme_id: uuid.UUID, *, commit: bool
) -> ImportReport:
    engine = create_engine(settings, statement_timeout=False)
    try:
        async with create_sessionmaker(engine)() as session:
            msme = await session.get(Msme, msme_id)
            if msme is None:
                raise NotFound(f"No MSME has the id {msme_id}")
            owner = await session.get_one(User, msme.owner_id)
            report = await run_import(session, owner, msme.id, data, dry_run=not commit)
            await session.commit()
            return report
    finally:
        await engine.dispose()
