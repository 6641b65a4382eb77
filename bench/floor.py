"""The floor: a bare Starlette app answering every request with the same bytes from memory.

Run by bench/throughput.py on the same uvicorn as `kurasi serve`, with the catalog's first
page as its body, so that the catalog's throughput can be told as a share of what the
server and the machine allow at all.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BODY = Path(os.environ.get("KURASI_BENCH_FLOOR_BODY", "/dev/null")).read_bytes()


async def page(request: Request) -> Response:
    return Response(BODY, media_type="application/json")


app = Starlette(routes=[Route("/{path:path}", page)])
