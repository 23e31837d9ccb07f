"""Where a packet's bytes come from: the core reads through this protocol, never a path."""

import os
import stat
from pathlib import Path, PurePosixPath
from typing import Protocol

from pipeline.errors import DocumentError, FormError, LimitExceededError, UnsafePathError

FORM_NAME = "form.json"


class PacketSource(Protocol):
    """Read-only access to one packet: its form and the files the form names."""

    def describe(self) -> str:
        """A human-readable location for messages (a folder or bucket prefix)."""
        ...

    def read_form(self, max_bytes: int) -> bytes:
        """The raw bytes of form.json (FormError when missing or too large)."""
        ...

    def read_file(self, name: str, max_bytes: int) -> bytes:
        """The raw bytes of one named file (UnsafePathError, DocumentError, LimitExceededError)."""
        ...


def safe_relative_name(name: str) -> PurePosixPath:
    """The file name as a relative path inside the packet, or UnsafePathError."""
    if "\x00" in name:
        raise UnsafePathError(f"file name {name!r} contains a NUL byte")
    if "\\" in name:
        raise UnsafePathError(f"file name {name!r} uses a Windows separator")
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("~"):
        raise UnsafePathError(f"file name {name!r} is an absolute path")
    if any(part in ("..", "") for part in name.split("/")) or path.name in ("", "."):
        raise UnsafePathError(f"file name {name!r} leaves the packet folder")
    return path


class FolderSource:
    """A packet stored as a local folder; links and escapes are refused."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def describe(self) -> str:
        return str(self.folder)

    def read_form(self, max_bytes: int) -> bytes:
        try:
            return self._read(PurePosixPath(FORM_NAME), max_bytes)
        except (FileNotFoundError, NotADirectoryError) as e:
            raise FormError(f"{self.folder}: no {FORM_NAME}", ["form.json"]) from e
        except OSError as e:
            raise FormError(f"{self.folder}/{FORM_NAME} cannot be read: {e.strerror}") from e
        except (DocumentError, UnsafePathError) as e:
            raise FormError(f"{self.folder}/{FORM_NAME}: {e.message}", ["form.json"]) from e

    def read_file(self, name: str, max_bytes: int) -> bytes:
        try:
            return self._read(safe_relative_name(name), max_bytes)
        except (FileNotFoundError, NotADirectoryError) as e:
            raise DocumentError(f"file {name!r} is not in the packet") from e
        except OSError as e:
            raise DocumentError(f"file {name!r} cannot be read: {e.strerror}") from e

    def _read(self, relative: PurePosixPath, max_bytes: int) -> bytes:
        current = self.folder
        for part in relative.parts:
            current = current / part
            if current.is_symlink():
                raise UnsafePathError(f"{relative} is a symbolic link; links are not followed")
        _require_regular_file(os.lstat(current), str(relative))
        return read_regular_file(current, max_bytes, str(relative))


def read_regular_file(path: Path, max_bytes: int, name: str) -> bytes:
    """A plain file's bytes, at most max_bytes: opened without following a link or blocking
    on a FIFO swapped in after any check, its type and size checked on the open file (OSError
    when it cannot be opened, DocumentError when not a plain file, LimitExceededError)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        _require_regular_file(os.fstat(fd), name)  # before fdopen, which refuses a folder
    except DocumentError:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if info.st_size > max_bytes:
            raise LimitExceededError(f"{name} is {info.st_size} bytes; the limit is {max_bytes}")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise LimitExceededError(f"{name} is over the limit of {max_bytes} bytes")
    return data


def _require_regular_file(info: os.stat_result, name: str) -> None:
    """DocumentError for folders, FIFOs, devices and sockets: only plain files are read."""
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError(f"{name} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(f"{name} is not a regular file (a FIFO, device or socket)")
