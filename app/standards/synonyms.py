"""Words that name the same thing, for catalog search: kanji and kana names first of all.

Data, like the standards table beside it. A product whose text holds any word of a group
is found by every word of it (app/catalog/search.py): a buyer typing 珈琲 finds the
coffee named コーヒー, and the other way round. Hiragana and katakana fold together
before matching (app/catalog/tokens.py), so a group needs only one kana spelling. Keep
groups to words that mean the same thing; a broader word (菓子 for スナック) belongs in
the product's own text, not here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Synonyms:
    key: str  # names the group in the search index; never shown
    words: tuple[str, ...]


SYNONYMS: tuple[Synonyms, ...] = (
    # coffee
    Synonyms("coffee", ("珈琲", "コーヒー")),
    Synonyms("coffee_bean", ("珈琲豆", "コーヒー豆", "コーヒービーンズ")),
    # tea
    Synonyms("tea", ("茶", "お茶", "ティー")),
    Synonyms("green_tea", ("緑茶", "グリーンティー")),
    Synonyms("black_tea", ("紅茶", "ブラックティー")),
    # spices
    Synonyms("spice", ("香辛料", "スパイス")),
    Synonyms("pepper", ("胡椒", "コショウ", "ペッパー")),
    Synonyms("ginger", ("生姜", "ショウガ", "ジンジャー")),
    Synonyms("cinnamon", ("肉桂", "シナモン")),
    Synonyms("clove", ("丁子", "丁字", "クローブ")),
    Synonyms("nutmeg", ("肉豆蔲", "ナツメグ")),
    Synonyms("turmeric", ("鬱金", "ウコン", "ターメリック")),
    Synonyms("chili", ("唐辛子", "トウガラシ", "チリ")),
    Synonyms("vanilla", ("バニラ", "ヴァニラ")),
    # cocoa and chocolate
    Synonyms("cocoa", ("加加阿", "カカオ", "ココア")),
    Synonyms("chocolate", ("猪口令糖", "チョコレート", "チョコ")),
    # snacks and processed food
    Synonyms("sweets", ("菓子", "お菓子")),
    Synonyms("cracker", ("煎餅", "センベイ", "クラッカー")),
    Synonyms("chips", ("チップス", "チップ")),
    # sauces and condiments
    Synonyms("seasoning", ("調味料", "シーズニング")),
    Synonyms("soy_sauce", ("醤油", "ショウユ", "ソイソース")),
    # seafood
    Synonyms("seafood", ("海産物", "水産物", "シーフード")),
    Synonyms("shrimp", ("海老", "蝦", "エビ", "シュリンプ")),
    Synonyms("squid", ("烏賊", "イカ")),
    Synonyms("crab", ("蟹", "カニ")),
    Synonyms("tuna", ("鮪", "マグロ", "ツナ")),
    # batik and textiles, apparel
    Synonyms("batik", ("更紗", "バティック", "ジャワ更紗")),
    Synonyms("textile", ("織物", "テキスタイル")),
    Synonyms("ikat", ("絣", "イカット")),
    Synonyms("apparel", ("衣料品", "衣料", "アパレル")),
    Synonyms("shirt", ("シャツ", "襯衣")),
    # handicrafts, furniture, lighting
    Synonyms("rattan", ("籐", "ラタン")),
    Synonyms("bamboo", ("竹", "バンブー")),
    Synonyms("ceramics", ("陶磁器", "焼き物", "焼物", "セラミック")),
    Synonyms("handicraft", ("手工芸品", "工芸品", "クラフト", "ハンドクラフト")),
    Synonyms("wood_carving", ("木彫り", "木彫", "ウッドカービング")),
    Synonyms("basket", ("籠", "カゴ", "バスケット")),
    Synonyms("furniture", ("家具", "ファニチャー")),
    Synonyms("chair", ("椅子", "イス", "チェア")),
    Synonyms("lighting", ("照明", "ライト", "ランプ")),
    Synonyms("interior", ("インテリア", "室内装飾")),
    # cosmetics, oils
    Synonyms("cosmetics", ("化粧品", "コスメ")),
    Synonyms("soap", ("石鹸", "石けん", "セッケン", "ソープ")),
    Synonyms("essential_oil", ("精油", "エッセンシャルオイル", "アロマオイル")),
    # leather goods, jewelry
    Synonyms("leather", ("皮革", "レザー")),
    Synonyms("bag", ("鞄", "カバン", "バッグ")),
    Synonyms("wallet", ("財布", "サイフ", "ウォレット")),
    Synonyms("jewelry", ("宝飾品", "ジュエリー", "アクセサリー")),
    Synonyms("pearl", ("真珠", "パール")),
    Synonyms("silver", ("銀製品", "シルバー")),
)
