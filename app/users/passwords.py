"""What a password must be: 12 characters at least, and not a common password.

The common passwords are the 30,000 of zxcvbn's frequency list (a maintained package),
compared case-insensitively, also with trailing digits and symbols taken off, so that
`Password2026!` counts as `password`.
"""

from __future__ import annotations

import re
from functools import cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 128
_TRAILING = re.compile(r"[\W\d_]+$")


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    lowered = password.lower()
    common = common_passwords()
    return lowered in common or _TRAILING.sub("", lowered) in common


def check_password(password: str) -> str:
    if is_common(password):
        raise ValueError("this password is too common; choose a longer or less usual one")
    return password
