"""The exhibition catalog's files: `GET /channels/{code}/catalog.pdf`, `.csv`, `.xlsx`."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from app.core.errors import responses
from app.core.routing import router as make_router
from app.exhibition import service
from app.exhibition.choices import Format
from app.exhibition.dependencies import Asked, AskedDep
from app.exhibition.service import KINDS

router = make_router(prefix="/channels", tags=["exhibition catalog"])

WHICH = """

Anyone may download it, without a token. The products are those the catalog shows in the
channel today: published, the exhibition not over, no required certificate expired; an
unpublished or expired product never appears. 404 for an unknown channel; 422 for a
`lang` other than `ja` or `en`, or for a channel with more products than the file takes
(1,000 in a PDF, 20,000 in a spreadsheet)."""
PDF = """For a print shop: a cover with the channel's name, venue and dates, then the
products grouped by category (named in both languages), one card each: image, Japanese
and English names, MSME brand and province, price in JPY and in its own currency with
the incoterm, MOQ and unit, lead time, buyer-facing certifications, booth, and a QR code
of the product's public page `{KURASI_PUBLIC_BASE_URL}/p/{product_id}`. The text is real
text in an embedded Japanese font: it can be searched and copied."""
ROWS = """One header row in the chosen language, then a row a product, in the PDF's order:
product ID, category, names in Japanese and English (the chosen language first), brand,
province, HS code, price in JPY (at the latest exchange rate; empty without one), price
and currency, incoterm, MOQ, unit, lead time in days, buyer-facing certifications, booth
and the product's public page."""
CSV = f"""{ROWS} UTF-8 with a byte-order mark, so that Excel in Japan reads it right. A
text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written
with a leading `'`, so that no spreadsheet takes an owner's text for a formula."""
XLSX = f"""{ROWS} One sheet, named after the channel's code. Text cells are text, never
formulas (a name starting with `=` stays text); prices, MOQ and lead time are numbers."""


def _documented(fmt: Format, what: str) -> dict[str, Any]:
    binary = {"schema": {"type": "string", "format": "binary"}}
    ok = {"description": f"{what} (attachment `<code>-catalog.{fmt}`)"}
    return {
        "response_class": Response,
        "responses": {
            200: {**ok, "content": {KINDS[fmt].media_type: binary}},
            **responses(404, 422),
        },
    }


async def _file(fmt: Format, a: Asked) -> Response:
    catalog = await service.load(
        a.session, a.code, fmt, lang=a.lang, base_url=a.base_url, storage=a.storage
    )
    # Every row is read: the connection goes back to the pool before the rendering.
    await a.session.close()
    file = await service.render(catalog, fmt, a.storage)
    disposition = f'attachment; filename="{file.filename}"'
    return Response(
        file.content, media_type=file.media_type, headers={"Content-Disposition": disposition}
    )


@router.get("/{code}/catalog.pdf", description=PDF + WHICH, **_documented(Format.pdf, "An A4 PDF"))
async def catalog_pdf(a: AskedDep) -> Response:
    """The channel's printed catalog (A4 PDF)"""
    return await _file(Format.pdf, a)


@router.get("/{code}/catalog.csv", description=CSV + WHICH, **_documented(Format.csv, "CSV"))
async def catalog_csv(a: AskedDep) -> Response:
    """The channel's catalog as CSV"""
    return await _file(Format.csv, a)


@router.get("/{code}/catalog.xlsx", description=XLSX + WHICH, **_documented(Format.xlsx, "XLSX"))
async def catalog_xlsx(a: AskedDep) -> Response:
    """The channel's catalog as an Excel workbook"""
    return await _file(Format.xlsx, a)
