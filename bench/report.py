"""The markdown printed at the end of a run, from its results JSON: pasted as is into
bench/README.md, with the machine it ran on in its first lines."""

from __future__ import annotations

from typing import Any

from bench.scenarios import CATALOG_P99_TARGET_MS

MIX_TARGET = 300.0  # transitions per second, with the audit trail, no update lost
RSS_TARGET_MB = 250.0


def _met(ok: bool, misses: list[str]) -> str:
    return "met" if ok else f"**missed** ({', '.join(misses)})"


def _load_row(t: dict[str, Any], statements: list[int] | None) -> str:
    counted = " / ".join(map(str, statements)) if statements else ""
    ratio = f"{t['floor_ratio']:.3f}" if t.get("floor_ratio") is not None else ""
    targets, misses = [], []
    if t.get("ratio_target") is not None:
        targets.append(f"≥ {t['ratio_target']} × floor")
        if t["floor_ratio"] < t["ratio_target"]:
            misses.append(f"{t['floor_ratio'] / t['ratio_target']:.2f} of it")
    if t.get("catalog"):
        targets.append(f"p99 ≤ {CATALOG_P99_TARGET_MS:.0f} ms")
        if t["p99_ms"] > CATALOG_P99_TARGET_MS:
            misses.append(f"p99 {t['p99_ms'] - CATALOG_P99_TARGET_MS:+.1f} ms")
    if t.get("errors"):
        misses.append(f"{t['errors']} errors")
    met = _met(not misses, misses) if targets or misses else ""
    return (
        f"| {t['name']} | {t['requests_per_second']:,.0f} | {t['p50_ms']:.1f} | "
        f"{t['p95_ms']:.1f} | {t['p99_ms']:.1f} | {ratio} | {counted} | "
        f"{', '.join(targets)} | {met} |"
    )


def report(r: dict[str, Any]) -> str:
    m = r["machine"]
    lines = [
        f"Machine: {m['host']}, {m['cores']} cores ({m['cpu']}), {m['memory_gb']:.0f} GiB; "
        f"PostgreSQL {m['postgres']}; {r['started'][:16].replace('T', ' ')} UTC, commit "
        f"{m['commit']}; `kurasi serve --workers {r['server_workers']}`"
        + (" pinned to core 0" if r["server_workers"] == 1 else "")
        + "; wrk and the bench's clients on core 1.",
        "",
        f"{r['listings']:,} listings seeded ({r['visible']:,} visible), "
        + (
            "the database reused"
            if r["seed"].get("reused")
            else f"seeded in {r['seed']['seconds']} s"
        )
        + f"; database {r['size']['database_bytes'] / 2**20:,.0f} MB "
        f"(catalog tables {r['size']['catalog_bytes'] / 2**20:,.0f} MB).",
    ]
    statements = r.get("statements", {})
    if "throughput" in r:
        t = r["throughput"]
        lines += [
            "",
            f"Under load: wrk, {t['connections']} connections, {t['seconds']} s a turn, each "
            "turn between two of the floor; percentiles are the worst turn's. SQL statements: "
            "a first request / the same again (the page cache may answer it).",
            "",
            "| scenario | requests/s | p50 ms | p95 ms | p99 ms | × floor | SQL statements "
            "| target | met |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        lines.append(_load_row(t["floor"], None))
        lines += [_load_row(s, statements.get(s["name"])) for s in t["scenarios"]]
    if "mix" in r:
        x = r["mix"]
        steps = statements.get("write mix")
        per_step = ", ".join(f"{k} {v}" for k, v in steps.items()) if steps else ""
        misses = []
        if x["transitions_per_second"] < MIX_TARGET:
            misses.append(f"{x['transitions_per_second'] / MIX_TARGET:.2f} of it")
        if x["problem_count"]:
            misses.append(f"{x['problem_count']} lost or wrong")
        if x["failure_count"]:
            misses.append(f"{x['failure_count']} failed requests")
        lines += [
            "",
            "| write mix (create, patch, submit, start review, approve) | clients | products "
            "| transitions/s | requests/s | SQL statements a step | target | met |",
            "|---|---|---|---|---|---|---|---|",
            f"| {x['seconds']:.1f} s, checked afterwards: {x['problem_count']} lost or wrong "
            f"| {x['clients']} | {x['products']} | {x['transitions_per_second']:.1f} "
            f"| {x['requests_per_second']:.1f} | {per_step} | ≥ {MIX_TARGET:.0f} transitions/s, "
            f"no update lost | {_met(not misses, misses)} |",
        ]
        if c := x.get("ceiling"):
            lines += [
                "",
                f"The mix's round trips alone ({c['statements_a_product']} statements in "
                f"{c['transactions_a_product']} transactions a product; bench/roundtrip.py): "
                f"a statement costs the server's process {c['statement_us']:.0f} µs of CPU "
                f"through SQLAlchemy's session ({c['raw_statement_us']:.0f} µs with psycopg "
                f"alone), a transaction {c['transaction_us']:.0f} µs "
                f"({c['raw_transaction_us']:.0f} µs), so one core doing nothing else would "
                f"reach {c['sqlalchemy_ceiling_transitions_per_second']:.0f} transitions/s "
                f"({c['psycopg_ceiling_transitions_per_second']:.0f} with psycopg alone).",
            ]
    if "server_rss_mb" in r:
        sizes = r.get("server_rss_processes_mb") or [r["server_rss_mb"]]
        largest = max(sizes)
        miss = [f"{largest - RSS_TARGET_MB:+.0f} MB"]
        each = ""
        if len(sizes) > 1:
            each = f" in {len(sizes)} processes ({', '.join(f'{s:.0f}' for s in sizes)} MB)"
        lines += [
            "",
            f"Server resident memory after the run: {r['server_rss_mb']:.0f} MB{each} (target "
            f"≤ {RSS_TARGET_MB:.0f} MB a process: {_met(largest <= RSS_TARGET_MB, miss)}).",
        ]
    if r.get("latency"):
        lines += [
            "",
            "First requests (one client, page cache off, each request asked once):",
            "",
            "| request | n | p50 ms | p95 ms | max ms |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {name} | {f['n']} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | {f['max_ms']:.1f} |"
            for name, f in r["latency"].items()
        ]
    if r.get("writes"):
        lines += [
            "",
            "| write | clients | per second | ms each | server CPU ms each |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {w['name']} | {w['clients']} | {w['per_second']:.1f} | {w['wall_ms']:.1f} "
            f"| {w['server_cpu_ms']:.1f} |"
            for w in r["writes"]
        ]
    return "\n".join(lines)
