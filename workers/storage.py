"""Object storage behind one small protocol: MinIO in production, a folder or memory locally."""

import re
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Protocol

from pydantic import BaseModel, Field

from pipeline.errors import BadInputError, LimitExceededError, NotFoundError
from workers.settings import ServiceSettings

METADATA_KEY_PATTERN = r"[a-z0-9][a-z0-9-]{0,63}"


class ObjectInfo(BaseModel):
    """What a stat says about one object; metadata keys are lower case, without x-amz-meta-."""

    key: str
    size: int = Field(ge=0)
    content_type: str
    metadata: dict[str, str] = Field(default_factory=dict)
    last_modified: datetime | None = None


class Storage(Protocol):
    """One bucket of objects addressed by key (errors: NotFoundError, StorageError)."""

    def describe(self) -> str:
        """Where the objects live, for messages (no credentials)."""
        ...

    def get(self, key: str, max_bytes: int) -> bytes:
        """The object's bytes (LimitExceededError when larger than max_bytes)."""
        ...

    def stream(self, key: str, chunk_bytes: int) -> Iterator[bytes]:
        """The object's bytes in chunks of at most chunk_bytes (NotFoundError on first next())."""
        ...

    def put(
        self, key: str, data: bytes, content_type: str, metadata: Mapping[str, str] | None = None
    ) -> None:
        """Store the whole object at once, replacing any previous one."""
        ...

    def stat(self, key: str) -> ObjectInfo:
        """Size, content type and metadata of one object."""
        ...

    def list_keys(self, prefix: str) -> Iterator[str]:
        """Every key that starts with prefix, in key order."""
        ...

    def list_folders(self, prefix: str, start_after: str = "") -> Iterator[str]:
        """The folders one level under prefix (each ending in '/'), in key order, after start_after.

        On S3 this is a delimiter listing: one entry per folder, a thousand to a page.
        """
        ...

    def presigned_url(self, key: str, expires_seconds: int) -> str:
        """A URL that lets a browser GET the object without credentials for a while."""
        ...


def check_metadata(metadata: Mapping[str, str] | None) -> dict[str, str]:
    """Metadata with lower-case keys, or BadInputError for what S3 cannot carry."""
    checked: dict[str, str] = {}
    for key, value in (metadata or {}).items():
        if not re.fullmatch(METADATA_KEY_PATTERN, key.lower()):
            raise BadInputError(f"metadata key {key!r} must match {METADATA_KEY_PATTERN}")
        if not value.isascii() or not value.isprintable():
            raise BadInputError(f"metadata {key!r} must be printable ASCII")
        checked[key.lower()] = value
    return checked


def check_size(key: str, size: int, max_bytes: int) -> None:
    """LimitExceededError when an object is larger than the caller accepts."""
    if size > max_bytes:
        raise LimitExceededError(f"{key} is {size} bytes; the limit is {max_bytes}")


class _MemoryObject(BaseModel):
    data: bytes
    info: ObjectInfo


class MemoryStorage:
    """Objects in a dict: the in-memory stand-in for unit tests."""

    def __init__(self, name: str = "memory") -> None:
        self.name = name
        self._objects: dict[str, _MemoryObject] = {}
        self._lock = threading.Lock()

    def describe(self) -> str:
        return f"memory://{self.name}"

    def get(self, key: str, max_bytes: int) -> bytes:
        stored = self._find(key)
        check_size(key, stored.info.size, max_bytes)
        return stored.data

    def stream(self, key: str, chunk_bytes: int) -> Iterator[bytes]:
        data = self._find(key).data
        for start in range(0, len(data), chunk_bytes):
            yield data[start : start + chunk_bytes]

    def put(
        self, key: str, data: bytes, content_type: str, metadata: Mapping[str, str] | None = None
    ) -> None:
        info = ObjectInfo(
            key=key,
            size=len(data),
            content_type=content_type,
            metadata=check_metadata(metadata),
            last_modified=datetime.now(UTC),
        )
        with self._lock:
            self._objects[key] = _MemoryObject(data=bytes(data), info=info)

    def stat(self, key: str) -> ObjectInfo:
        return self._find(key).info.model_copy(deep=True)

    def list_keys(self, prefix: str) -> Iterator[str]:
        with self._lock:
            keys = sorted(key for key in self._objects if key.startswith(prefix))
        yield from keys

    def list_folders(self, prefix: str, start_after: str = "") -> Iterator[str]:
        yield from folders_of_keys(self.list_keys(prefix), prefix, start_after)

    def presigned_url(self, key: str, expires_seconds: int) -> str:
        self._find(key)
        return f"memory://{self.name}/{key}?expires={expires_seconds}"

    def _find(self, key: str) -> _MemoryObject:
        with self._lock:
            stored = self._objects.get(key)
        if stored is None:
            raise NotFoundError(f"no object {key} in {self.describe()}")
        return stored


def folders_of_keys(keys: Iterator[str], prefix: str, start_after: str = "") -> Iterator[str]:
    """The distinct folders one level under prefix among sorted keys, after start_after."""
    last = ""
    for key in keys:
        rest = key[len(prefix) :]
        if "/" not in rest:
            continue
        folder = prefix + rest.split("/", 1)[0] + "/"
        if folder != last and folder > start_after:
            yield folder
        last = folder


def open_storage(settings: ServiceSettings) -> Storage:
    """MinIO when FILINGCHECK_S3_ENDPOINT is set, else the local folder of the bucket."""
    if settings.s3_endpoint:
        from workers.minio_store import MinioStorage

        return MinioStorage.from_settings(settings)
    from workers.local_store import LocalStorage

    return LocalStorage(settings.local_root / settings.bucket)
