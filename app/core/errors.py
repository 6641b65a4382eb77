"""Domain errors and their one rendering: RFC 9457 `application/problem+json`."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger("kurasi")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://kurasi.id/problems/"


class KurasiError(Exception):
    status: int = 500
    title: str = "Internal Server Error"
    slug: str = "internal"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.extra = extra or {}
        self.headers = headers


class BadRequest(KurasiError):
    status, title, slug = 400, "Bad Request", "bad-request"


class Unauthorized(KurasiError):
    status, title, slug = 401, "Unauthorized", "unauthorized"

    def __init__(self, detail: str = "Not authenticated") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(KurasiError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(KurasiError):
    status, title, slug = 404, "Not Found", "not-found"


class Conflict(KurasiError):
    status, title, slug = 409, "Conflict", "conflict"


class PreconditionFailed(KurasiError):
    status, title, slug = 412, "Precondition Failed", "precondition-failed"


class PreconditionRequired(KurasiError):
    status, title, slug = 428, "Precondition Required", "precondition-required"


class PayloadTooLarge(KurasiError):
    status, title, slug = 413, "Content Too Large", "too-large"


class UnsupportedMediaType(KurasiError):
    status, title, slug = 415, "Unsupported Media Type", "unsupported-media-type"


class Unprocessable(KurasiError):
    status, title, slug = 422, "Unprocessable Content", "unprocessable"


class TooManyRequests(KurasiError):
    status, title, slug = 429, "Too Many Requests", "rate-limited"


RETRY_AFTER_SECONDS = 5


class ServiceUnavailable(KurasiError):
    """A dependency (the database, the file storage) is away; the client may retry soon."""

    status, title, slug = 503, "Service Unavailable", "unavailable"

    def __init__(self, detail: str | None = None, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail, extra=extra, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


DATABASE_UNAVAILABLE = "The database is unavailable or did not answer in time; try again shortly."


def database_unavailable(exc: BaseException) -> bool:
    """Whether a database error means the database is away or too slow, not a bug: it
    cannot be reached, the connection broke, the pool had no connection free in time,
    or a statement ran out of time (PostgreSQL's QueryCanceled is an OperationalError)."""
    if isinstance(exc, (OperationalError, InterfaceError, PoolTimeout)):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


class ProblemItem(BaseModel):
    """One invalid part of a request: where (`loc`, from `body`, `query`, `path` or
    `header` down to the field) and what is wrong with it; some carry more fields (the
    `document_id` a rule is about)."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str


class Problem(BaseModel):
    """The body of every error response (RFC 9457); some carry more members."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["https://kurasi.id/problems/validation"])
    title: str = Field(examples=["Unprocessable Content"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["The request is not valid."])
    errors: list[ProblemItem] | None = Field(
        default=None, description="For 422: each invalid part of the request."
    )


def problem_response(
    status: int,
    title: str,
    detail: str,
    slug: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def error_response(exc: KurasiError) -> JSONResponse:
    """The problem document of a domain error, for handlers and for the guards that
    answer before routing."""
    return problem_response(
        exc.status,
        exc.title,
        exc.detail,
        exc.slug,
        errors=exc.errors,
        extra=exc.extra,
        headers=exc.headers,
    )


def _loc(loc: tuple[Any, ...] | list[Any]) -> list[str | int]:
    return [part if isinstance(part, int) else str(part) for part in loc]


# Pydantic names the members of a `Literal[Role.buyer, ...]` by their repr,
# `<Role.buyer: 'buyer'>`; clients send and read the code, `'buyer'`.
_ENUM_REPR = re.compile(r"<\w+\.\w+: ('[^']*'|-?\d+)>")


def _msg(msg: Any) -> str:
    return _ENUM_REPR.sub(r"\1", str(msg))


def validation_errors(raw: Any) -> list[dict[str, Any]]:
    return [{"loc": _loc(e.get("loc", ())), "msg": _msg(e.get("msg", ""))} for e in raw]


_HTTP_TITLES = {
    400: ("Bad Request", "bad-request"),
    401: ("Unauthorized", "unauthorized"),
    403: ("Forbidden", "forbidden"),
    404: ("Not Found", "not-found"),
    405: ("Method Not Allowed", "method-not-allowed"),
    413: ("Content Too Large", "too-large"),
    415: ("Unsupported Media Type", "unsupported-media-type"),
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(KurasiError)
    async def _domain(_: Request, exc: KurasiError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(
            422,
            "Unprocessable Content",
            "The request is not valid.",
            "validation",
            errors=validation_errors(exc.errors()),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        title, slug = _HTTP_TITLES.get(exc.status_code, ("Error", "http-error"))
        detail = exc.detail if isinstance(exc.detail, str) else title
        return problem_response(
            exc.status_code, title, detail, slug, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(StaleDataError)
    async def _stale(_: Request, exc: StaleDataError) -> JSONResponse:
        return problem_response(
            409, "Conflict", "The object was changed by another request.", "conflict"
        )

    async def _database(request: Request, exc: Exception) -> JSONResponse:
        # The transaction is gone with its connection or rolled back as the session
        # closes: nothing of the request is written. SQL stays in the log.
        if not database_unavailable(exc):
            raise exc  # a bug, not an outage: the catch-all below answers 500
        logger.warning("database unavailable: %s", exc.__class__.__name__, exc_info=exc)
        return error_response(ServiceUnavailable(DATABASE_UNAVAILABLE))

    app.add_exception_handler(DBAPIError, _database)
    app.add_exception_handler(PoolTimeout, _database)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error", exc_info=exc)
        return problem_response(
            500, "Internal Server Error", "An unexpected error occurred.", "internal"
        )


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the problem documents a route may answer."""
    return {
        status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Problem"}
        for status in statuses
    }
