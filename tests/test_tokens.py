"""The search tokenizer: what a text is indexed by and what a query looks for."""

from __future__ import annotations

import pytest

from app.catalog.tokens import document_terms, normalize, parse, stem


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
        frozenset({"コー", "ーヒ", "ヒー"}),
        frozenset({"茶"}),
    )
    assert query.phrases == ("コーヒー",)
    assert parse("!!! ・").groups == ()
