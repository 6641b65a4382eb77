"""Request dependencies of the catalog, also used by other domains that show catalog items."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query

from app.catalog.language import negotiate
from app.catalog.service import MediaLinks
from app.core.deps import BaseUrlDep, StorageDep
from app.core.schemas import named_enum
from app.models.enums import Language
from app.standards.provinces import PROVINCES

# The `province` filter's values, one named enum wherever a list is filtered by province.
PROVINCE_ENUM = named_enum("Province", [p[0] for p in PROVINCES])


async def media_links(storage: StorageDep, base_url: BaseUrlDep) -> MediaLinks:
    return MediaLinks(storage, base_url)


async def language(
    lang: Annotated[Language | None, Query(description="ja, en or id")] = None,
    accept_language: Annotated[str | None, Header(alias="Accept-Language")] = None,
) -> str:
    """`lang`, else the best of `Accept-Language`, else Japanese."""
    return negotiate(lang.value if lang else None, accept_language)


MediaLinksDep = Annotated[MediaLinks, Depends(media_links)]

LanguageDep = Annotated[str, Depends(language)]
