"""The bucket layout in a local folder: the embedded default when no S3 endpoint is set."""

import json
import mimetypes
import os
import stat
import tempfile
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from pipeline.errors import (
    BadInputError,
    DocumentError,
    LimitExceededError,
    NotFoundError,
    StorageError,
)
from pipeline.sources import read_regular_file, safe_relative_name
from workers.storage import ObjectInfo, check_metadata

SIDECAR_DIR = ".filingcheck-meta"


class LocalStorage:
    """Objects as files under root; content type and metadata in a sidecar tree."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def describe(self) -> str:
        return str(self.root)

    def get(self, key: str, max_bytes: int) -> bytes:
        try:
            return read_regular_file(self._path(key), max_bytes, key)
        except FileNotFoundError as e:
            raise NotFoundError(f"no object {key} in {self.root}") from e
        except DocumentError as e:
            if isinstance(e, LimitExceededError):
                raise
            raise NotFoundError(f"{key} in {self.root} is not a file") from e
        except OSError as e:
            raise StorageError(f"cannot read {key} in {self.root}: {e.strerror}") from e

    def stream(self, key: str, chunk_bytes: int) -> Iterator[bytes]:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self._path(key), flags)
        except FileNotFoundError as e:
            raise NotFoundError(f"no object {key} in {self.root}") from e
        except OSError as e:
            raise StorageError(f"cannot read {key} in {self.root}: {e.strerror}") from e
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise NotFoundError(f"{key} in {self.root} is not a file")
            while chunk := handle.read(chunk_bytes):
                yield chunk

    def put(
        self, key: str, data: bytes, content_type: str, metadata: Mapping[str, str] | None = None
    ) -> None:
        sidecar = {"content_type": content_type, "metadata": check_metadata(metadata)}
        try:
            _write_atomically(self._path(key), data)
            _write_atomically(self._sidecar_path(key), json.dumps(sidecar).encode())
        except OSError as e:
            raise StorageError(f"cannot write {key} in {self.root}: {e.strerror}") from e

    def stat(self, key: str) -> ObjectInfo:
        path = self._path(key)
        try:
            info = path.lstat()
        except FileNotFoundError as e:
            raise NotFoundError(f"no object {key} in {self.root}") from e
        if not stat.S_ISREG(info.st_mode):
            raise NotFoundError(f"{key} in {self.root} is not a file")
        content_type, metadata = self._read_sidecar(key)
        modified = datetime.fromtimestamp(info.st_mtime, UTC)
        return ObjectInfo(
            key=key,
            size=info.st_size,
            content_type=content_type,
            metadata=metadata,
            last_modified=modified,
        )

    def list_keys(self, prefix: str) -> Iterator[str]:
        start = self.root / prefix.rsplit("/", 1)[0] if "/" in prefix else self.root
        keys: list[str] = []
        for folder, subfolders, files in os.walk(start):
            subfolders[:] = [name for name in subfolders if name != SIDECAR_DIR]
            relative = Path(folder).relative_to(self.root).as_posix()
            for name in files:
                key = name if relative == "." else f"{relative}/{name}"
                if key.startswith(prefix) and not name.startswith(".tmp-"):
                    keys.append(key)
        yield from sorted(keys)

    def list_folders(self, prefix: str, start_after: str = "") -> Iterator[str]:
        parent, _, start = prefix.rpartition("/")
        folder = self.root / parent if parent else self.root
        try:
            names = sorted(
                entry.name for entry in os.scandir(folder) if entry.is_dir(follow_symlinks=False)
            )
        except FileNotFoundError:
            return
        except OSError as e:
            raise StorageError(f"cannot list {prefix} in {self.root}: {e.strerror}") from e
        base = f"{parent}/" if parent else ""
        for name in names:
            key = f"{base}{name}/"
            if name.startswith(start) and name != SIDECAR_DIR and key > start_after:
                yield key

    def presigned_url(self, key: str, expires_seconds: int) -> str:
        self.stat(key)
        return self._path(key).resolve().as_uri()

    def _path(self, key: str) -> Path:
        relative = _checked_key(key)
        path = self.root
        for part in relative.parts[:-1]:
            path = path / part
            if path.is_symlink():
                raise BadInputError(f"{key}: {path} is a symbolic link; links are not followed")
        return path / relative.parts[-1]

    def _sidecar_path(self, key: str) -> Path:
        return self.root / SIDECAR_DIR / f"{_checked_key(key)}.json"

    def _read_sidecar(self, key: str) -> tuple[str, dict[str, str]]:
        guessed = mimetypes.guess_type(key)[0] or "application/octet-stream"
        try:
            sidecar = json.loads(self._sidecar_path(key).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return guessed, {}
        except (OSError, ValueError) as e:
            raise StorageError(f"cannot read the metadata of {key} in {self.root}: {e}") from e
        return str(sidecar.get("content_type") or guessed), dict(sidecar.get("metadata") or {})


def _checked_key(key: str) -> PurePosixPath:
    """The key as a relative path, refusing escapes and the sidecar tree."""
    relative = safe_relative_name(key)
    if relative.parts[0] == SIDECAR_DIR:
        raise BadInputError(f"object key {key!r} is reserved for metadata")
    return relative


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then rename it over path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
