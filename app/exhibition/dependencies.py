"""What a download of the exhibition catalog asks for, and what serving it takes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.deps import BaseUrlDep, SessionDep, StorageDep
from app.core.storage import Storage
from app.exhibition.choices import CatalogLanguage

LangQuery = Annotated[
    CatalogLanguage, Query(description="`ja` (the default) or `en`: the language that comes first")
]


@dataclass(frozen=True)
class Asked:
    """A download's channel and language, and what serving it takes."""

    code: str
    lang: CatalogLanguage
    session: AsyncSession
    storage: Storage
    base_url: str


async def asked(
    code: str,
    session: SessionDep,
    storage: StorageDep,
    base_url: BaseUrlDep,
    lang: LangQuery = CatalogLanguage.ja,
) -> Asked:
    return Asked(code, lang, session, storage, base_url)


AskedDep = Annotated[Asked, Depends(asked)]
