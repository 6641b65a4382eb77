"""Indonesia's 38 provinces: canonical names, with ISO 3166-2 codes and English names accepted."""

from __future__ import annotations

# (canonical name, ISO 3166-2:ID code, English name)
PROVINCES: tuple[tuple[str, str, str], ...] = (
    ("Aceh", "AC", "Aceh"),
    ("Sumatera Utara", "SU", "North Sumatra"),
    ("Sumatera Barat", "SB", "West Sumatra"),
    ("Riau", "RI", "Riau"),
    ("Kepulauan Riau", "KR", "Riau Islands"),
    ("Jambi", "JA", "Jambi"),
    ("Sumatera Selatan", "SS", "South Sumatra"),
    ("Kepulauan Bangka Belitung", "BB", "Bangka Belitung Islands"),
    ("Bengkulu", "BE", "Bengkulu"),
    ("Lampung", "LA", "Lampung"),
    ("DKI Jakarta", "JK", "Jakarta"),
    ("Jawa Barat", "JB", "West Java"),
    ("Banten", "BT", "Banten"),
    ("Jawa Tengah", "JT", "Central Java"),
    ("DI Yogyakarta", "YO", "Yogyakarta"),
    ("Jawa Timur", "JI", "East Java"),
    ("Bali", "BA", "Bali"),
    ("Nusa Tenggara Barat", "NB", "West Nusa Tenggara"),
    ("Nusa Tenggara Timur", "NT", "East Nusa Tenggara"),
    ("Kalimantan Barat", "KB", "West Kalimantan"),
    ("Kalimantan Tengah", "KT", "Central Kalimantan"),
    ("Kalimantan Selatan", "KS", "South Kalimantan"),
    ("Kalimantan Timur", "KI", "East Kalimantan"),
    ("Kalimantan Utara", "KU", "North Kalimantan"),
    ("Sulawesi Utara", "SA", "North Sulawesi"),
    ("Gorontalo", "GO", "Gorontalo"),
    ("Sulawesi Tengah", "ST", "Central Sulawesi"),
    ("Sulawesi Barat", "SR", "West Sulawesi"),
    ("Sulawesi Selatan", "SN", "South Sulawesi"),
    ("Sulawesi Tenggara", "SG", "Southeast Sulawesi"),
    ("Maluku", "MA", "Maluku"),
    ("Maluku Utara", "MU", "North Maluku"),
    ("Papua", "PA", "Papua"),
    ("Papua Barat", "PB", "West Papua"),
    ("Papua Barat Daya", "PD", "Southwest Papua"),
    ("Papua Selatan", "PS", "South Papua"),
    ("Papua Tengah", "PT", "Central Papua"),
    ("Papua Pegunungan", "PE", "Highland Papua"),
)

_ALIASES: dict[str, str] = {}
for _name, _code, _english in PROVINCES:
    for _alias in (_name, _code, f"ID-{_code}", _english):
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
