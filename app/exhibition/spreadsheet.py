"""The catalog as a spreadsheet: one header row in the chosen language, then one row a
product, as CSV (UTF-8 with a byte-order mark, so that Excel in Japan reads it) or XLSX.
The XLSX file has a second sheet of the directory's suppliers whose parts it shows.

No cell ever becomes a formula from an owner's text. XLSX cells of text are typed as
strings, so `=1+1` stays those four characters. CSV has no types: a text cell starting
with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a leading `'`, which
spreadsheets show as text rather than evaluate (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from app.exhibition import words
from app.exhibition.choices import CatalogLanguage
from app.exhibition.rows import ExhibitionCatalog, Row, Section
from app.exhibition.words import HEADERS, SUPPLIER_HEADERS, other

Value = str | int | Decimal | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel's number formats of the numeric columns; the others are text.
NUMBER_FORMATS = {"price_jpy": "#,##0", "price": "#,##0.00", "moq": "#,##0", "lead_time_days": "0"}
WIDTHS = {"product_id": 38, "name_ja": 40, "name_en": 40, "page_url": 60, "certifications": 30}


def columns(lang: CatalogLanguage) -> list[str]:
    """The columns' keys; the chosen language's name comes first."""
    names = [f"name_{lang}", f"name_{other(lang)}"]
    keys = [k for k in HEADERS if not k.startswith("name_")]
    return [*keys[:2], *names, *keys[2:]]


def cells(row: Row, section: Section, lang: CatalogLanguage) -> dict[str, Value]:
    item = row.item
    names = item.translations.name
    return {
        "product_id": str(item.id),
        "category": section.names.get(lang, section.category),
        "name_ja": names.get("ja", ""),
        "name_en": names.get("en", ""),
        "brand": item.msme.brand_name,
        "province": words.province(item.msme.province, lang),
        "hs_code": item.hs_code,
        "price_jpy": item.price_jpy.amount if item.price_jpy else None,
        "price": item.price.amount,
        "currency": item.price.currency,
        "incoterm": item.incoterm.value if item.incoterm else None,
        "moq": item.moq,
        "unit": item.unit,
        "lead_time_days": item.lead_time_days,
        "certifications": words.certifications(item.certifications, lang),
        "booth": row.booth,
        "page_url": row.page_url,
    }


def table(catalog: ExhibitionCatalog) -> Iterator[list[Value]]:
    """The header row, then each product's row, in the PDF's order."""
    keys = columns(catalog.lang)
    yield [HEADERS[k][catalog.lang] for k in keys]
    for section in catalog.sections:
        for row in section.rows:
            found = cells(row, section, catalog.lang)
            yield [_clean(found[k]) for k in keys]


def _clean(value: Value) -> Value:
    """Text without the control characters that XLSX cannot hold (both files say the same)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def to_csv(catalog: ExhibitionCatalog) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for values in table(catalog):
        writer.writerow(
            ["" if v is None else _inert(v) if isinstance(v, str) else v for v in values]
        )
    return out.getvalue().encode("utf-8-sig")


def _inert(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_xlsx(catalog: ExhibitionCatalog) -> bytes:
    book = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = book.create_sheet(catalog.channel.code[:31])
    keys = columns(catalog.lang)
    for i, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = WIDTHS.get(key, 16)  # type: ignore[attr-defined]
    sheet.freeze_panes = "A2"
    rows = table(catalog)
    bold = Font(bold=True)
    sheet.append([_cell(sheet, title, font=bold) for title in next(rows)])
    for values in rows:
        sheet.append(
            [_cell(sheet, v, NUMBER_FORMATS.get(k)) for k, v in zip(keys, values, strict=True)]
        )
    if catalog.suppliers:
        _suppliers_sheet(book, catalog)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _suppliers_sheet(book: Workbook, catalog: ExhibitionCatalog) -> None:
    """A second sheet: the directory's suppliers whose parts the channel shows."""
    lang = catalog.lang
    sheet: WriteOnlyWorksheet = book.create_sheet(words.label("suppliers", lang)[:31])
    sheet.append([_cell(sheet, h[lang], font=Font(bold=True)) for h in SUPPLIER_HEADERS.values()])
    for section in catalog.suppliers:
        s = section.supplier
        held = [(c.code, c.expires_on) for c in s.certifications]
        processes = (s.capabilities or {}).get("processes") or []
        values = [
            str(s.id),
            s.brand_name,
            words.province(s.province, lang),
            s.city,
            words.processes(processes, lang),
            words.dated_certificates(held, lang),
            words.listed([r.item.name for r in section.parts], lang),
        ]
        sheet.append([_cell(sheet, _clean(v)) for v in values])


def _cell(
    sheet: WriteOnlyWorksheet,
    value: Value,
    number_format: str | None = None,
    font: Font | None = None,
) -> Cell:
    cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
    if isinstance(value, str):
        cell.data_type = "s"  # never "f": text that starts with `=` is not a formula
    elif number_format is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell
