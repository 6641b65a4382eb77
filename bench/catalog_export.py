"""The printed catalog's benchmark: a channel of N published products, each with its own
photo, written by `kurasi catalog export` as PDF, CSV and XLSX; the time and the peak
memory (resident set) of each command, run as a print shop's operator would.

    .venv/bin/python -m bench.catalog_export --products 500

The data: the demo seed, then generated listings (`kurasi demo seed --products`), of which
the first N visible ones are published in a new exhibition, `bench-expo` (and the first
fifth of them in `bench-expo-small`, to see what memory does with the count), each with a
1600 x 1200 photo of its own in the local store: JPEG, one in five PNG. On SQLite in a
scratch folder, or on a scratch PostgreSQL database with --database-url (dropped after).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg
from PIL import Image, ImageDraw
from sqlalchemy import select

from app.catalog.filters import visible
from app.channels.schemas import ChannelCreate, ListingCreate
from app.channels.service import create_channel, publish
from app.config import Settings
from app.core import clock
from app.core.db import create_engine, create_sessionmaker, utcnow
from app.core.storage import create_storage
from app.models import CatalogEntry, Media, Product, Revision, User
from app.models.enums import Role, UploadStatus
from app.models.snapshot import MediaSnapshot
from bench.throughput import wait_for

KURASI = Path(sys.executable).parent / "kurasi"
CHANNEL, SMALL = "bench-expo", "bench-expo-small"


def photo(n: int) -> tuple[bytes, str]:
    """A 1600 x 1200 photo of its own: a textured background and a product-like shape."""
    rng = random.Random(n)
    texture = Image.effect_noise((160, 120), 30).convert("RGB").resize((1600, 1200))
    tint = Image.new("RGB", (1600, 1200), tuple(rng.randrange(90, 230) for _ in range(3)))
    image = Image.blend(texture, tint, 0.75)
    draw = ImageDraw.Draw(image)
    box = [rng.randrange(200, 500), rng.randrange(150, 400)]
    box += [box[0] + rng.randrange(500, 900), box[1] + rng.randrange(400, 700)]
    draw.ellipse(box, fill=tuple(rng.randrange(40, 200) for _ in range(3)))
    draw.text((60, 60), f"Kurasi bench {n}", fill=(255, 255, 255))
    out = io.BytesIO()
    if n % 5 == 4:
        image.save(out, "PNG")
        return out.getvalue(), "image/png"
    image.save(out, "JPEG", quality=85)
    return out.getvalue(), "image/jpeg"


async def publish_with_photos(settings: Settings, count: int) -> int:
    """Publish the first `count` visible listings in the bench's exhibitions, each with a
    photo; how many bytes of photos were stored."""
    engine = create_engine(settings, statement_timeout=False)
    storage = create_storage(settings)
    today = clock.today()
    stored = 0
    try:
        async with create_sessionmaker(engine)() as session:
            admin = await session.scalar(select(User).where(User.role == Role.admin.value))
            assert admin is not None
            channels = []
            for code, name in ((CHANNEL, "Bench Expo"), (SMALL, "Bench Expo (small)")):
                made = ChannelCreate.model_validate(
                    {
                        "code": code,
                        "name": {"en": name, "ja": "ベンチ展示会"},
                        "kind": "exhibition",
                        "venue": "Jakarta Convention Center",
                        "city": "Jakarta",
                        "country": "ID",
                        "starts_on": today.isoformat(),
                        "ends_on": (today + timedelta(days=4)).isoformat(),
                    }
                )
                channels.append(await create_channel(session, made))
            ids = list(
                await session.scalars(
                    select(CatalogEntry.product_id)
                    .where(visible(today))
                    .order_by(CatalogEntry.product_id)
                    .limit(count)
                )
            )
            if len(ids) < count:
                raise SystemExit(f"only {len(ids)} visible listings; seed more")
            revisions = await session.scalars(
                select(Revision)
                .join(Product, Product.approved_revision_id == Revision.id)
                .where(Product.id.in_(ids))
            )
            by_product = {r.product_id: r for r in revisions}
            for n, product_id in enumerate(ids):
                body, content_type = photo(n)
                stored += len(body)
                media_id = uuid.uuid4()
                revision = by_product[product_id]
                key = f"msmes/{revision.msme_id}/products/{product_id}/media/{media_id}"
                await storage.put(key, body, content_type)
                session.add(
                    Media(
                        id=media_id,
                        product_id=product_id,
                        filename="photo",
                        content_type=content_type,
                        size=len(body),
                        position=0,
                        storage_key=key,
                        status=UploadStatus.uploaded.value,
                        uploaded_at=utcnow(),
                    )
                )
                media = [MediaSnapshot(id=media_id)]
                revision.content = revision.content.model_copy(update={"media": media})
                booth = f"{'ABCD'[n % 4]}-{n % 60 + 1:02d}"
                for channel in channels[: 2 if n < count // 5 else 1]:
                    listing = ListingCreate(product_id=product_id, booth=booth)
                    await publish(session, channel, listing, admin)
            await session.commit()
    finally:
        await engine.dispose()
    return stored


def run(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """`kurasi *args`: (wall seconds, peak resident MB of that process alone, stdout)."""
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(KURASI), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"kurasi {' '.join(args)} failed:\n{out}\n{err}")
    return seconds, usage.ru_maxrss / 1024, out.strip()


@contextmanager
def database(url: str | None, folder: Path) -> Iterator[str]:
    if not url:
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    base = url.rpartition("/")[0]
    name = f"kurasi_export_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def over_http(env: dict[str, str], folder: Path) -> list[tuple[str, float, float]]:
    """The PDF from `kurasi serve`: (which, seconds, the server's peak resident MB so far)
    for a first download and a second one."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [str(KURASI), "serve", "--no-worker", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        found = []
        for turn in ("first", "second"):
            started = time.monotonic()
            url = f"http://127.0.0.1:{port}/api/v1/channels/{CHANNEL}/catalog.pdf"
            r = httpx.get(url, timeout=120)
            seconds = time.monotonic() - started
            r.raise_for_status()
            status = Path(f"/proc/{server.pid}/status").read_text()
            peak = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
            found.append((turn, seconds, int(peak.split()[1]) / 1024))
        return found
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def images_in(pdf: Path) -> int | None:
    """Images the PDF draws (pdfimages), when poppler-utils is there."""
    if shutil.which("pdfimages") is None:
        return None
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, check=True)
    return len(listed.stdout.splitlines()) - 2


def measure(env: dict[str, str], folder: Path, products: int) -> None:
    """A markdown table: each export by the command, then the PDF over HTTP."""
    print("| export | products | wall s | peak RSS MB | file |")
    print("|---|---|---|---|---|")
    for channel, fmt in ((SMALL, "pdf"), (CHANNEL, "pdf"), (CHANNEL, "csv"), (CHANNEL, "xlsx")):
        out = folder / f"{channel}.{fmt}"
        command = ("catalog", "export", "--channel", channel, "--format", fmt)
        seconds, rss, said = run(env, *command, "--output", str(out))
        count = said.split(": ")[1].split(" products")[0]
        drawn = images_in(out) if fmt == "pdf" else None
        detail = f"{out.stat().st_size / 1e6:.1f} MB" + (f", {drawn} images" if drawn else "")
        what = f"`kurasi catalog export` {fmt}, `{channel}`"
        print(f"| {what} | {count} | {seconds:.2f} | {rss:.0f} | {detail} |")
    for turn, seconds, rss in over_http(env, folder):
        what = f"`GET /api/v1/channels/{CHANNEL}/catalog.pdf`, {turn}"
        print(f"| {what} | {products} | {seconds:.2f} | {rss:.0f} | (the server's) |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--database-url", help="a PostgreSQL server URL; SQLite when left out")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="kurasi-export-bench-"))
    try:
        with database(args.database_url, folder) as url:
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("KURASI_")},
                "KURASI_DATABASE_URL": url,
                "KURASI_STORAGE": "local",
                "KURASI_STORAGE_DIR": str(folder / "storage"),
                "KURASI_PUBLIC_BASE_URL": "https://kurasi.example.jp",
            }
            run(env, "db", "upgrade")
            run(env, "demo", "seed", "--products", str(args.products * 11 // 10 + 20))
            settings = Settings(database_url=url, storage_dir=folder / "storage")
            started = time.monotonic()
            stored = asyncio.run(publish_with_photos(settings, args.products))
            took = time.monotonic() - started
            print(f"{args.products} products with photos ({stored / 1e6:.0f} MB) in {took:.0f} s")
            measure(env, folder, args.products)
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
