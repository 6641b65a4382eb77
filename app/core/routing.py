"""Routes that commit the request's session before the response is sent."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

SESSION_STATE_KEY = "db_session"


class DocumentedRoute(APIRoute):
    """A route whose OpenAPI summary is its docstring's first paragraph and whose
    description is the rest, unless it sets them itself."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        doc = inspect.cleandoc(endpoint.__doc__ or "")
        summary, _, rest = doc.partition("\n\n")
        kwargs["summary"] = kwargs.get("summary") or " ".join(summary.split()) or None
        kwargs["description"] = kwargs.get("description") or rest.strip() or None
        super().__init__(path, endpoint, **kwargs)


class TransactionalRoute(DocumentedRoute):
    """Commit once per request, after the endpoint returned and before the response goes out.

    A commit in a `yield` dependency would run after the response was sent (FastAPI
    >= 0.118), so a failed commit could follow a 2xx. Services flush; only this commits.
    An endpoint that raises never reaches the commit: the session closes and rolls back.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            response = await handler(request)
            session: AsyncSession | None = getattr(request.state, SESSION_STATE_KEY, None)
            if session is not None and response.status_code < 400:
                await session.commit()
            return response

        return route_handler


def router(**kwargs: Any) -> APIRouter:
    return APIRouter(route_class=TransactionalRoute, **kwargs)
