"""The batch index: entries from reports, working order, counts, filters, escaping (no browser)."""

import base64
import hashlib
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from pydantic import ValidationError

from pipeline.report.html import IndexEntry, render_index_page
from pipeline.report.html.index_view import working_order
from schemas import FlagCode, Verdict
from tests.test_html_factory import (
    HOSTILE,
    flagged_report,
    hostile_report,
    make_report,
)
from tests.test_html_packet import one, soup_of


def entry(packet_id: str, verdict: Verdict, minute: int = 0, **update: object) -> IndexEntry:
    """An index entry made by hand (validated like any other)."""
    fields = {
        "packet_id": packet_id,
        "verdict": verdict,
        "href": f"{packet_id}.html",
        "checked_at": datetime(2025, 3, 1, 9, minute),
    }
    return IndexEntry.model_validate(fields | update)


def test_entry_from_report_lists_codes_most_severe_first() -> None:
    report, _ = flagged_report()
    made = IndexEntry.from_report(report, "P20250301-0001.html")
    assert made.packet_id == "P20250301-0001"
    assert made.verdict is Verdict.REJECT
    assert made.flag_codes == [
        FlagCode.NAME_MISMATCH,
        FlagCode.LOW_QUALITY,
        FlagCode.PHONE_FORMAT,
    ]
    assert made.error_codes == [FlagCode.NAME_MISMATCH]
    assert (made.error_count, made.warning_count) == (1, 1)
    assert made.subject_name == "北京星河云帆科技有限公司"
    assert made.href == "P20250301-0001.html"


def test_working_order_puts_packets_needing_a_human_first() -> None:
    entries = [
        entry("a", Verdict.PASS),
        entry("b", Verdict.REVIEW),
        entry("c", Verdict.REJECT, minute=5),
        entry("d", Verdict.NEEDS_MATERIALS),
        entry("e", Verdict.REJECT, minute=1),
    ]
    assert [e.packet_id for e in working_order(entries)] == ["e", "c", "d", "b", "a"]


@pytest.mark.parametrize("href", ["javascript:alert(1)", "data:text/html,x", "JavaScript:x"])
def test_entry_refuses_a_scripting_link(href: str) -> None:
    with pytest.raises(ValidationError):
        entry("a", Verdict.PASS, href=href)


@pytest.mark.parametrize(
    "href", ["P1.html", "reports/P1/report.html", "https://s3.local/filings/r.html?X-Amz=1"]
)
def test_entry_accepts_relative_and_http_links(href: str) -> None:
    assert entry("a", Verdict.PASS, href=href).href == href


@pytest.fixture(scope="module")
def index_soup() -> BeautifulSoup:
    entries = [
        entry("P-pass", Verdict.PASS),
        entry("P-review", Verdict.REVIEW, flag_codes=[FlagCode.LOW_QUALITY]),
        entry(
            "P-reject",
            Verdict.REJECT,
            flag_codes=[FlagCode.NAME_MISMATCH, FlagCode.LOW_QUALITY],
            error_codes=[FlagCode.NAME_MISMATCH],
        ),
        entry("P-more", Verdict.NEEDS_MATERIALS, flag_codes=[FlagCode.MISSING_DOCUMENT]),
    ]
    return soup_of(render_index_page(entries))


def test_index_rows_are_in_working_order_and_link_to_packets(index_soup: BeautifulSoup) -> None:
    rows = index_soup.select("#packets tbody tr")
    assert [row["data-verdict"] for row in rows] == ["reject", "needs_materials", "review", "pass"]
    links = [str(one(row, ".packet-link a")["href"]) for row in rows]
    assert links == ["P-reject.html", "P-more.html", "P-review.html", "P-pass.html"]
    assert rows[0]["data-flags"] == "NAME_MISMATCH LOW_QUALITY"


def test_index_counts_each_verdict_at_the_top(index_soup: BeautifulSoup) -> None:
    counts = {
        str(button["data-set-verdict"]): int(str(button["data-count"]))
        for button in index_soup.select("#counts button")
    }
    assert counts == {"reject": 1, "needs_materials": 1, "review": 1, "pass": 1}
    assert one(index_soup, "#total-count").get_text() == "4"


def test_index_offers_each_present_flag_code_as_a_filter(index_soup: BeautifulSoup) -> None:
    options = [str(o["value"]) for o in index_soup.select("#flag-filter option")]
    assert options == ["", "NAME_MISMATCH", "MISSING_DOCUMENT", "LOW_QUALITY"]
    verdicts = [str(o["value"]) for o in index_soup.select("#verdict-filter option")]
    assert verdicts == ["", "reject", "needs_materials", "review", "pass"]


def test_index_script_is_the_only_one_allowed_to_run(index_soup: BeautifulSoup) -> None:
    script = one(index_soup, "script").get_text()
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = str(one(index_soup, 'meta[http-equiv="Content-Security-Policy"]')["content"])
    assert f"script-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy


def test_index_shows_a_hostile_subject_name_as_text() -> None:
    report, _ = hostile_report()
    html = render_index_page([IndexEntry.from_report(report, "x.html")])
    soup = soup_of(html)
    assert len(soup.select("script")) == 1
    assert HOSTILE in soup.select("#packets tbody td")[2].get_text()


def test_empty_batch_renders_zero_counts() -> None:
    soup = soup_of(render_index_page([]))
    assert one(soup, "#total-count").get_text() == "0"
    assert not soup.select("#packets tbody tr")


def test_index_without_form_shows_a_dash_for_the_name() -> None:
    report, _ = make_report()
    report.form = None
    made = IndexEntry.from_report(report, "P.html")
    soup = soup_of(render_index_page([made]))
    assert made.subject_name is None
    assert soup.select("#packets tbody td")[2].get_text(strip=True) == "—"
