"""What a supplier of the directory is found by: the terms of its MSME row.

The catalog's tokenizer and folding (app/catalog/tokens.py) and weights
(app/catalog/search.py): its brand's words weigh as a name, the rest as elsewhere. They
are written with the MSME itself: every insert and update of an MSME row recomputes them
(`_write`, below; app/msmes/service.py imports this module so that any process writing
MSMEs has it), from its brand, city, province (its names in each language) and
capabilities: materials, customers and processes (their names in each language). Besides
words, keys no text can produce (a colon):

- `proc:<code>` for each of its processes: what the `process` filter matches, and what
  a query word that is a process's name (プレス, stamping) finds;
- `mat:<word>` for each word of its materials: what the `material` filter matches.

What changes by itself or elsewhere is not written here: its certificates (they expire)
and its published products are matched where they stand today, at query time
(app/directory/service.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, event, select, update

from app.catalog.tokens import document_terms, normalize, tokens
from app.models import Msme
from app.standards.provinces import NAMES as PROVINCE_NAMES
from app.standards.table import (
    DOCUMENT_TYPES_BY_CODE,
    PROCESSES,
    PROCESSES_BY_CODE,
    SUPPLIER_CERTIFICATIONS,
)

PROCESS = "proc:"
MATERIAL = "mat:"
NAME, ELSEWHERE = "A", "D"  # as the catalog's (app/catalog/search.py)
# A name split where it lists things: "Pressing and stamping", "プレス・板金".
_NAME_PARTS = re.compile(r"\s+(?:dan|and)\s+|[,、・/()（）]")


def material_keys(text: str) -> set[str]:
    return {MATERIAL + word for word in tokens(text)}


def index(msme: Any) -> tuple[dict[str, str], str]:
    """(terms, folded text) of an MSME: see the module's docstring."""
    capabilities = getattr(msme, "capabilities", None) or {}
    codes = capabilities.get("processes") or []
    processes = [PROCESSES_BY_CODE[p] for p in codes if p in PROCESSES_BY_CODE]
    materials = [str(m) for m in capabilities.get("materials") or []]
    customers = [str(c) for c in capabilities.get("customers") or []]
    province = PROVINCE_NAMES.get(msme.province or "", {})
    parts = [
        msme.city or "",
        msme.province or "",
        *province.values(),
        *materials,
        *customers,
        *(name for p in processes for name in p.name.values()),
    ]
    elsewhere: set[str] = set().union(*(document_terms(p) for p in parts))
    elsewhere |= {PROCESS + p.code for p in processes}
    elsewhere |= set().union(*(material_keys(m) for m in materials))
    terms = dict.fromkeys(sorted(elsewhere), ELSEWHERE)
    terms.update(dict.fromkeys(sorted(document_terms(msme.brand_name or "")), NAME))
    text = "\n".join(normalize(p) for p in [msme.brand_name or "", *parts] if p)
    return dict(sorted(terms.items())), text


def _words_of(names: Iterable[str]) -> set[str]:
    """The query words that name something called `names`: each one-word part of a name."""
    found = set()
    for name in names:
        for part in _NAME_PARTS.split(name):
            if len(words := tokens(part)) == 1:
                found.add(words[0])
    return found


# A query word -> the processes it names (a one-word part of a name, or the code).
PROCESS_WORDS: dict[str, set[str]] = {}
for _process in PROCESSES:
    for _word in _words_of([*_process.name.values(), _process.code.replace("_", " ")]):
        PROCESS_WORDS.setdefault(_word, set()).add(_process.code)

# What a certificate is found by: the words of its names and its code (iso9001), and
# its names folded, for a longer Japanese word to stand in as written.
CERTIFICATE_TERMS = {
    code: (
        document_terms(" ".join([code, *DOCUMENT_TYPES_BY_CODE[code].name.values()])),
        "\n".join(normalize(n) for n in DOCUMENT_TYPES_BY_CODE[code].name.values()),
    )
    for code in SUPPLIER_CERTIFICATIONS
}


@event.listens_for(Msme, "before_insert")
@event.listens_for(Msme, "before_update")
def _write(_mapper: Any, _connection: Any, msme: Msme) -> None:
    msme.supplier_terms, msme.supplier_text = index(msme)


def reindex_suppliers(conn: Connection) -> int:
    """Recompute every MSME's terms (`kurasi catalog rebuild`); how many."""
    rows = conn.execute(
        select(Msme.id, Msme.brand_name, Msme.province, Msme.city, Msme.capabilities)
    ).all()
    for row in rows:
        terms, text = index(row)
        conn.execute(
            update(Msme).where(Msme.id == row.id).values(supplier_terms=terms, supplier_text=text)
        )
    return len(rows)
