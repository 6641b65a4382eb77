"""What the exported catalog says, in Japanese and in English: labels, dates, money."""

from __future__ import annotations

from datetime import date

from app.core.schemas import Money
from app.exhibition.choices import CatalogLanguage
from app.standards.provinces import NAMES as PROVINCE_NAMES
from app.standards.table import DOCUMENT_TYPES_BY_CODE, PROCESSES_BY_CODE

LABELS: dict[str, dict[str, str]] = {
    "title": {"ja": "出展商品カタログ", "en": "Exhibition catalog"},
    "count": {"ja": "掲載商品 {n}点", "en": "{n} products"},
    "in_category": {"ja": "{category}（{n}点）", "en": "{category} ({n})"},
    "empty": {
        "ja": "このチャネルに掲載中の商品はまだありません。",
        "en": "No product is published in this channel yet.",
    },
    "as_of": {"ja": "{day}現在", "en": "As of {day}"},
    "prices": {
        "ja": "円価格はその日の為替レートによる参考価格です。"
        "取引条件は各商品の通貨とインコタームズによります。",
        "en": "Yen prices are at the day's exchange rate; each offer stands in its own "
        "currency and incoterm.",
    },
    "scan": {
        "ja": "QRコードから商品ページ（説明・認証・お問い合わせ方法）を開けます。",
        "en": "Scan a product's QR code for its page: description, certificates, how to ask.",
    },
    "no_yen": {"ja": "円価格は未設定", "en": "no yen price yet"},
    "moq": {"ja": "最低発注数量 {moq}", "en": "MOQ {moq}"},
    "lead_time": {"ja": "リードタイム {days}日", "en": "Lead time {days} days"},
    "booth": {"ja": "ブース {booth}", "en": "Booth {booth}"},
    "page": {"ja": "{page} / {pages}ページ", "en": "Page {page} of {pages}"},
    "suppliers": {"ja": "サプライヤー（自動車部品）", "en": "Suppliers (automotive parts)"},
    "supplier_count": {"ja": "サプライヤー {n}社", "en": "{n} suppliers"},
    "suppliers_note": {
        "ja": "キュレーターの審査を経て、品質認証（ISO 9001またはIATF 16949）が有効な"
        "サプライヤーです。図面に基づく部品のご相談を承ります。",
        "en": "Reviewed by curators, each with a valid ISO 9001 or IATF 16949 certificate; "
        "ask them for parts made to your drawing.",
    },
    "processes": {"ja": "工程：{names}", "en": "Processes: {names}"},
    "certified": {"ja": "認証：{names}", "en": "Certificates: {names}"},
    "until": {"ja": "{name}（{day}まで）", "en": "{name} (until {day})"},
    "parts": {"ja": "出展部品：{names}", "en": "Parts shown: {names}"},
}

KINDS: dict[str, dict[str, str]] = {
    "showroom": {"ja": "常設ショールーム", "en": "Showroom"},
    "exhibition": {"ja": "展示会", "en": "Exhibition"},
    "online": {"ja": "オンライン", "en": "Online"},
}

# The spreadsheets' columns, by key, with their header in each language.
HEADERS: dict[str, dict[str, str]] = {
    "product_id": {"ja": "商品ID", "en": "Product ID"},
    "category": {"ja": "カテゴリー", "en": "Category"},
    "name_ja": {"ja": "商品名（日本語）", "en": "Name (Japanese)"},
    "name_en": {"ja": "商品名（英語）", "en": "Name (English)"},
    "brand": {"ja": "ブランド", "en": "Brand"},
    "province": {"ja": "州", "en": "Province"},
    "hs_code": {"ja": "HSコード", "en": "HS code"},
    "price_jpy": {"ja": "価格（円）", "en": "Price (JPY)"},
    "price": {"ja": "価格（現地通貨）", "en": "Price (own currency)"},
    "currency": {"ja": "通貨", "en": "Currency"},
    "incoterm": {"ja": "インコタームズ", "en": "Incoterm"},
    "moq": {"ja": "最低発注数量", "en": "MOQ"},
    "unit": {"ja": "単位", "en": "Unit"},
    "lead_time_days": {"ja": "リードタイム（日）", "en": "Lead time (days)"},
    "certifications": {"ja": "認証", "en": "Certifications"},
    "booth": {"ja": "ブース", "en": "Booth"},
    "page_url": {"ja": "商品ページ", "en": "Product page"},
}

# The XLSX file's sheet of suppliers (when the channel shows their parts).
SUPPLIER_HEADERS: dict[str, dict[str, str]] = {
    "supplier_id": {"ja": "サプライヤーID", "en": "Supplier ID"},
    "brand": {"ja": "ブランド", "en": "Brand"},
    "province": {"ja": "州", "en": "Province"},
    "city": {"ja": "市", "en": "City"},
    "processes": {"ja": "工程", "en": "Processes"},
    "certifications": {"ja": "認証（有効期限）", "en": "Certificates (valid until)"},
    "parts": {"ja": "出展部品", "en": "Parts shown"},
}

MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


def other(lang: CatalogLanguage) -> CatalogLanguage:
    return CatalogLanguage.en if lang == CatalogLanguage.ja else CatalogLanguage.ja


def label(key: str, lang: CatalogLanguage, **values: object) -> str:
    return LABELS[key][lang].format(**values)


def day(value: date, lang: CatalogLanguage) -> str:
    if lang == CatalogLanguage.ja:
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def dates(starts_on: date | None, ends_on: date | None, lang: CatalogLanguage) -> str | None:
    """An exhibition's days, e.g. `10 March 2027 – 14 March 2027`; None without dates."""
    shown = [day(d, lang) for d in (starts_on, ends_on) if d is not None]
    if len(shown) == 2 and starts_on == ends_on:
        shown = shown[:1]
    return " – ".join(shown) or None


def money(value: Money) -> str:
    """`IDR 285,000.00`; yen as `¥2,850`."""
    if value.currency == "JPY":
        return f"¥{value.amount:,}"
    return f"{value.currency} {value.amount:,}"


def quantity(amount: int | None, unit: str) -> str | None:
    return None if amount is None else f"{amount:,} {unit}"


def province(name: str, lang: CatalogLanguage) -> str:
    return PROVINCE_NAMES.get(name, {}).get(lang, name)


def certifications(codes: list[str], lang: CatalogLanguage) -> str:
    """The certificates' names, as a list is written in `lang`."""
    return listed([DOCUMENT_TYPES_BY_CODE[code].name[lang] for code in codes], lang)


def listed(names: list[str], lang: CatalogLanguage) -> str:
    return ("、" if lang == CatalogLanguage.ja else ", ").join(names)


def processes(codes: list[str], lang: CatalogLanguage) -> str:
    """The processes' names in `lang`, each with its name in the other language."""
    names = []
    for code in codes:
        if (process := PROCESSES_BY_CODE.get(code)) is not None:
            first, second = process.name[lang], process.name[other(lang)]
            names.append(
                f"{first}（{second}）" if lang == CatalogLanguage.ja else f"{first} ({second})"
            )
    return listed(names, lang)


def dated_certificates(held: list[tuple[str, date]], lang: CatalogLanguage) -> str:
    """Certificates with the day each is valid until."""
    return listed(
        [
            label("until", lang, name=DOCUMENT_TYPES_BY_CODE[code].name[lang], day=day(d, lang))
            for code, d in held
        ],
        lang,
    )
