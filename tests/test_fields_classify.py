"""Which documents the OCR lines show; the declared kind only breaks ties."""

import pytest

from pipeline.fields import extract
from pipeline.fields.classify import contains_anchor, detect_kinds
from schemas import DocumentKind
from tests.test_fields_lines import lines_of, ocr_line

LICENSE = DocumentKind.BUSINESS_LICENSE
FRONT = DocumentKind.ID_CARD_FRONT
BACK = DocumentKind.ID_CARD_BACK


def _page(*texts: str) -> list:
    return lines_of(*(ocr_line(text, 100, 100 + 50 * index) for index, text in enumerate(texts)))


@pytest.mark.parametrize(
    ("texts", "kinds"),
    [
        (("营业执照", "统一社会信用代码", "名称某某有限公司"), [LICENSE]),
        (("统一社会信用代玛", "登记机关"), [LICENSE]),  # one misread character
        (("名称某某有限公司", "注册资本壹佰万元整", "住所某路1号"), [LICENSE]),
        (("姓名张三", "性别男民族汉", "公民身份号码"), [FRONT]),
        (("姓名张三", "出生1990年5月17日"), [FRONT]),
        (("中华人民共和国", "居民身份证", "签发机关某某公安局"), [BACK]),
        (("有效期限2015.03.01-长期",), [BACK]),
        (
            ("公民身份号码", "姓名张三", "签发机关某某公安局", "有效期限2015.03.01-长期"),
            [BACK, FRONT],
        ),
        (("风景照片", "2020年"), []),
        ((), []),
    ],
)
def test_detect_kinds(texts: tuple[str, ...], kinds: list[DocumentKind]) -> None:
    assert detect_kinds(_page(*texts), None) == kinds


@pytest.mark.parametrize("declared", [FRONT, BACK])
def test_declared_kind_breaks_a_tie(declared: DocumentKind) -> None:
    page = _page("公民身份号码", "签发机关某某公安局")  # 2 points each
    assert detect_kinds(page, declared)[0] is declared


def test_declared_kind_does_not_override_the_text() -> None:
    page = _page("营业执照", "统一社会信用代码", "登记机关")
    assert detect_kinds(page, FRONT) == [LICENSE]


def test_nothing_recognisable_extracts_nothing() -> None:
    result = extract([[ocr_line("风景照片", 100, 100)]], LICENSE)
    assert result.kinds == []
    assert result.fields.model_dump(exclude_none=True) == {}


def test_a_license_on_the_second_page_of_a_pdf() -> None:
    first = [ocr_line("封面", 100, 100)]
    second = [
        ocr_line("营业执照", 100, 100),
        ocr_line("统一社会信用代码91330106MA2B3C4D5D", 100, 200),
    ]
    result = extract([first, second], None)
    assert result.kinds == [LICENSE]
    assert result.fields.number == "91330106MA2B3C4D5D"
    assert result.evidence["number"].page == 1


@pytest.mark.parametrize(
    ("text", "anchor", "found"),
    [("营业执照(副本)", "营业执照", True), ("营亚执照", "营业执照", True), ("住", "住所", False)],
)
def test_contains_anchor(text: str, anchor: str, found: bool) -> None:
    assert contains_anchor(text, anchor) is found
