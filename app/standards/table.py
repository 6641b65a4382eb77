"""The export-standards table: Indonesia → Japan, built from shared/standards/REQUIREMENTS.md.

Data only. Each category names its HS prefixes, the product fields and documents a
product must have before submission, and the checklist criteria curators record.
Conditional documents and criteria apply when a product flag holds (`when`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Text = dict[str, str]
Flag = Literal["organic_claim", "is_electrical", "species", "wooden", "customer_requires"]
# Flags no product field sets yet: their conditional documents are shown, never demanded.
# `customer_requires`: the buying automaker's or Tier-1's supplier manual asks for it.
UNSET_FLAGS: tuple[Flag, ...] = ("wooden", "customer_requires")


@dataclass(frozen=True)
class DocumentType:
    code: str
    name: Text
    scope: Literal["msme", "product"]
    expires: bool
    # A dated report with no expiry goes stale this many days after `issued_on`.
    stale_after_issue: bool = False
    per_shipment: bool = False
    # A certification buyers look for (halal, organic, SNI, ...): shown in the catalog and
    # filtered by. Business and internal documents (NIB, lab tests, label drafts) are not.
    buyer_facing: bool = False
    # How long a certificate usually runs, as the sources state it (data, for people and
    # forms; a document counts until its own `expires_on`).
    validity_years: int | None = None
    # The validity above, or the expiry itself, is not confirmed by the sources.
    unconfirmed: bool = False


@dataclass(frozen=True)
class Criterion:
    code: str
    title: Text
    guidance: Text
    when: Flag | None = None


@dataclass(frozen=True)
class Conditional:
    document: str
    when: Flag


@dataclass(frozen=True)
class Category:
    code: str
    name: Text
    hs_prefixes: tuple[str, ...]
    required_documents: tuple[str, ...]
    group: Literal[
        "food", "textile", "wood", "craft", "electrical", "cosmetic", "automotive", "other"
    ]
    conditional_documents: tuple[Conditional, ...] = ()
    recommended_documents: tuple[str, ...] = ()
    extra_fields: tuple[str, ...] = ()
    extra_criteria: tuple[str, ...] = ()
    notes: Text = field(default_factory=dict)
    # Other words buyers name the category by, beside the parts of its names.
    aliases: tuple[str, ...] = ()


DOCUMENT_TYPES: tuple[DocumentType, ...] = (
    DocumentType(
        "nib",
        {
            "id": "Nomor Induk Berusaha (NIB)",
            "en": "Business identification number (NIB)",
            "ja": "事業者識別番号（NIB）",
        },
        "msme",
        False,
    ),
    DocumentType(
        "npwp", {"id": "NPWP", "en": "Tax number (NPWP)", "ja": "納税者番号（NPWP）"}, "msme", False
    ),
    DocumentType(
        "food_registration",
        {
            "id": "SPP-IRT / BPOM MD",
            "en": "Food registration (SPP-IRT or BPOM MD)",
            "ja": "食品登録（SPP-IRT／BPOM MD）",
        },
        "product",
        True,
        buyer_facing=True,
    ),
    DocumentType(
        "bpom_cosmetic",
        {
            "id": "Notifikasi kosmetik BPOM",
            "en": "BPOM cosmetic notification",
            "ja": "BPOM化粧品届出",
        },
        "product",
        True,
        buyer_facing=True,
    ),
    DocumentType(
        "halal",
        {
            "id": "Sertifikat halal BPJPH",
            "en": "BPJPH halal certificate",
            "ja": "BPJPHハラール認証",
        },
        "product",
        True,
        buyer_facing=True,
    ),
    DocumentType(
        "sni",
        {"id": "Sertifikat SNI", "en": "SNI certificate", "ja": "SNI認証"},
        "product",
        True,
        buyer_facing=True,
    ),
    DocumentType(
        "svlk",
        {
            "id": "Sertifikat SVLK (S-LK)",
            "en": "SVLK timber legality certificate",
            "ja": "SVLK木材合法性証明",
        },
        "msme",
        True,
        buyer_facing=True,
    ),
    DocumentType(
        "haccp",
        {"id": "Sertifikat HACCP", "en": "HACCP certificate", "ja": "HACCP認証"},
        "msme",
        True,
        buyer_facing=True,
    ),
    DocumentType(
        "lab_test",
        {"id": "Laporan uji laboratorium", "en": "Laboratory test report", "ja": "試験成績書"},
        "product",
        False,
        stale_after_issue=True,
    ),
    DocumentType(
        "ingredient_list",
        {
            "id": "Daftar bahan dan alur proses",
            "en": "Ingredient list and process flow",
            "ja": "原材料・製造工程表",
        },
        "product",
        False,
    ),
    DocumentType(
        "jp_label_draft",
        {"id": "Draf label Jepang", "en": "Japanese label draft", "ja": "日本語表示ラベル案"},
        "product",
        False,
    ),
    DocumentType(
        "quality_label",
        {
            "id": "Label mutu (serat dan perawatan)",
            "en": "Quality label (fibre content and care)",
            "ja": "品質表示（繊維組成・取扱い）",
        },
        "product",
        False,
    ),
    DocumentType(
        "jas_organic",
        {"id": "Sertifikat organik JAS", "en": "JAS organic certificate", "ja": "有機JAS認証"},
        "product",
        True,
        buyer_facing=True,
    ),
    DocumentType(
        "pse",
        {"id": "Kesesuaian PSE", "en": "PSE conformity", "ja": "PSE適合"},
        "product",
        False,
        buyer_facing=True,
    ),
    DocumentType(
        "cites",
        {"id": "Izin ekspor CITES", "en": "CITES export permit", "ja": "CITES輸出許可書"},
        "product",
        True,
    ),
    DocumentType(
        "phytosanitary",
        {
            "id": "Sertifikat fitosanitari",
            "en": "Phytosanitary certificate",
            "ja": "植物検疫証明書",
        },
        "product",
        True,
        per_shipment=True,
    ),
    DocumentType(
        "coo_ijepa",
        {
            "id": "SKA IJEPA",
            "en": "Certificate of origin (IJEPA)",
            "ja": "原産地証明書（日インドネシアEPA）",
        },
        "product",
        True,
        per_shipment=True,
    ),
    # Automotive suppliers (REQUIREMENTS.md "Automotive suppliers").
    DocumentType(
        "iso9001",
        {
            "id": "Sertifikat ISO 9001",
            "en": "ISO 9001 quality-management certificate",
            "ja": "ISO 9001品質マネジメント認証",
        },
        "msme",
        True,
        buyer_facing=True,
        validity_years=3,
    ),
    DocumentType(
        "iatf16949",
        {
            "id": "Sertifikat IATF 16949",
            "en": "IATF 16949 automotive quality-management certificate",
            "ja": "IATF 16949自動車品質マネジメント認証",
        },
        "msme",
        True,
        buyer_facing=True,
        validity_years=3,
    ),
    DocumentType(
        "iso14001",
        {
            "id": "Sertifikat ISO 14001",
            "en": "ISO 14001 environmental certificate",
            "ja": "ISO 14001環境マネジメント認証",
        },
        "msme",
        True,
        buyer_facing=True,
        validity_years=3,
    ),
    DocumentType(
        "tkdn",
        {
            "id": "Sertifikat TKDN",
            "en": "Local-content certificate (TKDN)",
            "ja": "国産化率証明（TKDN）",
        },
        "product",
        True,
        buyer_facing=True,
        # Small-industry self-declaration under Permenperin 35/2025; may change.
        validity_years=5,
    ),
    DocumentType(
        "sni_product",
        {
            "id": "Sertifikat SNI produk (skema 5)",
            "en": "SNI product certificate (type-5 scheme)",
            "ja": "SNI製品認証（タイプ5）",
        },
        "product",
        True,
        buyer_facing=True,
        unconfirmed=True,
    ),
    DocumentType(
        "isir",
        {
            "id": "ISIR / PPAP warrant",
            "en": "Initial sample inspection report (ISIR) or PPAP warrant",
            "ja": "初品検査報告書（ISIR）・PPAP",
        },
        "product",
        False,
    ),
    DocumentType(
        "dimensional_report",
        {
            "id": "Laporan dimensi",
            "en": "Dimensional report",
            "ja": "寸法測定報告書",
        },
        "product",
        False,
        # "Under 12 months" is one customer's rule, not a general one.
        unconfirmed=True,
    ),
    DocumentType(
        "capability_study",
        {
            "id": "Studi kapabilitas proses (Cpk/Ppk)",
            "en": "Process capability study (Cpk/Ppk)",
            "ja": "工程能力調査（Cpk／Ppk）",
        },
        "product",
        False,
    ),
    DocumentType(
        "mill_cert",
        {
            "id": "Sertifikat material EN 10204 3.1",
            "en": "EN 10204 3.1 mill certificate",
            "ja": "ミルシート（EN 10204 3.1）",
        },
        "product",
        False,
    ),
    DocumentType(
        "material_data",
        {
            "id": "Data material IMDS / JAPIA",
            "en": "IMDS or JAPIA material data sheet",
            "ja": "IMDS／JAPIA材料データシート",
        },
        "product",
        False,
    ),
    DocumentType(
        "substances_declaration",
        {
            "id": "Deklarasi zat (ELV, REACH SVHC)",
            "en": "Substances declaration (ELV, REACH SVHC)",
            "ja": "含有化学物質申告（ELV・REACH SVHC）",
        },
        "product",
        False,
    ),
    DocumentType(
        "cmrt",
        {
            "id": "Laporan mineral konflik (CMRT)",
            "en": "Conflict minerals reporting template (CMRT)",
            "ja": "紛争鉱物調査報告（CMRT）",
        },
        "msme",
        True,
        validity_years=1,
    ),
)


def _c(
    code: str, en: str, id_: str, ja: str, guidance_en: str, when: Flag | None = None
) -> Criterion:
    return Criterion(code, {"id": id_, "en": en, "ja": ja}, {"en": guidance_en}, when)


CRITERIA: tuple[Criterion, ...] = (
    _c(
        "legality",
        "Legality",
        "Legalitas",
        "法的適合性",
        "Business documents (NIB and permits) are valid.",
    ),
    _c(
        "quality_sample",
        "Quality sample",
        "Sampel mutu",
        "品質サンプル",
        "Consistent with the sample the center holds.",
    ),
    _c(
        "packaging",
        "Packaging",
        "Kemasan",
        "包装",
        "Export-grade packaging, batch code and best-before.",
    ),
    _c(
        "capacity",
        "Capacity",
        "Kapasitas",
        "生産能力",
        "Monthly capacity supports the MOQ and repeat orders.",
    ),
    _c("pricing", "Pricing", "Harga", "価格", "An export quote with an incoterm."),
    _c(
        "shipment_documents",
        "Shipment documents",
        "Dokumen pengiriman",
        "船積書類",
        "The MSME can obtain per-shipment documents (phytosanitary, IJEPA certificate of origin, V-Legal, ISPM-15).",
    ),
    _c(
        "food_safety",
        "Food safety",
        "Keamanan pangan",
        "食品安全",
        "Ingredients and additives allowed in Japan; residue and mycotoxin results within limits.",
    ),
    _c(
        "allergen_label",
        "Allergen label",
        "Label alergen",
        "アレルゲン表示",
        "The 8 mandatory allergens (shrimp, crab, walnut, wheat, buckwheat, egg, milk, peanut) on the label draft.",
    ),
    _c(
        "shelf_life",
        "Shelf life",
        "Umur simpan",
        "賞味期限",
        "Long enough for Japanese retail's one-third rule.",
    ),
    _c(
        "fibre_label",
        "Fibre label",
        "Label serat",
        "繊維表示",
        "Fibre content % and care label, permanently attached.",
    ),
    _c(
        "harmful_substances",
        "Harmful substances",
        "Zat berbahaya",
        "有害物質",
        "Azo dyes (≤30 mg/kg for 24 amines) and formaldehyde within Japanese limits.",
    ),
    _c(
        "timber_legality",
        "Timber legality",
        "Legalitas kayu",
        "木材合法性",
        "SVLK legality of the timber.",
    ),
    _c(
        "wood_packaging",
        "Wood packaging",
        "Kemasan kayu",
        "木製梱包材",
        "ISPM-15 marking of wooden pallets and crates.",
    ),
    _c(
        "electrical_safety",
        "Electrical safety",
        "Keamanan listrik",
        "電気用品安全",
        "PSE conformity and mark.",
        when="is_electrical",
    ),
    _c(
        "cosmetic_ingredients",
        "Cosmetic ingredients",
        "Bahan kosmetik",
        "化粧品成分",
        "Ingredients allowed under Japan's PMD Act.",
    ),
    _c(
        "organic_claim",
        "Organic claim",
        "Klaim organik",
        "有機表示",
        "JAS organic certificate covers the product.",
        when="organic_claim",
    ),
    _c(
        "species_permit",
        "Protected species",
        "Spesies dilindungi",
        "保護種",
        "CITES permit covers the species used.",
        when="species",
    ),
)

COMMON_CRITERIA = (
    "legality",
    "quality_sample",
    "packaging",
    "capacity",
    "pricing",
    "shipment_documents",
)
GROUP_CRITERIA: dict[str, tuple[str, ...]] = {
    "food": ("food_safety", "allergen_label", "shelf_life"),
    "textile": ("fibre_label", "harmful_substances"),
    "wood": ("timber_legality", "wood_packaging"),
    "electrical": ("electrical_safety",),
    "cosmetic": ("cosmetic_ingredients",),
}
# Criteria that follow a product flag rather than a category.
FLAG_CRITERIA = ("electrical_safety", "organic_claim", "species_permit")

# Product fields every category needs before submission, and those food adds.
COMMON_FIELDS = (
    "price",
    "incoterm",
    "moq",
    "lead_time_days",
    "monthly_capacity",
    "packaging",
    "port_of_loading",
)
FOOD_FIELDS = ("shelf_life_days", "net_weight_g")

# Every product may carry these flag-driven requirements.
FLAG_DOCUMENTS = (
    Conditional("jas_organic", "organic_claim"),
    Conditional("pse", "is_electrical"),
    Conditional("cites", "species"),
)

_FOOD_DOCS = ("nib", "food_registration", "lab_test", "jp_label_draft")
_AUTO_METAL_DOCS = (
    "nib",
    "iso9001",
    "isir",
    "dimensional_report",
    "mill_cert",
    "material_data",
    "substances_declaration",
)
_AUTO_METAL_CONDITIONAL = tuple(
    Conditional(doc, "customer_requires")
    for doc in ("iatf16949", "capability_study", "tkdn", "cmrt")
)
_AUTO_RUBBER_DOCS = ("nib", "iso9001", "isir", "material_data", "substances_declaration")

CATEGORIES: tuple[Category, ...] = (
    Category(
        "coffee",
        {"id": "Kopi", "en": "Coffee", "ja": "コーヒー"},
        ("0901",),
        _FOOD_DOCS,
        "food",
        recommended_documents=("halal",),
        notes={"en": "Green beans need a phytosanitary certificate per shipment."},
    ),
    Category("tea", {"id": "Teh", "en": "Tea", "ja": "茶"}, ("0902",), _FOOD_DOCS, "food"),
    Category(
        "spices",
        {"id": "Rempah", "en": "Spices", "ja": "香辛料"},
        ("0904", "0905", "0906", "0907", "0908", "0909", "0910"),
        _FOOD_DOCS,
        "food",
        notes={"en": "Whole spices need a phytosanitary certificate per shipment."},
    ),
    Category(
        "cocoa_chocolate",
        {"id": "Kakao dan cokelat", "en": "Cocoa and chocolate", "ja": "カカオ・チョコレート"},
        ("1801", "1803", "1804", "1805", "1806"),
        ("nib", "food_registration", "ingredient_list", "jp_label_draft"),
        "food",
    ),
    Category(
        "snacks",
        {
            "id": "Makanan ringan dan olahan",
            "en": "Snacks and processed food",
            "ja": "スナック・加工食品",
        },
        ("1904", "1905", "2005", "2008", "2106"),
        ("nib", "food_registration", "halal", "ingredient_list", "jp_label_draft"),
        "food",
    ),
    Category(
        "sauces",
        {"id": "Saus dan bumbu", "en": "Sauces and condiments", "ja": "ソース・調味料"},
        ("2103",),
        ("nib", "food_registration", "halal", "ingredient_list", "jp_label_draft"),
        "food",
    ),
    Category(
        "seafood",
        {"id": "Hasil laut olahan", "en": "Processed seafood", "ja": "水産加工品"},
        ("0306", "1604", "1605"),
        ("nib", "food_registration", "haccp", "lab_test", "jp_label_draft"),
        "food",
        aliases=("seafood", "laut"),
    ),
    Category(
        "batik_textiles",
        {"id": "Batik dan tekstil", "en": "Batik and textiles", "ja": "バティック・織物"},
        tuple(str(ch) for ch in range(50, 61)),
        ("nib", "quality_label", "lab_test"),
        "textile",
        recommended_documents=("sni",),
    ),
    Category(
        "apparel",
        {"id": "Pakaian jadi", "en": "Apparel", "ja": "衣料品"},
        ("61", "62"),
        ("nib", "quality_label", "lab_test"),
        "textile",
        aliases=("pakaian",),
    ),
    Category(
        "handicraft",
        {
            "id": "Kerajinan (rotan, bambu, kayu, keramik)",
            "en": "Handicrafts (rattan, bamboo, wood, ceramics)",
            "ja": "手工芸品（籐・竹・木・陶磁器）",
        },
        ("4419", "4420", "4602", "6913", "7117"),
        ("nib",),
        "craft",
        notes={"en": "SVLK when wooden; Japanese food-contact notice for tableware."},
    ),
    Category(
        "furniture",
        {"id": "Mebel", "en": "Furniture", "ja": "家具"},
        ("9401", "9403"),
        ("nib", "svlk"),
        "wood",
    ),
    Category(
        "lighting_decor",
        {
            "id": "Lampu dan dekorasi rumah",
            "en": "Lighting and home decor",
            "ja": "照明・インテリア",
        },
        ("9405",),
        ("nib", "pse"),
        "electrical",
    ),
    Category(
        "cosmetics",
        {"id": "Kosmetik dan sabun", "en": "Cosmetics and soap", "ja": "化粧品・石鹸"},
        ("3304", "3305", "3401"),
        ("nib", "bpom_cosmetic", "ingredient_list"),
        "cosmetic",
        recommended_documents=("halal",),
    ),
    Category(
        "essential_oils",
        {"id": "Minyak atsiri", "en": "Essential oils", "ja": "精油"},
        ("3301",),
        ("nib", "lab_test", "ingredient_list"),
        "other",
        aliases=("atsiri", "aroma"),
        notes={"en": "PMD Act applies when sold for skin use."},
    ),
    Category(
        "leather_goods",
        {"id": "Barang kulit", "en": "Leather goods", "ja": "皮革製品"},
        ("4202",),
        ("nib", "lab_test"),
        "other",
        aliases=("leather", "kulit"),
    ),
    Category(
        "jewelry",
        {"id": "Perhiasan dan mutiara", "en": "Jewelry and pearls", "ja": "宝飾品・真珠"},
        ("7101", "7113", "7116"),
        ("nib",),
        "other",
    ),
    Category(
        "auto_metal_parts",
        {
            "id": "Komponen logam otomotif",
            "en": "Metal auto parts",
            "ja": "金属自動車部品",
        },
        ("8708", "7326", "8483"),
        _AUTO_METAL_DOCS,
        "automotive",
        conditional_documents=_AUTO_METAL_CONDITIONAL,
        aliases=("otomotif", "automotive"),
    ),
    Category(
        "auto_fasteners",
        {
            "id": "Baut dan mur otomotif",
            "en": "Automotive fasteners",
            "ja": "自動車用締結部品",
        },
        ("7318",),
        _AUTO_METAL_DOCS,
        "automotive",
        conditional_documents=_AUTO_METAL_CONDITIONAL,
        notes={"en": "The substances declaration is critical: Cr(VI) plating is restricted."},
        aliases=("fastener", "baut"),
    ),
    Category(
        "auto_rubber",
        {
            "id": "Karet otomotif",
            "en": "Automotive rubber parts",
            "ja": "自動車用ゴム部品",
        },
        ("4016", "4009"),
        _AUTO_RUBBER_DOCS,
        "automotive",
        conditional_documents=(Conditional("iso14001", "customer_requires"),),
    ),
    Category(
        "auto_plastic",
        {
            "id": "Plastik otomotif",
            "en": "Automotive plastic parts",
            "ja": "自動車用樹脂部品",
        },
        ("3926",),
        _AUTO_RUBBER_DOCS,
        "automotive",
        conditional_documents=(
            Conditional("iso14001", "customer_requires"),
            Conditional("tkdn", "customer_requires"),
        ),
    ),
    Category(
        "auto_electrical",
        {
            "id": "Wiring harness dan lampu",
            "en": "Wiring harnesses and lamps",
            "ja": "ワイヤーハーネス・灯火",
        },
        ("854430", "8512"),
        (*_AUTO_RUBBER_DOCS, "cmrt"),
        "automotive",
        conditional_documents=(Conditional("iatf16949", "customer_requires"),),
        aliases=("harness",),
    ),
    Category(
        "tyres_wheels",
        {"id": "Ban dan pelek", "en": "Tyres and wheels", "ja": "タイヤ・ホイール"},
        ("4011", "870870"),
        ("nib", "sni_product"),
        "automotive",
        notes={"en": "SNI is mandatory for tyres (Permenperin 9/2025) and rims (71/2024)."},
    ),
)

CATEGORIES_BY_CODE = {c.code: c for c in CATEGORIES}
DOCUMENT_TYPES_BY_CODE = {d.code: d for d in DOCUMENT_TYPES}
# The certifications the catalog shows and filters by.
BUYER_FACING = tuple(d.code for d in DOCUMENT_TYPES if d.buyer_facing)
# Types that expire: a document of one counts only with its `expires_on`.
EXPIRING = tuple(d.code for d in DOCUMENT_TYPES if d.expires)
CRITERIA_BY_CODE = {c.code: c for c in CRITERIA}
LANGUAGES = ("id", "en", "ja")


# --- Automotive suppliers (SPEC §10): what a supplier makes, and how curators review one.


@dataclass(frozen=True)
class Process:
    code: str
    name: Text


PROCESSES: tuple[Process, ...] = (
    Process("stamping", {"id": "Stamping / press", "en": "Stamping", "ja": "プレス加工"}),
    Process("machining", {"id": "Permesinan (machining)", "en": "Machining", "ja": "機械加工"}),
    Process("casting", {"id": "Pengecoran", "en": "Casting", "ja": "鋳造"}),
    Process("forging", {"id": "Penempaan", "en": "Forging", "ja": "鍛造"}),
    Process(
        "injection_molding",
        {"id": "Injeksi plastik", "en": "Injection molding", "ja": "射出成形"},
    ),
    Process("rubber_molding", {"id": "Cetak karet", "en": "Rubber molding", "ja": "ゴム成形"}),
    Process("welding", {"id": "Pengelasan", "en": "Welding", "ja": "溶接"}),
    Process("plating", {"id": "Pelapisan (plating)", "en": "Plating", "ja": "めっき"}),
    Process("painting", {"id": "Pengecatan", "en": "Painting and coating", "ja": "塗装"}),
    Process("heat_treatment", {"id": "Perlakuan panas", "en": "Heat treatment", "ja": "熱処理"}),
    Process(
        "wire_harness_assembly",
        {
            "id": "Perakitan wiring harness",
            "en": "Wire harness assembly",
            "ja": "ワイヤーハーネス組立",
        },
    ),
    Process(
        "mold_and_die",
        {"id": "Pembuatan cetakan dan dies", "en": "Mold and die making", "ja": "金型製作"},
    ),
    Process("assembly", {"id": "Perakitan", "en": "Assembly", "ja": "組立"}),
)
PROCESSES_BY_CODE = {p.code: p for p in PROCESSES}


def _s(code: str, en: str, id_: str, ja: str, guidance_en: str) -> Criterion:
    return Criterion(code, {"id": id_, "en": en, "ja": ja}, {"en": guidance_en})


# The checklist of a supplier review: every one must pass (or not apply) for approval.
SUPPLIER_CRITERIA: tuple[Criterion, ...] = (
    _s(
        "qms_valid",
        "Quality system valid",
        "Sistem mutu berlaku",
        "品質マネジメントシステムの有効性",
        "The ISO 9001 or IATF 16949 certificate is current and its scope covers the parts.",
    ),
    _s(
        "process_capability",
        "Process capability",
        "Kapabilitas proses",
        "工程能力",
        "Cpk ≥ 1.33 in production; at first approval Ppk > 1.67 passes, 1.33–1.67 needs "
        "the customer's agreement, below 1.33 fails.",
    ),
    _s(
        "msa",
        "Measurement system analysis",
        "Analisis sistem pengukuran",
        "測定システム解析",
        "Gauges are checked (MSA) before capability is claimed.",
    ),
    _s(
        "control_plan_pfmea",
        "Control plan and PFMEA",
        "Control plan dan PFMEA",
        "QC工程表・工程FMEA",
        "A control plan and process FMEA exist for the parts and are followed.",
    ),
    _s(
        "traceability",
        "Traceability",
        "Ketertelusuran",
        "トレーサビリティ",
        "A lot can be traced back to the material heat.",
    ),
    _s(
        "change_control",
        "Change control",
        "Pengendalian perubahan",
        "変更管理",
        "Changes to process, material or site are notified to the customer first.",
    ),
    _s(
        "nonconformance",
        "Nonconformance handling",
        "Penanganan ketidaksesuaian",
        "不適合品の処置",
        "Containment and corrective action (8D or equivalent) for defects.",
    ),
    _s(
        "five_s_kaizen",
        "5S and kaizen",
        "5R dan kaizen",
        "5S・改善",
        "The shop floor keeps 5S and improves continuously.",
    ),
    _s("delivery", "Delivery", "Pengiriman", "納期", "On-time delivery record and logistics."),
    _s(
        "capacity",
        "Capacity",
        "Kapasitas",
        "生産能力",
        "Run-at-rate shows the stated monthly capacity.",
    ),
    _s("cost", "Cost", "Biaya", "コスト", "Quotes are itemised and competitive."),
    _s(
        "environment",
        "Environment",
        "Lingkungan",
        "環境",
        "An environmental system and chemical data (IMDS/JAPIA, ELV, REACH) are in place.",
    ),
)
SUPPLIER_CRITERIA_BY_CODE = {c.code: c for c in SUPPLIER_CRITERIA}
# What a supplier approval and the supplier directory need: one of these, msme-scope,
# verified and unexpired.
QUALITY_CERTIFICATES = ("iso9001", "iatf16949")
# The msme-scope certificates the supplier directory shows and filters by.
SUPPLIER_CERTIFICATIONS = ("iso9001", "iatf16949", "iso14001")
