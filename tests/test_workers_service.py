"""The service against real servers: SeaweedFS (S3), Redis and RabbitMQ, and real worker processes.

Workers are `dramatiq workers.app` subprocesses configured only through FILINGCHECK_* variables.
The fake OCR engine is used wherever reading quality is not what is tested.
"""

import json
import re
import subprocess
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import pytest

from pipeline.errors import NotFoundError
from schemas import DocumentStatus, FlagCode, PacketReport
from tests.services import (
    BIN,
    RedisServer,
    SeaweedS3,
    ServiceStack,
    WorkerProcess,
    clean_environment,
    wait_for,
    write_fake_script,
    write_packet,
)
from workers.broker import build_broker
from workers.intake import send_packets, submit_packet, upload_packet
from workers.layout import report_key
from workers.reports import read_report
from workers.reprocess import ReprocessRun, save_checkpoint
from workers.status import queue_status, service_status
from workers.storage import Storage

pytestmark = [pytest.mark.services, pytest.mark.slow]


@pytest.fixture(params=["redis", "rabbitmq"])
def stack(request: pytest.FixtureRequest) -> ServiceStack:
    """The same test on a Redis stack and on a RabbitMQ stack."""
    fixture: ServiceStack = request.getfixturevalue(f"{request.param}_stack")
    return fixture


def wait_for_report(storage: Storage, packet_id: str, timeout: float = 60.0) -> PacketReport:
    """The packet's report once it is in the bucket."""

    def written() -> bool:
        try:
            storage.stat(report_key(packet_id))
        except NotFoundError:
            return False
        return True

    wait_for(written, timeout, f"the report of {packet_id}", interval=0.25)
    return read_report(storage, packet_id)


def filingcheck(stack: ServiceStack, *args: str, timeout: float = 120) -> str:
    """Run the filingcheck command with the stack's environment; its stdout (must exit 0)."""
    result = subprocess.run(
        [str(BIN / "filingcheck"), *args],
        env=clean_environment() | stack.env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"filingcheck {args} → {result.returncode}\n{result.stderr}"
    return result.stdout


def upload_packets(stack: ServiceStack, tmp_path: Path, count: int) -> list[str]:
    """count small packets uploaded to the stack's bucket; their ids."""
    storage = stack.storage()
    return [
        upload_packet(write_packet(tmp_path / f"p{i}", f"PKT-{i:03d}"), storage, stack.core())
        for i in range(count)
    ]


def checked_lines(worker: WorkerProcess, packet_id: str) -> int:
    """How many times the worker finished this packet."""
    return worker.log().count(f"checked packet {packet_id}:")


def test_corrupt_document_gives_a_report_and_no_retry(
    redis_stack: ServiceStack, tmp_path: Path
) -> None:
    write_packet(tmp_path / "corrupt", "PKT-CORRUPT", corrupt="id_back.png")
    output = filingcheck(redis_stack, "submit", str(tmp_path / "corrupt"))
    assert output.startswith("PKT-CORRUPT\tqueued\t")
    worker = redis_stack.start_worker()
    report = wait_for_report(redis_stack.storage(), "PKT-CORRUPT")
    unreadable = [f for f in report.flags if f.code is FlagCode.DOCUMENT_UNREADABLE]
    assert [f.document for f in unreadable] == ["id_back.png"]
    statuses = {d.file: d.status for d in report.documents}
    assert statuses["id_back.png"] is DocumentStatus.UNREADABLE
    assert statuses["license.png"] is DocumentStatus.OK
    worker.wait_for_log("checked packet PKT-CORRUPT:")
    time.sleep(1.0)
    assert checked_lines(worker, "PKT-CORRUPT") == 1
    assert "Retrying message" not in worker.log()
    broker = build_broker(redis_stack.settings())
    counts = queue_status(broker, redis_stack.name)
    assert (counts.waiting, counts.retrying, counts.dead_letters) == (0, 0, 0)
    url = filingcheck(redis_stack, "open", "PKT-CORRUPT", "--expires", "60").strip()
    with urllib.request.urlopen(url, timeout=10) as page:
        assert page.headers["Content-Type"].startswith("text/html")
        assert "PKT-CORRUPT" in page.read().decode("utf-8")


def raw_message(queue: str, packet_id: str) -> dict[str, object]:
    """The JSON a service in another language publishes (README.md, "Queue, actor and message")."""
    return {
        "queue_name": queue,
        "actor_name": "check_packet",
        "args": [packet_id],
        "kwargs": {},
        "options": {},
        "message_id": str(uuid.uuid4()),
        "message_timestamp": int(time.time() * 1000),
    }


def publish_without_dramatiq(stack: ServiceStack, body: dict[str, object]) -> None:
    """Publish the message with the plain Redis / AMQP clients, as another language would."""
    url, queue = stack.env["FILINGCHECK_BROKER_URL"], stack.name
    if url.startswith("redis://"):
        import redis

        redis_id = str(uuid.uuid4())
        body["options"] = {"redis_message_id": redis_id}
        client = redis.Redis.from_url(url)
        with client.pipeline(transaction=True) as pipe:
            pipe.hset(f"dramatiq:{queue}.msgs", redis_id, json.dumps(body))
            pipe.rpush(f"dramatiq:{queue}", redis_id)
            pipe.execute()
        client.close()
        return
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    arguments = {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": f"{queue}.XQ"}
    channel.queue_declare(queue, durable=True, arguments=arguments)
    channel.basic_publish(
        exchange="",
        routing_key=queue,
        body=json.dumps(body).encode(),
        properties=pika.BasicProperties(delivery_mode=2, content_type="application/json"),
    )
    connection.close()


def test_a_json_message_published_by_another_language_is_checked(
    stack: ServiceStack, tmp_path: Path
) -> None:
    upload_packets(stack, tmp_path, 1)
    publish_without_dramatiq(stack, raw_message(stack.name, "PKT-000"))
    worker = stack.start_worker(via_cli=True)
    report = wait_for_report(stack.storage(), "PKT-000")
    assert report.packet_id == "PKT-000"
    worker.wait_for_log("checked packet PKT-000:")


def test_failures_end_in_the_dead_letter_queue_and_status_shows_them(
    stack: ServiceStack, tmp_path: Path
) -> None:
    def dead_letters() -> int:
        return service_status(stack.settings()).queue.dead_letters

    submit_packet("PKT-GHOST", stack.actor())  # no such packet: bad input, never retried
    first = stack.start_worker()
    wait_for(lambda: dead_letters() == 1, 60, "the missing packet in the dead letters", 0.3)
    assert "Retrying message" not in first.log()
    first.stop()

    upload_packets(stack, tmp_path, 1)
    submit_packet("PKT-000", stack.actor())  # storage refuses the worker: retried, then dead
    second = stack.start_worker(s3_secret_key="not-the-secret", max_retries="1")
    wait_for(lambda: dead_letters() == 2, 60, "the refused packet in the dead letters", 0.3)
    assert second.log().count("Retrying message") == 1
    assert "StorageError" in second.log()
    status = json.loads(filingcheck(stack, "status", "--json"))
    assert status["queue"]["dead_letters"] == 2
    assert (status["queue"]["waiting"], status["queue"]["retrying"]) == (0, 0)
    assert status["reports"] == 0
    assert status["counts"]["failed"] == 2
    assert re.search(r"^dead letters\s+2$", filingcheck(stack, "status"), re.MULTILINE)


def test_killed_worker_loses_no_packet_and_is_requeued_within_30_s_by_default(
    redis_stack: ServiceStack, tmp_path: Path
) -> None:
    slow = write_fake_script(tmp_path / "slow.json", sleep_seconds=1.0)
    packet_ids = upload_packets(redis_stack, tmp_path, 3)
    actor = redis_stack.actor()
    for packet_id in packet_ids:
        submit_packet(packet_id, actor)
    # The product's defaults: no heartbeat or maintenance setting is overridden here.
    first = redis_stack.start_worker(fake_ocr_script=str(slow))
    first.wait_for_log("checking packet PKT-000")
    time.sleep(0.5)
    first.kill()  # kill -9 the whole worker group in the middle of a packet
    killed_at = time.monotonic()
    assert "checked packet" not in first.log()
    storage = redis_stack.storage()
    assert list(storage.list_keys("reports/")) == []

    second = redis_stack.start_worker(fake_ocr_script=str(slow))
    second.wait_for_log("checking packet PKT-000", timeout=30 - (time.monotonic() - killed_at))
    for packet_id in packet_ids:
        wait_for_report(storage, packet_id, timeout=90)
        assert list(storage.list_keys(f"reports/{packet_id}/")) == [
            *(f"reports/{packet_id}/pages/d{document}-p0.jpg" for document in range(3)),
            f"reports/{packet_id}/report.html",
            f"reports/{packet_id}/report.json",
        ]
    time.sleep(1.0)
    assert [checked_lines(second, packet_id) for packet_id in packet_ids] == [1, 1, 1]
    counts = queue_status(build_broker(redis_stack.settings()), redis_stack.name)
    assert (counts.waiting, counts.in_progress, counts.dead_letters) == (0, 0, 0)


def test_a_worker_busy_longer_than_the_heartbeat_timeout_keeps_its_messages(
    redis_stack: ServiceStack, tmp_path: Path
) -> None:
    slow = write_fake_script(tmp_path / "slow.json", sleep_seconds=7.0)  # 21 s a packet
    packet_ids = upload_packets(redis_stack, tmp_path, 2)
    send_packets(packet_ids, redis_stack.actor())
    # 21 s is longer than the default heartbeat timeout (15 s): the busy worker, which holds
    # both messages (one in flight, one prefetched), must keep heartbeating so that the idle
    # one, whose maintenance runs every 5 s, never takes them from it.
    busy = redis_stack.start_worker(fake_ocr_script=str(slow))
    busy.wait_for_log("checking packet PKT-000")
    idle = redis_stack.start_worker()
    storage = redis_stack.storage()
    for packet_id in packet_ids:
        wait_for_report(storage, packet_id, timeout=90)
    time.sleep(1.0)
    assert [checked_lines(busy, packet_id) for packet_id in packet_ids] == [1, 1]
    assert "checking packet" not in idle.log()


def test_storage_outage_is_retried_until_the_report_is_written(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    s3 = SeaweedS3(tmp_path / "own-s3")  # this test stops its own S3 server
    s3.start()
    stack = ServiceStack(tmp_path, "fc-outage", redis_server.url, s3)
    try:
        slow = write_fake_script(tmp_path / "slow.json", sleep_seconds=1.0)
        upload_packet(write_packet(tmp_path / "p", "PKT-OUTAGE"), stack.storage(), stack.core())
        submit_packet("PKT-OUTAGE", stack.actor())
        worker = stack.start_worker(fake_ocr_script=str(slow))
        worker.wait_for_log("checking packet PKT-OUTAGE")
        s3.stop()  # the packet was read; writing its report fails
        worker.wait_for_log("Retrying message", count=2, timeout=60)
        assert "checked packet" not in worker.log()
        s3.start()  # same ports, same data
        report = wait_for_report(stack.storage(), "PKT-OUTAGE", timeout=90)
        assert report.packet_id == "PKT-OUTAGE"
        assert "StorageError" in worker.log()
        counts = queue_status(build_broker(stack.settings()), stack.name)
        assert counts.dead_letters == 0
    finally:
        stack.close()
        s3.stop()


def test_reprocess_twenty_packets_then_only_stale_enqueues_none(
    redis_stack: ServiceStack, tmp_path: Path
) -> None:
    packet_ids = upload_packets(redis_stack, tmp_path, 20)
    redis_stack.start_worker(threads=2)
    output = filingcheck(redis_stack, "reprocess", "--wait", "--timeout", "150", timeout=180)
    assert "20 packets listed, 20 enqueued, 0 already current" in output
    assert re.search(r"^20 reports$", output, re.MULTILINE)
    verdict_counts = re.findall(r"verdict\s+\S+\s+(\d+)", output)
    assert sum(int(count) for count in verdict_counts) == 20
    storage = redis_stack.storage()
    reports = [key for key in storage.list_keys("reports/") if key.endswith("report.json")]
    assert len(reports) == len(packet_ids) == 20
    index = storage.get("reports/index.html", 10_000_000).decode()
    assert all(f'href="{packet_id}/report.html"' in index for packet_id in packet_ids)

    status = json.loads(filingcheck(redis_stack, "status", "--json"))
    assert status["reports"] == 20 and status["counts"]["written"] == 20
    recounted = json.loads(filingcheck(redis_stack, "status", "--json", "--recount"))
    assert recounted["reports"] == 20 and recounted["recounted"]
    assert recounted["counts"]["verdicts"] == status["counts"]["verdicts"]

    again = filingcheck(redis_stack, "reprocess", "--only-stale", "--wait")
    assert "20 packets listed, 0 enqueued, 20 already current" in again
    prefixed = filingcheck(redis_stack, "reprocess", "--prefix", "PKT-01", "--wait")
    assert "10 packets listed, 10 enqueued" in prefixed

    # A run interrupted after PKT-014 goes on from there with --resume, under the same run id.
    interrupted = ReprocessRun(last_folder="packets/PKT-014/", listed=15, enqueued=15)
    save_checkpoint(storage, interrupted)
    resumed = filingcheck(redis_stack, "reprocess", "--resume", "--wait")
    assert "20 packets listed, 20 enqueued, 0 already current" in resumed
    assert re.search(r"^5 reports$", resumed, re.MULTILINE)  # this run's counts: the last 5
    finished = ReprocessRun.model_validate_json(
        storage.get("reprocess/checkpoint-all-_.json", 10**5)
    )
    assert finished.finished and finished.run_id == interrupted.run_id


def test_worker_processes_are_recycled_after_n_packets(
    redis_stack: ServiceStack, tmp_path: Path
) -> None:
    packet_ids = upload_packets(redis_stack, tmp_path, 5)
    actor = redis_stack.actor()
    for packet_id in packet_ids:
        submit_packet(packet_id, actor)
    worker = redis_stack.start_worker(worker_max_packets="2")
    storage = redis_stack.storage()
    for packet_id in packet_ids:
        wait_for_report(storage, packet_id, timeout=120)
    log = worker.log()
    per_process = Counter(re.findall(r"\[PID (\d+)\][^\n]*checked packet", log))
    assert sorted(per_process.values()) == [1, 2, 2], per_process  # never more than 2
    assert log.count("recycling worker process") == 2
    assert worker.running()  # the dramatiq parent restarted its children and keeps running
    assert sum(checked_lines(worker, packet_id) for packet_id in packet_ids) == 5


def test_recycling_two_busy_processes_kills_none_and_strands_nothing(
    redis_stack: ServiceStack, tmp_path: Path
) -> None:
    slow = write_fake_script(tmp_path / "slow.json", sleep_seconds=0.2)  # 0.6 s a packet
    packet_ids = upload_packets(redis_stack, tmp_path, 24)
    send_packets(packet_ids, redis_stack.actor())
    worker = redis_stack.start_worker(
        processes=2, worker_max_packets="5", fake_ocr_script=str(slow)
    )
    storage = redis_stack.storage()
    for packet_id in packet_ids:
        wait_for_report(storage, packet_id, timeout=150)
    time.sleep(1.0)
    log = worker.log()
    restarts = log.count("Sending signal 'SIGHUP'")  # one per graceful restart of the group
    assert restarts >= 2, log[-3000:]
    assert log.count("is booting up") == restarts + 1
    assert "Killing worker process" not in log and "exited unexpectedly" not in log
    per_process = Counter(re.findall(r"\[PID (\d+)\][^\n]*checked packet", log))
    assert max(per_process.values()) <= 5, per_process
    checked = Counter(re.findall(r"checked packet (PKT-\d+):", log))
    assert checked == dict.fromkeys(packet_ids, 1)  # none lost, none checked twice
    counts = queue_status(build_broker(redis_stack.settings()), redis_stack.name)
    assert (counts.waiting, counts.in_progress, counts.retrying) == (0, 0, 0)


SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "packets"


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("broker", "sample"), [("redis", "S06-name_mismatch"), ("rabbitmq", "S10-region_mismatch_org")]
)
def test_sample_packet_gets_its_expected_verdict_and_flags(
    request: pytest.FixtureRequest, broker: str, sample: str
) -> None:
    stack: ServiceStack = request.getfixturevalue(f"{broker}_stack")
    folder = SAMPLES / sample
    if not folder.is_dir():
        pytest.fail(f"sample packet {folder} is missing")
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    packet_id = upload_packet(folder, stack.storage(), stack.core())
    submit_packet(packet_id, stack.actor())
    worker = stack.start_worker(engine="paddleocr")
    report = wait_for_report(stack.storage(), packet_id, timeout=180)
    assert report.verdict.value in expected["acceptable_verdicts"]
    found = {(f.code.value, f.severity.value, f.document) for f in report.flags}
    for flag in expected["flags"]:
        assert (flag["code"], flag["severity"], flag["document"]) in found
    allowed = {flag["code"] for flag in expected["flags"]} | set(expected["allowed_extra_flags"])
    assert {code for code, _, _ in found} <= allowed
    assert report.engine.name == "paddleocr"
    info = stack.storage().stat(report_key(packet_id))
    assert info.metadata["ocr-engine"].startswith("paddleocr ")
    assert info.metadata["pipeline-version"] == report.pipeline_version
    worker.wait_for_log(f"checked packet {packet_id}:")
