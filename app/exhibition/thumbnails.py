"""Product images for the printed catalog, read and shrunk a few at a time.

A catalog of hundreds of products must not hold hundreds of originals (up to 10 MiB
each): `thumbnails` reads each product's first image from storage and shrinks it to a
small JPEG (Pillow, in worker threads: it decodes without holding the GIL), `AT_ONCE` at
a time, dropping each original once shrunk. Memory holds a few originals, whatever the
number of products, and the small copies, which the PDF embeds anyway. They are all made
before the layout starts rather than beside it: a layout thread busy in Python makes the
decoding threads queue for the GIL at every step (measured: 6.2-7.6 s for 500 products
side by side, 5.7 s one after the other). An image that is missing or cannot be decoded
gives None, and the PDF shows an empty frame instead. A store that does not answer stops
the export (503): a catalog printed without its images is not what anyone asked for.
"""

from __future__ import annotations

import asyncio
import io
import logging
import math
from collections.abc import Sequence

import anyio
from PIL import Image, ImageOps

from app.core.storage import Storage

logger = logging.getLogger("kurasi")

SIZE = 360  # pixels on the longer side: a 34 mm frame printed at about 270 dpi
QUALITY = 80
AT_ONCE = 4
# Larger images are not decoded (a small file can declare a huge, memory-hungry image).
MAX_PIXELS = 50_000_000


def shrink(data: bytes) -> bytes | None:
    """A JPEG of at most SIZE pixels a side, upright, transparency on white; None when
    `data` is not an image Pillow can read."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                return None
            # A JPEG decodes at 1/2, 1/4 or 1/8 of its size: the smallest that still covers
            # the thumbnail (a 1600 x 1200 photo then takes ~5 ms of CPU in all, ~40 before).
            scale = SIZE / max(opened.size)
            if scale < 1:
                opened.draft(
                    "RGB", (math.ceil(opened.width * scale), math.ceil(opened.height * scale))
                )
            image: Image.Image = opened
            if image.mode not in ("RGB", "RGBA", "L", "LA"):  # a palette cannot be resampled
                image = image.convert("RGBA" if "transparency" in image.info else "RGB")
            image.thumbnail((SIZE, SIZE))
            flat = _on_white(ImageOps.exif_transpose(image))  # a phone's photo stands upright
        out = io.BytesIO()
        flat.save(out, "JPEG", quality=QUALITY)
        return out.getvalue()
    # Owners' files are untrusted bytes: Pillow's decoders fail in many ways (OSError,
    # ValueError, SyntaxError, struct.error, ...), and any of them costs one image only.
    except Exception as exc:
        logger.warning("catalog image skipped: %s", exc.__class__.__name__)
        return None


def _on_white(image: Image.Image) -> Image.Image:
    """RGB, what a JPEG holds: a transparent background becomes white paper."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


async def thumbnail(storage: Storage, key: str | None) -> bytes | None:
    if key is None:
        return None
    data = await storage.read(key)
    if data is None:
        logger.warning("catalog image missing from storage: %s", key)
        return None
    return await anyio.to_thread.run_sync(shrink, data)


async def thumbnails(storage: Storage, keys: Sequence[str | None]) -> list[bytes | None]:
    """The thumbnail of each key, in order, `AT_ONCE` originals read and shrunk at a time."""
    limit = asyncio.Semaphore(AT_ONCE)

    async def one(key: str | None) -> bytes | None:
        async with limit:
            return await thumbnail(storage, key)

    tasks = [asyncio.create_task(one(key)) for key in keys]
    try:
        return list(await asyncio.gather(*tasks))
    finally:  # after a failure (the store is away), no read goes on behind the error
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
