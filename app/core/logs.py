"""JSON log lines (one object a line) and the id of the request being served.

`kurasi serve` and `kurasi worker` configure logging with `LOG_CONFIG`; every line then
carries the request id of the request (or of the event a worker handles) it was written
for, so that one request can be followed from the API into the worker.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# Set by the request middleware (app/core/observe.py) and by the worker for each event.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# One encoder for every line (json.dumps with options builds a new one each call).
_encode = json.JSONEncoder(default=str, ensure_ascii=False).encode
# The attributes every LogRecord has: anything else was passed with `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
_STANDARD.add("color_message")  # uvicorn's own lines carry a copy with terminal colours


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
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


# For logging.config.dictConfig, and for uvicorn's `log_config` (each server process
# applies it, also with several workers). uvicorn's access log is off: ours has the
# route template and the request id, and never the query string.
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "app.core.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
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
