"""What one database round trip costs the server's process, and the write mix's ceiling.

Every statement and every transaction of a request goes to PostgreSQL and back; on the
server's core each trip costs CPU in the driver and, through the app's engine, in
SQLAlchemy's session and its async adaptation. Measured in this process (on the load's
core, with nothing else running, uvloop as the server uses), for:

- a statement through the app's engine and an `AsyncSession` (`SELECT 1`, cached);
- a transaction as a request has one: a session checked out of the pool (the app's
  pre-ping), BEGIN, one statement, COMMIT;
- the same two with psycopg alone, no SQLAlchemy.

The write mix sends `statements` statements in `transactions` transactions a product
(bench/statements.py counts them); the ceiling is the products a second that one core
could manage if it did nothing but those round trips, times the three transitions a
product. It bounds the mix whatever the ORM, FastAPI or the app cost on top.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg
import uvloop
from sqlalchemy import text

from app.config import Settings
from app.core.db import create_engine, create_sessionmaker

ROUNDS = 2000
TRANSITIONS_A_PRODUCT = 3  # submit, start review, approve


async def _cpu_us(step: Callable[[], Awaitable[Any]], rounds: int) -> float:
    for _ in range(rounds // 10):  # warm: prepared statements, caches, pool
        await step()
    started = time.process_time()
    for _ in range(rounds):
        await step()
    return (time.process_time() - started) / rounds * 1e6


async def _measure(database_url: str, rounds: int) -> dict[str, float]:
    settings = Settings(database_url=database_url)
    engine = create_engine(settings)
    sessions = create_sessionmaker(engine)
    one = text("SELECT 1")
    try:
        async with sessions() as held:

            async def statement() -> None:
                (await held.execute(one)).all()

            statement_us = await _cpu_us(statement, rounds)
            await held.rollback()

        async def transaction() -> None:
            async with sessions() as session:
                (await session.execute(one)).all()
                await session.commit()

        transaction_us = await _cpu_us(transaction, rounds)
    finally:
        await engine.dispose()

    async with await psycopg.AsyncConnection.connect(settings.libpq_database_url) as conn:

        async def raw_statement() -> None:
            await (await conn.execute("SELECT 1")).fetchall()

        raw_statement_us = await _cpu_us(raw_statement, rounds)
        await conn.rollback()

        async def raw_transaction() -> None:
            await (await conn.execute("SELECT 1")).fetchall()
            await conn.commit()

        raw_transaction_us = await _cpu_us(raw_transaction, rounds)
    return {
        "statement_us": statement_us,
        "transaction_us": transaction_us,
        "raw_statement_us": raw_statement_us,
        "raw_transaction_us": raw_transaction_us,
    }


def ceiling(
    database_url: str, statements: int, transactions: int, rounds: int = ROUNDS
) -> dict[str, Any]:
    """Per-trip CPU, and the mix's transitions a second if one core did only its trips."""
    costs = uvloop.run(_measure(database_url, rounds))
    out: dict[str, Any] = {k: round(v, 1) for k, v in costs.items()}
    out.update(statements_a_product=statements, transactions_a_product=transactions)
    for name, prefix in (("sqlalchemy", ""), ("psycopg", "raw_")):
        # A transaction's cost includes one statement of its own.
        product_us = (statements - transactions) * costs[f"{prefix}statement_us"]
        product_us += transactions * costs[f"{prefix}transaction_us"]
        out[f"{name}_ceiling_transitions_per_second"] = round(
            TRANSITIONS_A_PRODUCT * 1e6 / product_us, 1
        )
    return out
