"""The benchmark's printed table (bench/report.py): each target met or missed, by how much."""

from __future__ import annotations

from typing import Any

from bench.report import report


def _load(name: str, rps: float, p99: float, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "requests_per_second": rps,
        "p50_ms": 1.0,
        "p95_ms": 2.0,
        "p99_ms": p99,
        "errors": 0,
        **extra,
    }


def results(mix_rate: float, problems: int) -> dict[str, Any]:
    return {
        "started": "2026-12-02T06:00:00+00:00",
        "listings": 100_000,
        "visible": 97_016,
        "server_workers": 1,
        "machine": {
            "host": "vm",
            "cores": 2,
            "cpu": "Xeon",
            "memory_gb": 24.0,
            "postgres": "15.20",
            "commit": "abc1234",
        },
        "seed": {"listings": 100_000, "seconds": 30.0, "reused": True},
        "size": {"database_bytes": 700 * 2**20, "catalog_bytes": 300 * 2**20},
        "throughput": {
            "connections": 64,
            "seconds": 10,
            "floor": _load("floor", 20_000, 5.0),
            "scenarios": [
                _load(
                    "catalog: first page",
                    8_000,
                    30.0,
                    catalog=True,
                    ratio_target=0.5,
                    floor_ratio=0.4,
                ),
                _load("catalog: filter category", 9_000, 61.5, catalog=True, floor_ratio=0.45),
                _load("curation queue", 900, 80.0, catalog=False, floor_ratio=0.045, errors=3),
            ],
        },
        "statements": {"catalog: first page": [6, 0], "write mix": {"create": 6, "approve": 22}},
        "mix": {
            "clients": 32,
            "seconds": 10.0,
            "products": 1000,
            "requests_per_second": 500.0,
            "transitions_per_second": mix_rate,
            "problem_count": problems,
            "failure_count": 0,
        },
        "server_rss_mb": 120.0,
    }


def test_targets_met_and_missed_by_how_much() -> None:
    text = report(results(mix_rate=310.0, problems=0)).splitlines()
    first = next(line for line in text if line.startswith("| catalog: first page"))
    assert "| 8,000 |" in first and "| 0.400 |" in first and "| 6 / 0 |" in first
    assert first.endswith("| **missed** (0.80 of it) |")
    category = next(line for line in text if line.startswith("| catalog: filter category"))
    assert category.endswith("| **missed** (p99 +11.5 ms) |")
    queue = next(line for line in text if line.startswith("| curation queue"))
    assert queue.endswith("| **missed** (3 errors) |")
    mix = next(line for line in text if "transitions/s, no update lost" in line)
    assert "| 310.0 |" in mix and "create 6, approve 22" in mix and mix.endswith("| met |")
    assert "Server resident memory after the run: 120 MB (target ≤ 250 MB a process: met)." in text


def test_a_lost_update_misses_the_mix_whatever_its_rate() -> None:
    text = report(results(mix_rate=400.0, problems=2))
    assert "**missed** (2 lost or wrong)" in text
