"""Run a risky parser in a forked child: killed at a time limit, capped in memory.

The child is a copy-on-write twin of the caller (every module already imported, so it
starts in milliseconds). Its address space may grow by at most `memory_mb` (RLIMIT_AS over
what it inherited). It sends back its result or its exception through a pipe — pickled,
large buffers such as numpy images out of band so neither side copies them — and exits
with os._exit (no atexit handler, no buffered output of the parent is written twice).
"""

import contextlib
import faulthandler
import io
import os
import pickle
import resource
import select
import signal
import struct
import time
import traceback
from collections.abc import Callable
from typing import NoReturn, TypeVar, cast

from pipeline.errors import DocumentError, FilingCheckError, LimitExceededError

T = TypeVar("T")

_COUNT = struct.Struct("<Q")  # sizes are sent as little-endian 64-bit counts
_CHUNK = 1 << 20


class ChildCrashError(RuntimeError):
    """The child raised an exception that could not be sent back as itself."""


def run_forked(work: Callable[[], T], seconds: float, memory_mb: int, what: str) -> T:
    """work() run in a forked child; LimitExceededError past `seconds` or over `memory_mb`,
    DocumentError when the child dies without an answer, the child's own exception re-raised.
    `what` names the input in messages ("the PDF")."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        _child(work, writer, memory_mb, what)
    os.close(writer)
    reaped = False
    try:
        with os.fdopen(reader, "rb", buffering=0) as pipe:
            parts = _receive(pipe, time.monotonic() + seconds)
        if parts is None:
            raise LimitExceededError(
                f"reading {what} took longer than {seconds:g} s and was stopped "
                "(a damaged or adversarial file?)"
            )
        _, status = os.waitpid(pid, 0)
        reaped = True
        if not parts:
            raise DocumentError(f"{what} cannot be read: {_death(status, memory_mb)}")
        kind, value = pickle.loads(parts[0], buffers=parts[1:])
        if kind == "error":
            raise value
        return cast(T, value)
    finally:
        if not reaped:
            _kill(pid)


def _child(work: Callable[[], object], writer: int, memory_mb: int, what: str) -> NoReturn:
    """Reset signals, cap memory, run the work, send (kind, value), exit at once."""
    code = 0
    try:
        for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        faulthandler.disable()  # a crash is reported by the parent, not dumped to stderr
        _cap_memory(memory_mb)
        over = LimitExceededError(f"reading {what} needs more than {memory_mb} MB of memory")
        try:
            message: tuple[str, object] = ("value", work())
        except MemoryError:
            message = ("error", over)
        except BaseException as error:  # every outcome is sent to the parent
            message = ("error", _sendable(error))
        with os.fdopen(writer, "wb", buffering=0) as pipe:
            try:
                parts = _pickled(message)
            except MemoryError:
                parts = _pickled(("error", over))
            _send(pipe, parts)
    except BaseException:
        code = 1  # the parent sees no answer, and this exit code
    finally:
        os._exit(code)


def _pickled(message: object) -> list[memoryview]:
    """The pickle and its out-of-band buffers (numpy arrays are not copied)."""
    buffers: list[pickle.PickleBuffer] = []
    data = pickle.dumps(message, protocol=5, buffer_callback=buffers.append)
    return [memoryview(data), *(buffer.raw() for buffer in buffers)]


def _send(pipe: io.FileIO, parts: list[memoryview]) -> None:
    """How many parts, each part's size, then the parts."""
    sizes = [part.nbytes for part in parts]
    pipe.write(b"".join(_COUNT.pack(value) for value in [len(parts), *sizes]))
    for part in parts:
        done = 0
        while done < part.nbytes:
            done += pipe.write(part[done:]) or 0


def _sendable(error: BaseException) -> BaseException:
    """The exception itself when it survives pickling, else a ChildCrashError describing it;
    an unexpected one with the child's traceback attached as a note."""
    try:
        copy = pickle.loads(pickle.dumps(error))
    except Exception:
        copy = None
    if not isinstance(copy, BaseException):
        copy = ChildCrashError(f"{type(error).__name__}: {error}")
    if not isinstance(error, FilingCheckError):
        detail = "".join(traceback.format_exception(error))[-4000:]
        copy.add_note(f"in the forked child:\n{detail}")
    return copy


def _cap_memory(memory_mb: int) -> None:
    """Let the address space grow by at most memory_mb over what the child inherited."""
    limit = _vm_size_bytes() + memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _vm_size_bytes() -> int:
    """This process's virtual memory size (VmSize)."""
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name == "VmSize":
                return int(value.split()[0]) * 1024
    raise RuntimeError("VmSize not in /proc/self/status")


def _receive(pipe: io.FileIO, deadline: float) -> list[bytearray] | None:
    """The child's parts ([] when it sent no complete answer), or None at the deadline."""
    head = _read(pipe, _COUNT.size, deadline)
    if head is None or len(head) < _COUNT.size:
        return None if head is None else []
    count = _COUNT.unpack(head)[0]
    sizes = _read(pipe, _COUNT.size * count, deadline)
    if sizes is None or len(sizes) < _COUNT.size * count:
        return None if sizes is None else []
    parts = []
    for (size,) in _COUNT.iter_unpack(sizes):
        part = _read(pipe, size, deadline)
        if part is None or len(part) < size:
            return None if part is None else []
        parts.append(part)
    return parts


def _read(pipe: io.FileIO, size: int, deadline: float) -> bytearray | None:
    """Exactly size bytes (fewer at end of file), or None when the deadline passes first."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    done = 0
    while done < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([pipe], [], [], remaining)[0]:
            return None
        count = pipe.readinto(view[done : done + _CHUNK])
        if not count:
            break
        done += count
    view.release()
    return buffer if done == size else buffer[:done]


def _death(status: int, memory_mb: int) -> str:
    """How the child ended without an answer, for the reviewer."""
    if os.WIFSIGNALED(status):
        cause = f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    else:
        cause = f"exit code {os.waitstatus_to_exitcode(status)}"
    return (
        f"its reader stopped with {cause} (the file is damaged, or reading it needs more "
        f"than {memory_mb} MB of memory)"
    )


def _kill(pid: int) -> None:
    """Kill a child that is still running and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
