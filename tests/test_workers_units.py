"""The worker modules without servers: layout, masking, recycling, reports, reprocess, intake."""

import json
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
from pipeline.images.previews import PagePreview
from pipeline.ocr.base import OcrEngine
from pipeline.packet import CheckOutcome
from pipeline.settings import Settings
from schemas import EngineInfo, Flag, FlagCode, PacketReport, Severity, Verdict
from tests.services import wait_for, write_form, write_packet
from workers.actors import ACTOR_NAME, WorkerContext, declare_check_packet
from workers.broker import build_broker, describe_broker_url
from workers.counters import ReportCounts
from workers.intake import send_packets, submit_folders, submit_packet, upload_packet
from workers.layout import form_key, packet_id_of_form_key, report_id_of_key, report_key
from workers.recycle import RecyclePolicy, RecycleWorker, RestartGate, recycle_reason
from workers.reports import made_by, report_metadata, write_page, write_report
from workers.reprocess import (
    ReprocessRun,
    checkpoint_key,
    current_engine_info,
    load_checkpoint,
    reprocess_archive,
)
from workers.settings import ServiceSettings, load_service_settings
from workers.status import (
    QueueStatus,
    ServiceStatus,
    count_reports,
    format_status,
    recount_verdicts,
)
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


def test_only_one_process_of_a_group_may_ask_for_the_restart(tmp_path: Path) -> None:
    lock = tmp_path / "group.lock"
    first, second, stopping = RestartGate(lock), RestartGate(lock), RestartGate(lock)
    stopping.stopping.set()  # this one was already told to stop by the parent
    assert not stopping.try_acquire()
    assert first.try_acquire()
    assert not second.try_acquire()  # the group is already restarting
    assert not first.try_acquire()  # and nobody asks twice


# --- broker and actor -----------------------------------------------------------------------


def test_broker_kind_follows_the_url() -> None:
    redis = build_broker(
        ServiceSettings(broker_url="redis://127.0.0.1:1/0", redis_heartbeat_timeout_ms=2500)
    )
    assert isinstance(redis, RedisBroker) and redis.heartbeat_timeout == 2500
    rabbit = build_broker(ServiceSettings(broker_url="amqp://guest:guest@127.0.0.1:1/%2F"))
    assert isinstance(rabbit, RabbitmqBroker)
    with pytest.raises(BadInputError):
        build_broker(ServiceSettings(broker_url="http://127.0.0.1/"))


def test_production_defaults_requeue_a_dead_workers_messages_within_30_s() -> None:
    settings = ServiceSettings()
    bound = settings.redis_heartbeat_timeout_ms + settings.redis_maintenance_interval_ms
    assert bound <= 30_000
    assert build_broker(settings).heartbeat_timeout == settings.redis_heartbeat_timeout_ms  # type: ignore[attr-defined]


def test_bad_service_settings_are_named_in_one_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FILINGCHECK_WORKER_MAX_PACKETS", "0")
    with pytest.raises(BadInputError, match="FILINGCHECK_WORKER_MAX_PACKETS"):
        load_service_settings()


def test_counters_live_in_the_broker_redis_unless_named() -> None:
    assert ServiceSettings().counters_redis_url() == "redis://127.0.0.1:6379/0"
    rabbit = ServiceSettings(broker_url="amqp://mq:5672/%2F")
    assert rabbit.counters_redis_url() is None
    named = rabbit.model_copy(update={"counters_url": "redis://r:6379/1"})
    assert named.counters_redis_url() == "redis://r:6379/1"


def test_broker_url_is_described_without_its_password() -> None:
    assert describe_broker_url("amqp://user:secret@mq:5672/vh") == "amqp://mq:5672/vh"


def test_actor_options_come_from_settings() -> None:
    settings = ServiceSettings(queue="q1", max_retries=4, retry_min_backoff_ms=50)
    actor = declare_check_packet(StubBroker(), WorkerContext(settings, Settings()))
    assert (actor.actor_name, actor.queue_name) == (ACTOR_NAME, "q1")
    assert actor.options["max_retries"] == 4 and actor.options["min_backoff"] == 50
    assert actor.options["throws"] == (BadInputError,)


def test_submit_packet_enqueues_the_packet_id() -> None:
    broker = StubBroker()
    actor = declare_check_packet(broker, WorkerContext(ServiceSettings(queue="q2"), Settings()))
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
    send_packets(["PKT-10", "PKT-11"], actor, run_id="r1")
    bodies = [json.loads(broker.queues["q2"].get_nowait()) for _ in range(2)]
    assert [(b["args"], b["kwargs"]) for b in bodies] == [
        (["PKT-10"], {"run_id": "r1"}),
        (["PKT-11"], {"run_id": "r1"}),
    ]


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


def reprocess(storage: MemoryStorage, **options: object) -> tuple[ReprocessRun, list[str]]:
    """Run reprocess_archive with pages of 2; the ids it sent, in order."""
    sent: list[str] = []
    run = ReprocessRun(prefix=str(options.pop("prefix", "")))
    engine = options.pop("engine", None)
    run = reprocess_archive(storage, sent.extend, run, engine, progress=False, page_size=2)  # type: ignore[arg-type]
    return run, sent


def test_reprocess_enqueues_every_packet_or_only_the_stale_ones() -> None:
    storage = stored_archive(["A-1", "A-2", "B-1"], current=["A-2"])
    storage.put("packets/C-1/license.png", b"png", "image/png")  # no form.json yet
    run, sent = reprocess(storage)
    assert sent == ["A-1", "A-2", "B-1"]
    assert (run.listed, run.enqueued, run.no_form, run.finished) == (4, 3, 1, True)
    run, sent = reprocess(storage, engine=ENGINE)
    assert sent == ["A-1", "B-1"] and run.skipped_current == 1
    run, sent = reprocess(storage, prefix="A-")
    assert sent == ["A-1", "A-2"]


def test_an_interrupted_reprocess_resumes_after_its_last_page() -> None:
    storage = stored_archive([f"P-{i}" for i in range(5)], current=[])
    batches: list[list[str]] = []

    def send(ids: list[str]) -> None:
        if len(batches) == 1:
            raise KeyboardInterrupt  # the operator stops the run during the second page
        batches.append(ids)

    with pytest.raises(KeyboardInterrupt):
        reprocess_archive(storage, send, ReprocessRun(), progress=False, page_size=2)
    saved = load_checkpoint(storage, "", only_stale=False)
    assert saved is not None and saved.last_folder == "packets/P-1/" and saved.enqueued == 2
    resumed = reprocess_archive(storage, batches.append, saved, progress=False, page_size=2)
    assert batches == [["P-0", "P-1"], ["P-2", "P-3"], ["P-4"]]
    assert (resumed.listed, resumed.enqueued, resumed.run_id) == (5, 5, saved.run_id)
    assert load_checkpoint(storage, "", only_stale=False) is None  # finished
    assert storage.stat(checkpoint_key("", False)).size > 0


def test_a_bad_prefix_is_refused() -> None:
    with pytest.raises(BadInputError, match="--prefix"):
        checkpoint_key("../x", False)


def test_status_without_counters_says_how_to_count() -> None:
    queue = QueueStatus(queue="q", waiting=1, retrying=0, dead_letters=0)
    status = ServiceStatus(broker="amqp://mq", storage="s3://x/b", queue=queue)
    assert "n/a (no counters: set FILINGCHECK_COUNTERS_URL, or --recount)" in format_status(status)
    counted = status.model_copy(
        update={"reports": 3, "counts": ReportCounts(verdicts={"pass": 3}, written=4, failed=1)}
    )
    lines = format_status(counted).splitlines()
    assert "reports       3" in lines and "  pass        3" in lines
    assert any(line.startswith("failed        1") for line in lines)


def test_recount_reads_the_verdicts_from_report_metadata() -> None:
    storage = MemoryStorage()
    for packet_id, verdict in [("A", Verdict.PASS), ("B", Verdict.REJECT), ("C", Verdict.PASS)]:
        write_report(storage, packet_id, CheckOutcome(report=make_report(packet_id, verdict, [])))
    storage.put("reports/D/pages/d0-p0.jpg", b"\xff\xd8", "image/jpeg")  # report.json not yet
    storage.put("reports/index.html", b"<p>", "text/html")
    assert recount_verdicts(storage) == {"pass": 2, "reject": 1}


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


def test_submit_uploads_concurrently_and_enqueues_only_whole_packets(tmp_path: Path) -> None:
    storage = MemoryStorage()
    broker = StubBroker()
    actor = declare_check_packet(broker, WorkerContext(ServiceSettings(queue="q3"), Settings()))
    folders = [write_packet(tmp_path / f"p{i}", f"PKT-{i:02d}") for i in range(7)]
    (tmp_path / "bad").mkdir()
    folders.insert(3, tmp_path / "bad")  # no form.json
    results = list(submit_folders(folders, storage, Settings(), actor, connections=3, batch=2))
    failed = [item for item in results if item.error]
    assert [item.folder.name for item in failed] == ["bad"] and failed[0].exit_code == 2
    queued = sorted(item.packet_id or "" for item in results if item.message_id)
    assert queued == [f"PKT-{i:02d}" for i in range(7)]
    messages = [json.loads(broker.queues["q3"].get_nowait())["args"][0] for _ in range(7)]
    assert sorted(messages) == queued
    for packet_id in queued:
        assert len(list(storage.list_keys(f"packets/{packet_id}/"))) == 4


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


# The reviewer pages: review server paths, the self-contained copy, the paged index (stand-ins).


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/reports/P-1/report.html", "reports/P-1/report.html"),
        ("/reports/P-1/pages/d0-p0.jpg?x=1", "reports/P-1/pages/d0-p0.jpg"),
        ("/reports/index-reject-2.html", "reports/index-reject-2.html"),
        ("/reports/%50-1/report.html", "reports/P-1/report.html"),
        ("/packets/P-1/form.json", None),
        ("/reports/../packets/P-1/form.json", None),
        ("/reports/%2E%2E/packets/P-1/form.json", None),
        ("/reports/P-1/..%2F..%2Fpackets/P-1/form.json", None),
        ("/reports/.filingcheck-meta/x.json", None),
        ("/reports/P-1\\..\\x", None),
        ("/reports//P-1/report.html", None),
        ("/reprocess/checkpoint-all-_.json", None),
    ],
)
def test_review_server_serves_only_safe_keys_under_reports(path: str, key: str | None) -> None:
    from workers.review_server import key_of_path

    assert key_of_path(path) == key


def test_self_contained_copy_inlines_each_image_and_is_reused_until_the_page_changes() -> None:
    from pipeline.report.html import render_packet_page
    from tests.test_html_factory import flagged_report
    from workers.layout import report_full_key
    from workers.review_links import open_link

    report, previews = flagged_report()
    storage = MemoryStorage()
    write_page_of(storage, report, previews)
    url = open_link(storage, report.packet_id, 60, None)
    assert report_full_key(report.packet_id) in url
    full = storage.get(report_full_key(report.packet_id), 10**8).decode()
    assert full == render_packet_page(report, previews)  # the same as check --format html
    made = storage.stat(report_full_key(report.packet_id)).last_modified
    open_link(storage, report.packet_id, 60, None)  # reused: report.html is its page
    assert storage.stat(report_full_key(report.packet_id)).last_modified == made
    rechecked = report.model_copy(update={"seconds": report.seconds + 1})
    write_page(storage, report.packet_id, CheckOutcome(report=rechecked, previews=previews))
    open_link(storage, report.packet_id, 60, None)  # made again: the page changed
    rebuilt = storage.get(report_full_key(report.packet_id), 10**8).decode()
    assert rebuilt == render_packet_page(rechecked, previews)
    served = open_link(storage, report.packet_id, 60, "https://review.example:8443/")
    assert served == f"https://review.example:8443/reports/{report.packet_id}/report.html"


def write_page_of(
    storage: MemoryStorage, report: PacketReport, previews: dict[str, list[PagePreview]]
) -> None:
    """What a worker writes for this report: page images, then report.html."""
    write_page(storage, report.packet_id, CheckOutcome(report=report, previews=previews))


@pytest.mark.parametrize(("packets", "pages"), [(0, 1), (1, 1), (4, 1), (5, 2), (9, 3)])
def test_index_has_a_page_per_page_size_and_links_them(packets: int, pages: int) -> None:
    from datetime import UTC, datetime, timedelta

    from pipeline.report.html import IndexEntry
    from workers.index_records import MemoryIndexRecords
    from workers.review_index import build_review_index, index_page_key
    from workers.storage import MemoryStorage

    storage, records = MemoryStorage(), MemoryIndexRecords()
    for number in range(packets):
        records.record(IndexEntry(packet_id=f"IX-{number}", verdict=Verdict.REVIEW, href="x",
                                  checked_at=datetime(2026, 1, 1, tzinfo=UTC)
                                  + timedelta(seconds=number)))  # fmt: skip
    build = build_review_index(storage, records, page_size=4)
    assert build.pages["all"] == build.pages["review"] == pages
    assert build.pages["pass"] == 1  # an empty listing still has its first page
    last = storage.get(index_page_key("all", pages), 10**7).decode()
    assert 'rel="next"' not in last
    assert f"第 {(pages - 1) * 4 + 1}–{packets}" in last or packets == 0


@pytest.mark.parametrize("url", ["review:8080", "ftp://review", "http://"])
def test_a_review_url_that_is_not_http_is_named_at_start_up(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workers.settings import load_service_settings

    monkeypatch.setenv("FILINGCHECK_REVIEW_URL", url)
    with pytest.raises(BadInputError, match="FILINGCHECK_REVIEW_URL"):
        load_service_settings()


def test_an_index_line_is_stored_compactly_and_read_back_whole() -> None:
    from pipeline.report.html import IndexEntry
    from tests.test_html_factory import flagged_report
    from workers.index_records import entry_json, entry_of_json

    report, _ = flagged_report()
    entry = IndexEntry.from_report(report, f"{report.packet_id}/report.html")
    stored = entry_json(entry)
    assert report.packet_id not in stored and len(stored.encode()) < 200
    assert entry_of_json(report.packet_id, stored) == entry
    assert entry_of_json(report.packet_id, '{"verdict": "pass"}') is None  # an older format
