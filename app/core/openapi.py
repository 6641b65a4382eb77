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

And shaped for the clients partners generate from it (docs/clients.md):

- An operation's id is its route function's name (`list_catalog_products`), the name of
  the method a generated client calls; each operation is in one tag, its domain, which
  a generated client makes a module.
- Every schema has a name a generated class can carry: a form's body is `LogInForm`, not
  `Body_log_in`; a type named where it is declared (a set of codes, `named_enum`; text
  in languages, `multilingual`) is one component referenced wherever it is used, not
  an anonymous schema in each place that generators name after the place.
- A schema's first example is also its `example`, which generators put in docstrings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from app.core.errors import PROBLEM_JSON
from app.core.schemas import COMPONENT, without_null

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
_STRICTER = frozenset({"pattern", "enum", "format", "const"})


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in a part of the document, each before what it holds (so that a pass
    may change it first), leaving out example values: they are data, not schemas."""
    if isinstance(node, list):
        for item in node:
            yield from _objects(item)
    elif isinstance(node, dict):
        yield node
        for key, child in list(node.items()):
            if key not in ("examples", "example", "default"):
                yield from _objects(child)


def _text_patterns(node: Any) -> None:
    for schema in _objects(node):
        if schema.get("type") == "string" and not _STRICTER.intersection(schema):
            schema["pattern"] = NOT_BLANK if schema.get("minLength", 0) > 0 else NO_NUL


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _fix_operation(
    path: str, method: str, operation: dict[str, Any], forms: dict[str, Any]
) -> None:
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
            forms[media["schema"]["$ref"].rpartition("/")[2]] = media.get("example")


def operation_id(route: APIRoute) -> str:
    """FastAPI's `generate_unique_id_function`: the route function's name, unique across the
    API (tests/test_openapi.py), so it must say its domain where the verb alone would not
    (`get_catalog_product` beside the owners' `get_product`)."""
    return route.name


SCHEMAS = "#/components/schemas/"


def _names(schema: dict[str, Any], forms: dict[str, Any]) -> None:
    """A body FastAPI assembles from several parameters, `Body_<operationId>`, is renamed
    `<OperationId>Form` (a form) or `<OperationId>Body`; a generic model, which pydantic
    names `Page_ProductOut_`, is named by its title (`ProductPage`, from
    `model_parametrized_name`)."""
    schemas = schema["components"]["schemas"]
    renamed = {}
    for name, component in list(schemas.items()):
        if name.startswith("Body_"):
            words = name.removeprefix("Body_").split("_")
            new = "".join(w.capitalize() for w in words) + ("Form" if name in forms else "Body")
        elif not name.isalnum():
            new = component.get("title", name)
        else:
            continue
        if new != name and new.isalnum() and new not in schemas:
            renamed[name] = new
            schemas[new] = {**schemas.pop(name), "title": new}
    for node in _objects(schema):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.removeprefix(SCHEMAS) in renamed:
            node["$ref"] = SCHEMAS + renamed[ref.removeprefix(SCHEMAS)]


# What a named type's component holds; the rest (title, description, default, examples,
# a parameter's own bounds) is particular to the place of use and stays there.
_COMPONENT_KEYS = ("type", "enum", "properties", "required", "additionalProperties")


def _components(node: Any, schemas: dict[str, Any]) -> None:
    """Replace each schema marked with `COMPONENT` (app/core/schemas.py) by a reference to
    the component of that name."""
    for schema in _objects(node):
        name = schema.pop(COMPONENT, None)
        if name is None:
            continue
        component = {key: schema.pop(key) for key in _COMPONENT_KEYS if key in schema}
        component["title"] = name
        if schemas.setdefault(name, component) != component:
            raise ValueError(f"two different schemas are named {name}")
        schema["$ref"] = SCHEMAS + name


def _example(node: Any) -> None:
    """OpenAPI 3.1 has `examples` (a list); openapi-python-client reads only the older
    `example`, into the docstrings of the models and attributes it generates."""
    for schema in _objects(node):
        examples = schema.get("examples")
        if isinstance(examples, list) and examples and "example" not in schema:
            schema["example"] = examples[0]


def document(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    forms: dict[str, Any] = {}  # the component of each form body: its example
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            _fix_operation(path, method, operation, forms)
            # One tag: the route's own when it names one besides its router's (a document
            # declared under /msmes/{id} is in `documents`, beside the rest of them).
            if "tags" in operation:
                operation["tags"] = operation["tags"][-1:]
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name, example in forms.items():  # a form field is sent or left out; a form has no null
        for field in schemas[name].get("properties", {}).values():
            without_null(field)
        if example is not None:  # the route's, for the schema FastAPI made of the form
            schemas[name].setdefault("examples", [example])
    _names(schema, forms)
    _components(schema["paths"], schemas)
    for component in list(schemas.values()):
        _components(component, schemas)
    _text_patterns(schema["paths"])
    _text_patterns(schemas)
    _example(schema["paths"])
    _example(schemas)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    components.setdefault("responses", {})["MethodNotAllowed"] = _problem(405)
    components["schemas"] = dict(sorted(schemas.items()))
    return schema


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
