"""Search terms for the catalog, the same on SQLite and PostgreSQL.

Latin-script words (Indonesian, English) become lower-case stems, so that case and
simple inflection do not matter ("Chips" finds "chip", "kopinya" finds "kopi").
Japanese and other CJK text has no spaces: it becomes its single characters and its
character bigrams, so any substring of one or two characters (`茶`, `緑茶`) is one
indexed term, and a longer one is found by one of its bigrams and then checked
against the text itself. No database extension is needed (pg_trgm cannot index
queries under three characters; pg_bigm and PGroonga are not available here).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Han, Hiragana, Katakana (with the prolonged sound mark, without the middle dot ・,
# which separates words), and the iteration marks.
_CJK = "\u3005\u3006\u3040-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+", re.UNICODE)
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")
# Indonesian particles and the possessive -nya attach to words without changing them.
_ID_SUFFIXES = ("nya", "lah", "kah", "pun")
MAX_TERM = 64


def normalize(text: str) -> str:
    """Width and case folded: ｺｰﾋｰ = コーヒー, Ｋｏｐｉ = kopi."""
    return unicodedata.normalize("NFKC", text).casefold()


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


def cjk_terms(run: str) -> set[str]:
    """Every character and every pair of neighbouring characters."""
    return set(run) | {run[i : i + 2] for i in range(len(run) - 1)}


def document_terms(text: str) -> set[str]:
    """The terms a text is found by."""
    terms: set[str] = set()
    for token in _TOKEN.findall(normalize(text)):
        if is_cjk(token):
            terms |= cjk_terms(token)
        else:
            terms.add(stem(token)[:MAX_TERM])
    return terms


@dataclass(frozen=True)
class Query:
    """What a buyer typed: every group must match (AND)."""

    # Each group is the set of index terms one query word needs, all of them.
    groups: tuple[frozenset[str], ...]
    # CJK runs longer than two characters: the text must contain them as written.
    phrases: tuple[str, ...]

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(t for group in self.groups for t in group)


def _rarity(char: str) -> int:
    """Kanji narrow a search most, then katakana, then hiragana; marks (ー) least."""
    if "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff":
        return 3
    if "\u30a1" <= char <= "\u30fa":
        return 2
    if "\u3041" <= char <= "\u3096":
        return 1
    return 0


def key_bigram(word: str) -> str:
    """The pair of `word` likely to occur in the fewest texts (the first among equals).

    A longer Japanese word is looked up by this one indexed term, and the text is then
    checked to hold the whole word: one term keeps the search a walk of one index in
    relevance order, where the intersection of all its pairs would read every match.
    """
    pairs = [word[i : i + 2] for i in range(len(word) - 1)]
    return max(pairs, key=lambda p: sum(map(_rarity, p)))


def parse(q: str) -> Query:
    groups: list[frozenset[str]] = []
    phrases: list[str] = []
    for token in _TOKEN.findall(normalize(q)):
        if is_cjk(token):
            if len(token) <= 2:
                groups.append(frozenset({token}))
            else:
                groups.append(frozenset({key_bigram(token)}))
                phrases.append(token)
        else:
            groups.append(frozenset({stem(token)[:MAX_TERM]}))
    return Query(tuple(dict.fromkeys(groups)), tuple(dict.fromkeys(phrases)))
