"""Hand-built, schema-valid packet reports with drawn page previews, for the reviewer-page tests.

All names and numbers are synthetic; the numbers carry valid check characters.
"""

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from stdnum.cn import ric, uscc

from pipeline.checks import check_packet_rules
from pipeline.images.previews import PagePreview
from pipeline.packet import declared_kinds
from schemas import (
    DocumentFields,
    DocumentKind,
    DocumentRef,
    DocumentResult,
    EngineInfo,
    FieldEvidence,
    FieldName,
    FilingForm,
    Flag,
    FlagCode,
    PacketReport,
    Principal,
    Quality,
    QualityIssue,
    Severity,
    Subject,
    Verdict,
)

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
COMPANY = "北京星河云帆科技有限公司"
MISREAD_COMPANY = "北京星河云帆科技有限責任公司"
HOSTILE = "<script>alert(1)</script>有限公司"
HOSTILE_FILE = '"><img src=x onerror=alert(2)>.jpg'
USCC = "91110108MA01C3WK9X"
PERSON = "林晓萌"
ID_NUMBER = "110108199003071238"
PREVIEW_SCALE = 0.5

# Where each field is printed, in normalized-page pixels: (field, printed label, x, y).
LICENSE_LAYOUT: list[tuple[FieldName, str, int, int]] = [
    ("number", "统一社会信用代码", 140, 250),
    ("name", "名称", 140, 380),
    ("entity_type", "类型", 140, 460),
    ("legal_representative", "法定代表人", 140, 540),
    ("registered_capital", "注册资本", 900, 380),
    ("established", "成立日期", 900, 460),
    ("valid_to", "营业期限至", 900, 540),
    ("address", "住所", 900, 620),
    ("issuing_authority", "登记机关", 900, 860),
]
ID_FRONT_LAYOUT: list[tuple[FieldName, str, int, int]] = [
    ("name", "姓名", 60, 70),
    ("gender", "性别", 60, 150),
    ("ethnicity", "民族", 300, 150),
    ("birth_date", "出生", 60, 230),
    ("address", "住址", 60, 310),
    ("number", "公民身份号码", 60, 500),
]
ID_BACK_LAYOUT: list[tuple[FieldName, str, int, int]] = [
    ("issuing_authority", "签发机关", 180, 400),
    ("valid_to", "有效期限至", 180, 480),
]
PAGE_SIZES = {
    DocumentKind.BUSINESS_LICENSE: (1600, 1100),
    DocumentKind.ID_CARD_FRONT: (1000, 630),
    DocumentKind.ID_CARD_BACK: (1000, 630),
}
LAYOUTS = {
    DocumentKind.BUSINESS_LICENSE: LICENSE_LAYOUT,
    DocumentKind.ID_CARD_FRONT: ID_FRONT_LAYOUT,
    DocumentKind.ID_CARD_BACK: ID_BACK_LAYOUT,
}
TITLES = {
    DocumentKind.BUSINESS_LICENSE: "营 业 执 照",
    DocumentKind.ID_CARD_FRONT: "",
    DocumentKind.ID_CARD_BACK: "中华人民共和国  居民身份证",
}


ReportWithPreviews = tuple[PacketReport, dict[str, list[PagePreview]]]


@dataclass(frozen=True)
class SyntheticDocument:
    """A document result and the previews its evidence boxes are drawn on."""

    result: DocumentResult
    previews: list[PagePreview]


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    """The CJK font used to draw page text."""
    return ImageFont.truetype(str(FONT_PATH), size)


def _jpeg(image: Image.Image) -> bytes:
    """JPEG bytes of an RGB image."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def make_document(
    file: str,
    kind: DocumentKind,
    values: dict[FieldName, str],
    *,
    unread: dict[FieldName, str] | None = None,
    confidence: dict[FieldName, float] | None = None,
    quality: Quality | None = None,
) -> SyntheticDocument:
    """A readable document whose previews show every value where its evidence box says."""
    width, height = PAGE_SIZES[kind]
    image = Image.new("RGB", (int(width * PREVIEW_SCALE), int(height * PREVIEW_SCALE)), "#f4efe4")
    draw = ImageDraw.Draw(image)
    draw.rectangle([8, 8, image.width - 9, image.height - 9], outline="#b08d57", width=3)
    draw.text((image.width // 2, 40), TITLES[kind], font=_font(34), fill="#333", anchor="mt")
    evidence: dict[FieldName, FieldEvidence] = {}
    for field, label, x, y in LAYOUTS[kind]:
        if field not in values:
            continue
        font = _font(int(30 * PREVIEW_SCALE))
        left, top = x * PREVIEW_SCALE, y * PREVIEW_SCALE
        draw.text((left, top), label, font=font, fill="#555")
        value_left = left + font.getlength(label) + 12
        draw.text((value_left, top), values[field], font=font, fill="#111")
        x0, y0, x1, y1 = draw.textbbox((value_left, top), values[field], font=font)
        box = [
            (x0 / PREVIEW_SCALE, y0 / PREVIEW_SCALE),
            (x1 / PREVIEW_SCALE, y0 / PREVIEW_SCALE),
            (x1 / PREVIEW_SCALE, y1 / PREVIEW_SCALE),
            (x0 / PREVIEW_SCALE, y1 / PREVIEW_SCALE),
        ]
        evidence[field] = FieldEvidence(
            text=values[field], confidence=(confidence or {}).get(field, 0.97), box=box
        )
    preview = PagePreview(
        jpeg=_jpeg(image), width=image.width, height=image.height, scale=PREVIEW_SCALE
    )
    result = DocumentResult(
        file=file,
        declared_kind=kind,
        detected_kind=kind,
        contains=[kind],
        fields=DocumentFields(**values),
        evidence=evidence,
        unread=unread or {},
        quality=quality
        or Quality(
            width=width * 2,
            height=height * 2,
            page_width=width,
            page_height=height,
            scale=0.5,
            blur=420.0,
            glare=0.004,
            mean_confidence=0.95,
        ),
    )
    return SyntheticDocument(result=result, previews=[preview])


def make_form(packet_id: str, company: str = COMPANY, person: str = PERSON) -> FilingForm:
    """An organization filing form naming a license and both ID card sides."""
    return FilingForm(
        packet_id=packet_id,
        filing_type="organization",
        province="北京市",
        subject=Subject(name=company, certificate_type="business_license", certificate_number=USCC),
        principal=Principal(
            name=person, id_number=ID_NUMBER, mobile="13812345678", email="lin.xm@example.com"
        ),
        documents=[
            DocumentRef(file="license.jpg", kind=DocumentKind.BUSINESS_LICENSE),
            DocumentRef(file="id_front.jpg", kind=DocumentKind.ID_CARD_FRONT),
            DocumentRef(file="id_back.jpg", kind=DocumentKind.ID_CARD_BACK),
        ],
    )


def organization_documents(company: str = COMPANY, person: str = PERSON) -> list[SyntheticDocument]:
    """A license and both ID card sides as read from a clean packet (company as printed)."""
    license_values: dict[FieldName, str] = {
        "number": USCC,
        "name": company,
        "entity_type": "有限责任公司(自然人投资或控股)",
        "legal_representative": person,
        "registered_capital": "壹佰万元整",
        "established": "2019-04-12",
        "valid_to": "长期",
        "address": "北京市海淀区中关村大街27号",
        "issuing_authority": "北京市海淀区市场监督管理局",
        "province": "北京市",
    }
    front_values: dict[FieldName, str] = {
        "name": person,
        "gender": "女",
        "ethnicity": "汉",
        "birth_date": "1990-03-07",
        "address": "北京市海淀区学院路38号",
        "number": ID_NUMBER,
        "province": "北京市",
    }
    back_values: dict[FieldName, str] = {
        "issuing_authority": "北京市公安局海淀分局",
        "valid_to": "2035-03-01",
        "province": "北京市",
    }
    return [
        make_document("license.jpg", DocumentKind.BUSINESS_LICENSE, license_values),
        make_document("id_front.jpg", DocumentKind.ID_CARD_FRONT, front_values),
        make_document("id_back.jpg", DocumentKind.ID_CARD_BACK, back_values),
    ]


def make_report(
    packet_id: str = "P20250301-0001",
    *,
    verdict: Verdict = Verdict.PASS,
    flags: list[Flag] | None = None,
    documents: list[SyntheticDocument] | None = None,
    form: FilingForm | None = None,
    checked_at: datetime | None = None,
) -> ReportWithPreviews:
    """A report and its previews, ready for render_packet_page."""
    docs = documents if documents is not None else organization_documents()
    form = form if form is not None else make_form(packet_id)
    results = [d.result for d in docs]
    # the comparisons the checks make on these documents (the page shows them, never re-derives)
    _, comparisons = check_packet_rules(form, results, declared_kinds(form), date(2025, 3, 1))
    report = PacketReport(
        packet_id=packet_id,
        verdict=verdict,
        filing_type=form.filing_type.value,
        form_province=form.province,
        expected_province="北京市",
        form=form,
        documents=[d.result for d in docs],
        flags=flags or [],
        comparisons=comparisons,
        pipeline_version="0.1.0",
        engine=EngineInfo(name="paddleocr", version="2.10.0", model="PP-OCRv4"),
        checked_at=checked_at or datetime(2025, 3, 1, 9, 30),
        seconds=4.2,
    )
    return report, {d.result.file: d.previews for d in docs}


def name_mismatch(form_name: str = COMPANY, read: str = MISREAD_COMPANY) -> Flag:
    """The error a license name different from the form raises."""
    return Flag(
        code=FlagCode.NAME_MISMATCH,
        severity=Severity.ERROR,
        field="subject.name",
        document_field="name",
        document="license.jpg",
        form_value=form_name,
        document_value=read,
        confidence=0.98,
        message="营业执照名称与表单单位名称不一致",
    )


def low_quality(file: str = "id_back.jpg") -> Flag:
    """A warning about a blurred capture."""
    return Flag(
        code=FlagCode.LOW_QUALITY,
        severity=Severity.WARNING,
        document=file,
        message="身份证国徽面图像模糊（清晰度 38，低于 100），请核对是否清晰",
    )


def phone_info() -> Flag:
    """An informational flag with no document."""
    return Flag(
        code=FlagCode.PHONE_FORMAT,
        severity=Severity.INFO,
        field="principal.office_phone",
        message="办公电话未填写",
    )


def flagged_report(company: str = COMPANY) -> ReportWithPreviews:
    """A reject: license name mismatch, unread legal representative, blurred ID back."""
    docs = organization_documents(MISREAD_COMPANY)
    license_doc = docs[0].result
    license_doc.fields.legal_representative = None
    license_doc.unread["legal_representative"] = "该行被印章遮挡，未能识别"
    docs[2].result.quality.issues.append(QualityIssue.BLUR)
    docs[2].result.quality.rotation_applied = 90
    docs[0].result.quality.perspective_corrected = True
    flags = [phone_info(), low_quality(), name_mismatch(company)]
    return make_report(
        verdict=Verdict.REJECT,
        flags=flags,
        documents=docs,
        form=make_form("P20250301-0001", company),
    )


def hostile_report() -> ReportWithPreviews:
    """A packet whose company name and one file name are markup meant to run script."""
    documents = organization_documents(HOSTILE)
    documents[1].result.file = HOSTILE_FILE
    report, _ = make_report(
        verdict=Verdict.REJECT,
        documents=documents,
        form=make_form("P20250301-0666", company=HOSTILE),
        flags=[name_mismatch(HOSTILE, HOSTILE + "x")],
    )
    return report, {d.result.file: d.previews for d in documents}


def batch_reports(count: int, seed: int = 7) -> list[ReportWithPreviews]:
    """`count` reports with mixed verdicts and flags; the three previews are shared."""
    rng = random.Random(seed)
    docs = organization_documents()
    start = datetime(2025, 3, 1, 8, 0)
    reports = []
    for number in range(count):
        verdict = rng.choice(list(Verdict))
        flags = {
            Verdict.REJECT: [name_mismatch(), low_quality()],
            Verdict.NEEDS_MATERIALS: [
                Flag(
                    code=FlagCode.DOCUMENT_EXPIRED,
                    severity=Severity.ERROR,
                    field="valid_to",
                    document_field="valid_to",
                    document="id_back.jpg",
                    document_value="2024-01-01",
                    message="身份证已过期",
                )
            ],
            Verdict.REVIEW: [low_quality()],
            Verdict.PASS: [],
        }[verdict]
        reports.append(
            make_report(
                f"P{number:05d}",
                verdict=verdict,
                flags=flags,
                documents=docs,
                checked_at=start + timedelta(minutes=number),
            )
        )
    return reports


def test_factory_numbers_carry_valid_check_characters() -> None:
    assert uscc.is_valid(USCC)
    assert ric.is_valid(ID_NUMBER)


@pytest.mark.parametrize("position", [0, 1, 2])
def test_factory_boxes_lie_on_the_preview(position: int) -> None:
    document = organization_documents()[position]
    preview = document.previews[0]
    boxes = [e.box for e in document.result.evidence.values()]
    assert boxes
    points = [point for box in boxes if box for point in box]
    assert all(0 <= x * preview.scale <= preview.width for x, _ in points)
    assert all(0 <= y * preview.scale <= preview.height for _, y in points)
