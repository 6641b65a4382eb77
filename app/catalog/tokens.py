"""Search terms for the catalog, the same on SQLite and PostgreSQL.

Latin-script words (Indonesian, English) become lower-case stems, so that case and
simple inflection do not matter ("Chips" finds "chip", "kopinya" finds "kopi").
Japanese and other CJK text has no spaces: it becomes its single characters and its
character bigrams, so any substring of one or two characters (`茶`, `緑茶`) is one
indexed term, and a longer one is found by all of its bigrams and then checked against
the text itself. No database extension is needed (pg_trgm cannot index queries under
three characters; pg_bigm and PGroonga are not available here).

Before any of that, text is folded: width and case (ｺｰﾋｰ = コーヒー, Ｋｏｐｉ = kopi), and
katakana to hiragana (コーヒー = こーひー), small kana to their small hiragana (ッ = っ),
keeping the long-vowel mark ー, to which dashes written after a kana are turned.
"""

from __future__ import annotations

import re
import unicodedata

# Han, Hiragana, Katakana (with the prolonged sound mark, without the middle dot ・,
# which separates words), and the iteration marks.
_CJK = "\u3005\u3006\u3040-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+", re.UNICODE)
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")
_HAN = re.compile("[\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A run of one script: Han, hiragana or katakana (the mark ー goes with the kana before it).
_SCRIPT_RUN = re.compile(
    "[\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
    "|[\u3041-\u309f][\u3041-\u309f\u30fc]*"
    "|[\u30a1-\u30fa\u30fd\u30fe][\u30a1-\u30fa\u30fc-\u30fe]*"
)
# Dashes people type for the long-vowel mark, when they follow a kana.
_DASH_AFTER_KANA = re.compile(
    "(?<=[\u3041-\u309f\u30a1-\u30fa])[-\u2010-\u2015\u2212\u301c\uff5e~]"
)
# Katakana U+30A1-U+30F6 (small kana and ヴ included) and the iteration marks ヽヾ sit
# 0x60 above their hiragana; ヷ-ヺ have none and stay as they are.
_KATAKANA_TO_HIRAGANA = {c: c - 0x60 for c in range(0x30A1, 0x30F7)} | {
    0x30FD: 0x309D,
    0x30FE: 0x309E,
}
# Indonesian particles and the possessive -nya attach to words without changing them.
_ID_SUFFIXES = ("nya", "lah", "kah", "pun")
MAX_TERM = 64


def normalize(text: str) -> str:
    """Width, case and kana folded: ｺｰﾋｰ = コーヒー = こーひー, Ｋｏｐｉ = kopi."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _DASH_AFTER_KANA.sub("ー", text).translate(_KATAKANA_TO_HIRAGANA)


def stem(word: str) -> str:
    """A light stem for Indonesian and English words (plural and particle endings)."""
    if word.isdigit() or len(word) <= 3:
        return word
    stripped = True
    while stripped:  # "kopinyalah" -> "kopinya" -> "kopi"; the same from any form
        stripped = False
        for suffix in _ID_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word, stripped = word[: -len(suffix)], True
    if word.endswith("'s"):
        word = word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def is_cjk(token: str) -> bool:
    return bool(_CJK_RUN.match(token))


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def cjk_terms(run: str) -> set[str]:
    """Every character and every pair of neighbouring characters."""
    return set(run) | bigrams(run)


def bigrams(run: str) -> set[str]:
    return {run[i : i + 2] for i in range(len(run) - 1)}


def tokens(text: str) -> list[str]:
    """The words of a folded text: CJK runs as they stand, other words stemmed."""
    return [t if is_cjk(t) else stem(t)[:MAX_TERM] for t in _TOKEN.findall(normalize(text))]


def document_terms(text: str) -> set[str]:
    """The terms a text is found by."""
    terms: set[str] = set()
    for token in tokens(text):
        terms |= cjk_terms(token) if is_cjk(token) else {token}
    return terms


def script_runs(text: str) -> list[str]:
    """The text's runs of one Japanese script (Han, hiragana, katakana), each folded.

    Folding joins hiragana and katakana; taken before it, a katakana word ends where
    hiragana begins (エビせんべい: エビ, せんべい), which is where a kana word can be
    told apart from the letters of a longer one.
    """
    return [normalize(run) for run in _SCRIPT_RUN.findall(unicodedata.normalize("NFKC", text))]
