"""Benchmark what grows with the archive: submit, drain, status, reprocess --only-stale, --wait.

Starts a private Redis and SeaweedFS (S3) as the tests do, with the scripted (fake) OCR engine
so that only the service's own cost counts, and prints one line per figure. Everything started
is stopped at the end.

    .venv/bin/python scripts/bench_archive.py --packets 1000
    .venv/bin/python scripts/bench_archive.py --packets 10000 --drain-limit 1000

With --drain-limit M (< packets), all packets are submitted but the workers check only the
first M (SIGKILLed --kills times on the way); the reports of the others are written by this
script (the same report for each, with current metadata, and its reviewer-index record), so
that `status`, `reprocess --only-stale` and the index rebuild see a whole archive without
hours of checking. --drain-limit 0 starts no worker at all.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import __version__  # noqa: E402
from pipeline.report.html import IndexEntry  # noqa: E402
from schemas import PacketReport, Verdict  # noqa: E402
from tests.services import (  # noqa: E402
    BIN,
    RedisServer,
    SeaweedS3,
    ServiceStack,
    clean_environment,
    png_bytes,
    write_form,
)
from workers.broker import build_broker  # noqa: E402
from workers.index_records import RedisIndexRecords  # noqa: E402
from workers.intake import send_packets, submit_folders  # noqa: E402
from workers.reports import JSON_TYPE, report_metadata  # noqa: E402
from workers.reprocess import ReprocessRun, current_engine_info, reprocess_archive  # noqa: E402
from workers.review_index import build_review_index  # noqa: E402
from workers.status import (  # noqa: E402
    count_reports,
    open_counters,
    queue_status,
    service_status,
)
from workers.storage import ObjectInfo, Storage  # noqa: E402

DOCUMENTS = [
    ("license.png", "business_license"),
    ("id_front.png", "id_card_front"),
    ("id_back.png", "id_card_back"),
]


class CountingStorage:
    """A Storage that counts the requests made through it (LIST pages estimated)."""

    def __init__(self, inner: Storage) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def describe(self) -> str:
        return self.inner.describe()

    def get(self, key: str, max_bytes: int) -> bytes:
        self.calls["GET"] += 1
        return self.inner.get(key, max_bytes)

    def stream(self, key: str, chunk_bytes: int) -> Iterator[bytes]:
        self.calls["GET"] += 1
        return self.inner.stream(key, chunk_bytes)

    def put(
        self, key: str, data: bytes, content_type: str, metadata: Mapping[str, str] | None = None
    ) -> None:
        self.calls["PUT"] += 1
        self.inner.put(key, data, content_type, metadata)

    def stat(self, key: str) -> ObjectInfo:
        self.calls["HEAD"] += 1
        return self.inner.stat(key)

    def list_keys(self, prefix: str) -> Iterator[str]:
        for count, key in enumerate(self.inner.list_keys(prefix)):
            self.calls["LIST"] += count % 1000 == 0
            yield key

    def list_folders(self, prefix: str, start_after: str = "") -> Iterator[str]:
        for count, folder in enumerate(self.inner.list_folders(prefix, start_after)):
            self.calls["LIST"] += count % 1000 == 0
            yield folder

    def presigned_url(self, key: str, expires_seconds: int) -> str:
        return self.inner.presigned_url(key, expires_seconds)

    def per_packet(self, packets: int) -> str:
        total = sum(self.calls.values())
        detail = ", ".join(
            f"{name} {count / packets:.2f}" for name, count in sorted(self.calls.items())
        )
        return f"{total / packets:.2f} S3 requests per packet ({detail})"


def write_folders(workdir: Path, count: int) -> list[Path]:
    """count packet folders with three small PNGs each (the same bytes, written once each)."""
    image = png_bytes()
    folders = []
    for index in range(count):
        folder = workdir / f"AR-{index:06d}"
        write_form(folder, folder.name, DOCUMENTS)
        for name, _ in DOCUMENTS:
            (folder / name).write_bytes(image)
        folders.append(folder)
    return folders


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_submit(stack: ServiceStack, folders: list[Path]) -> None:
    """Upload and enqueue every folder as `filingcheck submit` does; CPU of both sides."""
    storage = CountingStorage(stack.storage())
    s3_pid = stack.s3.process.pid
    started, cpu, s3_cpu = time.monotonic(), time.process_time(), process_cpu_seconds(s3_pid)
    results = list(submit_folders(folders, storage, stack.core(), stack.actor(), connections=16))
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    s3_cpu = process_cpu_seconds(s3_pid) - s3_cpu
    failed = [item for item in results if item.error]
    if failed:
        raise SystemExit(f"{len(failed)} folders failed, e.g. {failed[0].error}")
    count = len(folders)
    print(f"submit: {count} packets in {seconds:.1f} s = {count / seconds:.0f}/s; "
          f"CPU per packet: submitter {cpu / count * 1000:.2f} ms, S3 server "
          f"{s3_cpu / count * 1000:.2f} ms; {storage.per_packet(count)}; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip


def write_current_reports(stack: ServiceStack, packet_ids: list[str]) -> None:
    """Reports (and index records) for packets the workers did not check (current metadata)."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import UTC, datetime

    storage = stack.storage()
    engine = current_engine_info(stack.core())
    counters = open_counters(stack.settings())
    records = index_records(stack)
    verdicts = list(Verdict)

    def put(packet_id: str) -> None:
        verdict = verdicts[sum(map(ord, packet_id)) % len(verdicts)]
        report = PacketReport(packet_id=packet_id, verdict=verdict, flags=[],
                              pipeline_version=__version__, engine=engine,
                              checked_at=datetime.now(UTC))  # fmt: skip
        body = report.model_dump_json().encode()
        storage.put(f"reports/{packet_id}/report.json", body, JSON_TYPE, report_metadata(report))
        if counters is not None:
            counters.report_written(verdict.value, None)
        records.record(IndexEntry.from_report(report, f"{packet_id}/report.html"))

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, packet_ids))


def index_records(stack: ServiceStack) -> RedisIndexRecords:
    return RedisIndexRecords.from_url(stack.env["FILINGCHECK_BROKER_URL"], stack.name)


def bench_index(stack: ServiceStack) -> None:
    """Rebuild the reviewer index pages from the records; time, requests, Redis memory."""
    records = index_records(stack)
    storage = CountingStorage(stack.storage())
    started, cpu = time.monotonic(), time.process_time()
    build = build_review_index(storage, records)
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    packets = max(build.packets, 1)
    memory = sum(records.client.memory_usage(key) or 0
                 for key in (records.checked_key, records.entries_key))  # fmt: skip
    pages = sum(build.pages.values())
    print(f"index rebuild: {build.packets} packets, {pages} pages in {seconds:.2f} s "
          f"({seconds / packets * 1000:.2f} ms, CPU {cpu / packets * 1000:.2f} ms per packet); "
          f"{storage.per_packet(packets)}; Redis {memory / packets:.0f} bytes per packet "
          f"(records)")  # fmt: skip


def reports_counted(stack: ServiceStack) -> int:
    counters = open_counters(stack.settings())
    return counters.read().reports if counters is not None else 0


def bench_drain(stack: ServiceStack, packet_ids: list[str], kills: int) -> None:
    """Enqueue the packets, start 2 worker processes (SIGKILLed `kills` times), time the drain.

    Ends when every packet has a report and no message is waiting or unacknowledged; then
    the counters tell how many reports were written twice (rewritten after a SIGKILL).
    """
    drop_queue(stack)  # what submit enqueued; only these packets go to the workers
    send_packets(packet_ids, stack.actor())
    worker = stack.start_worker(processes=2, threads=1)
    started = time.monotonic()
    limit = len(packet_ids)
    kill_at = [limit * (k + 1) // (kills + 1) for k in range(kills)]
    while not drained(stack, limit):
        done = reports_counted(stack)
        if kill_at and done >= kill_at[0]:
            kill_at.pop(0)
            worker.kill()  # SIGKILL to the whole worker group, mid-packet
            worker = stack.start_worker(processes=2, threads=1)
        if not worker.running():
            raise SystemExit(f"worker exited:\n{worker.log()[-3000:]}")
        time.sleep(0.5)
    seconds = time.monotonic() - started
    done = reports_counted(stack)
    worker.stop(timeout=60)
    counters = open_counters(stack.settings())
    written = counters.read().written if counters is not None else 0
    listed = count_reports(stack.storage())
    print(f"drain: {listed} packets in {seconds:.1f} s = {listed / seconds:.1f}/s "
          f"(2 processes × 1 thread, worker start included, {kills} SIGKILLs); "
          f"{listed} report.json listed for {limit} packets; counters: {done} packets, "
          f"{written} reports written")  # fmt: skip


def drained(stack: ServiceStack, limit: int) -> bool:
    """Every packet has a report and nothing is queued. The counters can stay one short: a
    worker SIGKILLed between writing a report and counting it leaves it uncounted, and the
    retry then counts a rewrite; so once the queue is empty, the bucket is listed."""
    if not queue_empty(stack):
        return False
    return reports_counted(stack) >= limit or count_reports(stack.storage()) >= limit


def queue_empty(stack: ServiceStack) -> bool:
    """Nothing waiting, retrying or taken but unacknowledged."""
    broker = build_broker(stack.settings())
    try:
        counts = queue_status(broker, stack.name)
    finally:
        broker.close()
    return (counts.waiting, counts.in_progress, counts.retrying) == (0, 0, 0)


def drop_queue(stack: ServiceStack) -> None:
    """Empty the queue of the packets left unchecked (their reports are written directly)."""
    import redis

    client = redis.Redis.from_url(stack.env["FILINGCHECK_BROKER_URL"])
    for key in client.scan_iter(f"dramatiq:{stack.name}*"):
        client.delete(key)


def bench_status(stack: ServiceStack) -> None:
    """service_status in process (median of 5), and the `filingcheck status` command."""
    times = []
    for _ in range(5):
        started = time.perf_counter()
        status = service_status(stack.settings())
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    run_cli(stack, "status")
    wall = time.perf_counter() - started
    print(f"status: {sorted(times)[2] * 1000:.1f} ms in process (reports {status.reports}); "
          f"`filingcheck status` {wall:.2f} s wall")  # fmt: skip


def bench_only_stale(stack: ServiceStack, packets: int) -> None:
    """reprocess --only-stale over an archive whose reports are all current."""
    storage = CountingStorage(stack.storage())
    engine = current_engine_info(stack.core())
    started = time.monotonic()
    run = reprocess_archive(storage, lambda ids: None, ReprocessRun(only_stale=True), engine,
                            progress=False)  # fmt: skip
    seconds = time.monotonic() - started
    print(f"reprocess --only-stale: {run.listed} listed, {run.enqueued} enqueued in {seconds:.2f} s"
          f" = {run.listed / seconds:.0f}/s; {storage.per_packet(max(run.listed, 1))}")  # fmt: skip
    started = time.monotonic()
    output = run_cli(stack, "reprocess", "--only-stale")
    print(f"  `filingcheck reprocess --only-stale`: {time.monotonic() - started:.2f} s wall: "
          f"{output.strip()}")  # fmt: skip
    if run.listed != packets:
        raise SystemExit(f"listed {run.listed}, expected {packets}")


def bench_wait(stack: ServiceStack, timeout: float) -> None:
    """`filingcheck reprocess --wait` (every packet again) with workers; its peak RSS."""
    worker = stack.start_worker(processes=2, threads=1)
    launcher = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode;"
                " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code,"
                " file=sys.stderr)")  # fmt: skip
    command = [sys.executable, "-c", launcher, str(BIN / "filingcheck"), "reprocess", "--wait",
               "--timeout", str(timeout)]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(command, env=cli_env(stack), capture_output=True, text=True,
                            check=False)  # fmt: skip
    seconds = time.monotonic() - started
    worker.stop(timeout=60)
    peak_kb, code = result.stderr.strip().splitlines()[-1].split()
    first = result.stdout.splitlines()[:2]
    print(f"reprocess --wait: peak RSS {int(peak_kb) / 1024:.0f} MB, {seconds:.1f} s, exit {code}:"
          f" {' / '.join(first)}")  # fmt: skip


def cli_env(stack: ServiceStack) -> dict[str, str]:
    return clean_environment() | stack.env | {"PYTHONPATH": str(ROOT)}


def run_cli(stack: ServiceStack, *args: str) -> str:
    result = subprocess.run([str(BIN / "filingcheck"), *args], env=cli_env(stack),
                            capture_output=True, text=True, check=False)  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"filingcheck {args}: {result.returncode}\n{result.stderr[-2000:]}")
    return result.stdout


def run_benches(stack: ServiceStack, workdir: Path, args: argparse.Namespace) -> None:
    """Every figure, in order, on one stack."""
    os.environ.update(stack.env)  # the fake engine's script, for current_engine_info
    print(f"{args.packets} packets, filingcheck {__version__}, {os.cpu_count()} CPUs")
    folders = write_folders(workdir / "packets", args.packets)
    bench_submit(stack, folders)
    limit = args.packets if args.drain_limit is None else min(args.drain_limit, args.packets)
    if limit:
        bench_drain(stack, [folder.name for folder in folders[:limit]], args.kills)
    if limit < args.packets:
        write_current_reports(stack, [folder.name for folder in folders[limit:]])
    bench_index(stack)
    bench_status(stack)
    bench_only_stale(stack, args.packets)
    if not args.no_wait:
        bench_wait(stack, args.wait_timeout)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this bench process peaked at {peak:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packets", type=int, default=1000)
    parser.add_argument("--drain-limit", type=int, help="packets the workers check (default all)")
    parser.add_argument("--wait-timeout", type=float, default=600.0)
    parser.add_argument("--no-wait", action="store_true", help="skip reprocess --wait")
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs of the workers in drain")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # lines as they come
    workdir = Path(tempfile.mkdtemp(prefix="bench-archive-"))
    redis_server, s3 = RedisServer(workdir / "redis"), SeaweedS3(workdir / "s3")
    try:
        redis_server.start()
        s3.start()
        stack = ServiceStack(workdir / "stack", "bench-archive", redis_server.url, s3)
        try:
            run_benches(stack, workdir, args)
        finally:
            stack.close()  # the workers too, also after an interruption
    finally:
        s3.stop()
        redis_server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
