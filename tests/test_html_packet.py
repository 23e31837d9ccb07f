"""The packet page as HTML: verdict, flags, boxes, escaping, self-containment (no browser)."""

import base64
import re

import cv2
import numpy as np
import pytest
from bs4 import BeautifulSoup, Tag

from pipeline.report.html import render_packet_page
from pipeline.report.html.agreement import FieldState, field_state
from pipeline.report.html.crops import CROP_HEIGHT
from pipeline.report.html.overlay import place_labels, scaled_box
from schemas import (
    CharacterDoubt,
    ComparedField,
    ComparisonOutcome,
    DocumentKind,
    DocumentResult,
    DocumentStatus,
    FieldComparison,
    FieldEvidence,
    FilingType,
    Flag,
    FlagCode,
    Quality,
    QualityIssue,
    Severity,
    Verdict,
)
from tests.test_html_factory import (
    COMPANY,
    HOSTILE,
    HOSTILE_FILE,
    MISREAD_COMPANY,
    PREVIEW_SCALE,
    flagged_report,
    hostile_report,
    make_report,
    name_mismatch,
    organization_documents,
)

BOX = [(100.0, 300.0), (400.0, 300.0), (400.0, 330.0), (100.0, 330.0)]


def soup_of(html: str) -> BeautifulSoup:
    """Parsed page."""
    return BeautifulSoup(html, "html.parser")


def one(soup: BeautifulSoup | Tag, selector: str) -> Tag:
    """The single element a selector must match."""
    found = soup.select(selector)
    assert len(found) == 1, f"{selector}: {len(found)} matches"
    return found[0]


@pytest.fixture(scope="module")
def flagged_soup() -> BeautifulSoup:
    report, previews = flagged_report()
    return soup_of(render_packet_page(report, previews))


@pytest.mark.parametrize(
    ("verdict", "label"),
    [
        (Verdict.PASS, "通过"),
        (Verdict.REVIEW, "需人工复核"),
        (Verdict.NEEDS_MATERIALS, "待完善资料"),
        (Verdict.REJECT, "建议驳回"),
    ],
)
def test_verdict_banner_names_the_verdict_in_chinese(verdict: Verdict, label: str) -> None:
    report, previews = make_report(verdict=verdict)
    soup = soup_of(render_packet_page(report, previews))
    assert one(soup, "#verdict .verdict-label").get_text(strip=True) == label
    assert f"verdict-{verdict.value}" in one(soup, "#verdict")["class"]


def test_flags_are_sorted_error_warning_info(flagged_soup: BeautifulSoup) -> None:
    severities = [li["data-code"] for li in flagged_soup.select("ol.flags li.flag")]
    assert severities == ["NAME_MISMATCH", "LOW_QUALITY", "PHONE_FORMAT"]


def test_flag_shows_message_both_values_and_a_link_to_its_evidence(
    flagged_soup: BeautifulSoup,
) -> None:
    flag = one(flagged_soup, 'li.flag[data-code="NAME_MISMATCH"]')
    assert "营业执照名称与表单单位名称不一致" in one(flag, ".message").get_text()
    assert one(flag, ".value-form .value-text").get_text(strip=True) == COMPANY
    assert one(flag, ".value-doc .value-text").get_text(strip=True) == MISREAD_COMPANY
    assert one(flag, "a.evidence-link")["href"] == "#ev-d0-name"
    assert one(flagged_soup, "#ev-d0-name").name == "g"


def test_flag_on_a_form_field_names_it_in_chinese(flagged_soup: BeautifulSoup) -> None:
    flag = one(flagged_soup, 'li.flag[data-code="PHONE_FORMAT"]')
    assert one(flag, ".where").get_text(strip=True) == "表单 · 办公电话"
    assert not flag.select("a.evidence-link")


def test_no_flags_says_so() -> None:
    report, previews = make_report(verdict=Verdict.PASS)
    soup = soup_of(render_packet_page(report, previews))
    assert "未发现问题" in one(soup, ".all-clear").get_text()


@pytest.mark.parametrize(
    ("anchor", "state"),
    [
        ("#ev-d0-name", "state-disagree"),
        ("#ev-d0-number", "state-agree"),
        ("#ev-d0-legal_representative", "state-unread"),
        ("#ev-d0-entity_type", "state-read"),
        ("#ev-d1-name", "state-agree"),
        ("#ev-d2-valid_to", "state-read"),  # checked against today, not compared with the form
        ("#ev-d2-issuing_authority", "state-read"),
    ],
)
def test_boxes_are_coloured_by_agreement(
    flagged_soup: BeautifulSoup, anchor: str, state: str
) -> None:
    assert state in one(flagged_soup, anchor)["class"]


def test_low_confidence_one_character_slip_is_a_doubt_not_a_disagreement() -> None:
    document = organization_documents()[0].result
    slip = name_mismatch().model_copy(update={"severity": Severity.WARNING})
    assert field_state(document, "name", [slip], FilingType.ORGANIZATION) is FieldState.DOUBT


@pytest.mark.parametrize("position", [0, 1, 2])
def test_box_points_are_evidence_times_preview_scale(position: int) -> None:
    documents = organization_documents()
    report, previews = make_report(documents=documents)
    soup = soup_of(render_packet_page(report, previews))
    document = documents[position].result
    for field, evidence in document.evidence.items():
        polygon = one(soup, f"#ev-d{position}-{field} polygon")
        drawn = [float(v) for p in str(polygon["points"]).split() for v in p.split(",")]
        expected = [v * PREVIEW_SCALE for point in evidence.box or [] for v in point]
        assert drawn == pytest.approx(expected, abs=0.06)


def test_every_document_image_is_embedded_as_its_preview_jpeg() -> None:
    documents = organization_documents()
    report, previews = make_report(documents=documents)
    soup = soup_of(render_packet_page(report, previews))
    sources = [str(img["src"]) for img in soup.select(".document img")]
    assert len(sources) == 3
    for document, source in zip(documents, sources, strict=True):
        prefix = "data:image/jpeg;base64,"
        assert source.startswith(prefix)
        assert base64.b64decode(source[len(prefix) :]) == document.previews[0].jpeg


def test_page_loads_nothing_from_the_network(flagged_soup: BeautifulSoup) -> None:
    for element in flagged_soup.find_all(src=True):
        assert str(element["src"]).startswith("data:")
    for element in flagged_soup.find_all(href=True):
        assert str(element["href"]).startswith("#")
    assert not flagged_soup.select("link, script, iframe, object, embed")
    policy = str(one(flagged_soup, 'meta[http-equiv="Content-Security-Policy"]')["content"])
    assert "default-src 'none'" in policy
    assert "script-src 'none'" in policy


def test_hostile_company_name_and_file_name_are_shown_as_text() -> None:
    html = render_packet_page(*hostile_report())
    soup = soup_of(html)
    assert "<script>" not in html
    assert not soup.select("script")
    assert not [tag for tag in soup.find_all(True) if tag.has_attr("onerror")]
    assert HOSTILE in one(soup, "#ev-d0-name title").get_text()
    assert HOSTILE in one(soup, ".value-form .value-text").get_text()
    assert HOSTILE in one(soup, ".form-values").get_text()
    assert HOSTILE_FILE in one(soup, "#doc-1 h3 .file").get_text()


def test_rotation_crop_and_quality_warnings_are_shown(flagged_soup: BeautifulSoup) -> None:
    license_tags = one(flagged_soup, "#doc-0 .doc-tags").get_text()
    back_tags = one(flagged_soup, "#doc-2 .doc-tags").get_text()
    assert "已透视校正并裁切" in license_tags
    assert "已自动旋转 90°" in back_tags
    assert "质量：图像模糊" in back_tags
    assert "图像模糊" in one(flagged_soup, "#doc-2 .doc-flags").get_text()


def test_field_table_lists_every_field_with_confidence_and_source(
    flagged_soup: BeautifulSoup,
) -> None:
    rows = flagged_soup.select("#doc-0 table.fields tbody tr")
    labels = [one(row, "th").find(string=True, recursive=True) for row in rows]
    assert len(rows) == 10
    assert "统一社会信用代码" in labels
    number_row = one(flagged_soup, "#row-d0-number")
    cells = [td.get_text(strip=True) for td in number_row.select("td")]
    assert cells == ["91110108MA01C3WK9X", "91110108MA01C3WK9X", "0.97", "OCR 识别"]
    unread = one(flagged_soup, "#row-d0-legal_representative")
    assert "该行被印章遮挡" in unread.get_text()
    assert "未读出" in unread.get_text()


def test_low_confidence_is_marked() -> None:
    documents = organization_documents()
    documents[0].result.evidence["name"].confidence = 0.62
    report, previews = make_report(documents=documents)
    soup = soup_of(render_packet_page(report, previews))
    cell = one(soup, "#row-d0-name td.confidence")
    assert cell.get_text(strip=True) == "0.62"
    assert "low" in cell["class"]


def test_unreadable_document_without_preview_says_why() -> None:
    unreadable = DocumentResult(
        file="scan.pdf",
        declared_kind=DocumentKind.BUSINESS_LICENSE,
        status=DocumentStatus.UNREADABLE,
        error="文件已截断，无法解码",
        pages=0,
        quality=Quality(issues=[QualityIssue.DARK]),
    )
    report, previews = make_report(verdict=Verdict.NEEDS_MATERIALS)
    report.documents.append(unreadable)
    soup = soup_of(render_packet_page(report, previews))
    assert "文件已截断，无法解码" in one(soup, "#doc-3 .doc-error").get_text()
    assert one(soup, "#doc-3 .no-image").get_text(strip=True) == "无可显示的图像"
    assert not soup.select("#doc-3 img")


def test_report_without_form_still_renders() -> None:
    report, previews = make_report(verdict=Verdict.REJECT)
    report.form = None
    report.documents = []
    report.flags = [
        Flag(
            code=FlagCode.FORM_INVALID,
            severity=Severity.ERROR,
            field="form.json",
            message="表单无效：不是 JSON",
        )
    ]
    soup = soup_of(render_packet_page(report, previews))
    assert "表单无法解析" in one(soup, ".form-missing").get_text()
    assert one(soup, 'li.flag[data-code="FORM_INVALID"] .where').get_text() == "表单 · 表单文件"


def test_page_has_print_rules_for_a4() -> None:
    report, previews = make_report()
    html = render_packet_page(report, previews)
    assert re.search(r"@page\s*\{\s*size:\s*A4", html)
    assert "@media print" in html


def test_labels_of_boxes_on_one_line_do_not_overlap() -> None:
    evidence = FieldEvidence(text="2021.01.18-2041.01.18", confidence=0.99, box=BOX)
    boxes = [
        scaled_box(f"ev-{field}", evidence, 1.0, FieldState.READ, label)
        for field, label in [("valid_from", "有效期限自"), ("valid_to", "有效期限至")]
    ]
    first, second = place_labels(boxes, label_size=12)
    assert first.label_x == 100
    assert second.label_x >= 100 + 5 * 12
    assert second.label_y == first.label_y


def test_label_at_the_top_edge_moves_inside_its_box() -> None:
    evidence = FieldEvidence(text="x", confidence=0.99, box=[(5, 2), (50, 2), (50, 20), (5, 20)])
    (box,) = place_labels([scaled_box("ev-name", evidence, 1.0, FieldState.READ, "名称")], 12)
    assert box.label_y > 12


def test_the_comparisons_table_shows_report_comparisons_as_they_are() -> None:
    report, previews = flagged_report()
    soup = soup_of(render_packet_page(report, previews))
    rows = soup.select("table.comparisons tbody tr")
    assert [row["data-outcome"] for row in rows] == [c.outcome.value for c in report.comparisons]
    assert [row.find_all("td")[1].get_text() for row in rows] == [
        c.form_value for c in report.comparisons
    ]
    assert "contradicted" in [row["data-outcome"] for row in rows]


def test_a_scored_comparison_shows_its_margin_and_a_crop_of_each_doubtful_character() -> None:
    report, previews = flagged_report()
    license_file = report.documents[0].file
    name_box = report.documents[0].evidence["name"].box
    assert name_box is not None
    doubt = CharacterDoubt(
        form_char="凡",
        document_char="帆",
        form_char_probability=0.004,
        document_char_probability=0.99,
        clear=True,
        box=name_box,
    )
    scored = FieldComparison(
        field=ComparedField.SUBJECT_NAME,
        document=license_file,
        document_field="name",
        form_value="北京星河云凡科技有限公司",
        document_value="北京星河云帆科技有限公司",
        outcome=ComparisonOutcome.CONTRADICTED,
        margin=-9.87,
        doubts=[doubt],
    )
    report = report.model_copy(update={"comparisons": [scored]})
    row = one(soup_of(render_packet_page(report, previews)), "table.comparisons tbody tr")
    cells = [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
    assert cells[5] == "-9.9"
    figure = one(row, "figure.doubt.doubt-clear")
    assert "表单「凡」0.00" in figure.get_text() and "证件「帆」0.99" in figure.get_text()
    crop = base64.b64decode(one(figure, "img")["src"].removeprefix("data:image/jpeg;base64,"))  # type: ignore[union-attr]
    image = cv2.imdecode(np.frombuffer(crop, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None and image.shape[0] == CROP_HEIGHT
    # the crop covers the name box (and a margin), so it is wider than tall
    assert image.shape[1] > image.shape[0]
