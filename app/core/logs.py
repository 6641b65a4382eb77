"""JSON log lines (one object a line) and the id of the request being served.

`kurasi serve` and `kurasi worker` configure logging with `LOG_CONFIG`; every line then
carries the request id of the request (or of the event a worker handles) it was written
for, so that one request can be followed from the API into the worker.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from contextvars import ContextVar
from typing import Any, TextIO

import orjson

# Set by the request middleware (app/core/observe.py) and by the worker for each event.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# The standard library's encoder for what orjson refuses (integers beyond 64 bits).
_encode_slowly = json.JSONEncoder(default=str, ensure_ascii=False).encode


def _encode(line: dict[str, Any]) -> str:
    """One JSON line; orjson takes a tenth of the standard library's time."""
    try:
        return orjson.dumps(line, default=str).decode()
    except TypeError:
        return _encode_slowly(line)


# The attributes every LogRecord has: anything else was passed with `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
_STANDARD.add("color_message")  # uvicorn's own lines carry a copy with terminal colours


def _utc_iso(created: float) -> str:
    """`datetime.fromtimestamp(created, UTC).isoformat()`, its seconds formatted once a
    second rather than once a line (a tenth of an access line's cost)."""
    global _second
    whole = math.floor(created)
    micro = round((created - whole) * 1e6)  # as datetime rounds it
    if micro >= 1_000_000:
        whole, micro = whole + 1, micro - 1_000_000
    if whole != _second[0]:
        _second = (whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)))
    return f"{_second[1]}.{micro:06d}+00:00" if micro else f"{_second[1]}+00:00"


_second: tuple[int, str] = (-1, "")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _utc_iso(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if "request_id" not in line and (current := request_id.get()) is not None:
            line["request_id"] = current
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return _encode(line)


class BufferedStreamHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler that writes its lines at most once a second, and at once for a
    warning or worse. StreamHandler writes and flushes every line: a system call per
    request, a sixth of a cached catalog page's time (and on a terminal, line-buffered,
    so is any write). Lines logged in the event loop wait for a timer on it, or for 64 KiB
    of them; lines from other threads, and everything at exit, are written at once."""

    def __init__(self, stream: TextIO | None = None, seconds: float = 1.0) -> None:
        super().__init__(stream)
        self.seconds = seconds
        self._lines: list[str] = []
        self._size = 0
        self._timer: asyncio.TimerHandle | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + self.terminator
            self._lines.append(line)
            self._size += len(line)
            if record.levelno >= logging.WARNING or self._size >= 65536:
                self.flush()
            elif self._timer is None:
                try:
                    loop = asyncio.get_running_loop()
                except RuntimeError:  # not in the event loop's thread
                    self.flush()
                else:
                    self._timer = loop.call_later(self.seconds, self._flush_due)
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            if self._lines:
                lines, self._lines, self._size = self._lines, [], 0
                self.stream.write("".join(lines))
            super().flush()

    def _flush_due(self) -> None:
        self._timer = None
        self.flush()


# For logging.config.dictConfig, and for uvicorn's `log_config` (each server process
# applies it, also with several workers). uvicorn's access log is off: ours has the
# route template and the request id, and never the query string.
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "app.core.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "app.core.logs.BufferedStreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "uvicorn": {"handlers": [], "level": "INFO", "propagate": True},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}
