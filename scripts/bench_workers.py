"""Benchmark the service: packets per minute with 1 and 2 worker processes, worker RSS over time.

Starts a private Redis and SeaweedFS (S3), uploads copies of the sample packets, and runs the
real `dramatiq workers.app` command with the real OCR engine. Everything started is stopped
at the end. A full run (the figures for the README) takes a while on 2 cores:

    .venv/bin/python scripts/bench_workers.py                       # 40 packets × 2, 2,000 docs
    .venv/bin/python scripts/bench_workers.py --packets 4 --rss-documents 30   # a quick check

The workers run the product's default engine (OpenVINO) unless --engine says otherwise
(`--engine paddleocr`, the reference).
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.errors import FormError  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from tests.services import RedisServer, SeaweedS3, ServiceStack, WorkerProcess  # noqa: E402
from workers.intake import submit_packet, upload_packet  # noqa: E402
from workers.layout import report_id_of_key  # noqa: E402
from workers.reports import read_report  # noqa: E402
from workers.storage import Storage  # noqa: E402

SAMPLES = ROOT / "samples" / "packets"


@dataclass
class Throughput:
    """One timed run: packets checked by N worker processes."""

    processes: int
    packets: int
    documents: int
    seconds_total: float  # worker start → last report (includes loading the engine)
    seconds_steady: float  # first report → last report
    packets_per_minute_total: float = 0.0
    packets_per_minute_steady: float = 0.0


@dataclass
class MemoryTrace:
    """Worker-process RSS as the documents went by."""

    documents: int = 0
    samples: list[tuple[int, float]] = field(default_factory=list)  # (documents, RSS MB)
    peak_mb: float = 0.0


def sample_folders() -> list[Path]:
    """Sample packets whose form is valid (the invalid-form sample cannot be uploaded)."""
    folders = sorted(path for path in SAMPLES.iterdir() if (path / "form.json").is_file())
    if not folders:
        raise SystemExit(f"no sample packets in {SAMPLES}")
    return folders


def clone_packet(source: Path, target: Path, packet_id: str) -> Path:
    """A copy of the sample folder whose form carries a new packet id."""
    shutil.copytree(source, target)
    form = json.loads((target / "form.json").read_text(encoding="utf-8"))
    form["packet_id"] = packet_id
    (target / "form.json").write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    return target


def upload_copies(stack: ServiceStack, workdir: Path, prefix: str, count: int) -> list[str]:
    """count packets uploaded, cycling through the samples; their ids."""
    storage, settings = stack.storage(), stack.core()
    ids: list[str] = []
    folders = sample_folders()
    index = 0
    while len(ids) < count:
        source = folders[index % len(folders)]
        index += 1
        packet_id = f"{prefix}-{index:04d}"
        try:
            folder = clone_packet(source, workdir / packet_id, packet_id)
            ids.append(upload_packet(folder, storage, settings))
        except FormError:
            continue
    return ids


def reported(storage: Storage) -> set[str]:
    """Packet ids with a report.json."""
    return {pid for key in storage.list_keys("reports/") if (pid := report_id_of_key(key))}


def worker_rss_mb(worker: WorkerProcess) -> list[float]:
    """Resident memory of each worker process under the dramatiq parent."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    sizes = []
    for child in children.read_text().split() if children.exists() else []:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def time_run(
    stack: ServiceStack, workdir: Path, processes: int, packets: int, engine: str
) -> Throughput:
    """Enqueue packets, start N worker processes, time until every report is written."""
    ids = upload_copies(stack, workdir, f"T{processes}", packets)
    actor = stack.actor()
    for packet_id in ids:
        submit_packet(packet_id, actor)
    storage = stack.storage()
    started = time.monotonic()
    # The cores are shared out: N processes × (cores / N) threads never oversubscribe the CPU.
    threads = str(max(1, (os.cpu_count() or 1) // processes))
    worker = stack.start_worker(processes=processes, engine=engine, cpu_threads=threads)
    first_report = None
    while len(done := reported(storage) & set(ids)) < len(ids):
        if done and first_report is None:
            first_report = time.monotonic()
        if not worker.running():
            raise SystemExit(f"worker exited:\n{worker.log()[-3000:]}")
        time.sleep(0.5)
    finished = time.monotonic()
    worker.stop(timeout=60)
    documents = sum(len(read_report(storage, packet_id).documents) for packet_id in ids)
    run = Throughput(processes, len(ids), documents, finished - started, 0.0)
    run.seconds_steady = finished - (first_report or started)
    run.packets_per_minute_total = 60 * len(ids) / run.seconds_total
    steady_packets = max(len(ids) - processes, 1)
    run.packets_per_minute_steady = 60 * steady_packets / max(run.seconds_steady, 1e-6)
    return run


def trace_memory(stack: ServiceStack, workdir: Path, documents: int, engine: str) -> MemoryTrace:
    """One worker process, no recycling: its RSS as the documents go by."""
    per_packet = 2  # fewer than the samples' 2–3 documents each: enough packets to get there
    ids = upload_copies(stack, workdir, "M", documents // per_packet + 2)
    actor = stack.actor()
    for packet_id in ids:
        submit_packet(packet_id, actor)
    storage = stack.storage()
    worker = stack.start_worker(engine=engine, worker_max_packets="1000000")
    trace, counted = MemoryTrace(), set[str]()
    while trace.documents < documents:
        for packet_id in sorted(reported(storage) - counted):
            counted.add(packet_id)
            trace.documents += len(read_report(storage, packet_id).documents)
            rss = max(worker_rss_mb(worker), default=0.0)
            trace.samples.append((trace.documents, round(rss, 1)))
            trace.peak_mb = max(trace.peak_mb, rss)
        if not worker.running():
            raise SystemExit(f"worker exited:\n{worker.log()[-3000:]}")
        if counted >= set(ids):
            break
        time.sleep(0.5)
    worker.stop(timeout=60)
    return trace


def main() -> int:
    """Run the benchmark and print (and optionally save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packets", type=int, default=40, help="packets per timed run")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rss-documents", type=int, default=2000)
    parser.add_argument("--engine", default=Settings().engine, help="FILINGCHECK_ENGINE")
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="filingcheck-bench-"))
    redis, s3 = RedisServer(workdir / "redis"), SeaweedS3(workdir / "s3")
    stacks: list[ServiceStack] = []
    try:
        redis.start()
        s3.start()
        runs = []
        for processes in args.processes:
            stack = ServiceStack(workdir / f"run{processes}", f"bench-{processes}", redis.url, s3)
            stacks.append(stack)
            runs.append(time_run(stack, stack.workdir, processes, args.packets, args.engine))
            print(json.dumps(runs[-1].__dict__), flush=True)
        stack = ServiceStack(workdir / "memory", "bench-memory", redis.url, s3)
        stacks.append(stack)
        trace = trace_memory(stack, stack.workdir, args.rss_documents, args.engine)
    finally:
        for stack in stacks:
            stack.close()
        s3.stop()
        redis.stop()
    figures = {
        "engine": args.engine,
        "throughput": [run.__dict__ for run in runs],
        "memory": trace.__dict__,
    }
    print(json.dumps(figures, indent=2))
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
