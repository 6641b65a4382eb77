"""The OpenAPI document as the server behaves: what FastAPI generates, corrected where it
cannot know.

- Errors are `application/problem+json` (app/core/errors.py), not FastAPI's default
  `HTTPValidationError` under `application/json`.
- The guards before routing (app/core/middleware.py) and the error handlers answer some
  statuses on every route of a kind: 422 for a NUL in the query, 413/415 for a body,
  503 when the database or the storage is down. They are added here once.
- A query parameter or body that may be left out is optional, not `null`: a client
  cannot send a JSON null in a query string.
- Free text is refused with a NUL character (app/core/json_guard.py) and, where it is
  required, when only whitespace is left once stripped: said by a `pattern` on every
  string that has no stricter pattern, enum or format of its own.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.core.errors import PROBLEM_JSON
from app.core.schemas import without_null

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

DESCRIPTIONS = {
    400: "The body cannot be read: not UTF-8, or a broken multipart form.",
    401: "No valid bearer token (`WWW-Authenticate: Bearer`).",
    403: "The caller's role may never do this, or may see the object but not act on it.",
    404: "Unknown, or not visible to the caller.",
    405: "The path does not take this method; `Allow` lists those it takes.",
    409: "The object's state does not allow this.",
    412: "`If-Match` does not match the object's current `ETag`.",
    413: "The body is larger than the route accepts.",
    415: "The body's media type is not one the route accepts.",
    422: "The request is not valid; `errors` lists each problem with its location.",
    428: "The route needs an `If-Match` header.",
    429: "Too many requests; `Retry-After` says when to try again.",
    503: "The database or the storage does not answer; try again after `Retry-After`.",
}

_HEADERS = {
    401: {"WWW-Authenticate": "Bearer"},
    405: {"Allow": "The methods the path takes, e.g. `GET, PATCH`."},
    429: {
        "Retry-After": "Seconds until a request may succeed.",
        "RateLimit-Policy": 'The limit that was hit (IETF draft), e.g. `"login";q=10;w=60`.',
        "RateLimit": 'What is left of it, e.g. `"login";r=0;t=42`.',
    },
    503: {"Retry-After": "Seconds to wait before trying again."},
}

_JSON_WRITES = frozenset({"post", "put", "patch"})


def _problem(status: int, description: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description or DESCRIPTIONS.get(status, "Problem"),
        "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
    }
    headers = _HEADERS.get(status)
    if headers:
        response["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in headers.items()
        }
    return response


def _statuses(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    """What every route of this kind may answer besides its own documented statuses."""
    if not path.startswith("/api/"):
        return set()
    common = {422, 503}
    body = operation.get("requestBody", {}).get("content", {})
    if method in _JSON_WRITES:
        common |= {413, 415}
        if body:
            common.add(400)
    return common


NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


def _text_patterns(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _text_patterns(item)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "string" and not {"pattern", "enum", "format", "const"} & set(node):
        node["pattern"] = NOT_BLANK if node.get("minLength", 0) > 0 else NO_NUL
    for key, child in node.items():
        if key not in ("examples", "example", "default"):
            _text_patterns(child)


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _fix_operation(path: str, method: str, operation: dict[str, Any], forms: set[str]) -> None:
    responses = operation["responses"]
    for code in list(responses):
        status = int(code) if code.isdigit() else 0
        if status >= 400:
            description = responses[code].get("description")
            if description in (None, "Problem", "Validation Error"):
                description = None
            responses[code] = _problem(status, description)
    for status in _statuses(path, method, operation):
        responses.setdefault(str(status), _problem(status))
    operation["responses"] = dict(sorted(responses.items()))
    for parameter in operation.get("parameters", []):
        without_null(parameter.get("schema", {}))
    for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
        # An optional body (`Body() = None`) is left out, not sent as `null`.
        without_null(media.get("schema", {}))
        if media_type in FORMS and "$ref" in media["schema"]:
            forms.add(media["schema"]["$ref"].rpartition("/")[2])


def document(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    forms: set[str] = set()
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            _fix_operation(path, method, operation, forms)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in forms:  # a form field is sent or left out; a form has no null
        for field in schemas[name].get("properties", {}).values():
            without_null(field)
    _text_patterns(schema["paths"])
    _text_patterns(schemas)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    components.setdefault("responses", {})["MethodNotAllowed"] = _problem(405)
    return schema


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
