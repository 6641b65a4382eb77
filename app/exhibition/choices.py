"""What a download chooses: the file's format and the language that comes first. Kept
apart so that the command line can offer them without loading the renderers."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    pdf = "pdf"
    csv = "csv"
    xlsx = "xlsx"


class CatalogLanguage(StrEnum):
    """The language a catalog puts first; the other one follows."""

    ja = "ja"
    en = "en"
