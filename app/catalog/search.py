"""Full-text search over the catalog: what a product is found by, and what a query asks.

Each catalog entry carries its terms (app/catalog/tokens.py) in one column, `terms`, each
with the weight of where it stands: "A" in a name, "D" elsewhere. On PostgreSQL it is a
`tsvector` with a GIN index, queried with `@@` (our own terms as lexemes, no text search
configuration in between); on SQLite a JSON object read with `json_each`. Besides the
words of its texts, an entry holds two kinds of key no text can produce (a colon):

- `syn:<group>` for each group of words meaning the same thing that its text holds
  (app/standards/synonyms.py), so that 珈琲 finds コーヒー;
- `cat:<code>` for its category, so that the category's name in any language finds it
  (kopi, coffee and コーヒー find every coffee, whatever words the owner used).

A query is a list of words, all of which must match. A word matches a product holding
its own terms (for a Japanese word of three or more characters: all its character pairs,
and the text must hold the word as written), or one of its keys: the synonym group it
belongs to, the category it names. Relevance counts 2 for a word matched in the name
and 1 for one matched elsewhere (description, category), then newest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from app.catalog.tokens import (
    bigrams,
    document_terms,
    has_han,
    is_cjk,
    normalize,
    script_runs,
    stem,
    tokens,
)
from app.core.db import lexeme
from app.models import CatalogEntry, Revision
from app.models.snapshot import RevisionContent
from app.standards.synonyms import SYNONYMS
from app.standards.table import CATEGORIES

SYNONYM = "syn:"
CATEGORY = "cat:"
# Japanese words up to this long are indexed whole; longer ones by their pairs.
SHORT_CJK = 2

# -- what a product is found by ------------------------------------------------------------


NAME, ELSEWHERE = "A", "D"  # the weights of terms


@dataclass(frozen=True)
class Indexed:
    terms: dict[str, str]  # term -> NAME or ELSEWHERE
    text: str  # every language's name and description, folded, one per line


def synonym_keys(text: str) -> set[str]:
    """The synonym groups a text holds a word of.

    A word with a kanji in it is looked for anywhere in the text, as Japanese compounds
    are written without spaces. A kana word must be a whole run of its script, or, when
    longer than two characters, end one (キャッサバチップス is chips; ランプン, the
    province, is not ランプ, a lamp).
    """
    folded = normalize(text)
    runs = script_runs(text)
    latin = {t for t in tokens(text) if not is_cjk(t)}
    found = set()
    for group, words in _GROUP_WORDS.items():
        for word, kind in words:
            if kind == "han":
                hit = word in folded
            elif kind == "kana":
                hit = any(r == word or (len(word) > SHORT_CJK and r.endswith(word)) for r in runs)
            else:
                hit = word in latin
            if hit:
                found.add(SYNONYM + group)
                break
    return found


def index(content: RevisionContent) -> Indexed:
    """The terms of an approved revision's name, description and category."""
    name = " ".join(content.name.values())
    description = " ".join(content.description.values())
    elsewhere = document_terms(description) | synonym_keys(description)
    elsewhere.add(CATEGORY + content.category)
    terms = dict.fromkeys(sorted(elsewhere), ELSEWHERE)
    terms.update(dict.fromkeys(sorted(document_terms(name) | synonym_keys(name)), NAME))
    parts = [*content.name.values(), *content.description.values()]
    return Indexed(dict(sorted(terms.items())), "\n".join(normalize(p) for p in parts))


def reindex_revisions(conn: Connection) -> int:
    """Recompute what every revision is found by (after a change of these rules or of the
    synonym table); how many. The catalog takes it on its next rebuild."""
    rows = conn.execute(select(Revision.id, Revision.content)).all()
    for revision_id, content in rows:
        found = index(content)
        conn.execute(
            update(Revision)
            .where(Revision.id == revision_id)
            .values(terms=found.terms, search_text=found.text)
        )
    return len(rows)


# -- what a query asks ----------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """One word of a query; it matches by `all_of` (and `phrase`) or by any of `any_of`."""

    all_of: frozenset[str]  # its own terms, every one needed
    phrase: str | None  # a longer Japanese word, which the text must hold as written
    any_of: frozenset[str]  # keys: its synonym group, the categories it names


@dataclass(frozen=True)
class Query:
    words: tuple[Word, ...]


def parse(q: str) -> Query | None:
    """The words of `q`; None when it has none (a blank query filters nothing)."""
    words = tokens(q)
    if not words:
        return None
    whole = _CATEGORY_PHRASES.get(" ".join(words), set())
    parsed = []
    for word in words:
        if is_cjk(word) and len(word) > SHORT_CJK:
            own, phrase = frozenset(bigrams(word)), word
        else:
            own, phrase = frozenset({word}), None
        keys = {CATEGORY + code for code in whole}
        for group in _GROUPS_OF.get(word, ()):
            keys.add(SYNONYM + group)
            keys |= {CATEGORY + code for code in _GROUP_CATEGORIES[group]}
        keys |= {CATEGORY + code for code in _CATEGORY_WORDS.get(word, ())}
        parsed.append(Word(own, phrase, frozenset(keys)))
    return Query(tuple(dict.fromkeys(parsed)))


# -- the SQL of it ----------------------------------------------------------------------------


def _tsquery(word: Word, weight: str = "") -> str:
    """A word as a tsquery: one of its keys, or all of its own terms (`weight`: only
    where they stand with that weight)."""
    alternatives = [lexeme(t) + (f":{weight}" if weight else "") for t in sorted(word.any_of)]
    own = [lexeme(t) + (f":{weight}" if weight else "") for t in sorted(word.all_of)]
    if own:
        alternatives.append("(" + " & ".join(own) + ")")
    return "(" + " | ".join(alternatives) + ")"


def _sqlite_has(terms: Any, wanted: Iterable[str], weight: str | None) -> ColumnElement[bool]:
    """SQLite: the JSON object of terms holds one of `wanted` (with `weight`, if given)."""
    found = func.json_each(terms).table_valued("key", "value")
    conds: list[ColumnElement[bool]] = [found.c.key.in_(sorted(wanted))]
    if weight is not None:
        conds.append(found.c.value == weight)
    return exists().select_from(found).where(*conds)


def _holds(
    word: Word, dialect: str, weight: str | None = None, terms: Any = None
) -> ColumnElement[bool]:
    """The entry holds `word`: by a key, or by its own terms (all of them). `terms`: a
    column of terms other than the catalog entry's (the directory's suppliers)."""
    terms = CatalogEntry.terms if terms is None else terms
    if dialect == "postgresql":
        query = cast(literal(_tsquery(word, weight or "")), TSQUERY)
        return terms.op("@@")(query)  # type: ignore[no-any-return]
    ways: list[ColumnElement[bool]] = []
    if word.any_of:
        ways.append(_sqlite_has(terms, word.any_of, weight))
    if word.all_of:
        ways.append(and_(*(_sqlite_has(terms, [t], weight) for t in sorted(word.all_of))))
    return or_(*ways)


def matches(query: Query, dialect: str) -> ColumnElement[bool]:
    """The catalog entry matches every word of `query`. A longer Japanese word matched by
    its own pairs must stand in the text as written."""
    terms, text = CatalogEntry.terms, CatalogEntry.search_text
    return and_(*(holds(w, dialect, terms, text) for w in query.words))


def holds(
    word: Word, dialect: str, terms: Any, text: Any, weight: str | None = None
) -> ColumnElement[bool]:
    """A row's `terms` hold `word` (with `weight`, if given): a longer Japanese word
    matched by its own pairs must stand in `text` as written."""
    found = _holds(word, dialect, weight, terms)
    if word.phrase is None:
        return found
    written = text.contains(word.phrase, autoescape=True)
    by_key = Word(frozenset(), None, word.any_of)
    return and_(
        found, or_(_holds(by_key, dialect, weight, terms), written) if word.any_of else written
    )


def score(query: Query, dialect: str) -> ColumnElement[int]:
    """Relevance of a matching entry: 2 per word matched in the name, 1 per other word."""
    in_name = [case((_holds(w, dialect, NAME), 2), else_=1) for w in query.words]
    return sum(in_name[1:], in_name[0])  # type: ignore[return-value]


# -- lookup tables built from the data once ---------------------------------------------------


def _word_kind(word: str) -> tuple[str, str]:
    folded = normalize(word)
    if has_han(word):
        return folded, "han"
    if is_cjk(folded):
        return folded, "kana"
    return stem(folded), "latin"


_GROUP_WORDS = {g.key: [_word_kind(w) for w in g.words] for g in SYNONYMS}
_GROUPS_OF: dict[str, list[str]] = {}
for _group, _words in _GROUP_WORDS.items():
    for _word, _ in _words:
        _GROUPS_OF.setdefault(_word, []).append(_group)

# A category's name split where it lists things: "Kakao dan cokelat", "カカオ・チョコレート".
_NAME_PARTS = re.compile(r"\s+(?:dan|and)\s+|[,、・/()（）]")
_CATEGORY_WORDS: dict[str, set[str]] = {}  # a one-word part of a name -> categories
_CATEGORY_PHRASES: dict[str, set[str]] = {}  # a part of several words -> categories
for _category in CATEGORIES:
    for _name in [*_category.name.values(), *_category.aliases]:
        for _part in _NAME_PARTS.split(_name):
            _part_words = tokens(_part)
            if len(_part_words) == 1:
                _CATEGORY_WORDS.setdefault(_part_words[0], set()).add(_category.code)
            elif _part_words:
                _CATEGORY_PHRASES.setdefault(" ".join(_part_words), set()).add(_category.code)
_GROUP_CATEGORIES = {
    group: set().union(*(_CATEGORY_WORDS.get(word, set()) for word, _ in words))
    for group, words in _GROUP_WORDS.items()
}
