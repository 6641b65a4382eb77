from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query, Request, Response

from app.access.dependencies import OwnerOrAdminUser
from app.core.deps import SessionDep
from app.core.errors import responses
from app.core.multipart import read_file_field
from app.core.routing import router as make_router
from app.core.schemas import COMPONENT
from app.imports import service
from app.imports.reading import MAX_BYTES, too_large
from app.imports.schemas import ImportReport, bad_file
from app.imports.template import template_csv, template_xlsx
from app.msmes.access import get_readable_msme

router = make_router(tags=["imports"])

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

IMPORT_FORM: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                COMPONENT: "ImportForm",
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "The CSV or XLSX file, at most 10 MB",
                    }
                },
            },
            "example": {"file": "(the bytes of products.xlsx or products.csv)"},
        }
    },
}
ERRORS = {
    **responses(400, 401, 403, 404, 409, 415),
    422: {
        **responses(422)[422],
        "description": "The file cannot be imported (its format, header, size or number "
        "of rows), or a commit found problems in its rows and wrote nothing. `errors` "
        "holds each problem as `{row, column, message}` (with `loc` and `msg`); a refused "
        "commit also carries the report's `dry_run`, `rows`, `created`, `updated` and "
        "`unchanged`.",
    },
}


@router.post(
    "/msmes/{msme_id}/imports",
    response_model=ImportReport,
    responses=ERRORS,
    openapi_extra={"requestBody": IMPORT_FORM},
)
async def import_products(
    msme_id: uuid.UUID,
    request: Request,
    user: OwnerOrAdminUser,
    session: SessionDep,
    dry_run: Annotated[
        bool, Query(description="true (default): check only; false: write all rows or none")
    ] = True,
) -> ImportReport:
    """Import products from a CSV or XLSX file

    The MSME's owner, or an admin. The multipart field `file` holds a file laid out as
    `GET /imports/template.csv` or `.xlsx`: a header row naming every template column
    (any order, any case), then one product a row. Rows are matched to the MSME's
    products by `sku` (required in every row): a new SKU creates a draft as
    `POST /products` would; a known SKU changes its product as `PATCH /products/{id}`
    would (an approved product becomes a draft for its next revision while the catalog
    keeps the approved one; a product submitted, in review, rejected or archived refuses
    its row). A blank cell is a field not given: a known product keeps its value.

    `dry_run=true` (the default) writes nothing and reports every problem of every row
    at once. `dry_run=false` writes every row in one transaction, or, when any row has a
    problem, nothing: 422 with the same report.

    **Files.** Told apart by content, not by name. CSV: UTF-8 with or without a
    byte-order mark (Excel's "CSV UTF-8"), or UTF-16 with one; separated by commas,
    semicolons or tabs; quoted cells may hold separators and line breaks. Other
    encodings (Shift-JIS, Windows-1252) are refused naming the first line that is not
    UTF-8. XLSX: the first worksheet, numbers stored as numbers or as text. Empty rows
    are skipped; `row` in a problem is the row number a spreadsheet shows (the header
    is row 1). 422 for a file that is not CSV or XLSX, a header with a missing or unknown
    column, more than 10,000 rows, or more than 10 MB (10,000,000 bytes).

    **Numbers.** With both `.` and `,` the last one is the decimal mark:
    `12.500,50` and `12,500.50` are 12500.50; `12500.50` is 12500.50. A mark that
    appears more than once groups thousands (`1.250.000`). A single mark followed by
    exactly three digits groups thousands (`12.500` and `12,500` are 12500: a price has
    at most two decimals); followed by one or two digits it is the decimal mark
    (`12,5` is 12.50). Spaces, and a currency sign or code around the number
    (`Rp 12.500`, `1,200円`), are ignored. Whole-number columns (`moq`,
    `lead_time_days`, `monthly_capacity`, `shelf_life_days`, `net_weight_g`) read the
    same way and must be whole (`1.000` is 1000, `5.0` is 5).

    XLSX number cells are read as Excel shows them (15 significant digits: a computed
    `12500.500000000002` is 12500.50).

    **Codes.** `category` is a code of `GET /standards` or a category's name in any of
    its languages; `hs_code` may be written with dots (`0901.21`), and a code one digit
    short of 6, 8 or 10 gets back the leading zero Excel drops; `incoterm`,
    `price_currency` and `unit` in any case; an incoterm may carry its named place
    (`FOB Jakarta` is FOB); `Rp`/`Rupiah` is IDR, `Yen`/`円` JPY, `$`/`US$` USD. A price
    without its currency is refused on a new product; on a known one it keeps the
    product's currency. `sku` is required in every row (the import matches by it) and
    may appear once a file.
    """
    await get_readable_msme(session, user, msme_id)
    data = await read_file_field(request, "file", MAX_BYTES, too_large)
    if data is None:
        raise bad_file("The form has no field `file` holding the CSV or XLSX file")
    return await service.run_import(session, user, msme_id, data, dry_run=dry_run)


@router.get(
    "/imports/template.csv",
    response_class=Response,
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}, "description": "CSV"}},
)
async def import_template_csv() -> Response:
    """The import template as CSV

    The header row alone, in UTF-8 with a byte-order mark (so that Excel reads it as
    UTF-8). The XLSX template explains each column.
    """
    return _download(template_csv(), CSV, "kurasi-import-template.csv")


@router.get(
    "/imports/template.xlsx",
    response_class=Response,
    responses={
        200: {
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            "description": "XLSX workbook",
        }
    },
)
async def import_template_xlsx() -> Response:
    """The import template as an XLSX workbook

    Sheet Products: the header row, text columns formatted as text. Sheet Guide: each
    column in English, Indonesian and Japanese, with an example and the allowed values
    (incoterms, units, currencies). Sheet Categories: the category codes, their names
    and HS chapters.
    """
    return _download(template_xlsx(), XLSX, "kurasi-import-template.xlsx")


def _download(content: bytes, media_type: str, filename: str) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "public, max-age=3600",
    }
    return Response(content, media_type=media_type, headers=headers)
