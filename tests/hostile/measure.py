"""Run one case in a forked child: wall time, peak memory growth, and a hard time-out.

Method (cases in-process): the test process forks; the child (a copy-on-write twin with
every module already imported, so no import cost) records its resident set size (VmRSS),
runs the case, and reports its peak resident set size (VmHWM, which starts afresh in a
forked child) back through a pipe with the case's result. Peak growth = VmHWM - VmRSS at
the start: the memory the case itself made resident (C allocations of PIL, OpenCV, pdfium
included, which tracemalloc would miss). A child still running at the time-out is killed
(SIGKILL) and its peak read from wait4's rusage (ru_maxrss). A crash (a signal) is
reported, not raised.

Method (the CLI): `filingcheck` runs as a subprocess of the small launcher `launch.py` (a
child forked straight from this process would be charged with this process's resident
pages); its wall time and its own peak RSS (ru_maxrss from wait4 in the launcher: the whole
process, interpreter and imports included) are compared with CLI_SECONDS and CLI_MAX_RSS_MB.
"""

import os
import pickle
import select
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

# Budgets every hostile case must stay inside (far below the product's own limits:
# settings.document_seconds is 30 s; a worker is recycled past 3 000 MB).
CASE_SECONDS = 5.0
# A whole `filingcheck` process (interpreter start and imports included) on a hostile packet.
CLI_SECONDS = 10.0
CLI_MAX_RSS_MB = 600.0
CASE_GROWTH_MB = 200.0
KILL_AFTER_SECONDS = CASE_SECONDS + 1.0
LAUNCHER = Path(__file__).with_name("launch.py")


@dataclass(frozen=True)
class Raised:
    """An exception the case raised, reduced to what tests compare."""

    type_name: str
    message: str
    fields: tuple[str, ...] = ()
    exit_code: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class Measured(Generic[T]):
    """A case's outcome: its value or the exception it raised, time and peak memory growth."""

    value: T | None
    raised: Raised | None
    seconds: float
    peak_growth_mb: float
    timed_out: bool = False
    signal: int | None = None


def run_measured(case: Callable[[], T], kill_after: float = KILL_AFTER_SECONDS) -> Measured[T]:
    """Run the case in a forked child and measure it; killed after kill_after seconds."""
    reader, writer = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        _child(case, writer)
    os.close(writer)
    payload, timed_out = _read_until(reader, started + kill_after)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    if payload is None:
        killed = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        return Measured(None, None, seconds, usage.ru_maxrss / 1024, timed_out, killed)
    value, raised, child_seconds, growth_mb = pickle.loads(payload)
    return Measured(value, raised, child_seconds, growth_mb)


def _child(case: Callable[[], object], writer: int) -> None:
    """Run the case, send (value, raised, seconds, growth) to the parent, exit at once."""
    code = 0
    try:
        baseline = _status_kb("VmRSS")
        started = time.perf_counter()
        value: object = None
        raised: Raised | None = None
        try:
            value = case()
        except BaseException as error:  # every outcome is data here
            raised = _reduce(error)
        seconds = time.perf_counter() - started
        growth_mb = (_status_kb("VmHWM") - baseline) / 1024
        with os.fdopen(writer, "wb") as pipe:
            pickle.dump((value, raised, seconds, growth_mb), pipe)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _reduce(error: BaseException) -> Raised:
    """An exception as plain data (FilingCheckError's message, fields and exit code kept)."""
    message = getattr(error, "message", None) or str(error)
    fields = tuple(getattr(error, "fields", ()) or ())
    detail = "".join(traceback.format_exception(error))[-3000:]
    return Raised(type(error).__name__, message, fields, getattr(error, "exit_code", None), detail)


def _read_until(reader: int, deadline: float) -> tuple[bytes | None, bool]:
    """Everything the child writes, or (None, True) when the deadline passes first."""
    chunks = []
    with os.fdopen(reader, "rb", buffering=0) as pipe:
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None, True
            ready, _, _ = select.select([pipe], [], [], remaining)
            if not ready:
                return None, True
            chunk = pipe.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    return (b"".join(chunks) or None), False


def _status_kb(key: str) -> int:
    """A value in kB from /proc/self/status (VmRSS, VmHWM)."""
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name == key:
                return int(value.split()[0])
    raise RuntimeError(f"{key} not in /proc/self/status")


@dataclass(frozen=True)
class CliRun:
    """One `filingcheck` process: exit code, output, wall time and peak RSS."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float
    timed_out: bool


def run_cli(
    command: Sequence[str], env: Mapping[str, str], cwd: Path, kill_after: float = CLI_SECONDS
) -> CliRun:
    """Run a command through the launcher, killing both after kill_after seconds."""
    started = time.perf_counter()
    report = cwd / ".cli-rusage"
    report.unlink(missing_ok=True)
    launched = [sys.executable, str(LAUNCHER), str(report), *command]
    with (cwd / ".cli-out").open("w+") as out, (cwd / ".cli-err").open("w+") as err:
        process = subprocess.Popen(
            launched, stdout=out, stderr=err, env=dict(env), cwd=cwd, start_new_session=True
        )
        timer = threading.Timer(kill_after, os.killpg, (process.pid, signal.SIGKILL))
        timer.start()
        try:
            _, launcher_status, _ = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        killed = os.WIFSIGNALED(launcher_status)
        status, max_rss_kib = (launcher_status, 0) if killed else _launcher_report(report)
        out.seek(0)
        err.seek(0)
        return CliRun(
            os.waitstatus_to_exitcode(status),
            out.read(),
            err.read(),
            seconds,
            max_rss_kib / 1024,
            timed_out=killed and os.WTERMSIG(launcher_status) == signal.SIGKILL,
        )


def _launcher_report(report: Path) -> tuple[int, int]:
    """The command's wait status and peak RSS (KiB) as the launcher wrote them."""
    status, max_rss = report.read_text(encoding="ascii").split()
    return int(status), int(max_rss)
