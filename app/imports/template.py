"""The import template: a CSV of the header row alone (an example row would be imported
too), and an XLSX with the header, a guide to each column in English, Indonesian and
Japanese, and the categories with their HS chapters."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from functools import cache

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from app.imports.columns import COLUMNS, NAMES
from app.models.enums import Incoterm
from app.standards.table import CATEGORIES

UNITS = ("kg", "g", "l", "ml", "pcs", "box", "carton", "pack", "set", "pair", "roll", "m")
EXAMPLES = {
    "sku": "GAYO-ARB-250",
    "category": "coffee",
    "hs_code": "090121",
    "name_id": "Kopi Arabika Gayo Sangrai 250 g",
    "name_en": "Gayo arabica, roasted, 250 g",
    "name_ja": "ガヨ・アラビカ 焙煎豆 250g",
    "price_amount": "95000 / 95.000,00",
    "price_currency": "IDR",
    "incoterm": "FOB",
    "port_of_loading": "Belawan",
    "unit": "pack",
    "moq": "500",
    "lead_time_days": "30",
    "monthly_capacity": "4000",
    "shelf_life_days": "365",
    "packaging": "Valve bag, 20 per carton",
    "net_weight_g": "250",
}
ALLOWED = {
    "category": "See the sheet Categories",
    "price_currency": "IDR, USD, JPY, ... (ISO 4217)",
    "incoterm": ", ".join(Incoterm),
    "unit": ", ".join(UNITS) + ", ...",
}
RULES = (
    (
        "Row 1 is the header: keep every column (any order). One row per product; empty "
        "rows are skipped. At most 10,000 rows and 10 MB per file.",
        "Baris 1 adalah judul kolom: pertahankan semua kolom (urutan bebas). Satu baris per "
        "produk; baris kosong dilewati. Paling banyak 10.000 baris dan 10 MB per berkas.",
        "1行目は見出し行です。すべての列を残してください(順序は自由)。1行に1商品、"
        "空の行は無視されます。1ファイル最大10,000行・10MB。",
    ),
    (
        "A blank cell means 'not given': a new product gets the default, a known SKU "
        "keeps its value.",
        "Sel kosong berarti 'tidak diisi': produk baru memakai nilai bawaan, SKU yang "
        "sudah ada mempertahankan nilainya.",
        "空欄は「指定なし」です。新規商品は既定値、既存のSKUは現在の値のままです。",
    ),
    (
        "Products under review (submitted, in review), rejected or archived cannot be "
        "changed; an approved product becomes a draft for its next revision and stays in "
        "the catalog as approved.",
        "Produk yang sedang dikurasi (diajukan, ditinjau), ditolak, atau diarsipkan tidak "
        "dapat diubah; produk yang disetujui menjadi draf untuk revisi berikutnya dan tetap "
        "tampil di katalog.",
        "審査中(申請済み・審査中)、却下、アーカイブ済みの商品は変更できません。"
        "承認済みの商品は次の改訂の下書きになり、カタログには承認済みの内容が残ります。",
    ),
    (
        "Save as .xlsx or as 'CSV UTF-8' (comma or semicolon separated).",
        "Simpan sebagai .xlsx atau 'CSV UTF-8' (dipisah koma atau titik koma).",
        ".xlsx、または「CSV UTF-8」(カンマまたはセミコロン区切り)で保存してください。",
    ),
)


@cache
def template_csv() -> bytes:
    """The header row, in UTF-8 with a byte-order mark so that Excel reads it as UTF-8."""
    out = io.StringIO()
    csv.writer(out).writerow(NAMES)
    return codecs.BOM_UTF8 + out.getvalue().encode()


def _append(sheet: Worksheet, values: Iterable[object]) -> None:
    """A row whose text stays text: a value starting with `=` is never a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


@cache
def template_xlsx() -> bytes:
    book = Workbook()
    products = book.active
    assert isinstance(products, Worksheet)
    products.title = "Products"
    _append(products, NAMES)
    products.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        products[f"{letter}1"].font = Font(bold=True)
        products.column_dimensions[letter].width = 40 if column.name.startswith("desc") else 18
        if column.kind == "text":
            # Typed codes stay text: Excel drops no leading zero of an SKU or HS code.
            products.column_dimensions[letter].number_format = "@"
    _choices(products, "incoterm", f'"{",".join(Incoterm)}"')
    _choices(products, "category", f"Categories!$A$2:$A${len(CATEGORIES) + 1}")

    guide = book.create_sheet("Guide")
    _append(
        guide,
        ("column", "new product", "example", "allowed", "English", "Bahasa Indonesia", "日本語"),
    )
    for column in COLUMNS:
        required = "required" if column.new else ""
        _append(
            guide,
            (
                column.name,
                required,
                EXAMPLES.get(column.name, ""),
                ALLOWED.get(column.name, ""),
                *column.help.values(),
            ),
        )
    _append(guide, ())
    for rule in RULES:
        _append(guide, ("", "", "", "", *rule))
    _style(guide, (18, 12, 28, 28, 60, 60, 60))

    categories = book.create_sheet("Categories")
    _append(categories, ("code", "English", "Bahasa Indonesia", "日本語", "HS chapters"))
    for cat in CATEGORIES:
        names = (cat.name.get(lang, "") for lang in ("en", "id", "ja"))
        _append(categories, (cat.code, *names, ", ".join(cat.hs_prefixes)))
    _style(categories, (24, 32, 32, 32, 40))

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _choices(sheet: Worksheet, column: str, formula: str) -> None:
    """A drop-down list on the column's cells (a suggestion: other text is not blocked
    by Excel, and the import reads names too)."""
    letter = get_column_letter(NAMES.index(column) + 1)
    rule = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
    rule.add(f"{letter}2:{letter}10001")
    sheet.add_data_validation(rule)


def _style(sheet: Worksheet, widths: tuple[int, ...]) -> None:
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(1, index).font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
