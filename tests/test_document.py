"""The document reader: never raises for bad input, stops on time, keeps previews."""

import io
import random

import cv2
import numpy as np
import pytest
from PIL import Image

from pipeline import document
from pipeline.document import read_document
from pipeline.fields import Extraction
from pipeline.fields.skim import reading_policy
from pipeline.ocr.base import OcrEngine, OcrLine
from pipeline.ocr.fake import FakeEngine, FakeLine, FakeScript
from pipeline.settings import Settings
from samples.generator import (
    CaptureMode,
    license_text_pdf,
    make_company,
    random_license_layout,
    scanned_pdf,
)
from schemas import (
    DocumentFields,
    DocumentKind,
    DocumentStatus,
    FieldEvidence,
    QualityIssue,
    TextSource,
)
from tests.conftest import CaptureFactory, TextPageFactory, rendered_document

SETTINGS = Settings()


def jpeg(image: np.ndarray) -> bytes:
    """A BGR image as JPEG bytes."""
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 92])
    assert ok
    return data.tobytes()


def scripted(*texts: str, confidence: float = 0.98) -> FakeEngine:
    """A fake engine that reads the given lines from any image."""
    return FakeEngine(FakeScript(lines=[FakeLine(text=t, confidence=confidence) for t in texts]))


@pytest.fixture
def fixed_extraction(monkeypatch: pytest.MonkeyPatch) -> list[list[list[OcrLine]]]:
    """Replace field extraction with a fixed license reading; records the pages it was given."""
    calls: list[list[list[OcrLine]]] = []

    def extract(
        pages: list[list[OcrLine]], declared: DocumentKind | None, seal: object = None
    ) -> Extraction:
        calls.append(pages)
        evidence = FieldEvidence(text="名称星河云帆有限公司", confidence=0.97)
        return Extraction(
            kinds=[DocumentKind.BUSINESS_LICENSE],
            fields=DocumentFields(name="星河云帆有限公司"),
            evidence={"name": evidence},
            unread={"number": "no 统一社会信用代码 line"},
            province_sources={"uscc": "北京市"},
        )

    monkeypatch.setattr(document.fields, "extract", extract)
    return calls


def test_engine_crash_makes_the_document_unreadable_with_the_reason(
    text_page: TextPageFactory,
) -> None:
    engine = FakeEngine(FakeScript(fail="predictor crashed: segmentation fault in MKLDNN"))
    reading = read_document(
        jpeg(text_page()), "license.jpg", None, engine, SETTINGS, reading_policy(SETTINGS)
    )
    assert reading.result.status is DocumentStatus.UNREADABLE
    assert reading.result.error == "predictor crashed: segmentation fault in MKLDNN"
    assert reading.result.file == "license.jpg"
    assert len(reading.previews) == 0  # the page never finished reading


class CrashingEngine(FakeEngine):
    """An engine that fails with an error of its own library, not an EngineError."""

    def __init__(self, crash: Exception) -> None:
        super().__init__()
        self.crash = crash

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Raise the crash."""
        self.calls += 1
        raise self.crash


def opencv_error() -> Exception:
    """A real cv2.error (resizing an empty image)."""
    try:
        cv2.resize(np.zeros((0, 0), np.uint8), (10, 10))
    except cv2.error as error:
        return error
    raise AssertionError("cv2.resize of an empty image did not fail")


@pytest.mark.parametrize(
    ("crash", "reason"),
    [
        (RuntimeError("model file missing"), "(RuntimeError: model file missing)"),
        (opencv_error(), "(cv2.error: OpenCV("),
    ],
)
def test_an_unexpected_error_makes_only_the_document_unreadable_and_is_logged(
    crash: Exception, reason: str, text_page: TextPageFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("ERROR", logger="pipeline.document"):
        reading = read_document(
            jpeg(text_page()),
            "license.jpg",
            None,
            CrashingEngine(crash),
            SETTINGS,
            reading_policy(SETTINGS),
        )
    assert reading.result.status is DocumentStatus.UNREADABLE
    error = reading.result.error or ""
    assert error.startswith("internal error while reading the document ")
    assert reason in error and "\n" not in error
    [record] = [r for r in caplog.records if r.name == "pipeline.document"]
    assert record.exc_info is not None and record.exc_info[1] is crash  # the traceback


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"<html><body>not a license</body></html>", "HTML"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "truncated or damaged"),
    ],
)
def test_undecodable_files_are_unreadable_not_raised(data: bytes, reason: str) -> None:
    declared = DocumentKind.BUSINESS_LICENSE
    reading = read_document(
        data, "license.jpg", declared, scripted(), SETTINGS, reading_policy(SETTINGS)
    )
    assert reading.result.status is DocumentStatus.UNREADABLE
    assert reason in (reading.result.error or "")
    assert reading.result.declared_kind is DocumentKind.BUSINESS_LICENSE
    assert reading.previews == []


def test_an_image_over_the_pixel_limit_is_unreadable(text_page: TextPageFactory) -> None:
    settings = Settings(max_pixels=1000)
    reading = read_document(
        jpeg(text_page()), "big.jpg", None, scripted("名称 甲"), settings, reading_policy(settings)
    )
    assert reading.result.status is DocumentStatus.UNREADABLE
    assert "limit is 1,000" in (reading.result.error or "")


def test_no_text_at_all_is_unreadable_but_keeps_the_preview(text_page: TextPageFactory) -> None:
    reading = read_document(
        jpeg(text_page([])), "blank.jpg", None, scripted(), SETTINGS, reading_policy(SETTINGS)
    )
    assert reading.result.status is DocumentStatus.UNREADABLE
    assert "no text found" in (reading.result.error or "")
    assert len(reading.previews) == 1


def test_past_the_time_budget_the_document_is_unreadable(text_page: TextPageFactory) -> None:
    slow = FakeEngine(FakeScript(lines=[FakeLine(text="名称 甲")], sleep_seconds=0.3))
    settings = Settings(document_seconds=0.1)
    reading = read_document(
        jpeg(text_page()), "slow.jpg", None, slow, settings, reading_policy(settings)
    )
    assert reading.result.status is DocumentStatus.UNREADABLE
    assert "took longer than 0.1 s" in (reading.result.error or "")
    assert reading.result.seconds >= 0.3


def test_a_readable_image_fills_the_result_from_the_extraction(
    text_page: TextPageFactory, fixed_extraction: list[list[list[OcrLine]]]
) -> None:
    engine = scripted("名称 星河云帆有限公司", "住所 北京市海淀区", confidence=0.96)
    reading = read_document(
        jpeg(text_page()), "license.jpg", None, engine, SETTINGS, reading_policy(SETTINGS)
    )
    result = reading.result
    assert result.status is DocumentStatus.OK and result.error is None
    assert result.detected_kind is DocumentKind.BUSINESS_LICENSE
    assert result.contains == [DocumentKind.BUSINESS_LICENSE]
    assert result.fields.name == "星河云帆有限公司"
    assert result.evidence["name"].confidence == 0.97
    assert result.unread == {"number": "no 统一社会信用代码 line"}
    assert result.province_sources == {"uscc": "北京市"}
    assert result.text_source is TextSource.OCR and result.pages == 1
    assert result.quality.mean_confidence == pytest.approx(0.96)
    assert result.quality.issues == []
    assert [[line.text for line in page] for page in fixed_extraction[0]] == [
        ["名称 星河云帆有限公司", "住所 北京市海淀区"]
    ]


def test_low_mean_confidence_is_a_quality_issue(
    text_page: TextPageFactory, fixed_extraction: list[list[list[OcrLine]]]
) -> None:
    engine = scripted("名称 星河云帆有限公司", confidence=0.6)
    result = read_document(
        jpeg(text_page()), "license.jpg", None, engine, SETTINGS, reading_policy(SETTINGS)
    ).result
    assert QualityIssue.LOW_CONFIDENCE in result.quality.issues


def test_a_small_license_image_is_low_resolution(
    text_page: TextPageFactory, fixed_extraction: list[list[list[OcrLine]]]
) -> None:
    small = cv2.resize(text_page(), (800, 550), interpolation=cv2.INTER_AREA)
    result = read_document(
        jpeg(small), "license.jpg", None, scripted("名称 甲"), SETTINGS, reading_policy(SETTINGS)
    ).result
    assert QualityIssue.LOW_RESOLUTION in result.quality.issues  # a license needs ≥ 1000 px


def test_an_exif_turn_counts_in_the_rotation_applied(
    text_page: TextPageFactory, fixed_extraction: list[list[list[OcrLine]]]
) -> None:
    stored = Image.fromarray(cv2.rotate(text_page(), cv2.ROTATE_90_COUNTERCLOCKWISE)[:, :, ::-1])
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to display"
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", exif=exif)
    reading = read_document(
        buffer.getvalue(),
        "phone.jpg",
        None,
        scripted("名称 甲"),
        SETTINGS,
        reading_policy(SETTINGS),
    )
    quality = reading.result.quality
    assert quality.rotation_applied == 90
    assert (quality.width, quality.height) == (1100, 1600)  # the file as stored
    assert (quality.page_width, quality.page_height) == (1600, 1100)  # upright evidence space
    assert (reading.previews[0].width, reading.previews[0].height) == (1400, 962)


def test_scale_is_relative_to_the_stored_file_when_decoded_reduced(
    text_page: TextPageFactory, fixed_extraction: list[list[list[OcrLine]]]
) -> None:
    big = jpeg(text_page(size=(4800, 3300), font_size=100))
    settings = Settings(max_side=1200)
    quality = read_document(
        big, "phone.jpg", None, scripted("名称 甲"), settings, reading_policy(settings)
    ).result.quality
    assert (quality.width, quality.height) == (4800, 3300)
    assert (quality.page_width, quality.page_height) == (1200, 825)
    assert quality.scale == pytest.approx(0.25)
    assert QualityIssue.LOW_RESOLUTION not in quality.issues  # captured with 4800 px


def test_previews_are_jpeg_at_most_1400_px_with_their_scale(
    text_page: TextPageFactory, fixed_extraction: list[list[list[OcrLine]]]
) -> None:
    reading = read_document(
        jpeg(text_page()),
        "license.jpg",
        None,
        scripted("名称 甲"),
        SETTINGS,
        reading_policy(SETTINGS),
    )
    [preview] = reading.previews
    picture = Image.open(io.BytesIO(preview.jpeg))
    assert picture.format == "JPEG" and picture.size == (preview.width, preview.height)
    assert (preview.width, preview.height) == (1400, 962)
    assert preview.scale == pytest.approx(1400 / 1600)


def test_a_text_layer_pdf_is_read_without_the_engine(
    fixed_extraction: list[list[list[OcrLine]]],
) -> None:
    from tests.test_decode import text_pdf

    never = FakeEngine(FakeScript(fail="the engine must not be called for a text layer"))
    lines = ["名称 星河云帆有限公司", "住所 北京市海淀区"]
    result = read_document(
        text_pdf(lines), "e-license.pdf", None, never, SETTINGS, reading_policy(SETTINGS)
    ).result
    assert result.status is DocumentStatus.OK and never.calls == 0
    assert result.text_source is TextSource.TEXT_LAYER
    assert result.quality.mean_confidence == 1.0
    assert [line.text for line in fixed_extraction[0][0]] == lines


def test_a_generated_text_layer_license_is_read_from_its_text() -> None:
    rng = random.Random(5)
    company = make_company(rng, "浙江省")
    data, truth = license_text_pdf(company, random_license_layout(rng), rng)
    never = FakeEngine(FakeScript(fail="the engine must not be called for a text layer"))
    result = read_document(
        data, "license.pdf", None, never, SETTINGS, reading_policy(SETTINGS)
    ).result
    assert result.status is DocumentStatus.OK and never.calls == 0
    assert result.detected_kind is DocumentKind.BUSINESS_LICENSE
    assert (result.fields.name, result.fields.number) == (truth.name, truth.number)


@pytest.mark.ocr
def test_a_scanned_pdf_is_read_by_ocr(paddle_engine: OcrEngine) -> None:
    image, truth = rendered_document(DocumentKind.BUSINESS_LICENSE, 3)
    data = scanned_pdf(image, random.Random(3))
    result = read_document(
        data, "license.pdf", None, paddle_engine, SETTINGS, reading_policy(SETTINGS)
    ).result
    assert result.status is DocumentStatus.OK and result.text_source is TextSource.OCR
    assert result.detected_kind is DocumentKind.BUSINESS_LICENSE
    assert (result.fields.name, result.fields.number) == (truth.name, truth.number)
    assert result.quality.mean_confidence > 0.9


@pytest.mark.ocr
@pytest.mark.parametrize("kind", list(DocumentKind))
@pytest.mark.parametrize("mode", [CaptureMode.PHOTO, CaptureMode.ROT270])
def test_photographed_documents_are_read_with_their_number(
    capture: CaptureFactory, paddle_engine: OcrEngine, kind: DocumentKind, mode: CaptureMode
) -> None:
    shot, truth = capture(kind, mode, 4)
    result = read_document(
        shot.data, "upload.jpg", kind, paddle_engine, SETTINGS, reading_policy(SETTINGS)
    ).result
    assert result.status is DocumentStatus.OK and result.detected_kind is kind
    assert result.quality.issues == []
    key_field = "issuing_authority" if kind is DocumentKind.ID_CARD_BACK else "number"
    assert getattr(result.fields, key_field) == getattr(truth, key_field)
