"""What no request may carry, whatever route it reaches: JSON nested deeper than anything
Kurasi sends (a recursion bomb for every walker after it, such as the idempotency
fingerprint), and NUL characters or lone UTF-16 surrogates in any string (PostgreSQL
refuses NUL in text; neither has a place in names, documents or messages)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

MAX_DEPTH = 32
# Within JSON text a NUL or a surrogate can only come escaped (\u0000, \ud800).
_ESCAPED = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")

Loc = list[str | int]


class Refused(ValueError):
    def __init__(self, loc: Loc, msg: str) -> None:
        super().__init__(msg)
        self.loc = loc
        self.msg = msg


def check_body(body: bytes) -> None:
    """Raise `Refused` for a JSON body too deep or with a forbidden character. A body
    that is not JSON at all is left to the route's own parsing."""
    if body.strip() == b"null":
        # Every body is an object; an optional one is left out, not sent as null.
        raise Refused(["body"], "send a JSON object, or no body at all")
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH and not _ESCAPED.search(body):
        return  # cannot be too deep, and holds no escaped NUL or surrogate
    try:
        value = json.loads(body)
    except RecursionError:
        raise Refused(["body"], f"JSON may be nested at most {MAX_DEPTH} deep") from None
    except ValueError:
        return
    _walk(value)


def _walk(value: Any) -> None:
    stack: list[tuple[Any, Loc]] = [(value, ["body"])]
    while stack:
        item, loc = stack.pop()
        if len(loc) > MAX_DEPTH + 1:
            raise Refused(loc[: MAX_DEPTH + 1], f"JSON may be nested at most {MAX_DEPTH} deep")
        if isinstance(item, str):
            _check_text(item, loc)
        elif isinstance(item, dict):
            for key, child in item.items():
                _check_text(key, loc)
                stack.append((child, [*loc, key]))
        elif isinstance(item, list):
            stack.extend((child, [*loc, i]) for i, child in enumerate(item))


def _check_text(text: str, loc: Loc) -> None:
    if _FORBIDDEN.search(text):
        raise Refused(loc, "text may not hold NUL characters or lone surrogates")


def check_query(query_string: bytes) -> None:
    """Raise `Refused` for a query parameter holding a NUL character."""
    _check_pairs(query_string, "query")


def check_form(body: bytes) -> None:
    """Raise `Refused` for a field of a url-encoded form holding a NUL character."""
    _check_pairs(body, "body")


def _check_pairs(encoded: bytes, where: str) -> None:
    if b"%00" not in encoded.lower() and b"\x00" not in encoded:
        return
    for name, value in parse_qsl(encoded.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            raise Refused([where, name.replace("\x00", "")], "may not hold NUL characters")
    raise Refused([where], "may not hold NUL characters")
