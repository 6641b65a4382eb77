"""The S3 storage backend (AWS, MinIO, R2, ... through `KURASI_S3_ENDPOINT_URL`).

One boto3 client for the process, made at start-up; every call runs in a worker
thread so the event loop never blocks. Timeouts and retries are short so that an
unreachable store answers 503 within seconds instead of hanging a request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.config import Settings
from app.core.errors import ServiceUnavailable
from app.core.storage import MAGIC_READ_BYTES, ObjectInfo, UploadTicket

T = TypeVar("T")
MISSING = frozenset({"404", "NoSuchKey", "NotFound"})
# Published product images are copied here; the bucket (or CDN) serves this prefix publicly.
PUBLIC_PREFIX = "public/"


class S3Storage:
    publishes_copies = True

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        assert settings.s3_bucket is not None
        self.bucket = settings.s3_bucket
        self.public_acl = settings.s3_public_acl
        self.public_base = (settings.s3_public_base_url or _bucket_url(settings)).rstrip("/")
        self.upload_seconds = settings.upload_url_seconds
        self.download_seconds = settings.download_url_seconds
        self.client = client or boto3.client(
            "s3",
            region_name=settings.s3_region,
            endpoint_url=settings.s3_endpoint_url,
            config=Config(
                signature_version="s3v4",
                connect_timeout=settings.s3_connect_timeout,
                read_timeout=settings.s3_read_timeout,
                retries={"max_attempts": settings.s3_max_attempts, "mode": "standard"},
                s3={"addressing_style": "path" if settings.s3_endpoint_url else "auto"},
            ),
        )

    async def _call(self, fn: Callable[[], T]) -> T:
        try:
            return await anyio.to_thread.run_sync(fn)
        except ClientError:
            raise
        except BotoCoreError as exc:  # connection refused, timeouts, no credentials
            raise ServiceUnavailable(f"The file storage is unreachable: {exc}") from exc

    async def _reachable(self) -> None:
        """A presigned URL is made locally; make sure the store answers before handing one out."""
        try:
            await self._call(lambda: self.client.head_bucket(Bucket=self.bucket))
        except ClientError as exc:
            raise ServiceUnavailable(f"The file storage refused access: {_code(exc)}") from exc

    async def ping(self) -> None:
        await self._reachable()

    async def presign_upload(
        self, key: str, content_type: str, size: int, *, base_url: str
    ) -> UploadTicket:
        await self._reachable()
        post = await self._call(
            lambda: self.client.generate_presigned_post(
                Bucket=self.bucket,
                Key=key,
                Fields={"Content-Type": content_type},
                Conditions=[
                    {"Content-Type": content_type},
                    ["content-length-range", 1, size],
                ],
                ExpiresIn=self.upload_seconds,
            )
        )
        return UploadTicket(post["url"], "POST", dict(post["fields"]), self.upload_seconds)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await self._call(
            lambda: self.client.put_object(
                Bucket=self.bucket, Key=key, Body=data, ContentType=content_type
            )
        )

    async def _if_present(self, fn: Callable[[], T]) -> T | None:
        """`fn`'s answer, or None when the object is missing."""
        try:
            return await self._call(fn)
        except ClientError as exc:
            if _code(exc) in MISSING:
                return None
            raise ServiceUnavailable(f"The file storage refused access: {_code(exc)}") from exc

    async def head(self, key: str) -> ObjectInfo | None:
        meta = await self._if_present(lambda: self.client.head_object(Bucket=self.bucket, Key=key))
        return None if meta is None else ObjectInfo(size=int(meta["ContentLength"]))

    async def read_prefix(self, key: str, length: int = MAGIC_READ_BYTES) -> bytes:
        def read() -> bytes:
            obj = self.client.get_object(Bucket=self.bucket, Key=key, Range=f"bytes=0-{length - 1}")
            return bytes(obj["Body"].read())

        return await self._call(read)

    async def read(self, key: str) -> bytes | None:
        def whole() -> bytes:
            return bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())

        return await self._if_present(whole)

    async def sha256(self, key: str) -> str:
        def digest() -> str:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
            h = hashlib.sha256()
            for chunk in iter(lambda: body.read(1 << 20), b""):
                h.update(chunk)
            return h.hexdigest()

        return await self._call(digest)

    async def delete(self, key: str) -> None:
        await self._call(lambda: self.client.delete_object(Bucket=self.bucket, Key=key))

    async def download_url(self, key: str, *, base_url: str, filename: str | None = None) -> str:
        if await self.head(key) is None:
            raise ServiceUnavailable("The file is missing from storage")
        params: dict[str, str] = {"Bucket": self.bucket, "Key": key}
        if filename:
            params["ResponseContentDisposition"] = f'attachment; filename="{_safe(filename)}"'
        return await self._call(
            lambda: self.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=self.download_seconds
            )
        )

    # -- published images: a public copy under public/, removed when unpublished -------
    def public_url(self, key: str) -> str | None:
        return f"{self.public_base}/{PUBLIC_PREFIX}{key}"

    async def make_public(self, key: str) -> None:
        extra: dict[str, Any] = {"ACL": self.public_acl} if self.public_acl else {}
        await self._call(
            lambda: self.client.copy_object(
                Bucket=self.bucket,
                Key=PUBLIC_PREFIX + key,
                CopySource={"Bucket": self.bucket, "Key": key},
                **extra,
            )
        )

    async def make_private(self, key: str) -> None:
        await self.delete(PUBLIC_PREFIX + key)


def _bucket_url(settings: Settings) -> str:
    if settings.s3_endpoint_url:
        return f"{settings.s3_endpoint_url.rstrip('/')}/{settings.s3_bucket}"
    region = settings.s3_region or "us-east-1"
    return f"https://{settings.s3_bucket}.s3.{region}.amazonaws.com"


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "unknown"))


def _safe(filename: str) -> str:
    return "".join(c for c in filename if c.isprintable() and c not in '"\\')[:200]
