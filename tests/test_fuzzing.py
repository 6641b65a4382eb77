"""Schemathesis in the suite: a short run of every check and the stateful phase, as each
role and anonymously, against `kurasi serve` on a seeded database of its own (SQLite, or
PostgreSQL when the suite runs there). `make fuzz` runs a long one with the coverage
phase on both databases; a failure found there becomes a test of its own."""

from __future__ import annotations

import os

from tests.fuzzing import ROLES, run

OPTIONS = [
    "--phases",
    "examples,fuzzing,stateful",
    "--max-examples",
    "3",
    "--seed",
    "20261201",
    "--workers",
    "1",
]


def test_schemathesis_finds_no_failure() -> None:
    results = run(os.environ.get("KURASI_TEST_DATABASE_URL"), list(ROLES), OPTIONS)
    assert [r.role for r in results] == list(ROLES)
    failed = [f"===== {r.role}\n{r.output}" for r in results if r.returncode != 0]
    assert not failed, "\n".join(failed)
    for result in results:
        assert " passed" in result.output and "generated" in result.output
