"""The check_packet actor: thin — packet from storage → pipeline → report into storage."""

import logging
import time
from functools import cache
from typing import TYPE_CHECKING

import dramatiq
from dramatiq import Actor, Broker

from pipeline.errors import BadInputError, NotFoundError
from pipeline.privacy import mask_sensitive
from pipeline.settings import Settings, get_settings
from workers.layout import form_key
from workers.packet_source import StoragePacketSource
from workers.reports import write_report
from workers.storage import Storage, open_storage

if TYPE_CHECKING:
    from pipeline.ocr.base import OcrEngine
    from pipeline.packet import CheckOutcome

ACTOR_NAME = "check_packet"
# Wall time for one packet: every document at its own limit, twice over, plus a minute.
TIME_LIMIT_MARGIN_MS = 60_000

logger = logging.getLogger("filingcheck.workers")


@cache
def process_storage() -> Storage:
    """This process's storage client (thread-safe; made on first use)."""
    return open_storage(get_settings())


def check_packet(packet_id: str) -> None:
    """Check packets/<packet_id>/ and write reports/<packet_id>/report.json."""
    from pipeline.ocr.registry import engine_for_thread

    settings = get_settings()
    started = time.perf_counter()
    logger.info("checking packet %s", mask_sensitive(packet_id))
    engine = engine_for_thread(settings)
    outcome = check_stored_packet(process_storage(), engine, settings, packet_id)
    codes = ",".join(sorted({flag.code.value for flag in outcome.report.flags})) or "-"
    logger.info(
        "checked packet %s: %s, flags %s, %.1f s",
        mask_sensitive(packet_id),
        outcome.report.verdict.value,
        codes,
        time.perf_counter() - started,
    )


def check_stored_packet(
    storage: Storage, engine: "OcrEngine", settings: Settings, packet_id: str
) -> "CheckOutcome":
    """Run the pipeline on packets/<id>/ and write its report (NotFoundError: no such packet)."""
    from pipeline.packet import check_packet as run_pipeline

    source = StoragePacketSource(storage, packet_id)
    if not source.exists():
        raise NotFoundError(f"packet {packet_id}: no {form_key(packet_id)} in {storage.describe()}")
    outcome = run_pipeline(source, engine, settings, packet_id_hint=packet_id)
    write_report(storage, packet_id, outcome)
    return outcome


def packet_time_limit_ms(settings: Settings) -> int:
    """The longest one packet may take before the worker interrupts it (then it is retried)."""
    documents_ms = settings.document_seconds * 1000 * settings.max_documents
    return int(2 * documents_ms + TIME_LIMIT_MARGIN_MS)


def declare_check_packet(broker: Broker, settings: Settings) -> Actor[[str], None]:
    """Declare the actor on this broker: bad input is not retried; the rest retries, then DLQ."""
    declare = dramatiq.actor(
        broker=broker,
        actor_name=ACTOR_NAME,
        queue_name=settings.queue,
        max_retries=settings.max_retries,
        min_backoff=settings.retry_min_backoff_ms,
        max_backoff=settings.retry_max_backoff_ms,
        time_limit=packet_time_limit_ms(settings),
        throws=(BadInputError,),
    )
    return declare(check_packet)
