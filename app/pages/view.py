"""The pages as HTML: Jinja2 templates with autoescaping, so that whatever an owner typed
(a name holding `<script>`) shows as text, and one inline stylesheet, no script."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from app.catalog.language import SUPPORTED, pick_with_language
from app.catalog.schemas import CatalogChannel
from app.core.schemas import Money
from app.models import Channel
from app.pages.messages import LANGUAGE_NAMES, OG_LOCALES, labels, number
from app.pages.service import ProductPage
from app.standards.provinces import NAMES as PROVINCE_NAMES
from app.standards.table import CATEGORIES_BY_CODE, DOCUMENT_TYPES_BY_CODE

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    auto_reload=False,  # templates are part of the release: compiled once
    undefined=StrictUndefined,  # a misspelt name fails the tests instead of showing nothing
    trim_blocks=True,
    lstrip_blocks=True,
)
_CSS = (TEMPLATES / "page.css").read_text(encoding="utf-8")
# The pages' one stylesheet is inline (no request for it) and allowed by its hash.
STYLE_HASH = f"'sha256-{base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()}'"


@dataclass(frozen=True)
class Text:
    """A text and the language it is really in (the page's, or a fallback's)."""

    text: str
    lang: str


def _in(texts: dict[str, str], lang: str) -> Text:
    return Text(*pick_with_language(texts, lang))


def _money(money: Money, lang: str) -> str:
    if money.currency == "JPY":
        return f"¥{number(money.amount, lang)}"
    return f"{money.currency} {number(money.amount, lang)}"


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def image_origins(page: ProductPage, base_url: str, storage_url: str | None) -> set[str]:
    """Where the page's images load from: the catalog's image route (here, or at the
    public base URL), a public copy's host, and the store its redirects lead to."""
    urls = [base_url, *(m.url for m in page.item.media), *([storage_url] if storage_url else [])]
    return {origin for url in urls if (origin := _origin(url))}


def _common(lang: str) -> dict[str, Any]:
    return {
        "lang": lang,
        "t": labels(lang),
        "style": Markup(_CSS),  # noqa: S704 - the project's own file, not user input
        "languages": [(code, LANGUAGE_NAMES[code]) for code in SUPPORTED],
    }


def _channel(listed: CatalogChannel, channel: Channel | None) -> dict[str, Any]:
    """A channel as the page shows it: name and booth, where and when, whom to ask."""
    shown: dict[str, Any] = {"name": listed.name, "booth": listed.booth}
    if channel is None:  # codes never change and channels are never deleted; still
        return {**shown, "place": "", "dates": "", "email": None, "phone": None}
    dates = ""
    if channel.starts_on and channel.ends_on:
        dates = f"{channel.starts_on} – {channel.ends_on}"
    phone = channel.contact_phone
    return {
        **shown,
        "place": ", ".join(p for p in (channel.venue, channel.city) if p),
        "dates": dates,
        "email": channel.contact_email,
        "phone": phone,
        "tel": re.sub(r"[^0-9+]", "", phone) if phone else None,
    }


def product_html(page: ProductPage, lang: str, *, base_url: str) -> str:
    item = page.item
    t = labels(lang)
    names = item.translations.name
    name = _in(names, lang)
    inquiry = {
        "quantity": item.moq or 1,
        "message": t["sample_message"],
        **({"incoterm": item.incoterm.value} if item.incoterm else {}),
    }
    channels = [_channel(listed, page.channels.get(listed.code)) for listed in item.channels]
    subject = t["mail_subject"].format(name=name.text, id=item.id)
    context = {
        **_common(lang),
        "item": item,
        "name": name,
        "other_names": [
            Text(names[code], code) for code in SUPPORTED if code != name.lang and names.get(code)
        ],
        "description": _in(item.translations.description, lang),
        "image": item.media[0] if item.media else None,
        "more_images": item.media[1:],
        "category": _in(CATEGORIES_BY_CODE[item.category].name, lang).text
        if item.category in CATEGORIES_BY_CODE
        else item.category,
        "province": _in(PROVINCE_NAMES.get(item.msme.province, {}), lang).text
        or item.msme.province,
        "price": _money(item.price, lang),
        # A price in yen already is shown once.
        "price_jpy": _money(item.price_jpy, lang)
        if item.price_jpy and item.price.currency != "JPY"
        else None,
        "per_unit": t["per"].format(unit=item.unit),
        "moq": f"{number(item.moq, lang)} {item.unit}" if item.moq else None,
        "lead_time": t["days"].format(n=item.lead_time_days) if item.lead_time_days else None,
        "capacity": f"{number(item.monthly_capacity, lang)} {item.unit}"
        if item.monthly_capacity
        else None,
        "certifications": [
            _in(DOCUMENT_TYPES_BY_CODE[code].name, lang).text
            for code in item.certifications
            if code in DOCUMENT_TYPES_BY_CODE
        ],
        "channels": channels,
        "contacts": [c for c in channels if c["email"] or c["phone"]],
        "mail_subject": subject,
        "inquiry_url": f"{base_url}/api/v1/catalog/products/{item.id}/inquiries",
        "inquiry_body": json.dumps(inquiry, ensure_ascii=False),
        "page_url": f"{base_url}/p/{item.id}",
        "og_locale": OG_LOCALES[lang],
        "og_alternates": [OG_LOCALES[code] for code in SUPPORTED if code != lang],
    }
    return _env.get_template("product.html").render(context)


def not_found_html(lang: str) -> str:
    return _env.get_template("not_found.html").render(_common(lang))
