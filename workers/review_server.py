"""`filingcheck serve`: a small read-only web server over the bucket's reports/ for reviewers.

Relative links then just work: index pages → reports/<id>/report.html → its pages/ images.
Only keys under reports/ are served (GET and HEAD); objects are streamed in chunks, so memory
stays bounded whatever their size; at most MAX_CONCURRENT requests run at once.
"""

import logging
import threading
from collections.abc import Iterator
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from pipeline.errors import FilingCheckError, NotFoundError
from pipeline.privacy import mask_sensitive
from workers.layout import INDEX_HTML_KEY, REPORTS_PREFIX
from workers.storage import ObjectInfo, Storage

CHUNK_BYTES = 64 * 1024
MAX_CONCURRENT = 32
SOCKET_TIMEOUT_SECONDS = 30.0
IMAGE_CACHE = "public, max-age=300"
PAGE_CACHE = "no-cache"  # pages change on a re-check or an index rebuild: revalidate (ETag)

logger = logging.getLogger("filingcheck.review")


def key_of_path(raw_path: str) -> str | None:
    """The object key a request path names, or None when it is outside reports/ or unsafe."""
    path = unquote(urlsplit(raw_path).path, errors="strict")
    key = path.removeprefix("/")
    parts = key.split("/")
    unsafe = any(part in ("", ".", "..") or part.startswith(".") for part in parts)
    if unsafe or "\\" in key or "\x00" in key or not path.startswith("/" + REPORTS_PREFIX):
        return None
    return key


def is_front_door(raw_path: str) -> bool:
    """/, /reports and /reports/: sent on to the index (whose links are relative to reports/)."""
    return urlsplit(raw_path).path in ("", "/", "/reports", "/reports/")


def entity_tag(info: ObjectInfo) -> str:
    """A validator that changes whenever the object is replaced (size and time written)."""
    written = int(info.last_modified.timestamp() * 1_000_000) if info.last_modified else 0
    return f'"{info.size:x}-{written:x}"'


class ReviewHandler(BaseHTTPRequestHandler):
    """GET and HEAD of reports/ keys; everything else is 404 (other methods: 501)."""

    server: "ReviewServer"
    timeout = SOCKET_TIMEOUT_SECONDS
    server_version = "filingcheck-review"
    sys_version = ""

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        if not self.server.slots.acquire(blocking=False):
            self._refuse(HTTPStatus.SERVICE_UNAVAILABLE, "busy; try again")
            return
        try:
            self._serve_object(send_body)
        finally:
            self.server.slots.release()

    def _serve_object(self, send_body: bool) -> None:
        if is_front_door(self.path):
            self._redirect("/" + INDEX_HTML_KEY)
            return
        try:
            key = key_of_path(self.path)
        except UnicodeDecodeError:
            key = None
        if key is None:
            self._refuse(HTTPStatus.NOT_FOUND, "not a reviewer page")
            return
        try:
            info = self.server.storage.stat(key)
            tag = entity_tag(info)
            if self.headers.get("If-None-Match") == tag:
                self._headers(HTTPStatus.NOT_MODIFIED, info, tag, send_length=False)
                return
            chunks = self.server.storage.stream(key, CHUNK_BYTES) if send_body else iter(())
            first = next(chunks, b"")
        except NotFoundError:
            self._refuse(HTTPStatus.NOT_FOUND, "no such page")
            return
        except FilingCheckError as error:
            logger.warning("cannot serve %s: %s", mask_sensitive(key), error.message)
            self._refuse(HTTPStatus.BAD_GATEWAY, "the storage did not answer")
            return
        self._headers(HTTPStatus.OK, info, tag)
        if send_body:
            self._send_chunks(key, first, chunks)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_chunks(self, key: str, first: bytes, chunks: Iterator[bytes]) -> None:
        try:
            self.wfile.write(first)
            for chunk in chunks:
                self.wfile.write(chunk)
        except FilingCheckError as error:  # mid-body: the length cannot be honoured, so close
            logger.warning("stopped serving %s: %s", mask_sensitive(key), error.message)
            self.close_connection = True

    def _headers(
        self, status: HTTPStatus, info: ObjectInfo, tag: str, send_length: bool = True
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", info.content_type)
        if send_length:
            self.send_header("Content-Length", str(info.size))
        self.send_header("ETag", tag)
        if info.last_modified is not None:
            self.send_header("Last-Modified", format_datetime(info.last_modified, usegmt=True))
        cache = IMAGE_CACHE if info.content_type.startswith("image/") else PAGE_CACHE
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        body = f"{status.value} {message}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        logger.info("%s %s", self.address_string(), mask_sensitive(format % args))


class ReviewServer(ThreadingHTTPServer):
    """A thread per connection (daemon threads), over one storage."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], storage: Storage) -> None:
        super().__init__(address, ReviewHandler)
        self.storage = storage
        self.slots = threading.BoundedSemaphore(MAX_CONCURRENT)

    @property
    def url(self) -> str:
        """The server's base URL."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"
