"""How long `GET /stats` takes over a year of curation history (PostgreSQL).

    .venv/bin/python -m bench.stats --seed 100000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/kurasi_stats

`--seed N` makes the database anew with the demo data and N generated listings
(`kurasi demo seed --products N`), then gives every product an audit trail over the
past year: a submission, a review started 0-72 h later by one of five curators, and a
decision 0-8 h after that (70 % approve, 20 % request changes, 10 % reject); one product
in five had a first round whose changes were requested. One product in a hundred is
left waiting in the queue. The figures are then asked for the last 30 days (the
default) and for the whole year, `--rounds` times each, in the server's own code
(app/stats/service.py) on one connection; the median and the slowest are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from datetime import date, timedelta

import psycopg

from app.config import Settings
from app.core import clock
from app.core.db import create_engine, create_sessionmaker
from app.stats.period import period
from app.stats.service import stats
from bench.database import kurasi, seed

CURATORS = 5
HISTORY = """
CREATE TEMP TABLE round AS
SELECT p.id AS product_id, p.version, m.owner_id,
       now() - random() * interval '365 days' AS submitted,
       random() * interval '72 hours' AS wait,
       random() * interval '8 hours' AS review,
       1 + floor(random() * {curators})::int AS curator,
       random() AS verdict, random() AS earlier
FROM products p JOIN msmes m ON m.id = p.msme_id;

INSERT INTO users (id, email, password_hash, full_name, role, preferred_language,
                   is_active, created_at, updated_at)
SELECT gen_random_uuid(), 'bench-curator-' || n || '@example.com', '-', 'Curator ' || n,
       'curator', 'en', true, now(), now()
FROM generate_series(1, {curators}) n;

CREATE TEMP TABLE curator AS
SELECT row_number() OVER (ORDER BY email) AS n, id FROM users WHERE role = 'curator'
  AND email LIKE 'bench-curator-%';

-- A first round for one product in five: submitted, reviewed, changes requested a day
-- before the last round's submission.
INSERT INTO transitions (id, product_id, from_status, to_status, action, actor_id, at,
                         product_version)
SELECT gen_random_uuid(), product_id, f, t, a, actor, at, version FROM (
  SELECT r.*, x.* FROM round r JOIN curator c ON c.n = r.curator
  CROSS JOIN LATERAL (VALUES
    ('draft', 'submitted', 'submit', r.owner_id, r.submitted - interval '48 hours'),
    ('submitted', 'in_review', 'start_review', c.id, r.submitted - interval '40 hours'),
    ('in_review', 'changes_requested', 'request_changes', c.id,
     r.submitted - interval '36 hours')
  ) AS x(f, t, a, actor, at)
  WHERE r.earlier < 0.2
) first_round;

INSERT INTO transitions (id, product_id, from_status, to_status, action, actor_id, at,
                         product_version)
SELECT gen_random_uuid(), product_id, f, t, a, actor, at, version FROM (
  SELECT r.*, x.* FROM round r JOIN curator c ON c.n = r.curator
  CROSS JOIN LATERAL (VALUES
    ('draft', 'submitted', 'submit', r.owner_id, r.submitted, true),
    ('submitted', 'in_review', 'start_review', c.id, r.submitted + r.wait, r.verdict < 0.99),
    ('in_review',
     CASE WHEN r.verdict < 0.7 THEN 'approved' WHEN r.verdict < 0.9 THEN 'changes_requested'
          ELSE 'rejected' END,
     CASE WHEN r.verdict < 0.7 THEN 'approve' WHEN r.verdict < 0.9 THEN 'request_changes'
          ELSE 'reject' END,
     c.id, r.submitted + r.wait + r.review, r.verdict < 0.99)
  ) AS x(f, t, a, actor, at, happened)
  WHERE x.happened
) last_round;

-- The last hundredth waits in the queue.
UPDATE products p SET status = 'submitted', submitted_at = r.submitted
FROM round r WHERE r.product_id = p.id AND r.verdict >= 0.99;
"""


def add_history(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        conn.execute(HISTORY.format(curators=CURATORS))  # type: ignore[arg-type]
        conn.execute("ANALYZE transitions")
        conn.execute("ANALYZE products")
        row = conn.execute("SELECT count(*) FROM transitions").fetchone()
    assert row is not None
    return int(row[0])


async def measure(settings: Settings, rounds: int) -> dict[str, list[float]]:
    engine = create_engine(settings)
    sessions = create_sessionmaker(engine)
    today = clock.today()
    ranges = {
        "last 30 days (default)": period(None, None, today),
        "the whole year": period(today - timedelta(days=365), today, today),
    }
    times: dict[str, list[float]] = {name: [] for name in ranges}
    try:
        for _ in range(rounds):
            for name, days in ranges.items():
                async with sessions() as session:
                    started = time.perf_counter()
                    await stats(session, days, now=clock.now(), today=today)
                    times[name].append((time.perf_counter() - started) * 1000)
    finally:
        await engine.dispose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, help="make the database anew with N listings")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    settings = Settings(database_url=args.database_url, environment="development")
    env = {
        **os.environ,
        "KURASI_DATABASE_URL": args.database_url,
        "KURASI_STORAGE_DIR": "/tmp/kurasi-bench-stats-storage",
    }
    if args.seed is not None:
        seed(args.database_url, args.seed, env)
        print(f"transitions: {add_history(args.database_url)}")
    kurasi(env, "db", "upgrade")  # nothing to do, unless the database predates a migration
    for name, ms in asyncio.run(measure(settings, args.rounds)).items():
        print(f"{name}: median {statistics.median(ms):.0f} ms, slowest {max(ms):.0f} ms")
    print(f"on {date.today()}")


if __name__ == "__main__":
    main()
