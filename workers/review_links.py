"""The link `filingcheck open` prints: the review server's page, or a self-contained copy.

A report.html in the bucket refers to its page images by relative path, which a presigned
link (signed for one object) cannot follow. Without a review server the link is therefore to
reports/<id>/report-full.html: report.html with its images inlined, made on demand and reused
while report.html is the page it was made from (its SHA-256, kept in the copy's metadata:
S3 times have one-second resolution, too coarse to say which of two objects is newer).
"""

import hashlib

from pipeline.errors import NotFoundError
from workers.layout import report_file_key, report_full_key, report_html_key, validate_packet_id
from workers.reports import HTML_TYPE
from workers.storage import Storage

MAX_PAGE_BYTES = 16 * 1024 * 1024
MAX_IMAGE_BYTES = 16 * 1024 * 1024
SOURCE_DIGEST = "page-sha256"  # metadata of the copy: the report.html it was made from


def review_url(base_url: str, packet_id: str) -> str:
    """The packet's page on the review server at base_url (FILINGCHECK_REVIEW_URL)."""
    return f"{base_url.rstrip('/')}/reports/{validate_packet_id(packet_id)}/report.html"


def self_contained_key(storage: Storage, packet_id: str) -> str:
    """reports/<id>/report-full.html, made now unless the copy there was made from the
    report.html stored now."""
    page = storage.get(report_html_key(packet_id), MAX_PAGE_BYTES)
    digest = hashlib.sha256(page).hexdigest()
    full_key = report_full_key(packet_id)
    try:
        if storage.stat(full_key).metadata.get(SOURCE_DIGEST) == digest:
            return full_key
    except NotFoundError:
        pass
    copy = self_contained_page(storage, packet_id, page.decode("utf-8"))
    storage.put(full_key, copy.encode(), HTML_TYPE, {SOURCE_DIGEST: digest})
    return full_key


def self_contained_page(storage: Storage, packet_id: str, page: str) -> str:
    """The stored page with each of its page images inlined (NotFoundError: one is missing)."""
    from pipeline.report.html import inline_page_images

    return inline_page_images(
        page, lambda relative: storage.get(report_file_key(packet_id, relative), MAX_IMAGE_BYTES)
    )


def open_link(storage: Storage, packet_id: str, expires_seconds: int, base_url: str | None) -> str:
    """The URL a reviewer opens for this packet's report."""
    if base_url:
        storage.stat(report_html_key(packet_id))  # NotFoundError when there is no report
        return review_url(base_url, packet_id)
    return storage.presigned_url(self_contained_key(storage, packet_id), expires_seconds)
