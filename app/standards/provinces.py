"""Indonesia's 38 provinces: canonical names, with ISO 3166-2 codes and English names accepted,
and the names buyers read in each language."""

from __future__ import annotations

# (canonical name, ISO 3166-2:ID code, English name, Japanese name)
PROVINCES: tuple[tuple[str, str, str, str], ...] = (
    ("Aceh", "AC", "Aceh", "アチェ"),
    ("Sumatera Utara", "SU", "North Sumatra", "北スマトラ"),
    ("Sumatera Barat", "SB", "West Sumatra", "西スマトラ"),
    ("Riau", "RI", "Riau", "リアウ"),
    ("Kepulauan Riau", "KR", "Riau Islands", "リアウ諸島"),
    ("Jambi", "JA", "Jambi", "ジャンビ"),
    ("Sumatera Selatan", "SS", "South Sumatra", "南スマトラ"),
    ("Kepulauan Bangka Belitung", "BB", "Bangka Belitung Islands", "バンカ・ブリトゥン諸島"),
    ("Bengkulu", "BE", "Bengkulu", "ブンクル"),
    ("Lampung", "LA", "Lampung", "ランプン"),
    ("DKI Jakarta", "JK", "Jakarta", "ジャカルタ首都特別州"),
    ("Jawa Barat", "JB", "West Java", "西ジャワ"),
    ("Banten", "BT", "Banten", "バンテン"),
    ("Jawa Tengah", "JT", "Central Java", "中部ジャワ"),
    ("DI Yogyakarta", "YO", "Yogyakarta", "ジョグジャカルタ特別州"),
    ("Jawa Timur", "JI", "East Java", "東ジャワ"),
    ("Bali", "BA", "Bali", "バリ"),
    ("Nusa Tenggara Barat", "NB", "West Nusa Tenggara", "西ヌサ・トゥンガラ"),
    ("Nusa Tenggara Timur", "NT", "East Nusa Tenggara", "東ヌサ・トゥンガラ"),
    ("Kalimantan Barat", "KB", "West Kalimantan", "西カリマンタン"),
    ("Kalimantan Tengah", "KT", "Central Kalimantan", "中部カリマンタン"),
    ("Kalimantan Selatan", "KS", "South Kalimantan", "南カリマンタン"),
    ("Kalimantan Timur", "KI", "East Kalimantan", "東カリマンタン"),
    ("Kalimantan Utara", "KU", "North Kalimantan", "北カリマンタン"),
    ("Sulawesi Utara", "SA", "North Sulawesi", "北スラウェシ"),
    ("Gorontalo", "GO", "Gorontalo", "ゴロンタロ"),
    ("Sulawesi Tengah", "ST", "Central Sulawesi", "中部スラウェシ"),
    ("Sulawesi Barat", "SR", "West Sulawesi", "西スラウェシ"),
    ("Sulawesi Selatan", "SN", "South Sulawesi", "南スラウェシ"),
    ("Sulawesi Tenggara", "SG", "Southeast Sulawesi", "南東スラウェシ"),
    ("Maluku", "MA", "Maluku", "マルク"),
    ("Maluku Utara", "MU", "North Maluku", "北マルク"),
    ("Papua", "PA", "Papua", "パプア"),
    ("Papua Barat", "PB", "West Papua", "西パプア"),
    ("Papua Barat Daya", "PD", "Southwest Papua", "南西パプア"),
    ("Papua Selatan", "PS", "South Papua", "南パプア"),
    ("Papua Tengah", "PT", "Central Papua", "中部パプア"),
    ("Papua Pegunungan", "PE", "Highland Papua", "パプア山岳"),
)

_ALIASES: dict[str, str] = {}
for _name, _code, _english, _japanese in PROVINCES:
    for _alias in (_name, _code, f"ID-{_code}", _english, _japanese):
        _ALIASES[_alias.casefold()] = _name
_ALIASES.update(
    {
        "jakarta": "DKI Jakarta",
        "yogyakarta": "DI Yogyakarta",
        "daerah istimewa yogyakarta": "DI Yogyakarta",
        "special region of yogyakarta": "DI Yogyakarta",
    }
)


def canonical_province(value: str) -> str | None:
    """The canonical name for a province given by name, English name or ISO code."""
    key = " ".join(value.replace("_", " ").replace("-", " ").split()).casefold()
    return _ALIASES.get(key) or _ALIASES.get(value.strip().casefold())


NAMES: dict[str, dict[str, str]] = {
    name: {"id": name, "en": english, "ja": japanese} for name, _, english, japanese in PROVINCES
}
