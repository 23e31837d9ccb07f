"""ID card front/back extraction from OCR lines shaped like PaddleOCR's (all data synthetic)."""

import pytest

from pipeline.fields import extract
from pipeline.ocr.base import OcrLine
from schemas import DocumentKind, TextSource
from tests.test_fields_lines import ocr_line, real_line

FRONT = DocumentKind.ID_CARD_FRONT
BACK = DocumentKind.ID_CARD_BACK
ID_HANGZHOU = "330106199005170027"

# A scanned front as PaddleOCR read it: labels merged with values, and 住址 read as 住址安 with
# the 安 read again at the start of the overlapping address line.
REAL_FRONT_SCAN = [
    real_line("姓名付艳", 0.997, (74, 76, 263, 83, 261, 130, 72, 123)),
    real_line("性别男", 0.999, (78, 155, 218, 163, 216, 200, 75, 191)),
    real_line("民族汉", 0.997, (319, 154, 464, 163, 462, 200, 317, 190)),
    real_line("出生1983年4月1日", 0.998, (77, 236, 446, 236, 446, 275, 77, 275)),
    real_line("住址安", 0.996, (79, 314, 199, 316, 199, 345, 78, 343)),
    real_line("安徽省马鞍山市花山区青", 0.992, (183, 319, 547, 319, 547, 350, 183, 350)),
    real_line("年路180号2栋1406室", 0.998, (186, 368, 498, 366, 498, 398, 187, 400)),
    real_line("公民身份号码", 0.996, (81, 526, 246, 526, 246, 554, 81, 554)),
    real_line("34050319830401303X", 0.996, (336, 522, 823, 521, 823, 553, 337, 554)),
]


def front(
    number: str = ID_HANGZHOU,
    birth: str = "1990年5月17日",
    gender_row: str | None = "性别女",
    address: tuple[str, ...] = ("浙江省杭州市西湖区文三路", "100号3幢201室"),
    dy: float = 0.0,
) -> list[OcrLine]:
    """A front with labels and values in separate lines (values right of the labels)."""
    lines = [
        ocr_line("姓名", 60, 50 + dy),
        ocr_line("张晓燕", 140, 48 + dy, height=34),
        ocr_line("民族", 230, 110 + dy),
        ocr_line("汉", 310, 108 + dy, height=34),
        ocr_line("出生", 60, 170 + dy),
        ocr_line(birth, 140, 168 + dy, height=34),
        ocr_line("住址", 60, 230 + dy),
        ocr_line("公民身份号码", 60, 430 + dy),
        ocr_line(number, 260, 426 + dy, height=34),
    ]
    if gender_row is not None:
        lines.append(ocr_line(gender_row, 60, 110 + dy))
    lines += [ocr_line(text, 140, 228 + 42 * index + dy) for index, text in enumerate(address)]
    return lines


def back(authority: str = "杭州市公安局西湖分局", period: str = "2015.03.01-2035.03.01") -> list:
    """A back: emblem heading, then 签发机关 and 有效期限 with values on the right."""
    return [
        ocr_line("中华人民共和国", 253, 99, height=40),
        ocr_line("居民身份证", 286, 181, height=50),
        ocr_line("签发机关", 199, 384),
        ocr_line(authority, 338, 387, height=25),
        ocr_line("有效期限", 200, 446),
        ocr_line(period, 340, 448, height=25),
    ]


def test_real_front_scan_with_the_address_read_twice_where_boxes_overlap() -> None:
    result = extract([REAL_FRONT_SCAN], FRONT)
    assert result.kinds == [FRONT]
    assert result.fields.model_dump(exclude_none=True) == {
        "name": "付艳",
        "number": "34050319830401303X",
        "number_kind": "resident_id",
        "province": "安徽省",
        "address": "安徽省马鞍山市花山区青年路180号2栋1406室",
        "gender": "男",
        "ethnicity": "汉",
        "birth_date": "1983-04-01",
    }
    assert result.province_sources == {"address": "安徽省", "id_number": "安徽省"}
    assert result.unread == {}


def test_front_with_separate_label_and_value_lines() -> None:
    result = extract([front()], FRONT)
    assert result.fields.model_dump(exclude_none=True) == {
        "name": "张晓燕",
        "number": ID_HANGZHOU,
        "number_kind": "resident_id",
        "province": "浙江省",
        "address": "浙江省杭州市西湖区文三路100号3幢201室",
        "gender": "女",
        "ethnicity": "汉",
        "birth_date": "1990-05-17",
    }


def test_gender_and_ethnicity_merged_in_one_line() -> None:
    lines = [line for line in front(gender_row=None) if line.text not in ("民族", "汉")]
    lines.append(ocr_line("性别女民族汉", 60, 110))
    fields = extract([lines], FRONT).fields
    assert (fields.gender, fields.ethnicity) == ("女", "汉")


def test_a_three_line_address_stops_at_the_number_row() -> None:
    address = ("新疆维吾尔自治区乌鲁木齐市", "天山区解放南路", "100号3栋2单元501室")
    fields = extract([front(address=address)], FRONT).fields
    assert fields.address == "新疆维吾尔自治区乌鲁木齐市天山区解放南路100号3栋2单元501室"
    assert fields.province == "新疆维吾尔自治区"


@pytest.mark.parametrize(
    ("reading", "note"),
    [
        ("33O106199005170027", "已修正 O→0（第 3 位）"),
        ("330l06199005170027", "已修正 l→1（第 4 位）"),
        ("33010619900S170027", "已修正 S→5（第 12 位）"),
    ],
)
def test_id_number_confusions_are_repaired(reading: str, note: str) -> None:
    result = extract([front(number=reading)], FRONT)
    assert result.fields.number == ID_HANGZHOU
    assert result.evidence["number"].note == note


def test_a_garbled_birth_row_gives_way_to_the_number() -> None:
    result = extract([front(birth="199O年5月1?日")], FRONT)
    assert result.fields.birth_date == "1990-05-17"
    assert result.evidence["birth_date"].source is TextSource.DERIVED
    assert "按身份证号码推得出生日期" in (result.evidence["birth_date"].note or "")


def test_gender_missing_is_taken_from_the_number() -> None:
    result = extract([front(gender_row=None)], FRONT)
    assert result.fields.gender == "女"  # sequence 002: even
    assert result.evidence["gender"].source is TextSource.DERIVED


def test_an_address_without_province_name_uses_its_city() -> None:
    result = extract([front(address=("杭州市西湖区文三路100号",))], FRONT)
    assert result.fields.province == "浙江省"


def test_an_invalid_number_is_kept_and_gives_no_province_source() -> None:
    result = extract([front(number="330106199005170028", address=("某某路1号",))], FRONT)
    assert result.fields.number == "330106199005170028"
    assert "无法确定：" in (result.evidence["number"].note or "")
    assert result.fields.province is None
    assert result.unread["province"] == "未能从住所/住址、身份证号码前六位中找到省份"


@pytest.mark.parametrize(
    ("period", "valid_from", "valid_to"),
    [
        ("2015.03.01-2035.03.01", "2015-03-01", "2035-03-01"),
        ("2015.03.01-长期", "2015-03-01", "长期"),
        ("2O15.O3.01-2O25.03.01", "2015-03-01", "2025-03-01"),
    ],
)
def test_back_validity(period: str, valid_from: str, valid_to: str) -> None:
    result = extract([back(period=period)], BACK)
    assert result.kinds == [BACK]
    assert (result.fields.valid_from, result.fields.valid_to) == (valid_from, valid_to)
    assert result.fields.issuing_authority == "杭州市公安局西湖分局"
    assert result.fields.province == "浙江省"
    assert result.province_sources == {"authority": "浙江省"}


def test_back_with_labels_merged_with_values() -> None:
    lines = [
        ocr_line("居民身份证", 286, 181, height=50),
        ocr_line("签发机关乌鲁木齐市公安局天山区分局", 199, 384),
        ocr_line("有效期限2010.07.01-2030.07.01", 200, 446),
    ]
    fields = extract([lines], BACK).fields
    assert fields.issuing_authority == "乌鲁木齐市公安局天山区分局"
    assert fields.province == "新疆维吾尔自治区"
    assert (fields.valid_from, fields.valid_to) == ("2010-07-01", "2030-07-01")


def test_back_with_an_unreadable_period_says_why() -> None:
    result = extract([back(period="二〇一五年三月一日")], BACK)
    assert result.fields.valid_to is None
    assert "中没有日期" in result.unread["valid_to"]


def test_both_sides_in_one_image_merge_front_and_back() -> None:
    lines = front() + [
        ocr_line(line.text, line.left, line.top + 700, height=line.bottom - line.top)
        for line in back(authority="北京市公安局朝阳分局")
    ]
    result = extract([lines], FRONT)
    assert set(result.kinds) == {FRONT, BACK}
    fields = result.fields
    assert (fields.name, fields.number) == ("张晓燕", ID_HANGZHOU)
    assert fields.issuing_authority == "北京市公安局朝阳分局"
    assert (fields.valid_from, fields.valid_to) == ("2015-03-01", "2035-03-01")
    assert fields.province == "浙江省"  # the front address's
    assert result.province_sources == {
        "address": "浙江省",
        "id_number": "浙江省",
        "authority": "北京市",
    }


def test_an_address_label_misread_by_one_character_is_still_found() -> None:
    lines = [line for line in front(address=()) if line.text != "住址"]
    lines += [ocr_line("佳址甘肃省白银市白银区迎宾", 60, 230), ocr_line("路148号", 140, 272)]
    result = extract([lines], FRONT)
    assert result.fields.address == "甘肃省白银市白银区迎宾路148号"
    assert result.evidence["address"].note == "标签读作「佳址」"


def test_an_address_with_its_first_character_read_twice_is_repaired() -> None:
    result = extract([front(address=("上上海市普陀区中山路55号6", "单元1705"))], FRONT)
    assert result.fields.address == "上海市普陀区中山路55号6单元1705"
    assert result.fields.province == "上海市"
    assert result.evidence["address"].note == "删去重复读出的「上」"


# A tilted phone photo (generator "hard" capture): the first address line's box reaches below
# the top of its continuation, whose centre is still above that box's lowest corner.
TILTED_FRONT = [
    real_line("姓名欧阳俊英", 0.991, (55, 35, 190, 49, 187, 73, 53, 59)),
    real_line("性别女", 0.999, (52, 73, 132, 83, 129, 108, 49, 98)),
    real_line("民族藏", 0.995, (176, 84, 256, 97, 252, 119, 173, 107)),
    real_line("出生1992年1月21日", 0.998, (48, 115, 242, 134, 240, 155, 46, 137)),
    real_line("住址西藏自治区拉萨市城关区文", 0.960, (45, 154, 303, 181, 300, 204, 42, 177)),
    real_line("化大道35号", 0.999, (98, 187, 186, 195, 183, 217, 96, 209)),
    real_line("公民身份号码", 0.998, (37, 264, 123, 271, 121, 292, 35, 285)),
    real_line("54010219920121350X", 0.993, (168, 276, 410, 296, 409, 318, 166, 298)),
]


def test_a_tilted_address_keeps_its_second_line() -> None:
    result = extract([TILTED_FRONT], FRONT)
    assert result.fields.address == "西藏自治区拉萨市城关区文化大道35号"
    assert result.fields.number == "54010219920121350X"
