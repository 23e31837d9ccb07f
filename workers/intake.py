"""Intake: upload local packet folders into the bucket, and enqueue packets for checking."""

import logging
import mimetypes
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from functools import cache
from pathlib import Path
from typing import Any

from dramatiq import Actor
from pydantic import BaseModel

from pipeline.errors import (
    BadInputError,
    DocumentError,
    FilingCheckError,
    LimitExceededError,
    UnsafePathError,
)
from pipeline.form import parse_form
from pipeline.settings import Settings
from pipeline.sources import FolderSource
from schemas import FilingForm
from workers.actors import WorkerContext, declare_check_packet
from workers.broker import MaintainedRedisBroker, broker_errors, build_broker
from workers.layout import form_key, packet_file_key, validate_packet_id
from workers.settings import load_service_settings
from workers.storage import Storage

FORM_TYPE = "application/json; charset=utf-8"
ENQUEUE_BATCH = 200

logger = logging.getLogger("filingcheck.workers.intake")

PacketActor = Actor[..., None]


@cache
def _default_actor() -> PacketActor:
    """The actor declared on a broker built from the environment's settings (made once)."""
    service = load_service_settings()
    return declare_check_packet(build_broker(service), WorkerContext(service, Settings()))


def submit_packet(packet_id: str, actor: PacketActor | None = None) -> str:
    """Enqueue packets/<packet_id>/ for checking; returns the Dramatiq message id."""
    return send_packets([packet_id], actor)[0]


def send_packets(
    packet_ids: Sequence[str], actor: PacketActor | None = None, run_id: str | None = None
) -> list[str]:
    """Enqueue packets in one batch (one round trip on Redis); their message ids, in order."""
    url = load_service_settings().broker_url if actor is None else None
    actor = actor or _default_actor()
    for packet_id in packet_ids:
        validate_packet_id(packet_id)
    kwargs: dict[str, Any] = {"run_id": run_id} if run_id else {}
    messages = [actor.message_with_options(args=(pid,), kwargs=kwargs) for pid in packet_ids]
    broker = actor.broker
    with broker_errors(url):
        if isinstance(broker, MaintainedRedisBroker):
            sent = broker.enqueue_many(messages)
        else:
            sent = [broker.enqueue(message) for message in messages]
    return [message.message_id for message in sent]


class Submitted(BaseModel):
    """One folder of a submit: its packet id and message id, or what went wrong."""

    folder: Path
    packet_id: str | None = None
    message_id: str | None = None
    error: str | None = None
    exit_code: int = 0


def submit_folders(
    folders: Iterable[Path],
    storage: Storage,
    settings: Settings,
    actor: PacketActor | None = None,
    connections: int = 16,
    batch: int = ENQUEUE_BATCH,
) -> Iterator[Submitted]:
    """Upload folders with a bounded pool; enqueue in batches the packets fully written."""
    ready: list[Submitted] = []
    for done in _uploaded(folders, storage, settings, connections):
        if done.packet_id is None:
            yield done
            continue
        ready.append(done)
        if len(ready) >= batch:
            yield from _enqueue_ready(ready, actor)
            ready = []
    yield from _enqueue_ready(ready, actor)


def _uploaded(
    folders: Iterable[Path], storage: Storage, settings: Settings, connections: int
) -> Iterator[Submitted]:
    """Each folder uploaded (at most 2 × connections in flight), as they finish."""
    in_flight: dict[Future[str], Path] = {}
    pending = iter(folders)
    with ThreadPoolExecutor(max_workers=connections, thread_name_prefix="upload") as pool:
        while True:
            for folder in pending:
                in_flight[pool.submit(upload_packet, folder, storage, settings)] = folder
                if len(in_flight) >= 2 * connections:
                    break
            if not in_flight:
                return
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                yield _result(in_flight.pop(future), future)


def _result(folder: Path, future: "Future[str]") -> Submitted:
    try:
        return Submitted(folder=folder, packet_id=future.result())
    except FilingCheckError as error:
        return Submitted(folder=folder, error=error.message, exit_code=error.exit_code)


def _enqueue_ready(ready: list[Submitted], actor: PacketActor | None) -> list[Submitted]:
    if not ready:
        return []
    ids = send_packets([item.packet_id or "" for item in ready], actor)
    return [
        item.model_copy(update={"message_id": mid}) for item, mid in zip(ready, ids, strict=True)
    ]


def _read_form(folder: Path, settings: Settings) -> tuple[FilingForm, bytes]:
    """The validated form and the exact bytes validated (read once: what is checked is what
    is uploaded)."""
    if not folder.is_dir():
        raise BadInputError(f"{folder} is not a folder")
    raw = FolderSource(folder).read_form(settings.max_form_bytes)
    return parse_form(raw), raw


def upload_packet(folder: Path, storage: Storage, settings: Settings) -> str:
    """Upload form.json and the files it names (refusing escapes); returns the packet id.

    A named file that is not in the folder is left out with a warning: the check then
    reports it, as `filingcheck check` would. form.json goes last, so a packet is only
    visible to reprocessing once all its files are in the bucket.
    """
    form, raw_form = _read_form(folder, settings)
    source = FolderSource(folder)
    total = 0
    for name in dict.fromkeys(ref.file for ref in form.documents):
        data = _read_named_file(source, name, settings)
        if data is None:
            continue
        total += len(data)
        if total > settings.max_packet_bytes:
            raise BadInputError(f"{folder}: the files are over {settings.max_packet_bytes} bytes")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        storage.put(packet_file_key(form.packet_id, name), data, content_type)
    storage.put(form_key(form.packet_id), raw_form, FORM_TYPE)
    return form.packet_id


def _read_named_file(source: FolderSource, name: str, settings: Settings) -> bytes | None:
    """The file's bytes; None (with a warning) when it is missing; errors for escapes or size."""
    try:
        return source.read_file(name, settings.max_file_bytes)
    except (UnsafePathError, LimitExceededError):
        raise
    except DocumentError as e:
        logger.warning("%s: %s; uploading the packet without it", source.describe(), e.message)
        return None
