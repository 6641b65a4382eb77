"""Object storage behind one interface: the local folder (embedded default) or S3.

Uploads follow the shape of an S3 presigned POST whatever the backend: the client
sends `multipart/form-data` to `url` with every pair of `fields` and then `file`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urlencode

import anyio

from app.config import Settings, StorageBackend

MAGIC_READ_BYTES = 16


@dataclass(frozen=True)
class UploadTicket:
    url: str
    method: str
    fields: dict[str, str]
    expires_in: int


@dataclass(frozen=True)
class ObjectInfo:
    size: int


class Storage(Protocol):
    # True when published images are public copies in the store (S3), False when the
    # API itself serves them (local).
    publishes_copies: bool
    # How long an upload's signed fields last.
    upload_seconds: int

    async def presign_upload(
        self, key: str, content_type: str, size: int, *, base_url: str
    ) -> UploadTicket: ...

    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def head(self, key: str) -> ObjectInfo | None: ...

    async def read_prefix(self, key: str, length: int = MAGIC_READ_BYTES) -> bytes: ...

    async def read(self, key: str) -> bytes | None:
        """The whole object, or None when there is none. For objects whose size an
        upload's check bounded (an image is at most 10 MiB)."""
        ...

    async def sha256(self, key: str) -> str: ...

    async def delete(self, key: str) -> None: ...

    async def download_url(
        self, key: str, *, base_url: str, filename: str | None = None
    ) -> str: ...

    def public_url(self, key: str) -> str | None:
        """Where a published object can be fetched by anyone; None when the API serves it."""
        ...

    async def make_public(self, key: str) -> None: ...

    async def make_private(self, key: str) -> None: ...

    async def ping(self) -> None:
        """Return when the store answers (for /readyz); raise when it does not."""
        ...


class StorageUnavailable(Exception):
    """The store did not answer a health check."""


class InvalidUpload(Exception):
    """A local upload whose signed fields do not hold (bad signature, expired, other key)."""


@dataclass(frozen=True)
class UploadPolicy:
    key: str
    content_type: str
    max_size: int
    expires: int


class LocalStorage:
    """Files in a folder, uploads and downloads through signed URLs served by this API."""

    publishes_copies = False

    def __init__(self, root: Path, secret: str, upload_seconds: int, download_seconds: int):
        self.root = root.resolve()
        self._secret = secret.encode()
        self.upload_seconds = upload_seconds
        self.download_seconds = download_seconds

    # -- signing ---------------------------------------------------------------
    def _sign(self, message: str) -> str:
        digest = hmac.new(self._secret, b"storage:" + message.encode(), hashlib.sha256)
        return digest.hexdigest()

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise InvalidUpload("key outside the storage folder")
        return path

    async def presign_upload(
        self, key: str, content_type: str, size: int, *, base_url: str
    ) -> UploadTicket:
        expires = int(time.time()) + self.upload_seconds
        policy = {"key": key, "content_type": content_type, "max_size": size, "expires": expires}
        encoded = base64.urlsafe_b64encode(json.dumps(policy, sort_keys=True).encode()).decode()
        fields = {
            "key": key,
            "Content-Type": content_type,
            "policy": encoded,
            "signature": self._sign(encoded),
        }
        return UploadTicket(
            f"{base_url}/api/v1/storage/uploads", "POST", fields, self.upload_seconds
        )

    def check_upload(self, fields: dict[str, str]) -> UploadPolicy:
        """The policy that signed form fields grant; InvalidUpload when they do not hold."""
        encoded = fields.get("policy", "")
        if not _same(fields.get("signature", ""), self._sign(encoded)):
            raise InvalidUpload("the upload signature is not valid")
        try:
            raw = json.loads(base64.urlsafe_b64decode(encoded))
            policy = UploadPolicy(
                str(raw["key"]), str(raw["content_type"]), int(raw["max_size"]), int(raw["expires"])
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidUpload("the upload policy is not valid") from exc
        if policy.expires < time.time():
            raise InvalidUpload("the upload URL has expired")
        if fields.get("key") != policy.key:
            raise InvalidUpload("the key does not match the policy")
        return policy

    # -- objects ---------------------------------------------------------------
    async def put(self, key: str, data: bytes, content_type: str) -> None:
        def write() -> None:
            target = self.path(key)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

        await anyio.to_thread.run_sync(write)

    async def head(self, key: str) -> ObjectInfo | None:
        def stat() -> ObjectInfo | None:
            try:
                return ObjectInfo(size=self.path(key).stat().st_size)
            except FileNotFoundError:
                return None

        return await anyio.to_thread.run_sync(stat)

    async def read_prefix(self, key: str, length: int = MAGIC_READ_BYTES) -> bytes:
        def read() -> bytes:
            with self.path(key).open("rb") as fh:
                return fh.read(length)

        return await anyio.to_thread.run_sync(read)

    async def read(self, key: str) -> bytes | None:
        def whole() -> bytes | None:
            try:
                return self.path(key).read_bytes()
            except FileNotFoundError:
                return None

        return await anyio.to_thread.run_sync(whole)

    async def sha256(self, key: str) -> str:
        def digest() -> str:
            h = hashlib.sha256()
            with self.path(key).open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            return h.hexdigest()

        return await anyio.to_thread.run_sync(digest)

    async def delete(self, key: str) -> None:
        def remove() -> None:
            self.path(key).unlink(missing_ok=True)

        await anyio.to_thread.run_sync(remove)

    def write_from(self, key: str, source_path: str) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source_path, target)

    async def download_url(self, key: str, *, base_url: str, filename: str | None = None) -> str:
        expires = int(time.time()) + self.download_seconds
        signature = self._sign(f"get:{key}:{expires}")
        query = urlencode({"expires": expires, "signature": signature})
        return f"{base_url}/api/v1/storage/files/{quote(key)}?{query}"

    def public_url(self, key: str) -> str | None:
        return None  # the catalog's own image route serves published images

    async def make_public(self, key: str) -> None:
        return None

    async def make_private(self, key: str) -> None:
        return None

    async def ping(self) -> None:
        def writable() -> None:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageUnavailable("the storage folder cannot be made") from exc
            if not os.access(self.root, os.W_OK | os.X_OK):
                raise StorageUnavailable("the storage folder is not writable")

        await anyio.to_thread.run_sync(writable)

    def check_download(self, key: str, expires: int, signature: str) -> bool:
        valid = _same(signature, self._sign(f"get:{key}:{expires}"))
        return valid and expires >= time.time()


def _same(given: str, expected: str) -> bool:
    """A constant-time comparison of what a client sent (any text) with a signature."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode())


def sniff_content_type(prefix: bytes) -> str | None:
    """The media type the first bytes of a file prove, for the types Kurasi accepts."""
    if prefix.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if prefix.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if prefix[:4] == b"RIFF" and prefix[8:12] == b"WEBP":
        return "image/webp"
    if prefix.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def create_storage(settings: Settings) -> Storage:
    if settings.storage == StorageBackend.local:
        return LocalStorage(
            settings.storage_dir,
            settings.secret_key,
            settings.upload_url_seconds,
            settings.download_url_seconds,
        )
    from app.core.s3 import S3Storage

    return S3Storage(settings)


class StoredObjectMismatch(Exception):
    """What arrived in storage is not what the upload declared."""


async def verify_stored_object(storage: Storage, key: str, size: int, content_type: str) -> None:
    """Check that an object arrived with the declared size and type; delete it if not.

    Some S3-compatible stores accept POSTs without enforcing the policy, so this is
    the check that counts, whatever the backend.
    """
    info = await storage.head(key)
    if info is None:
        raise StoredObjectMismatch("no file has been uploaded yet")
    problem = None
    if info.size != size:
        problem = f"the file has {info.size} bytes, not the declared {size}"
    else:
        sniffed = sniff_content_type(await storage.read_prefix(key))
        if sniffed != content_type:
            problem = f"the file is not {content_type}" + (f" but {sniffed}" if sniffed else "")
    if problem is not None:
        await storage.delete(key)
        raise StoredObjectMismatch(f"{problem}; upload it again")
