"""The requests measured under load: one fixed request per scenario, as wrk repeats it.

Filter values are taken from the first page's facets, so that each filter finds listings
whatever the seed's size; authenticated scenarios carry a bearer token got by logging in
once per role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

CATALOG = "/api/v1/catalog/products"
# The targets at 100,000 listings, one worker, 64 connections.
FLOOR_RATIO_TARGET = 0.5  # the catalog's first page, to the floor's throughput
CATALOG_P99_TARGET_MS = 50.0  # every catalog read


@dataclass
class Scenario:
    name: str
    path: str  # with its query string
    headers: dict[str, str] = field(default_factory=dict)
    catalog: bool = True  # a public catalog read: the catalog's p99 target applies
    turns: int = 1
    ratio_target: float | None = None
    base_url: str = ""  # the floor's; scenarios of the app are sent to the app


def _path(path: str, params: dict[str, Any] | None = None) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _facet(page: dict[str, Any], name: str) -> str | None:
    values = page.get("facets", {}).get(name) or []
    return str(values[0]["value"]) if values else None


def deep_cursor(client: httpx.Client, page: int) -> tuple[int, str | None]:
    """The cursor of page `page` (newest first), or of the last page when there are fewer."""
    cursor: str | None = None
    reached = 1
    while reached < page:
        params = {"sort": "newest", **({"cursor": cursor} if cursor else {})}
        following = client.get(CATALOG, params=params).raise_for_status().json()["next_cursor"]
        if following is None:
            break
        cursor, reached = following, reached + 1
    return reached, cursor


def catalog(client: httpx.Client, turns: int, deep_page: int) -> list[Scenario]:
    first = client.get(CATALOG).raise_for_status().json()
    scenarios = [
        Scenario(
            "catalog: first page",
            CATALOG,
            turns=turns,
            ratio_target=FLOOR_RATIO_TARGET,
        )
    ]
    filters: dict[str, dict[str, Any]] = {
        name: {name: value}
        for name in ("category", "province", "channel", "certification")
        if (value := _facet(first, name)) is not None
    }
    filters["hs_code"] = {"hs_code": "09"}
    filters["max_moq"] = {"max_moq": 500}
    filters["price"] = {"min_price_jpy": "500", "max_price_jpy": "20000"}
    scenarios += [
        Scenario(f"catalog: filter {name}", _path(CATALOG, params))
        for name, params in filters.items()
    ]
    scenarios += [
        Scenario("catalog: search, Latin word", _path(CATALOG, {"q": "coffee"})),
        Scenario("catalog: search, Japanese 1-2 chars", _path(CATALOG, {"q": "茶", "lang": "ja"})),
    ]
    reached, cursor = deep_cursor(client, deep_page)
    params = {"sort": "newest", **({"cursor": cursor} if cursor else {})}
    scenarios.append(Scenario(f"catalog: page {reached:,} by cursor", _path(CATALOG, params)))
    listing = first["items"][0]["id"]
    scenarios.append(Scenario("catalog: listing detail", f"{CATALOG}/{listing}"))
    return scenarios


def workspace(owner: dict[str, str], curator: dict[str, str]) -> list[Scenario]:
    return [
        Scenario("owner's product list", "/api/v1/products", owner, catalog=False),
        Scenario("curation queue", "/api/v1/curation/queue", curator, catalog=False),
    ]


def login(client: httpx.Client, email: str, password: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    return {"Authorization": f"Bearer {r.raise_for_status().json()['access_token']}"}
