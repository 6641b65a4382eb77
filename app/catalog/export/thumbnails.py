"""Product images for the printed catalog, read and shrunk a few at a time.

A catalog of hundreds of products must not hold hundreds of originals (up to 10 MiB
each). `ImageFeed` reads each product's first image from storage and shrinks it to a
small JPEG (Pillow, in a worker thread) at most `AHEAD` products ahead of the page being
laid out, and hands the small copies over in order: memory holds a few originals at a
time, whatever the number of products. An image that is missing or cannot be decoded
gives None, and the PDF shows an empty frame instead. A store that does not answer stops
the export (503): a catalog printed without its images is not what anyone asked for.
"""

from __future__ import annotations

import asyncio
import io
import logging
import math
from collections import deque
from collections.abc import Sequence
from types import TracebackType

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from PIL import Image, ImageOps

from app.core.storage import Storage

logger = logging.getLogger("kurasi")

SIZE = 360  # pixels on the longer side: a 34 mm frame printed at about 270 dpi
QUALITY = 80
AHEAD = 4
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
            # the thumbnail costs a fraction of a full decode (~7 ms against ~40 here).
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


class ImageFeed:
    """The thumbnails of `keys`, in order, for a thread that lays out the pages:
    `async with ImageFeed(storage, keys) as feed:` then `feed.next()` in that thread."""

    def __init__(self, storage: Storage, keys: Sequence[str | None]) -> None:
        self.storage = storage
        self.keys = keys
        self._send: MemoryObjectSendStream[bytes | None]
        self._receive: MemoryObjectReceiveStream[bytes | None]
        self._send, self._receive = anyio.create_memory_object_stream[bytes | None](AHEAD)
        self._failure: BaseException | None = None
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> ImageFeed:
        self._task = asyncio.create_task(self._feed())
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        self._receive.close()

    def next(self) -> bytes | None:
        """The next thumbnail (from a worker thread: it waits for the event loop's reads)."""
        return anyio.from_thread.run(self._next)

    async def _next(self) -> bytes | None:
        try:
            return await self._receive.receive()
        except anyio.EndOfStream:
            raise self._failure or RuntimeError("more images asked than products") from None

    async def _feed(self) -> None:
        pending: deque[asyncio.Task[bytes | None]] = deque()
        try:
            for key in self.keys:
                pending.append(asyncio.create_task(thumbnail(self.storage, key)))
                if len(pending) >= AHEAD:
                    await self._send.send(await pending.popleft())
            while pending:
                await self._send.send(await pending.popleft())
        except Exception as exc:  # the store failed: the layout stops with this error
            self._failure = exc
        finally:
            self._send.close()  # after the failure is known: the reader then raises it
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
