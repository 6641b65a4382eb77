"""The search tokenizer and query parser: what a text is found by, what a query asks."""

from __future__ import annotations

import pytest

from app.catalog.search import (
    CATEGORY,
    ELSEWHERE,
    NAME,
    SYNONYM,
    Word,
    index,
    parse,
    synonym_keys,
)
from app.catalog.tokens import document_terms, normalize, script_runs, stem
from app.models.snapshot import RevisionContent


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


def test_normalize_folds_width_case_and_kana() -> None:
    assert normalize("ｺｰﾋｰ Ｋｏｐｉ") == "こーひー kopi"
    assert normalize("コーヒー") == normalize("こーひー") == normalize("ｺｰﾋｰ")
    # Small kana stay small, in hiragana; dashes after a kana become the long-vowel mark.
    assert normalize("キャッサバ") == "きゃっさば"
    assert normalize("コ－ヒ－") == normalize("コ〜ヒ〜") == "こーひー"
    assert normalize("ヴァニラ") == "ゔぁにら"
    assert normalize("e-mail") == "e-mail"  # a dash after a Latin letter stays


def test_japanese_text_is_indexed_by_characters_and_bigrams() -> None:
    assert document_terms("緑茶・Green Teas") == {"緑", "茶", "緑茶", "green", "tea"}


def test_script_runs_split_where_the_script_changes() -> None:
    assert script_runs("エビせんべい、ランプン産") == ["えび", "せんべい", "らんぷん", "産"]


def test_synonym_keys_follow_whole_kana_words_and_kanji_anywhere() -> None:
    assert SYNONYM + "coffee" in synonym_keys("ガヨ・アラビカ焙煎コーヒー")
    assert SYNONYM + "coffee" in synonym_keys("自家焙煎の珈琲")
    assert SYNONYM + "chips" in synonym_keys("キャッサバチップス")  # a compound ending in it
    assert SYNONYM + "shrimp" in synonym_keys("エビせんべい")
    assert SYNONYM + "lighting" not in synonym_keys("ランプン産の胡椒")  # Lampung is no lamp
    assert SYNONYM + "pepper" in synonym_keys("ランプン産の胡椒")
    assert SYNONYM + "squid" not in synonym_keys("スイカのジュース")  # a short word, whole only


def test_a_revision_is_found_by_its_words_synonyms_and_category() -> None:
    content = RevisionContent(
        category="coffee",
        hs_code="090121",
        name={"id": "Kopi Gayo", "ja": "ガヨ珈琲"},
        description={"en": "Roasted beans."},
        unit="kg",
        price={"amount": "1.00", "currency": "IDR"},  # type: ignore[arg-type]
    )
    found = index(content)
    assert {"kopi", "gayo", "がよ", "珈琲", "bean", SYNONYM + "coffee"} <= set(found.terms)
    in_name = {t for t, weight in found.terms.items() if weight == NAME}
    assert in_name >= {"kopi", "珈琲", SYNONYM + "coffee"}
    assert found.terms["bean"] == found.terms[CATEGORY + "coffee"] == ELSEWHERE
    assert found.text == "kopi gayo\nがよ珈琲\nroasted beans."


def test_queries_split_into_words_with_their_keys() -> None:
    query = parse("Kopi コーヒー 茶")
    assert query is not None
    kopi, kohi, cha = query.words
    assert kopi == Word(frozenset({"kopi"}), None, frozenset({CATEGORY + "coffee"}))
    # A longer Japanese word: every pair, and the word itself checked in the text.
    assert kohi.all_of == frozenset({"こー", "ーひ", "ひー"}) and kohi.phrase == "こーひー"
    assert kohi.any_of == frozenset({SYNONYM + "coffee", CATEGORY + "coffee"})
    assert cha.any_of == frozenset({SYNONYM + "tea", CATEGORY + "tea"})


def test_synonyms_and_category_names_in_every_language() -> None:
    for q in ("珈琲", "coffee", "kopi", "こーひー"):
        query = parse(q)
        assert query is not None and CATEGORY + "coffee" in query.words[0].any_of, q
    query = parse("スパイス")  # a synonym of 香辛料, the Japanese name of spices
    assert query is not None and query.words[0].any_of == {SYNONYM + "spice", CATEGORY + "spices"}
    query = parse("processed seafood")  # a category's name of several words
    assert query is not None
    assert all(CATEGORY + "seafood" in w.any_of for w in query.words)
    assert parse("!!! ・") is None
