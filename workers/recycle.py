"""Bounded worker memory: restart the worker processes after N packets or past M MB of RSS.

Dramatiq's parent process does not replace a worker process that exits (it shuts everything
down), but on SIGHUP it stops its worker processes gracefully — each finishes the message it
is processing and hands prefetched ones back to the broker — and then re-executes itself with
the same arguments. A worker process that reaches its limit therefore sends SIGHUP to its
parent: fresh processes (and fresh OCR engines) take over, and no message is lost. From
then on each of its threads takes no new message, so a process checks at most N packets
plus those its other threads had already started (N + threads - 1).

Only one process may ask: the parent forwards each SIGHUP to every worker process, and a
worker process that receives a second signal while stopping exits at once (Dramatiq's "Killing
worker process"), mid-packet, leaving its prefetched messages to the broker's dead-worker
recovery. So a process asks only when it holds the group's restart lock (an flock on a file
named after the parent's pid, released when the holder exits, i.e. once the restart is done)
and has not itself been told to stop; the others just stop taking messages and wait for the
parent's signal.
"""

import fcntl
import logging
import multiprocessing
import os
import resource
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from dramatiq import Broker, MessageProxy, Middleware, WorkerThread
from pydantic import BaseModel, Field

from workers.settings import ServiceSettings

logger = logging.getLogger("filingcheck.workers.recycle")


class RecyclePolicy(BaseModel):
    """When a worker process should be replaced."""

    max_packets: int = Field(ge=1, description="messages processed by one process")
    max_rss_mb: int = Field(ge=1, description="resident memory of one process")

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> "RecyclePolicy":
        """FILINGCHECK_WORKER_MAX_PACKETS and FILINGCHECK_WORKER_MAX_RSS_MB."""
        return cls(max_packets=settings.worker_max_packets, max_rss_mb=settings.worker_max_rss_mb)


def current_rss_mb() -> float:
    """This process's resident memory now (Linux), else its peak."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def recycle_reason(packets: int, rss_mb: float, policy: RecyclePolicy) -> str | None:
    """Why this process should be replaced now, or None."""
    if packets >= policy.max_packets:
        return f"{packets} packets processed (limit {policy.max_packets})"
    if rss_mb >= policy.max_rss_mb:
        return f"resident memory {rss_mb:.0f} MB (limit {policy.max_rss_mb} MB)"
    return None


class RestartGate:
    """Lets one process of a dramatiq worker group ask for the group's restart."""

    def __init__(self, lock_path: Path | None = None) -> None:
        self.lock_path = lock_path
        self.stopping = threading.Event()
        self._lock_fd: int | None = None

    def watch_stop_signals(self) -> None:
        """Note SIGHUP/SIGTERM from the parent (main thread only; dramatiq's handlers still run)."""
        for signum in (signal.SIGHUP, signal.SIGTERM):
            previous = signal.getsignal(signum)

            def noting(number: int, frame: FrameType | None, previous: Any = previous) -> None:
                self.stopping.set()
                if callable(previous):
                    previous(number, frame)

            signal.signal(signum, noting)

    def try_acquire(self) -> bool:
        """Whether this process may ask: not told to stop, and it holds the group's lock."""
        if self.stopping.is_set():
            return False
        if self._lock_fd is not None:
            return False  # asked already
        path = self.lock_path or group_lock_path()
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock_fd = fd  # held until this process exits
        return not self.stopping.is_set()


def group_lock_path() -> Path:
    """The restart lock of this worker group: one file per dramatiq parent process."""
    return Path(tempfile.gettempdir()) / f"filingcheck-recycle-{os.getuid()}-{os.getppid()}.lock"


def restart_dramatiq_processes(gate: RestartGate) -> None:
    """Ask the dramatiq parent for a graceful restart, unless another process already has."""
    if multiprocessing.parent_process() is None:
        logger.warning("not a dramatiq worker process; not restarting")
        return
    if not gate.try_acquire():
        logger.info("worker process %d: the group is already restarting", os.getpid())
        return
    os.kill(os.getppid(), signal.SIGHUP)


def stop_taking_messages() -> None:
    """Pause the calling worker thread: it takes no new message before the process stops.

    Messages it had prefetched are handed back to the broker when the process stops.
    """
    thread = threading.current_thread()
    if isinstance(thread, WorkerThread):
        thread.pause()


class RecycleWorker(Middleware):
    """Counts processed messages and checks RSS after each; asks for a restart past a limit."""

    def __init__(
        self,
        policy: RecyclePolicy,
        restart: Callable[[], None] | None = None,
        rss_mb: Callable[[], float] = current_rss_mb,
    ) -> None:
        self.policy = policy
        self.gate = RestartGate()
        self.restart = restart or (lambda: restart_dramatiq_processes(self.gate))
        self.rss_mb = rss_mb
        self.packets = 0
        self.restart_requested = False
        self._lock = threading.Lock()

    def after_process_boot(self, broker: Broker) -> None:
        """Start counting from zero in each new process; note the parent's stop signals."""
        self.packets = 0
        self.restart_requested = False
        if threading.current_thread() is threading.main_thread():
            self.gate.watch_stop_signals()

    def after_process_message(
        self,
        broker: Broker,
        message: MessageProxy,
        *,
        result: Any | None = None,
        exception: BaseException | None = None,
    ) -> None:
        """Count the message; request one restart when a limit is reached."""
        with self._lock:
            self.packets += 1
            if self.restart_requested:
                reason = None
            else:
                reason = recycle_reason(self.packets, self.rss_mb(), self.policy)
                self.restart_requested = reason is not None
        if not self.restart_requested:
            return
        stop_taking_messages()
        if reason is not None:
            logger.info("recycling worker process %d: %s", os.getpid(), reason)
            self.restart()
