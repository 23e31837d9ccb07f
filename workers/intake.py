"""Intake: upload a local packet folder into the bucket, and enqueue a packet for checking."""

import logging
import mimetypes
from functools import cache
from pathlib import Path

from dramatiq import Actor

from pipeline.errors import BadInputError, DocumentError, LimitExceededError, UnsafePathError
from pipeline.form import parse_form
from pipeline.settings import Settings, get_settings
from pipeline.sources import FolderSource
from schemas import FilingForm
from workers.actors import declare_check_packet
from workers.broker import broker_errors, build_broker
from workers.layout import form_key, packet_file_key, validate_packet_id
from workers.storage import Storage, open_storage

FORM_TYPE = "application/json; charset=utf-8"

logger = logging.getLogger("filingcheck.workers.intake")


@cache
def _default_actor() -> Actor[[str], None]:
    """The actor declared on a broker built from the process settings (made once)."""
    settings = get_settings()
    return declare_check_packet(build_broker(settings), settings)


def submit_packet(packet_id: str, actor: Actor[[str], None] | None = None) -> str:
    """Enqueue packets/<packet_id>/ for checking; returns the Dramatiq message id."""
    validate_packet_id(packet_id)
    with broker_errors(get_settings().broker_url if actor is None else None):
        message = (actor or _default_actor()).send(packet_id)
    return message.message_id


def read_packet_form(folder: Path, settings: Settings) -> FilingForm:
    """The folder's validated form.json (FormError naming what is wrong)."""
    if not folder.is_dir():
        raise BadInputError(f"{folder} is not a folder")
    return parse_form(FolderSource(folder).read_form(settings.max_form_bytes))


def upload_packet(
    folder: Path, storage: Storage | None = None, settings: Settings | None = None
) -> str:
    """Upload form.json and the files it names (refusing escapes); returns the packet id.

    A named file that is not in the folder is left out with a warning: the check then
    reports it, as `filingcheck check` would. form.json goes last, so a packet is only
    visible to reprocessing once all its files are in the bucket.
    """
    settings = settings or get_settings()
    storage = storage or open_storage(settings)
    form = read_packet_form(folder, settings)
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
    raw_form = source.read_form(settings.max_form_bytes)
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
