"""The requests the benchmark makes: each kind of catalog request, fresh every round.

No value repeats within a kind until its list is used up, so a round never asks what an
earlier one asked (nothing the server might keep helps it); words come from the demo
products the seeder varies, so searches find what a buyer's would.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator
from typing import Any

from app.demo import bulk, data
from app.standards.provinces import PROVINCES
from app.standards.table import BUYER_FACING, CATEGORIES

Params = dict[str, Any]
CHANNELS = ("tokyo-msme-center", "jcc-export-expo")
HS_PREFIXES = (
    "09",
    "0901",
    "0902",
    "0904",
    "0906",
    "18",
    "19",
    "20",
    "21",
    "33",
    "34",
    "44",
    "46",
    "52",
    "61",
    "94",
)
LANGS = ("ja", "en", "id")
_LATIN = re.compile(r"[A-Za-z]{3,}")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_KANA = re.compile(r"[\u3040-\u30ff]+")


def _texts() -> list[str]:
    texts = [t for p in data.PRODUCTS for part in ("name", "description") for t in p[part].values()]
    texts += [g[lang] for g in bulk.GRADES for lang in ("en", "id", "ja")]
    return texts + [o for pair in bulk.ORIGINS for o in pair]


def latin_words() -> list[str]:
    stop = {"and", "the", "for", "with", "dari", "dan", "yang", "from"}
    words = {w.lower() for t in _texts() for w in _LATIN.findall(t)} - stop
    return sorted(words)


def japanese_short() -> list[str]:
    """Japanese words of one or two characters as buyers type them: a kanji (茶, 豆) or
    two (緑茶, 胡椒), or a kana word of two (バリ). A lone kana (ン) names nothing."""
    found: set[str] = set()
    for t in _texts():
        for run in _HAN.findall(t):
            found.update(run)
            found.update(run[i : i + 2] for i in range(len(run) - 1))
        found.update(run for run in _KANA.findall(t) if len(run) == 2)
    return sorted(found)


def several_words(rng: random.Random) -> list[str]:
    """Two or three words of one product's name (they meet), or of two (they may not)."""
    names = [p["name"][lang] for p in data.PRODUCTS for lang in ("en", "id")]
    out: set[str] = set()
    for name in names:
        words = [w.lower() for w in _LATIN.findall(name)]
        for k in (2, 3):
            out.update(" ".join(c) for c in itertools.combinations(words, k))
    pool = latin_words()
    out.update(f"{rng.choice(pool)} {rng.choice(pool)}" for _ in range(200))
    ja = [p["name"]["ja"] for p in data.PRODUCTS if "ja" in p["name"]]
    out.update(f"{rng.choice(latin_words())} {rng.choice(ja)}" for _ in range(50))
    return sorted(out)


def _cycle(values: list[Any], rng: random.Random) -> Iterator[Any]:
    while True:
        batch = list(values)
        rng.shuffle(batch)
        yield from batch


def kinds(seed: int = 7) -> dict[str, Iterator[Params]]:
    """Each kind of catalog request, an endless supply of different ones."""
    rng = random.Random(seed)

    def lang() -> str:
        return rng.choice(LANGS)

    def gen(make: Any) -> Iterator[Params]:
        while True:
            yield make()

    categories = _cycle([c.code for c in CATEGORIES], rng)
    provinces = _cycle([p[0] for p in PROVINCES], rng)
    channels = _cycle(list(CHANNELS), rng)
    certifications = _cycle(list(BUYER_FACING), rng)
    prefixes = _cycle(list(HS_PREFIXES), rng)
    latin = _cycle(latin_words(), rng)
    short = _cycle(japanese_short(), rng)
    words = _cycle(several_words(rng), rng)
    filters: dict[str, Any] = {
        "category": lambda: {"category": next(categories)},
        "province": lambda: {"province": next(provinces)},
        "channel": lambda: {"channel": next(channels)},
        "certification": lambda: {"certification": next(certifications)},
        "hs_code": lambda: {"hs_code": next(prefixes)},
        "max_moq": lambda: {"max_moq": rng.randrange(10, 3000)},
        "price": lambda: {
            "min_price_jpy": rng.randrange(0, 3000),
            "max_price_jpy": rng.randrange(3000, 60000),
        },
    }
    return {
        "browse (no filter)": gen(lambda: {"lang": lang(), "limit": rng.randrange(15, 40)}),
        **{
            f"filter {name}": gen(lambda make=make: {**make(), "lang": lang()})
            for name, make in filters.items()
        },
        "filters combined (2-3)": gen(
            lambda: {
                k: v
                for name in rng.sample(sorted(filters), rng.choice((2, 3)))
                for k, v in filters[name]().items()
            }
        ),
        "search: a Latin word (3+ letters)": gen(lambda: {"q": next(latin), "lang": lang()}),
        "search: Japanese, 1-2 characters": gen(lambda: {"q": next(short), "lang": "ja"}),
        "search: several words": gen(lambda: {"q": next(words), "lang": lang()}),
        "search with a filter": gen(
            lambda: {"q": next(latin), **filters[rng.choice(sorted(filters))](), "lang": lang()}
        ),
        "sort by price": gen(
            lambda: {"sort": rng.choice(("price_asc", "price_desc")), **filters["category"]()}
        ),
    }
