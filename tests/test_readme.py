"""The README's walk-through runs as written: its ```sh walkthrough blocks, in order, in
bash, against a real `kurasi serve` on a freshly seeded scratch database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.dbutil import scratch_database
from tests.test_cli import Db, explain, make_db, serve, stop

README = Path(__file__).resolve().parents[1] / "README.md"


def walkthrough() -> str:
    blocks = re.findall(r"^```sh walkthrough\n(.*?)^```$", README.read_text(), re.S | re.M)
    assert len(blocks) >= 4, "the README lost its walk-through blocks"
    return "\n".join(blocks)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Db]:
    with scratch_database(tmp_path, "kurasi_readme") as url:
        db = make_db(tmp_path, url)
        for step in (("db", "upgrade"), ("demo", "seed")):
            result = db.run(*step)
            assert result.returncode == 0, explain(result)
        yield db


def in_order(lines: list[str], expected: list[str]) -> bool:
    """Whether `expected` appear among `lines` in this order (others may come between)."""
    rest = iter(lines)
    return all(any(line == want for line in rest) for want in expected)


def test_the_readme_walkthrough_runs_as_written(demo: Db, tmp_path: Path) -> None:
    proc, base = serve(demo, tmp_path)
    try:
        walk = tmp_path / "walk"
        walk.mkdir()
        # The interpreter running the suite is the `python3` the walk finds first.
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
        result = subprocess.run(
            ["bash", "-c", walkthrough()],
            env={"PATH": path, "HOME": str(tmp_path), "API": f"{base}/api/v1", "RUN": "4242"},
            cwd=walk,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, explain(result)
        lines = result.stdout.splitlines()
        assert in_order(
            lines,
            [
                "msme_owner",
                "readiness 76 missing: nib food_registration lab_test jp_label_draft",
                "nib uploaded",
                "food_registration uploaded",
                "lab_test uploaded",
                "jp_label_draft uploaded",
                "image uploaded",
                "submitted",
                "  Java Preanger coffee",
                "in_review",
                "true",
                *["verified"] * 4,
                "approved",
                "tokyo-msme-center",
                "ジャワ・プリアンガーコーヒー 250000.00 IDR = 2350 JPY",
                "サンプルを送っていただけますか",
                "msme_owner",
                "answered",
                # the product's public page, then a page of no product
                "<title>ジャワ・プリアンガーコーヒー | Kopi Rina | Kurasi</title>",
                '<span class="booth">Booth A-12</span>',
                "404 text/html; charset=utf-8",
                # the showroom's printed catalog, and the product's row in its spreadsheet
                "200 application/pdf",
                "Java Preanger coffee | A-12 | 2350 JPY",
            ],
        ), explain(result)
        assert result.stderr == "", explain(result)
        assert {p.name for p in walk.iterdir()} >= {"nib.pdf", "lab_test.pdf", "beans.png"}

        # What the walk did is what the server holds: listed, with its image, and asked.
        page = httpx.get(f"{base}/api/v1/catalog/products", params={"q": "preanger"}).json()
        [item] = page["items"]
        assert item["msme"]["verified"] is True and len(item["media"]) == 1
        assert [c["code"] for c in item["channels"]] == ["tokyo-msme-center"]
    finally:
        stop(proc)
