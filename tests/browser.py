"""Headless Chromium (Debian's `chromium`) on Kurasi's pages, as a buyer's phone opens them.

Chromium finds fonts through fontconfig; here it sees only the Noto Sans CJK JP font that
the project installs from PyPI (`noto-cjk-sans-jp-regular`), never the system's, so that
Japanese renders the same on any machine. tests/test_public_page.py loads pages with it;
run as a module, it makes the README's screenshot of a demo product's page in Japanese:

    python -m tests.browser                       # docs/public-page-ja.png
    python -m tests.browser --lang en --output /tmp/page-en.png
    python -m tests.browser --base http://127.0.0.1:8000   # of the server `make run` started
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import noto_cjk_sans_jp_regular
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium")
FONTS = Path(noto_cjk_sans_jp_regular.__file__).parent
PHONE_WIDTH = 412  # CSS pixels of a common Android phone
TALL = 3000  # a window taller than the page; the screenshot is cut to the page after
TIMEOUT = 60

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


@contextlib.contextmanager
def _home() -> Iterator[tuple[Path, dict[str, str]]]:
    """A folder of the run's own (profile, font cache) and the environment naming its
    fonts.conf: runs at the same time never share a profile."""
    with tempfile.TemporaryDirectory(prefix="kurasi-chromium-") as folder:
        home = Path(folder)
        conf = home / "fonts.conf"
        conf.write_text(FONTS_CONF.format(fonts=FONTS, cache=home / "fontcache"))
        yield home, {**os.environ, "HOME": str(home), "FONTCONFIG_FILE": str(conf)}


def chromium(url: str, *options: str, accept_lang: str = "ja") -> str:
    """Chromium, headless, loads `url` with `options`; its standard output."""
    if CHROMIUM is None:
        raise RuntimeError("chromium is not installed (make tools)")
    with _home() as (home, env):
        result = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                f"--user-data-dir={home / 'profile'}",
                f"--accept-lang={accept_lang}",
                *options,
                url,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"chromium exited {result.returncode}:\n{result.stderr}")
    return result.stdout


def dump_dom(url: str, *, accept_lang: str = "ja") -> str:
    """The page's DOM after it loaded, serialized."""
    return chromium(url, "--dump-dom", accept_lang=accept_lang)


def screenshot(url: str, output: Path, *, accept_lang: str = "ja") -> Image.Image:
    """A PNG of the page at a phone's width, cut below its last line; also returned."""
    output.parent.mkdir(parents=True, exist_ok=True)
    chromium(
        url,
        f"--window-size={PHONE_WIDTH},{TALL}",
        f"--screenshot={output}",
        accept_lang=accept_lang,
    )
    with Image.open(output) as shot:
        image = shot.convert("RGB")
    # The page's background fills the window below the footer: cut it, keeping a margin.
    background = image.getpixel((0, image.height - 1))
    bottom = image.height
    while bottom > 1 and all(
        image.getpixel((x, bottom - 1)) == background for x in range(0, image.width, 4)
    ):
        bottom -= 1
    image = image.crop((0, 0, image.width, min(image.height, bottom + 16)))
    image.save(output, optimize=True)
    return image


def demo_page(base: str, name: str) -> str:
    """The public page URL of the demo product whose English name contains `name`."""
    r = httpx.get(f"{base}/api/v1/catalog/products", params={"q": name, "limit": 100})
    r.raise_for_status()
    items = r.json()["items"]
    found = next(i for i in items if name in i["translations"]["name"].get("en", ""))
    return f"{base}/p/{found['id']}"


def main(argv: list[str] | None = None) -> int:
    from tests.fuzzing import serve  # the demo data behind `kurasi serve`, as the fuzzer has it

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "public-page-ja.png")
    parser.add_argument("--lang", default="ja", choices=["ja", "en", "id"])
    parser.add_argument("--product", default="Tempe chips", help="part of its English name")
    parser.add_argument("--base", help="a running server with the demo data (make run)")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        base = args.base
        if base is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="kurasi-shot-"))
            base = stack.enter_context(serve(f"sqlite:///{folder}/demo.db", Path(folder)))
        # The QR code's URL, as printed: the language comes from the phone's.
        image = screenshot(demo_page(base, args.product), args.output, accept_lang=args.lang)
    print(f"{args.output}: {image.width}x{image.height}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
