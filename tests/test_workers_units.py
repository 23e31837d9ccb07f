"""The worker modules without servers: layout, masking, recycling, reports, reprocess, intake."""

import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import dramatiq
import pytest
from dramatiq import Worker
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from pipeline.commands.main import build_parser
from pipeline.errors import BadInputError, FormError, UnsafePathError
from pipeline.ocr.base import OcrEngine
from pipeline.packet import CheckOutcome
from pipeline.settings import Settings
from schemas import EngineInfo, Flag, FlagCode, PacketReport, Severity, Verdict
from tests.services import wait_for, write_form, write_packet
from workers.actors import ACTOR_NAME, declare_check_packet
from workers.broker import build_broker, describe_broker_url
from workers.intake import submit_packet, upload_packet
from workers.layout import form_key, packet_id_of_form_key, report_id_of_key, report_key
from workers.recycle import RecyclePolicy, RecycleWorker, recycle_reason
from workers.reports import made_by, report_metadata, write_report
from workers.reprocess import current_engine_info, enqueue_packets, wait_for_reports
from workers.status import count_reports
from workers.storage import MemoryStorage

ENGINE = EngineInfo(name="paddleocr", version="2.10.0", model="PP-OCRv4")


def make_report(packet_id: str, verdict: Verdict, codes: list[FlagCode]) -> PacketReport:
    """A minimal report with one error flag per code."""
    flags = [Flag(code=code, severity=Severity.ERROR, message="测试") for code in codes]
    return PacketReport(
        packet_id=packet_id,
        verdict=verdict,
        flags=flags,
        pipeline_version="0.1.0",
        engine=ENGINE,
        checked_at=datetime.now(UTC),
    )


# --- layout and masking ---------------------------------------------------------------------


def test_keys_follow_the_bucket_layout() -> None:
    assert form_key("P-1") == "packets/P-1/form.json"
    assert report_key("P-1") == "reports/P-1/report.json"
    assert packet_id_of_form_key("packets/P-1/form.json") == "P-1"
    assert packet_id_of_form_key("packets/P-1/sub/form.json") is None
    assert packet_id_of_form_key("packets/P-1/license.png") is None
    assert report_id_of_key("reports/P-1/report.json") == "P-1"
    assert report_id_of_key("reports/P-1/report.html") is None


# --- recycling ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("packets", "rss_mb", "recycle"),
    [(1, 100.0, False), (3, 100.0, True), (1, 3000.0, True), (2, 2999.0, False)],
)
def test_recycle_reason(packets: int, rss_mb: float, recycle: bool) -> None:
    policy = RecyclePolicy(max_packets=3, max_rss_mb=3000)
    assert (recycle_reason(packets, rss_mb, policy) is not None) is recycle


def run_stub_worker(policy: RecyclePolicy, rss_mb: float, messages: int) -> list[int]:
    """The messages a stub worker with RecycleWorker processed (it asks for one restart).

    The stub broker drops prefetched messages on stop (real brokers requeue them: the
    service tests show no packet is lost), so only what was processed is checked here.
    """
    broker = StubBroker()
    restarts: list[int] = []
    broker.add_middleware(
        RecycleWorker(policy, restart=lambda: restarts.append(1), rss_mb=lambda: rss_mb)
    )
    broker.emit_after("process_boot")
    processed: list[int] = []

    @dramatiq.actor(broker=broker)
    def job(number: int) -> None:
        processed.append(number)

    for number in range(messages):
        job.send(number)
    worker = Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    wait_for(lambda: bool(restarts), 10, "a restart request")
    time.sleep(0.5)  # the paused thread must not take more messages meanwhile
    worker.stop()
    assert restarts == [1]
    return processed


def test_recycling_after_n_packets_stops_taking_messages() -> None:
    processed = run_stub_worker(RecyclePolicy(max_packets=3, max_rss_mb=10**6), 10.0, 6)
    assert processed == [0, 1, 2]


def test_recycling_past_the_memory_limit() -> None:
    processed = run_stub_worker(RecyclePolicy(max_packets=100, max_rss_mb=300), 301.0, 4)
    assert processed == [0]


# --- broker and actor -----------------------------------------------------------------------


def test_broker_kind_follows_the_url() -> None:
    redis = build_broker(
        Settings(broker_url="redis://127.0.0.1:1/0", redis_heartbeat_timeout_ms=2500)
    )
    assert isinstance(redis, RedisBroker) and redis.heartbeat_timeout == 2500
    rabbit = build_broker(Settings(broker_url="amqp://guest:guest@127.0.0.1:1/%2F"))
    assert isinstance(rabbit, RabbitmqBroker)
    with pytest.raises(BadInputError):
        build_broker(Settings(broker_url="http://127.0.0.1/"))


def test_broker_url_is_described_without_its_password() -> None:
    assert describe_broker_url("amqp://user:secret@mq:5672/vh") == "amqp://mq:5672/vh"


def test_actor_options_come_from_settings() -> None:
    settings = Settings(queue="q1", max_retries=4, retry_min_backoff_ms=50)
    actor = declare_check_packet(StubBroker(), settings)
    assert (actor.actor_name, actor.queue_name) == (ACTOR_NAME, "q1")
    assert actor.options["max_retries"] == 4 and actor.options["min_backoff"] == 50
    assert actor.options["throws"] == (BadInputError,)


def test_submit_packet_enqueues_the_packet_id() -> None:
    broker = StubBroker()
    actor = declare_check_packet(broker, Settings(queue="q2"))
    submit_packet("PKT-9", actor)
    message = broker.queues["q2"].get_nowait()
    body = json.loads(message)
    assert (body["actor_name"], body["args"], body["queue_name"]) == (
        "check_packet",
        ["PKT-9"],
        "q2",
    )
    with pytest.raises(BadInputError):
        submit_packet("../etc", actor)


# --- reports and reprocessing ---------------------------------------------------------------


def test_report_is_written_with_metadata_naming_who_made_it() -> None:
    storage = MemoryStorage()
    report = make_report("P-1", Verdict.REJECT, [FlagCode.NAME_MISMATCH])
    write_report(storage, "P-1", CheckOutcome(report=report))
    info = storage.stat("reports/P-1/report.json")
    assert info.metadata == report_metadata(report)
    assert info.metadata["ocr-engine"] == "paddleocr 2.10.0"
    assert PacketReport.model_validate_json(storage.get("reports/P-1/report.json", 10**6)) == report
    assert "reports/P-1/report.html" in list(storage.list_keys("reports/P-1/"))
    assert made_by(info, "0.1.0", ENGINE)
    assert not made_by(info, "0.2.0", ENGINE)
    assert not made_by(info, "0.1.0", ENGINE.model_copy(update={"model": "PP-OCRv5"}))
    assert count_reports(storage) == 1


def stored_archive(packet_ids: list[str], current: list[str]) -> MemoryStorage:
    """A bucket with these packets; those in current have a report by ENGINE."""
    storage = MemoryStorage()
    for packet_id in packet_ids:
        storage.put(form_key(packet_id), b"{}", "application/json")
        storage.put(f"packets/{packet_id}/license.png", b"png", "image/png")
    for packet_id in current:
        report = make_report(packet_id, Verdict.PASS, [])
        storage.put(report_key(packet_id), b"{}", "application/json", report_metadata(report))
    return storage


def test_reprocess_enqueues_every_packet_or_only_the_stale_ones() -> None:
    storage = stored_archive(["A-1", "A-2", "B-1"], current=["A-2"])
    enqueued: list[str] = []
    run = enqueue_packets(storage, enqueued.append, progress=False)
    assert enqueued == ["A-1", "A-2", "B-1"] and run.listed == 3
    enqueued.clear()
    run = enqueue_packets(storage, enqueued.append, only_current_engine=ENGINE, progress=False)
    assert enqueued == ["A-1", "B-1"] and run.skipped_current == 1
    enqueued.clear()
    enqueue_packets(storage, enqueued.append, prefix="A-", progress=False)
    assert enqueued == ["A-1", "A-2"]


def test_wait_for_reports_tallies_new_reports_and_names_missing_ones() -> None:
    storage = stored_archive(["A-1", "A-2", "A-3"], current=["A-2"])
    run = enqueue_packets(storage, lambda _: None, progress=False)

    def worker() -> None:
        time.sleep(0.3)
        for packet_id, verdict, codes in [
            ("A-1", Verdict.REJECT, [FlagCode.NAME_MISMATCH, FlagCode.NAME_MISMATCH]),
            ("A-2", Verdict.REVIEW, [FlagCode.LOW_QUALITY]),
        ]:
            write_report(
                storage, packet_id, CheckOutcome(report=make_report(packet_id, verdict, codes))
            )

    thread = threading.Thread(target=worker)
    thread.start()
    tally = wait_for_reports(
        storage, run.enqueued, timeout_seconds=3, poll_seconds=0.1, progress=False
    )
    thread.join()
    assert tally.reported == 2
    assert tally.verdicts == {"reject": 1, "review": 1}
    assert tally.flag_codes == {"LOW_QUALITY": 1, "NAME_MISMATCH": 1}
    assert tally.missing == ["A-3"]


# --- intake ---------------------------------------------------------------------------------


def test_upload_puts_the_form_and_its_files(tmp_path: Path) -> None:
    storage = MemoryStorage()
    packet_id = upload_packet(write_packet(tmp_path / "p", "PKT-UP"), storage, Settings())
    assert packet_id == "PKT-UP"
    assert list(storage.list_keys("packets/")) == [
        "packets/PKT-UP/form.json",
        "packets/PKT-UP/id_back.png",
        "packets/PKT-UP/id_front.png",
        "packets/PKT-UP/license.png",
    ]
    assert storage.stat("packets/PKT-UP/license.png").content_type == "image/png"


def test_upload_refuses_files_that_escape_and_leaves_no_form(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(b"secret")
    write_form(tmp_path / "p", "PKT-ESC", [("../secret.png", "business_license")])
    storage = MemoryStorage()
    with pytest.raises(UnsafePathError):
        upload_packet(tmp_path / "p", storage, Settings())
    assert list(storage.list_keys("")) == []


def test_upload_leaves_out_missing_files_for_the_check_to_report(tmp_path: Path) -> None:
    write_form(tmp_path / "p", "PKT-MISS", [("license.png", "business_license")])
    storage = MemoryStorage()
    upload_packet(tmp_path / "p", storage, Settings())
    assert list(storage.list_keys("")) == ["packets/PKT-MISS/form.json"]


def test_upload_refuses_an_invalid_form(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "form.json").write_text('{"packet_id": "X"}', encoding="utf-8")
    with pytest.raises(FormError):
        upload_packet(tmp_path / "p", MemoryStorage(), Settings())


# --- command line ---------------------------------------------------------------------------


def test_service_commands_parse() -> None:
    parser = build_parser()
    args = parser.parse_args(["reprocess", "--prefix", "2026-", "--only-stale", "--wait"])
    assert (args.prefix, args.only_stale, args.wait) == ("2026-", True, True)
    args = parser.parse_args(["worker", "--processes", "2", "--threads", "1"])
    assert (args.processes, args.threads) == (2, 1)
    args = parser.parse_args(["open", "PKT-1", "--expires", "60"])
    assert (args.packet_id, args.expires) == ("PKT-1", 60)
    args = parser.parse_args(["submit", "a", "b"])
    assert [str(path) for path in args.packet_dirs] == ["a", "b"]
    with pytest.raises(SystemExit):
        parser.parse_args(["worker", "--processes", "0"])


@pytest.mark.ocr
def test_staleness_uses_the_info_the_real_engine_reports(paddle_engine: OcrEngine) -> None:
    assert current_engine_info(Settings(engine="paddleocr")) == paddle_engine.info
