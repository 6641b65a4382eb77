"""The page's own words in Japanese, English and Indonesian, and how each writes numbers.

One table, one row a label: a language missing a label is a test failure, not a blank.
"""

from __future__ import annotations

from decimal import Decimal

# Each language named in itself, for the links between them.
LANGUAGE_NAMES = {"ja": "日本語", "en": "English", "id": "Bahasa Indonesia"}
# Open Graph's locale of each language.
OG_LOCALES = {"ja": "ja_JP", "en": "en_US", "id": "id_ID"}

LABELS: dict[str, dict[str, str]] = {
    "tagline": {
        "ja": "日本市場向けに審査されたインドネシア中小企業の商品",
        "en": "Indonesian MSME products curated for Japan",
        "id": "Produk UMKM Indonesia yang dikurasi untuk Jepang",
    },
    "languages": {"ja": "言語", "en": "Language", "id": "Bahasa"},
    "price": {"ja": "価格", "en": "Price", "id": "Harga"},
    "per": {"ja": "／{unit}", "en": " per {unit}", "id": " per {unit}"},
    "jpy_note": {
        "ja": "円価格は最新の為替レートによる参考値です。",
        "en": "The yen price is indicative, at the latest exchange rate.",
        "id": "Harga yen bersifat indikatif, dengan kurs terakhir.",
    },
    "incoterm": {"ja": "取引条件", "en": "Incoterm", "id": "Incoterm"},
    "moq": {"ja": "最小発注数量", "en": "Minimum order", "id": "Pesanan minimum"},
    "lead_time": {"ja": "納期", "en": "Lead time", "id": "Waktu produksi"},
    "days": {"ja": "{n}日", "en": "{n} days", "id": "{n} hari"},
    "capacity": {"ja": "月間生産能力", "en": "Monthly capacity", "id": "Kapasitas bulanan"},
    "category": {"ja": "カテゴリー", "en": "Category", "id": "Kategori"},
    "hs_code": {"ja": "HSコード", "en": "HS code", "id": "Kode HS"},
    "producer": {"ja": "生産者", "en": "Producer", "id": "Produsen"},
    "verified": {
        "ja": "認証済み事業者",
        "en": "Verified business",
        "id": "Usaha terverifikasi",
    },
    "verified_note": {
        "ja": "事業書類はKurasiのキュレーターが確認しました。",
        "en": "A Kurasi curator checked its business documents.",
        "id": "Dokumen usahanya telah diperiksa kurator Kurasi.",
    },
    "not_verified": {"ja": "未確認の事業者", "en": "Not verified", "id": "Belum terverifikasi"},
    "description": {"ja": "商品説明", "en": "Description", "id": "Deskripsi"},
    "certifications": {"ja": "認証", "en": "Certifications", "id": "Sertifikasi"},
    "no_certifications": {
        "ja": "表示できる認証はありません。",
        "en": "No certification to show.",
        "id": "Tidak ada sertifikasi untuk ditampilkan.",
    },
    "where": {"ja": "展示場所", "en": "Where to see it", "id": "Tempat melihatnya"},
    "booth": {"ja": "ブース", "en": "Booth", "id": "Stan"},
    "inquire": {"ja": "お問い合わせ", "en": "Send an inquiry", "id": "Kirim pertanyaan"},
    "with_account": {
        "ja": "Kurasiのバイヤーアカウントをお持ちの方は、APIから問い合わせを送れます：",
        "en": "Buyers with a Kurasi account send an inquiry through the API:",
        "id": "Pembeli dengan akun Kurasi mengirim pertanyaan melalui API:",
    },
    "sample_message": {
        "ja": "サンプルを送っていただけますか？",
        "en": "Could you send us samples?",
        "id": "Bisakah Anda mengirimkan sampel?",
    },
    "register": {
        "ja": "アカウントは POST /api/v1/auth/register（role: buyer）で作成し、"
        "トークンは POST /api/v1/auth/token で取得します。",
        "en": "Open an account with POST /api/v1/auth/register (role: buyer); "
        "POST /api/v1/auth/token gives the token.",
        "id": "Buat akun dengan POST /api/v1/auth/register (role: buyer); "
        "token didapat dari POST /api/v1/auth/token.",
    },
    "without_account": {
        "ja": "アカウントをお持ちでない方は、展示先の窓口へご連絡ください：",
        "en": "Without an account, contact the channel that shows it:",
        "id": "Tanpa akun, hubungi kanal yang memajangnya:",
    },
    "no_contact": {
        "ja": "窓口の連絡先はまだ登録されていません。会場のスタッフにお尋ねください。",
        "en": "No contact is listed yet: ask the staff at the venue.",
        "id": "Belum ada kontak yang tercantum: tanyakan kepada staf di lokasi.",
    },
    "email": {"ja": "メール", "en": "Email", "id": "Email"},
    "phone": {"ja": "電話", "en": "Phone", "id": "Telepon"},
    "mail_subject": {
        "ja": "お問い合わせ：{name}（{id}）",
        "en": "Inquiry: {name} ({id})",
        "id": "Pertanyaan: {name} ({id})",
    },
    "product_id": {"ja": "商品ID", "en": "Product ID", "id": "ID produk"},
    "not_found_title": {
        "ja": "商品が見つかりません",
        "en": "Product not found",
        "id": "Produk tidak ditemukan",
    },
    "not_found_text": {
        "ja": "この商品は現在カタログに掲載されていません。"
        "掲載が終了したか、URLが正しくない可能性があります。",
        "en": "This product is not in the catalog now: its listing may have ended, "
        "or the address is wrong.",
        "id": "Produk ini tidak ada di katalog saat ini: penayangannya mungkin sudah berakhir, "
        "atau alamatnya salah.",
    },
    "footer": {
        "ja": "Kurasi：インドネシアUMKMの輸出キュレーション",
        "en": "Kurasi: export curation for Indonesian MSMEs",
        "id": "Kurasi: kurasi ekspor untuk UMKM Indonesia",
    },
}

# (thousands, decimal) separators of each language.
_SEPARATORS = {"ja": (",", "."), "en": (",", "."), "id": (".", ",")}


def labels(lang: str) -> dict[str, str]:
    """Every label in `lang`."""
    return {key: texts[lang] for key, texts in LABELS.items()}


def number(value: Decimal | int, lang: str) -> str:
    """`value` with the grouping and decimal mark of `lang`: 12,500.50 or 12.500,50."""
    thousands, mark = _SEPARATORS[lang]
    text = f"{value:,}" if isinstance(value, int) else f"{value:,f}"
    return text.translate({ord(","): thousands, ord("."): mark})
