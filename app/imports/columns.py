"""The import template's columns (SPEC §8), in order, with what each takes in the three
languages of the template's guide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "amount", "whole"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    new: bool  # required for a new product (a known SKU may leave it blank)
    help: dict[str, str]  # en, id, ja


def _help(en: str, id_: str, ja: str) -> dict[str, str]:
    return {"en": en, "id": id_, "ja": ja}


COLUMNS: tuple[Column, ...] = (
    Column(
        "sku",
        "text",
        True,
        _help(
            "Your own product code, unique within the MSME. A row with a known SKU updates "
            "that product; a new SKU creates a draft.",
            "Kode produk Anda sendiri, unik dalam satu UMKM. Baris dengan SKU yang sudah ada "
            "memperbarui produk itu; SKU baru membuat draf.",
            "事業者内で一意の自社商品コード。既存のSKUの行はその商品を更新し、"
            "新しいSKUは下書きを作成します。",
        ),
    ),
    Column(
        "category",
        "text",
        True,
        _help(
            "Category code (sheet Categories), or its name in English, Indonesian or Japanese.",
            "Kode kategori (lembar Categories), atau namanya dalam bahasa Inggris, "
            "Indonesia, atau Jepang.",
            "カテゴリーコード(Categoriesシート)、または英語・インドネシア語・日本語の名称。",
        ),
    ),
    Column(
        "hs_code",
        "text",
        True,
        _help(
            "HS code, 6 to 10 digits, within the category's HS chapters (0901.21 and "
            "090121 are the same; a leading zero that Excel dropped is put back).",
            "Kode HS, 6 sampai 10 digit, sesuai bab HS kategori (0901.21 sama dengan "
            "090121; angka nol di depan yang dihapus Excel dikembalikan).",
            "HSコード6〜10桁、カテゴリーのHS類の範囲内(0901.21と090121は同じ。"
            "Excelが落とした先頭のゼロは補います)。",
        ),
    ),
    Column(
        "name_id",
        "text",
        True,
        _help(
            "Product name in Indonesian (required for a new product).",
            "Nama produk dalam bahasa Indonesia (wajib untuk produk baru).",
            "インドネシア語の商品名(新規商品は必須)。",
        ),
    ),
    Column(
        "name_en",
        "text",
        False,
        _help(
            "Product name in English (English or Japanese is needed before submission).",
            "Nama produk dalam bahasa Inggris (Inggris atau Jepang diperlukan sebelum diajukan).",
            "英語の商品名(審査申請までに英語か日本語が必要)。",
        ),
    ),
    Column(
        "name_ja",
        "text",
        False,
        _help("Product name in Japanese.", "Nama produk dalam bahasa Jepang.", "日本語の商品名。"),
    ),
    Column(
        "description_id",
        "text",
        False,
        _help(
            "Description in Indonesian; line breaks are kept.",
            "Deskripsi dalam bahasa Indonesia; baris baru dipertahankan.",
            "インドネシア語の説明。改行はそのまま残ります。",
        ),
    ),
    Column(
        "description_en",
        "text",
        False,
        _help("Description in English.", "Deskripsi dalam bahasa Inggris.", "英語の説明。"),
    ),
    Column(
        "description_ja",
        "text",
        False,
        _help("Description in Japanese.", "Deskripsi dalam bahasa Jepang.", "日本語の説明。"),
    ),
    Column(
        "price_amount",
        "amount",
        False,
        _help(
            "Price per unit, at most two decimals: 12500.50 or 12.500,50 (with both marks "
            "the last is the decimal mark; one mark before three digits groups thousands: "
            "12.500 = 12500).",
            "Harga per satuan, paling banyak dua desimal: 12500.50 atau 12.500,50 (jika ada "
            "titik dan koma, yang terakhir adalah tanda desimal; satu tanda sebelum tiga "
            "digit adalah pemisah ribuan: 12.500 = 12500).",
            "単位あたりの価格、小数は2桁まで: 12500.50 または 12.500,50(両方の記号がある"
            "場合は最後が小数点。3桁の前の記号1つは桁区切り: 12.500 = 12500)。",
        ),
    ),
    Column(
        "price_currency",
        "text",
        False,
        _help(
            "ISO 4217 currency of the price (IDR, USD, JPY, ...; Rp is IDR); required with "
            "a price.",
            "Mata uang ISO 4217 untuk harga (IDR, USD, JPY, ...; Rp berarti IDR); wajib jika "
            "ada harga.",
            "価格のISO 4217通貨コード(IDR、USD、JPYなど。RpはIDR)。価格があれば必須。",
        ),
    ),
    Column(
        "incoterm",
        "text",
        False,
        _help(
            "Incoterm of the price: EXW, FOB, CIF, DAP or DDP (a named place after it, "
            "'FOB Jakarta', is left out).",
            "Incoterm untuk harga: EXW, FOB, CIF, DAP, atau DDP (nama tempat sesudahnya, "
            "'FOB Jakarta', diabaikan).",
            "価格のインコタームズ: EXW、FOB、CIF、DAP、DDP(後ろの地名「FOB Jakarta」は無視)。",
        ),
    ),
    Column(
        "port_of_loading",
        "text",
        False,
        _help(
            "Port the goods leave from (e.g. Tanjung Priok, Jakarta).",
            "Pelabuhan muat (mis. Tanjung Priok, Jakarta).",
            "積出港(例: Tanjung Priok, Jakarta)。",
        ),
    ),
    Column(
        "unit",
        "text",
        False,
        _help(
            "Unit the price and MOQ count in: kg, g, l, ml, pcs, box, carton, pack, set, "
            "... (blank on a new product: pcs).",
            "Satuan harga dan MOQ: kg, g, l, ml, pcs, box, carton, pack, set, ... "
            "(kosong pada produk baru: pcs).",
            "価格とMOQの単位: kg、g、l、ml、pcs、box、carton、pack、setなど(新規で空欄ならpcs)。",
        ),
    ),
    Column(
        "moq",
        "whole",
        False,
        _help(
            "Minimum order quantity, in units (a whole number).",
            "Jumlah pesanan minimum, dalam satuan (bilangan bulat).",
            "最小発注数量(単位数、整数)。",
        ),
    ),
    Column(
        "lead_time_days",
        "whole",
        False,
        _help(
            "Days from order to shipment.",
            "Hari dari pesanan sampai pengiriman.",
            "受注から出荷までの日数。",
        ),
    ),
    Column(
        "monthly_capacity",
        "whole",
        False,
        _help(
            "Units you can make in a month.",
            "Jumlah satuan yang dapat diproduksi per bulan.",
            "月間生産可能数量(単位数)。",
        ),
    ),
    Column(
        "shelf_life_days",
        "whole",
        False,
        _help(
            "Shelf life in days (needed before submission for food).",
            "Masa simpan dalam hari (wajib untuk pangan sebelum diajukan).",
            "賞味期限の日数(食品は審査申請までに必要)。",
        ),
    ),
    Column(
        "packaging",
        "text",
        False,
        _help("How the product is packed.", "Cara produk dikemas.", "包装の仕様。"),
    ),
    Column(
        "net_weight_g",
        "whole",
        False,
        _help(
            "Net weight of one unit in grams.",
            "Berat bersih satu satuan dalam gram.",
            "1単位の正味重量(グラム)。",
        ),
    ),
)

NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
BY_NAME = {c.name: c for c in COLUMNS}
