"""The bucket layout (exact; other tools depend on it): packets/<id>/… and reports/<id>/…."""

import re

from pipeline.errors import BadInputError
from pipeline.sources import FORM_NAME, safe_relative_name
from schemas.form import PACKET_ID_PATTERN, is_safe_packet_id

PACKETS_PREFIX = "packets/"
REPORTS_PREFIX = "reports/"
REPORT_JSON = "report.json"
REPORT_HTML = "report.html"
REPORT_FULL_HTML = "report-full.html"  # report.html with its images inlined, made by `open`
INDEX_HTML_KEY = f"{REPORTS_PREFIX}index.html"  # the reviewer index of the last reprocess --wait


def validate_packet_id(packet_id: str) -> str:
    """The packet id unchanged, or BadInputError when it could not be a safe key part."""
    if not isinstance(packet_id, str) or not is_safe_packet_id(packet_id):
        raise BadInputError(f"{packet_id!r} is not a valid packet id (pattern {PACKET_ID_PATTERN})")
    return packet_id


def packet_prefix(packet_id: str) -> str:
    """The key prefix holding one packet's form and files."""
    return f"{PACKETS_PREFIX}{validate_packet_id(packet_id)}/"


def packet_file_key(packet_id: str, name: str) -> str:
    """The key of one file of a packet (UnsafePathError for names that escape)."""
    return packet_prefix(packet_id) + str(safe_relative_name(name))


def form_key(packet_id: str) -> str:
    """The key of a packet's form.json."""
    return packet_prefix(packet_id) + FORM_NAME


def report_key(packet_id: str) -> str:
    """The key of a packet's report.json."""
    return f"{REPORTS_PREFIX}{validate_packet_id(packet_id)}/{REPORT_JSON}"


def report_html_key(packet_id: str) -> str:
    """The key of a packet's reviewer page."""
    return f"{REPORTS_PREFIX}{validate_packet_id(packet_id)}/{REPORT_HTML}"


def report_folder(packet_id: str) -> str:
    """The key prefix of a packet's report, page and page images."""
    return f"{REPORTS_PREFIX}{validate_packet_id(packet_id)}/"


def report_full_key(packet_id: str) -> str:
    """The key of a packet's self-contained reviewer page (for links without the server)."""
    return report_folder(packet_id) + REPORT_FULL_HTML


def report_file_key(packet_id: str, relative: str) -> str:
    """The key of a file beside report.html, e.g. pages/d0-p0.jpg (UnsafePathError: escapes)."""
    return report_folder(packet_id) + str(safe_relative_name(relative))


def packet_id_of_form_key(key: str) -> str | None:
    """The packet id when the key is exactly packets/<id>/form.json, else None."""
    parts = key.split("/")
    if len(parts) != 3 or parts[0] + "/" != PACKETS_PREFIX or parts[2] != FORM_NAME:
        return None
    return parts[1] if re.fullmatch(PACKET_ID_PATTERN, parts[1]) else None


def report_id_of_key(key: str) -> str | None:
    """The packet id when the key is exactly reports/<id>/report.json, else None."""
    parts = key.split("/")
    if len(parts) != 3 or parts[0] + "/" != REPORTS_PREFIX or parts[2] != REPORT_JSON:
        return None
    return parts[1] if re.fullmatch(PACKET_ID_PATTERN, parts[1]) else None
