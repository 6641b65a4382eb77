"""Language negotiation for the catalog: `lang`, then `Accept-Language`, then ja → en → id."""

from __future__ import annotations

SUPPORTED = ("ja", "en", "id")
FALLBACK = ("ja", "en", "id")


def negotiate(lang: str | None, accept_language: str | None) -> str:
    if lang in SUPPORTED:
        return lang
    best: tuple[float, str] | None = None
    for part in (accept_language or "").split(","):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower().split("-")[0]
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag in SUPPORTED and quality > 0 and (best is None or quality > best[0]):
            best = (quality, tag)
    return best[1] if best else FALLBACK[0]


def pick(text: dict[str, str], lang: str) -> str:
    """The text in `lang`, else the first of ja → en → id that exists."""
    return pick_with_language(text, lang)[0]


def pick_with_language(text: dict[str, str], lang: str) -> tuple[str, str]:
    """`pick`, and the language of what it picked (a page marks a fallback's `lang`)."""
    for candidate in (lang, *FALLBACK):
        if text.get(candidate):
            return text[candidate], candidate
    return "", lang
