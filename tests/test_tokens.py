"""The search tokenizer: what a text is indexed by and what a query looks for."""

from __future__ import annotations

import pytest

from app.catalog.tokens import document_terms, key_bigram, normalize, parse, stem


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("kopinya", "kopi"),
        ("kopinyalah", "kopi"),
        ("bukankah", "bukan"),
        ("chips", "chip"),
        ("berries", "berry"),
        ("boxes", "box"),
        ("glass", "glass"),
        ("citrus", "citrus"),
        ("batik", "batik"),
        ("tea", "tea"),
        ("2024", "2024"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_normalize_folds_width_and_case() -> None:
    assert normalize("ｺｰﾋｰ Ｋｏｐｉ") == "コーヒー kopi"


def test_japanese_text_is_indexed_by_characters_and_bigrams() -> None:
    assert document_terms("緑茶・Green Teas") == {"緑", "茶", "緑茶", "green", "tea"}


def test_queries_split_into_groups_and_phrases() -> None:
    query = parse("Kopi コーヒー 茶")
    assert query.groups == (
        frozenset({"kopi"}),
        frozenset({"コー"}),
        frozenset({"茶"}),
    )
    assert query.phrases == ("コーヒー",)


def test_a_long_japanese_word_is_looked_up_by_its_rarest_pair() -> None:
    assert key_bigram("コーヒー") == "コー"  # all kana with the long mark: the first
    assert key_bigram("緑茶葉") == "緑茶"
    assert key_bigram("ビール瓶") == "ル瓶"
    assert key_bigram("ほうじ茶") == "じ茶"
    assert parse("緑茶葉").groups == (frozenset({"緑茶"}),)
    assert parse("!!! ・").groups == ()
