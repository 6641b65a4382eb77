"""The application factory: settings in, a FastAPI app with its engine and storage out."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from opentelemetry import _logs, metrics, trace
from starlette.types import ASGIApp

from app.api import api_router
from app.catalog.cache import CATALOG, CachedCatalog, PageCache
from app.catalog.invalidation import listening
from app.config import Settings, get_settings
from app.core.db import create_engine, create_sessionmaker
from app.core.errors import install_error_handlers
from app.core.headers import ProblemCORS, SecurityHeaders
from app.core.methods import MethodGuard
from app.core.middleware import JsonBodyGuard
from app.core.observe import REQUEST_ID, Observe, RequestMetrics
from app.core.openapi import install_openapi, operation_id
from app.core.ratelimit import Limits
from app.core.storage import create_storage
from app.events.outbox import EVENTS
from app.events.worker import WorkerContext
from app.health import router as health_router
from app.metrics import router as metrics_router
from app.pages.router import router as pages_router

DESCRIPTION = """
Kurasi curates products of Indonesian MSMEs for the Japanese market: owners register
products with their documents, curators review them against export standards, and
approved products are published to the catalog of the Indonesian MSME center in Tokyo
and of export exhibitions at the Jakarta Convention Center.

Errors are `application/problem+json` (RFC 9457). Lists are paginated by cursor.
"""


# Headers a browser script may send and read when CORS lets its origin call the API.
CORS_REQUEST_HEADERS = ["Authorization", "Content-Type", "If-Match", "Idempotency-Key"]
CORS_RESPONSE_HEADERS = [
    "ETag",
    "Location",
    "Retry-After",
    "RateLimit",
    "RateLimit-Policy",
    REQUEST_ID,
]


# OpenTelemetry's placeholders for providers nobody has set.
_UNSET_PROVIDERS = {
    ("opentelemetry.trace", "ProxyTracerProvider"),
    ("opentelemetry.metrics._internal", "_ProxyMeterProvider"),
    ("opentelemetry._logs._internal", "ProxyLoggerProvider"),
}


def telemetry() -> TelemetryConfig | None:
    """FastAPI's OpenTelemetry bridge, kept when OpenTelemetry is set up as the app is made
    (a global provider set, or FASTAPI_OTEL_AUTO_CONFIGURE); off otherwise. It asks the
    three global providers on every request whether one has been set since, a tenth of a
    cached catalog page's time in the app, and Kurasi's own metrics and log lines do not
    use it."""
    if os.environ.get("FASTAPI_OTEL_AUTO_CONFIGURE", "").lower() == "true":
        return None
    providers = (
        trace.get_tracer_provider(),
        metrics.get_meter_provider(),
        _logs.get_logger_provider(),
    )
    if any((type(p).__module__, type(p).__name__) not in _UNSET_PROVIDERS for p in providers):
        return None
    return {"tracing": False, "metrics": False, "logs": False}


class KurasiAPI(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # Outside Starlette's error middleware too, so that even a 500 carries them, and
        # is counted and logged with its request id.
        stack = SecurityHeaders(super().build_middleware_stack())
        return Observe(stack, self.state.request_metrics)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings)
        # Set after a commit that recorded events, for a worker running in this process.
        app.state.events_waiting = asyncio.Event()
        app.state.page_cache = PageCache(settings.catalog_cache_seconds)

        def on_commit(signals: set[str]) -> None:
            if EVENTS in signals:
                app.state.events_waiting.set()
            if CATALOG in signals:
                app.state.page_cache.clear()

        app.state.engine = engine
        app.state.sessionmaker = create_sessionmaker(engine, on_commit)
        # Reads a request runs beside its own session (the catalog's facet counts), from
        # a pool of their own: a request holding a connection of the main pool then
        # never waits on a pool that requests like it could have drained.
        side = None if settings.is_sqlite else create_engine(settings, pool_size=4, overflow=4)
        app.state.side_sessions = create_sessionmaker(side) if side is not None else None
        app.state.storage = create_storage(settings)
        stop = asyncio.Event()
        worker = None
        if settings.run_worker:
            from app.handlers import run_background

            context = WorkerContext(app.state.sessionmaker, app.state.storage, settings)
            worker = asyncio.ensure_future(run_background(context, stop, app.state.events_waiting))
        # What start-up made lives as long as the app: kept out of the collector's full
        # passes, which otherwise walk it every few dozen requests (60-90 ms pauses seen
        # under catalog load, a tenth of that once frozen).
        gc.collect()
        gc.freeze()
        try:
            # Other processes' catalog changes drop this one's pages too (PostgreSQL).
            async with listening(settings, app.state.page_cache):
                yield
        finally:
            gc.unfreeze()
            stop.set()
            if worker is not None:
                await worker
            await engine.dispose()
            if side is not None:
                await side.dispose()

    app = KurasiAPI(
        title="Kurasi",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url="/docs",
        generate_unique_id_function=operation_id,
        telemetry=telemetry(),
    )
    app.state.settings = settings
    app.state.limits = Limits.from_settings(settings)
    app.state.request_metrics = RequestMetrics()
    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(JsonBodyGuard, max_bytes=settings.max_json_body_bytes)
    app.add_middleware(CachedCatalog)
    app.add_middleware(MethodGuard, fastapi_app=app)
    if settings.cors_origins:
        app.add_middleware(
            ProblemCORS,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_RESPONSE_HEADERS,
            max_age=600,
        )
    app.include_router(api_router)
    app.include_router(health_router)
    app.include_router(metrics_router)
    app.include_router(pages_router)
    return app
