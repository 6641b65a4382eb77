"""Settings, read once from `KURASI_` environment variables and passed in explicitly."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

from limits import parse
from pydantic import AfterValidator, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEV_SECRET_KEY = "kurasi-development-secret-key-change-me"


def _rate_limit(value: str) -> str:
    parse(value)  # raises ValueError on anything `limits` cannot read
    return value


RateLimit = Annotated[str, AfterValidator(_rate_limit)]


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class StorageBackend(StrEnum):
    local = "local"
    s3 = "s3"


def async_database_url(url: str) -> str:
    """Accept plain `postgresql://` and `sqlite:///` URLs and pick the async driver."""
    scheme, sep, rest = url.partition("://")
    base = scheme.split("+", 1)[0]
    if base in ("postgresql", "postgres"):
        return f"postgresql+psycopg{sep}{rest}"
    if base == "sqlite":
        return f"sqlite+aiosqlite{sep}{rest}"
    return url


def sync_database_url(url: str) -> str:
    """The same database through a blocking driver, for Alembic."""
    scheme, sep, rest = url.partition("://")
    base = scheme.split("+", 1)[0]
    if base in ("postgresql", "postgres"):
        return f"postgresql+psycopg{sep}{rest}"
    if base == "sqlite":
        return f"sqlite{sep}{rest}"
    return url


def libpq_database_url(url: str) -> str:
    """A PostgreSQL URL as psycopg's own connect() takes it, without SQLAlchemy's driver."""
    scheme, sep, rest = url.partition("://")
    if scheme.split("+", 1)[0] in ("postgresql", "postgres"):
        return f"postgresql{sep}{rest}"
    return url


# -- the mail server's URL -------------------------------------------------------------
# `smtp://host:port` (plain), `smtp://user:pass@host:587?starttls=true` (STARTTLS, then
# LOGIN), `smtps://user:pass@host:465` (TLS from the start). The user and password are
# percent-decoded; there is a login only when the URL has a user.

_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    tls: bool  # smtps://: TLS from the first byte
    starttls: bool
    user: str | None
    password: str | None

    def __repr__(self) -> str:  # never the password, in logs or errors
        scheme = "smtps" if self.tls else "smtp"
        return f"SmtpTarget({scheme}://{self.host}:{self.port}, starttls={self.starttls})"


def parse_smtp_url(url: str) -> SmtpTarget:
    """The server `url` names; ValueError saying what is wrong with it."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"KURASI_SMTP_URL is not a valid URL: {exc}") from None
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("KURASI_SMTP_URL must begin with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("KURASI_SMTP_URL names no host")
    if parts.path not in ("", "/"):
        raise ValueError("KURASI_SMTP_URL takes no path")
    query = {k: v[-1].lower() for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    unknown = set(query) - {"starttls"}
    if unknown:
        raise ValueError(f"KURASI_SMTP_URL: unknown parameter {sorted(unknown)[0]!r}")
    starttls = query.get("starttls", "false")
    if starttls not in _TRUE + _FALSE:
        raise ValueError("KURASI_SMTP_URL: starttls must be true or false")
    tls = parts.scheme == "smtps"
    if tls and starttls in _TRUE:
        raise ValueError("KURASI_SMTP_URL: smtps:// is TLS already; starttls is for smtp://")
    user = unquote(parts.username) if parts.username else None
    return SmtpTarget(
        host=parts.hostname,
        port=port or (465 if tls else 25),
        tls=tls,
        starttls=starttls in _TRUE,
        user=user,
        password=unquote(parts.password or "") if user else None,
    )


class Settings(BaseSettings):
    # Errors name the setting, never its value: URLs and keys may hold passwords.
    model_config = SettingsConfigDict(
        env_prefix="KURASI_", env_file=None, extra="ignore", hide_input_in_errors=True
    )

    # Deployment
    environment: Environment = Environment.development
    public_base_url: str | None = Field(
        default=None,
        description="Base URL clients reach the API at; derived from each request when unset.",
    )

    # Database
    database_url: str = "sqlite:///./var/kurasi.db"
    database_echo: bool = False
    # A database that is down or stuck answers 503 within these, instead of hanging requests.
    db_connect_timeout: int = Field(default=3, ge=1, le=60, description="seconds")
    db_statement_timeout: int = Field(default=15_000, ge=0, description="ms; 0 for none")
    db_pool_timeout: float = Field(
        default=5.0, gt=0, le=60, description="seconds a request waits for a pooled connection"
    )

    # Security
    secret_key: str = DEV_SECRET_KEY
    access_token_minutes: int = Field(default=15, ge=1, le=1440)
    refresh_token_days: int = Field(default=30, ge=1, le=365)

    # Abuse limits (app/core/ratelimit.py), in the `limits` notation: "10/minute", "50/day".
    # Counters live in Redis when `redis_url` is set (shared by every process), else in memory.
    redis_url: str | None = Field(default=None, description="e.g. redis://127.0.0.1:6379/0")
    rate_limit_prefix: str = Field(default="kurasi", min_length=1)
    login_limit_per_account: RateLimit = "10/minute"
    login_limit_per_address: RateLimit = "30/minute"
    registration_limit_per_address: RateLimit = "20/hour"
    inquiry_limit_per_buyer: RateLimit = "50/day"
    submission_limit_per_owner: RateLimit = "100/day"
    upload_limit_per_owner: RateLimit = "300/hour"

    # Storage
    storage: StorageBackend = StorageBackend.local
    storage_dir: Path = Path("./var/storage")
    upload_url_seconds: int = Field(default=900, ge=30, le=86400)
    download_url_seconds: int = Field(default=300, ge=10, le=3600)
    s3_bucket: str | None = None
    s3_region: str | None = None
    s3_endpoint_url: str | None = None
    s3_public_base_url: str | None = Field(
        default=None,
        description="Base URL of published images (a CDN); the bucket's own URL when unset.",
    )
    s3_public_acl: str = Field(
        default="public-read",
        description="ACL of published image copies; empty when a bucket policy opens public/.",
    )
    s3_connect_timeout: float = Field(default=2.0, gt=0)
    s3_read_timeout: float = Field(default=5.0, gt=0)
    s3_max_attempts: int = Field(default=2, ge=1, le=10)

    # Standards: a lab report older than this is stale (our own rule, see the standards table)
    lab_test_max_age_days: int = Field(default=365, ge=1)
    document_min_validity_days: int = Field(default=30, ge=0)

    # Origins whose browser scripts may call the API (CORS); none by default
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # Request limits
    max_json_body_bytes: int = Field(default=1_048_576, ge=1024)

    # Rendered catalog pages are kept this long (app/catalog/cache.py); 0 keeps none
    catalog_cache_seconds: float = Field(default=2.0, ge=0, le=300)

    # GET /metrics: open when unset (serve it on an internal network only); when set,
    # it answers only `Authorization: Bearer <token>`
    metrics_token: str | None = Field(default=None, min_length=16)

    # The worker that runs the handlers of outbox events (app/events/worker.py)
    run_worker: bool = Field(
        default=True, description="Run the worker inside each server process too"
    )
    worker_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    worker_lease_seconds: int = Field(default=60, ge=1, le=3600)
    worker_max_attempts: int = Field(default=12, ge=1, le=100)
    worker_retry_seconds: float = Field(default=5.0, gt=0, le=3600)

    # Email (app/mail): none is queued or sent while `smtp_url` is unset
    smtp_url: str | None = Field(
        default=None,
        description="smtp://host:port, smtp://user:pass@host:587?starttls=true, smtps://...",
    )
    mail_from: str = Field(default="Kurasi <noreply@kurasi.example>", min_length=3)
    smtp_ca_file: Path | None = Field(
        default=None, description="PEM file of the CAs that sign the server's certificate"
    )
    smtp_timeout: float = Field(default=10.0, gt=0, le=300, description="seconds")
    mail_retry_seconds: float = Field(default=30.0, gt=0, le=3600)
    mail_retry_max_seconds: float = Field(default=3600.0, gt=0, le=86400)
    mail_unreachable_retry_seconds: float = Field(default=30.0, gt=0, le=3600)
    mail_give_up_hours: float = Field(default=72.0, gt=0, le=24 * 30)
    digest_hour: int = Field(default=8, ge=0, le=23, description="local hour of the digest")
    digest_timezone: str = "Asia/Jakarta"

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origin_list(cls, value: Any) -> Any:
        """A JSON list or comma-separated origins, as an environment variable holds them."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [o.strip() for o in text.split(",") if o.strip()]
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str | None) -> str | None:
        """Read once at start-up, so a wrong URL stops the process, not a send."""
        if value is None or not value.strip():
            return None
        parse_smtp_url(value)
        return value.strip()

    @field_validator("smtp_ca_file")
    @classmethod
    def _ca_file(cls, value: Path | None) -> Path | None:
        if value is not None:
            import ssl

            try:
                ssl.create_default_context().load_verify_locations(cafile=str(value))
            except (OSError, ssl.SSLError) as exc:
                raise ValueError(f"KURASI_SMTP_CA_FILE cannot be read as PEM CAs: {exc}") from None
        return value

    @field_validator("mail_from")
    @classmethod
    def _mail_from(cls, value: str) -> str:
        from email.headerregistry import Address
        from email.utils import parseaddr

        name, address = parseaddr(value)
        if "@" not in address:
            raise ValueError("KURASI_MAIL_FROM must hold an address, e.g. Kurasi <a@b.example>")
        Address(name, addr_spec=address)  # raises on what a From header cannot carry
        return value

    @field_validator("digest_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _refuse_dev_secret_in_production(self) -> Self:
        if self.environment == Environment.production and self.secret_key == DEV_SECRET_KEY:
            raise ValueError("KURASI_SECRET_KEY must be set in production")
        if self.storage == StorageBackend.s3 and not self.s3_bucket:
            raise ValueError("KURASI_S3_BUCKET is required when KURASI_STORAGE=s3")
        return self

    @cached_property
    def async_database_url(self) -> str:
        return async_database_url(self.database_url)

    @cached_property
    def sync_database_url(self) -> str:
        return sync_database_url(self.database_url)

    @cached_property
    def libpq_database_url(self) -> str:
        return libpq_database_url(self.database_url)

    @property
    def smtp(self) -> SmtpTarget | None:
        """The mail server, or None: no mail then."""
        return parse_smtp_url(self.smtp_url) if self.smtp_url else None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def get_settings() -> Settings:
    return Settings()
