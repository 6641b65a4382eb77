"""The public product page, at the root (SPEC §8): `GET /p/{product_id}`.

Left out of the OpenAPI document, as /docs is: it is a page for a phone's browser, not
part of the JSON API, and its 404 is an HTML page, where every error the document
describes is problem+json.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header
from fastapi.responses import HTMLResponse

from app.catalog.dependencies import MediaLinksDep
from app.catalog.language import negotiate
from app.config import StorageBackend
from app.core.deps import BaseUrlDep, SessionDep, SettingsDep
from app.core.headers import page_policy
from app.core.routing import router as make_router
from app.pages import service, view

router = make_router(tags=["pages"], include_in_schema=False)
# Short: an unpublished product leaves its page within a minute in a phone's cache too.
CACHE_SHOWN = "public, max-age=60"
CACHE_MISSING = "no-cache"


# HEAD too: link checkers and previewers ask it before, or instead of, a GET.
@router.api_route("/p/{product_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def product_page(
    product_id: str,
    session: SessionDep,
    settings: SettingsDep,
    links: MediaLinksDep,
    base_url: BaseUrlDep,
    lang: str | None = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> HTMLResponse:
    """The public page of a published product

    What a buyer's phone opens from a printed catalog's QR code: the product's image,
    names, description, price, MSME, certifications, channels with their booths, and how
    to send an inquiry, in `?lang=` or `Accept-Language` (default ja). Any product not
    in the catalog now, and any id that is not one, is an HTML 404 page.
    """
    chosen = negotiate(lang.strip().lower() if lang else None, accept_language)
    found = service.product_id(product_id)
    page = None
    if found is not None:
        page = await service.product_page(session, found, lang=chosen, links=links)
    headers = {"Content-Language": chosen, "Vary": "Accept-Language"}
    if page is None:
        return HTMLResponse(
            view.not_found_html(chosen),
            status_code=404,
            headers={
                **headers,
                "Cache-Control": CACHE_MISSING,
                "Content-Security-Policy": page_policy(view.STYLE_HASH),
            },
        )
    store = settings.s3_endpoint_url if settings.storage == StorageBackend.s3 else None
    origins = view.image_origins(page, base_url, store)
    return HTMLResponse(
        view.product_html(page, chosen, base_url=base_url),
        headers={
            **headers,
            "Cache-Control": CACHE_SHOWN,
            "Content-Security-Policy": page_policy(view.STYLE_HASH, origins),
        },
    )
