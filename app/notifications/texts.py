"""The words of every notification (SPEC §9), in Japanese, English and Indonesian.

One (subject, body) pair of Jinja2 templates per event and language; `render` fills them
from a context (`product`: the product's name in the recipient's language, `comment`,
`message`, `note`, `channel`, `expires_on`, `link`). In-app notifications use them as
title and body, and email (app/mail) sends the same texts.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, StrictUndefined, Template

from app.events.outbox import EventType

LANGUAGES = ("ja", "en", "id")
DEFAULT_LANGUAGE = "en"

_E = EventType
# A block appended to a body when the context has it.
_COMMENT = {
    "en": "{% if comment %}\n\nThe curator's comment:\n{{ comment }}{% endif %}",
    "ja": "{% if comment %}\n\nキュレーターのコメント:\n{{ comment }}{% endif %}",
    "id": "{% if comment %}\n\nKomentar kurator:\n{{ comment }}{% endif %}",
}
_NOTE = {
    "en": "{% if note %}\n\nNote:\n{{ note }}{% endif %}",
    "ja": "{% if note %}\n\n備考:\n{{ note }}{% endif %}",
    "id": "{% if note %}\n\nCatatan:\n{{ note }}{% endif %}",
}
_MESSAGE = {
    "en": "{% if message %}\n\n{{ message }}{% endif %}",
    "ja": "{% if message %}\n\n{{ message }}{% endif %}",
    "id": "{% if message %}\n\n{{ message }}{% endif %}",
}
_LINK = {
    "en": "\n\n{{ link }}",
    "ja": "\n\n{{ link }}",
    "id": "\n\n{{ link }}",
}

SOURCES: dict[str, dict[str, tuple[str, str]]] = {
    _E.product_submitted: {
        "en": ("Submitted for review: {{ product }}", "“{{ product }}” is waiting for review."),
        "ja": ("審査申請: {{ product }}", "「{{ product }}」が審査を待っています。"),
        "id": ("Diajukan untuk ditinjau: {{ product }}", "“{{ product }}” menunggu peninjauan."),
    },
    _E.product_changes_requested: {
        "en": (
            "Changes requested: {{ product }}",
            "The curator asks for changes to “{{ product }}” before it can be approved.",
        ),
        "ja": (
            "修正依頼: {{ product }}",
            "「{{ product }}」の承認の前に、キュレーターから修正の依頼があります。",
        ),
        "id": (
            "Perubahan diminta: {{ product }}",
            "Kurator meminta perubahan pada “{{ product }}” sebelum dapat disetujui.",
        ),
    },
    _E.product_approved: {
        "en": ("Approved: {{ product }}", "“{{ product }}” has been approved."),
        "ja": ("承認されました: {{ product }}", "「{{ product }}」が承認されました。"),
        "id": ("Disetujui: {{ product }}", "“{{ product }}” telah disetujui."),
    },
    _E.product_rejected: {
        "en": ("Rejected: {{ product }}", "“{{ product }}” has been rejected."),
        "ja": ("却下されました: {{ product }}", "「{{ product }}」は却下されました。"),
        "id": ("Ditolak: {{ product }}", "“{{ product }}” telah ditolak."),
    },
    _E.listing_published: {
        "en": (
            "Published: {{ product }}",
            "“{{ product }}” is now shown in the catalog{% if channel %} ({{ channel }})"
            "{% endif %}.",
        ),
        "ja": (
            "掲載されました: {{ product }}",
            "「{{ product }}」がカタログに掲載されました{% if channel %}（{{ channel }}）"
            "{% endif %}。",
        ),
        "id": (
            "Diterbitkan: {{ product }}",
            "“{{ product }}” kini tampil di katalog{% if channel %} ({{ channel }}){% endif %}.",
        ),
    },
    _E.listing_unpublished: {
        "en": (
            "Withdrawn from the catalog: {{ product }}",
            "“{{ product }}” is no longer shown{% if channel %} in {{ channel }}{% endif %}.",
        ),
        "ja": (
            "掲載終了: {{ product }}",
            "「{{ product }}」は{% if channel %}{{ channel }}の{% endif %}"
            "カタログに掲載されなくなりました。",
        ),
        "id": (
            "Ditarik dari katalog: {{ product }}",
            "“{{ product }}” tidak lagi ditampilkan{% if channel %} di {{ channel }}{% endif %}.",
        ),
    },
    _E.document_verified: {
        "en": (
            "Document verified: {{ product }}",
            "Your document ({{ doc_type }}) for “{{ product }}” has been verified.",
        ),
        "ja": (
            "書類確認済み: {{ product }}",
            "「{{ product }}」の書類（{{ doc_type }}）が確認されました。",
        ),
        "id": (
            "Dokumen diverifikasi: {{ product }}",
            "Dokumen Anda ({{ doc_type }}) untuk “{{ product }}” telah diverifikasi.",
        ),
    },
    _E.document_rejected: {
        "en": (
            "Document rejected: {{ product }}",
            "Your document ({{ doc_type }}) for “{{ product }}” has been rejected.",
        ),
        "ja": (
            "書類不備: {{ product }}",
            "「{{ product }}」の書類（{{ doc_type }}）は受理されませんでした。",
        ),
        "id": (
            "Dokumen ditolak: {{ product }}",
            "Dokumen Anda ({{ doc_type }}) untuk “{{ product }}” ditolak.",
        ),
    },
    _E.document_expiring: {
        "en": (
            "Document expiring: {{ product }}",
            "Your document ({{ doc_type }}) for “{{ product }}” expires on {{ expires_on }}.",
        ),
        "ja": (
            "書類の有効期限: {{ product }}",
            "「{{ product }}」の書類（{{ doc_type }}）の有効期限は{{ expires_on }}です。",
        ),
        "id": (
            "Dokumen akan kedaluwarsa: {{ product }}",
            "Dokumen Anda ({{ doc_type }}) untuk “{{ product }}” berlaku hingga {{ expires_on }}.",
        ),
    },
    _E.inquiry_created: {
        "en": ("New inquiry: {{ product }}", "A buyer sent an inquiry about “{{ product }}”."),
        "ja": (
            "新しい引き合い: {{ product }}",
            "バイヤーから「{{ product }}」への引き合いが届きました。",
        ),
        "id": (
            "Permintaan baru: {{ product }}",
            "Pembeli mengirim permintaan tentang “{{ product }}”.",
        ),
    },
    _E.inquiry_message: {
        "en": ("New message: {{ product }}", "A new message about “{{ product }}”:"),
        "ja": (
            "新しいメッセージ: {{ product }}",
            "「{{ product }}」について新しいメッセージがあります:",
        ),
        "id": ("Pesan baru: {{ product }}", "Pesan baru tentang “{{ product }}”:"),
    },
}

_DEFAULT_NAME = {"en": "your product", "ja": "製品", "id": "produk Anda"}

# Plain text, never HTML: nothing to escape (an HTML mail would use its own templates).
_env = Environment(
    autoescape=False,  # noqa: S701
    undefined=StrictUndefined,
    keep_trailing_newline=False,
)


def _compile() -> dict[tuple[str, str], tuple[Template, Template]]:
    compiled = {}
    for event, languages in SOURCES.items():
        for language, (subject, body) in languages.items():
            full = body + _COMMENT[language] + _NOTE[language] + _MESSAGE[language]
            compiled[(event, language)] = (
                _env.from_string(subject),
                _env.from_string(full + _LINK[language]),
            )
    return compiled


TEMPLATES = _compile()
EVENTS = frozenset(SOURCES)


def language_of(preferred: str | None) -> str:
    return preferred if preferred in LANGUAGES else DEFAULT_LANGUAGE


def product_name(names: dict[str, Any] | None, language: str) -> str:
    """The product's name in `language` when it has one, else in English, else any."""
    names = names or {}
    for key in (language, DEFAULT_LANGUAGE, *sorted(names)):
        if isinstance(names.get(key), str) and names[key].strip():
            return str(names[key])
    return _DEFAULT_NAME[language]


def render(event: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of `event` for a reader of `language` (en when it has no text)."""
    subject, body = TEMPLATES[(event, language_of(language))]
    values = {
        "product": _DEFAULT_NAME[language_of(language)],
        "comment": None,
        "note": None,
        "message": None,
        "channel": None,
        "doc_type": "",
        "expires_on": "",
        "link": "",
        **context,
    }
    return subject.render(values).strip(), body.render(values).strip()
