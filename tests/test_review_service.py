"""Reviewer pages on real servers: page images beside report.html in SeaweedFS, the review
server (`filingcheck serve`), `filingcheck open` with and without it, the paged index on Redis.

Two packets are checked once for the module by a real worker (fake OCR engine).
"""

import hashlib
import http.client
import re
import subprocess
import threading
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pipeline.report.html import IndexEntry
from schemas import Verdict
from tests.services import (
    BIN,
    RedisServer,
    SeaweedS3,
    ServiceStack,
    clean_environment,
    free_ports,
    write_packet,
)
from tests.test_workers_service import filingcheck, wait_for_report
from workers.index_records import RedisIndexRecords
from workers.intake import send_packets, upload_packet
from workers.layout import report_full_key, report_html_key
from workers.minio_store import MinioStorage
from workers.review_index import build_review_index, index_page_key
from workers.review_server import ReviewServer

pytestmark = [pytest.mark.services, pytest.mark.slow]

PACKETS = ["PKT-R1", "PKT-R2"]
IMAGE_SRC = re.compile(r'<img src="([^"]+)"')


@pytest.fixture(scope="module")
def checked(
    redis_server: RedisServer, s3_server: SeaweedS3, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceStack]:
    """A stack whose worker has checked PACKETS (then stopped)."""
    workdir = tmp_path_factory.mktemp("review")
    stack = ServiceStack(workdir, f"fc-test-{uuid.uuid4().hex[:12]}", redis_server.url, s3_server)
    try:
        storage = stack.storage()
        for packet_id in PACKETS:
            upload_packet(write_packet(workdir / packet_id, packet_id), storage, stack.core())
        send_packets(PACKETS, stack.actor())
        worker = stack.start_worker()
        for packet_id in PACKETS:
            wait_for_report(storage, packet_id)
        worker.wait_for_log("checked packet PKT-R", count=len(PACKETS))
        yield stack
    finally:
        stack.close()


@pytest.fixture(scope="module")
def server(checked: ServiceStack) -> Iterator[ReviewServer]:
    """The review server over the stack's bucket, on a free port, in a thread."""
    running = ReviewServer(("127.0.0.1", 0), checked.storage())
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.shutdown()
        running.server_close()


def stored_page(storage: MinioStorage, packet_id: str) -> str:
    return storage.get(report_html_key(packet_id), 10**7).decode("utf-8")


def raw_get(server: ReviewServer, path: str, **headers: str) -> http.client.HTTPResponse:
    """A GET of exactly this path (no client-side normalisation of '..')."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_report_html_refers_to_page_images_stored_beside_it(checked: ServiceStack) -> None:
    storage = checked.storage()
    page = stored_page(storage, "PKT-R1")
    sources = IMAGE_SRC.findall(page)
    assert len(sources) == 3  # license, ID front, ID back: one page each
    assert "data:image" not in page
    for source in sources:
        assert re.fullmatch(r"pages/d[0-2]-p0\.jpg", source)
        image = storage.get(f"reports/PKT-R1/{source}", 10**7)
        assert image[:3] == b"\xff\xd8\xff"  # JPEG
        assert storage.stat(f"reports/PKT-R1/{source}").content_type == "image/jpeg"


def test_the_server_serves_pages_and_their_images(
    checked: ServiceStack, server: ReviewServer
) -> None:
    storage = checked.storage()
    url = f"{server.url}/reports/PKT-R1/report.html"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        assert response.headers["Cache-Control"] == "no-cache"
        page = response.read().decode("utf-8")
    assert page == stored_page(storage, "PKT-R1")
    for source in IMAGE_SRC.findall(page):
        with urllib.request.urlopen(urllib.parse.urljoin(url, source), timeout=10) as image:
            assert image.headers["Content-Type"] == "image/jpeg"
            assert image.read() == storage.get(f"reports/PKT-R1/{source}", 10**7)


def test_the_server_answers_a_known_version_with_304(server: ReviewServer) -> None:
    first = raw_get(server, "/reports/PKT-R1/report.html")
    assert first.status == 200 and first.headers["ETag"]
    again = raw_get(
        server, "/reports/PKT-R1/report.html", **{"If-None-Match": first.headers["ETag"]}
    )
    assert again.status == 304


@pytest.mark.parametrize(
    "path",
    [
        "/packets/PKT-R1/form.json",
        "/reports/../packets/PKT-R1/form.json",
        "/reports/%2e%2e/packets/PKT-R1/form.json",
        "/reports/PKT-R1/..%2f..%2fpackets/PKT-R1/form.json",
        "/reports//PKT-R1/report.html",
        "/reports/PKT-R1/report.html%00",
        "/reprocess/checkpoint-all-_.json",
        "/reports/PKT-NONE/report.html",
    ],
)
def test_the_server_refuses_keys_outside_reports_and_traversal(
    server: ReviewServer, path: str
) -> None:
    assert raw_get(server, path).status == 404


def test_the_front_door_leads_to_the_index(server: ReviewServer) -> None:
    response = raw_get(server, "/")
    assert response.status == 302 and response.headers["Location"] == "/reports/index.html"


def test_open_without_a_review_server_links_a_self_contained_copy(checked: ServiceStack) -> None:
    storage = checked.storage()
    url = filingcheck(checked, "open", "PKT-R2", "--expires", "60").strip()
    assert "report-full.html" in url and "X-Amz-Signature" in url
    with urllib.request.urlopen(url, timeout=10) as response:
        page = response.read().decode("utf-8")
    sources = IMAGE_SRC.findall(page)
    assert len(sources) == 3 and all(s.startswith("data:image/jpeg;base64,") for s in sources)
    made = storage.stat(report_full_key("PKT-R2"))
    assert (
        made.metadata["page-sha256"]
        == hashlib.sha256(storage.get(report_html_key("PKT-R2"), 10**7)).hexdigest()
    )  # the copy names the page it was made from, so a second open reuses it
    filingcheck(checked, "open", "PKT-R2")
    assert storage.stat(report_full_key("PKT-R2")).metadata == made.metadata


def test_open_with_a_review_server_links_the_served_page(
    checked: ServiceStack, server: ReviewServer
) -> None:
    checked.env["FILINGCHECK_REVIEW_URL"] = server.url + "/"
    try:
        url = filingcheck(checked, "open", "PKT-R1").strip()
    finally:
        del checked.env["FILINGCHECK_REVIEW_URL"]
    assert url == f"{server.url}/reports/PKT-R1/report.html"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert "PKT-R1" in response.read().decode("utf-8")


def test_index_command_pages_the_workers_records(checked: ServiceStack) -> None:
    output = filingcheck(checked, "index", "--page-size", "1")
    assert "2 packets" in output
    storage = checked.storage()
    first = storage.get("reports/index.html", 10**7).decode("utf-8")
    second = storage.get("reports/index-all-2.html", 10**7).decode("utf-8")
    newest, older = (
        re.findall(r'href="(PKT-R\d)/report.html"', page)[0] for page in (first, second)
    )
    assert {newest, older} == set(PACKETS)
    assert 'href="index-all-2.html"' in first and 'href="index.html"' in second


def entry(packet_id: str, verdict: Verdict, checked_at: datetime) -> IndexEntry:
    return IndexEntry(
        packet_id=packet_id, verdict=verdict, href="x", checked_at=checked_at, subject_name="某公司"
    )


def test_index_pages_split_at_the_page_size_newest_first(
    redis_server: RedisServer, checked: ServiceStack
) -> None:
    storage = checked.storage()
    records = RedisIndexRecords.from_url(redis_server.url, f"idx-{uuid.uuid4().hex[:8]}")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    verdicts = [Verdict.PASS, Verdict.REJECT, Verdict.PASS]
    for number in range(8):
        checked_at = start + timedelta(minutes=number)
        records.record(entry(f"IX-{number}", verdicts[number % 3], checked_at))
    records.record(entry("IX-0", Verdict.REVIEW, start + timedelta(hours=1)))  # re-checked last

    build = build_review_index(storage, records, page_size=3)

    assert build.packets == 8
    assert dict(build.pages) == {"all": 3, "pass": 2, "reject": 1, "review": 1,
                                 "needs_materials": 1}  # fmt: skip
    pages = [storage.get(index_page_key("all", n), 10**7).decode("utf-8") for n in (1, 2, 3)]
    listed = [re.findall(r'href="(IX-\d)/report.html"', page) for page in pages]
    assert listed == [["IX-0", "IX-7", "IX-6"], ["IX-5", "IX-4", "IX-3"], ["IX-2", "IX-1"]]
    assert 'rel="next" href="index-all-2.html"' in pages[0] and 'rel="prev"' not in pages[0]
    assert 'rel="prev" href="index.html"' in pages[1]
    assert 'rel="next"' not in pages[2]
    passes = storage.get(index_page_key("pass", 1), 10**7).decode("utf-8")
    assert re.findall(r'href="(IX-\d)/report.html"', passes) == ["IX-6", "IX-5", "IX-3"]
    review = storage.get(index_page_key("review", 1), 10**7).decode("utf-8")
    assert re.findall(r'href="(IX-\d)/report.html"', review) == ["IX-0"]


@pytest.mark.browser
def test_a_served_page_shows_its_images_in_a_browser(server: ReviewServer) -> None:
    from tests.browser import chromium

    with chromium() as browser:
        tab = browser.new_page()
        tab.goto(f"{server.url}/reports/PKT-R1/report.html", wait_until="load")
        widths = tab.eval_on_selector_all(".page img", "imgs => imgs.map(i => i.naturalWidth)")
        tab.close()
    assert len(widths) == 3 and all(width > 0 for width in widths)


def test_filingcheck_serve_serves_the_configured_bucket(checked: ServiceStack) -> None:
    port = free_ports(1)[0]
    command = [str(BIN / "filingcheck"), "serve", "--port", str(port)]
    environment = clean_environment() | checked.env
    server = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert server.stdout is not None
        assert f"http://127.0.0.1:{port}/reports/index.html" in server.stdout.readline()
        url = f"http://127.0.0.1:{port}/reports/PKT-R2/report.html"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert "PKT-R2" in response.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=10)
