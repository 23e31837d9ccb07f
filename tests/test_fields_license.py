"""Business license extraction from OCR lines shaped like PaddleOCR's (all data synthetic)."""

import pytest

from pipeline.fields import Extraction, extract
from pipeline.fields.labels import row_chain
from pipeline.fields.license import LABELS
from pipeline.fields.lines import to_lines
from pipeline.ocr.base import OcrLine
from schemas import DocumentKind, NumberKind, ProvinceSource, TextSource
from tests.test_fields_lines import ocr_line, real_line

LICENSE = DocumentKind.BUSINESS_LICENSE

# A photographed 副本 (value below label, spaced labels, seal over 登记机关), as PaddleOCR read it.
PHOTO_SEAL_OVER_LABEL = [
    real_line("统一社会信用代码", 0.995, (292, 441, 496, 434, 498, 469, 293, 476)),
    real_line("913704038899539566", 0.999, (297, 473, 587, 469, 587, 498, 297, 502)),
    real_line("营业执照", 0.996, (505, 522, 875, 513, 876, 578, 507, 588)),
    real_line("（副本）", 0.932, (638, 588, 752, 582, 754, 619, 640, 624)),
    real_line("可、监管信息", 0.951, (937, 640, 1019, 640, 1019, 660, 937, 660)),
    real_line("名", 1.000, (305, 682, 331, 682, 331, 709, 305, 709)),
    real_line("称", 0.998, (374, 680, 405, 680, 405, 707, 374, 707)),
    real_line("枣庄博远青禾健康科技有限公司", 0.989, (442, 679, 773, 668, 774, 700, 443, 711)),
    real_line("类", 1.000, (303, 727, 331, 727, 331, 756, 303, 756)),
    real_line("型", 1.000, (374, 725, 405, 725, 405, 752, 374, 752)),
    real_line("有限责任公司（法人独资）", 0.981, (444, 723, 711, 715, 712, 747, 445, 756)),
    real_line("法定代表人", 0.996, (298, 770, 431, 765, 432, 800, 300, 805)),
    real_line("段诺勇", 0.999, (442, 772, 520, 772, 520, 800, 442, 800)),
    real_line("注册资本", 0.999, (303, 817, 407, 817, 407, 849, 303, 849)),
    real_line("壹仟万元整", 0.988, (437, 815, 568, 810, 569, 845, 439, 849)),
    real_line("成立日期", 0.997, (300, 864, 406, 859, 408, 889, 302, 894)),
    real_line("2016年12月27日", 0.998, (439, 864, 619, 855, 620, 883, 441, 892)),
    real_line("营业期限", 0.999, (300, 911, 404, 903, 406, 934, 302, 941)),
    real_line("2016年12月27日至长期", 0.998, (442, 908, 689, 897, 690, 926, 443, 937)),
    real_line("住", 1.000, (303, 957, 331, 957, 331, 983, 303, 983)),
    real_line("所", 1.000, (374, 955, 405, 955, 405, 981, 374, 981)),
    real_line("山东省枣庄市薛城区中山路147号", 0.995, (439, 955, 783, 938, 784, 966, 441, 984)),
    real_line("经营范围", 1.000, (300, 1002, 404, 997, 406, 1025, 302, 1030)),
    real_line(
        "广告设计、代理；广告制作；组织文化艺术交流活动；会议及",
        0.982,
        (439, 996, 1059, 964, 1060, 999, 441, 1030),
    ),
    real_line(
        "项目外，凭营业执照依法自主开展经营活动）",
        0.993,
        (441, 1124, 889, 1098, 891, 1127, 443, 1152),
    ),
    real_line("记", 0.970, (857, 1371, 882, 1371, 882, 1387, 857, 1387)),
    real_line("机", 0.999, (902, 1365, 939, 1365, 939, 1387, 902, 1387)),
    real_line("天", 0.796, (968, 1365, 986, 1365, 986, 1381, 968, 1381)),
    real_line("发", 0.661, (802, 1375, 823, 1375, 823, 1393, 802, 1393)),
    real_line("出", 0.930, (831, 1393, 849, 1393, 849, 1410, 831, 1410)),
    real_line("枣庄市薛城区市场监督", 0.988, (746, 1417, 980, 1397, 983, 1431, 749, 1451)),
    real_line("管理局", 0.829, (988, 1397, 1041, 1397, 1041, 1428, 988, 1428)),
    real_line("2023年07月03日", 0.996, (805, 1441, 979, 1429, 981, 1464, 808, 1475)),
]


def landscape(
    uscc: str = "91330106MA2B3C4D5D",
    authority: str | None = "杭州市西湖区市场监督管理局",
    address: str = "浙江省杭州市西湖区文三路100号",
    tilt: float = 0.0,
) -> list[OcrLine]:
    """A landscape 正本: spaced labels read as single characters, two columns, seal area."""

    def at(text: str, x: float, y: float, height: float = 30) -> OcrLine:
        return ocr_line(text, x, y + tilt * x, height=height, tilt=tilt)

    lines = [
        at("营业执照", 600, 100, height=80),
        at("统一社会信用代码", 120, 230),
        at(uscc, 120, 270),
        at("名", 120, 400), at("称", 200, 401), at("杭州青禾数据科技有限公司", 300, 402),
        at("注册资本", 860, 400), at("壹佰万元整", 1020, 399),
        at("类", 120, 470), at("型", 200, 471), at("有限责任公司 (自然人投资或控股)", 300, 470),
        at("成立日期", 860, 470), at("2016年03月01日", 1020, 471),
        at("法定代表人", 120, 540), at("李明远", 300, 541),
        at("营业期限", 860, 540), at("2016年03月01日至2036年02月29日", 1020, 540),
        at("经营范围", 120, 610), at("技术开发、技术服务、技术咨询；", 300, 611),
        at("住", 860, 610), at("所", 940, 611), at(address, 1020, 612),
        at("登", 1000, 880), at("记", 1050, 880), at("机", 1100, 881), at("关", 1150, 880),
        at("2016年03月01日", 1020, 1000),
    ]  # fmt: skip
    if authority is not None:
        lines.append(at(authority, 960, 935))
    return lines


def portrait_individual() -> list[OcrLine]:
    """A portrait 个体工商户 license, labels merged with values (no 注册资本, no 营业期限)."""
    rows = [
        "统一社会信用代码92440300MA5FQ8G61U",
        "名称深圳市南山区明德便利店",
        "类型个体工商户",
        "经营者王芳",
        "组成形式个人经营",
        "注册日期2019年07月15日",
        "经营场所广东省深圳市南山区科技路18号",
    ]
    lines = [ocr_line("营业执照", 400, 200, height=80)]
    lines += [ocr_line(text, 100, 400 + 60 * index) for index, text in enumerate(rows)]
    lines += [ocr_line("登记机关", 700, 1300), ocr_line("深圳市市场监督管理局", 640, 1345)]
    return lines


def _extract(lines: list[OcrLine]) -> Extraction:
    result = extract([lines], LICENSE)
    assert result.kinds == [LICENSE]
    return result


def test_real_photo_with_the_seal_over_the_authority_label() -> None:
    result = _extract(PHOTO_SEAL_OVER_LABEL)
    fields = result.fields
    assert fields.name == "枣庄博远青禾健康科技有限公司"
    assert fields.number == "913704038899539566"
    assert fields.entity_type == "有限责任公司(法人独资)"
    assert fields.legal_representative == "段诺勇"
    assert fields.registered_capital == "壹仟万元整"
    assert (fields.established, fields.valid_from, fields.valid_to) == (
        "2016-12-27",
        "2016-12-27",
        "长期",
    )
    assert fields.address == "山东省枣庄市薛城区中山路147号"
    assert fields.issuing_authority == "枣庄市薛城区市场监督管理局"
    assert result.evidence["issuing_authority"].note == "未找到「登记机关」标签，按机关名称认出"
    assert fields.province == "山东省"
    assert result.province_sources == {"authority": "山东省", "address": "山东省", "uscc": "山东省"}
    assert result.unread == {}


@pytest.mark.parametrize("tilt", [0.0, 0.015, -0.02])
def test_landscape_with_spaced_labels_reads_every_field(tilt: float) -> None:
    fields = _extract(landscape(tilt=tilt)).fields
    assert fields.model_dump(exclude_none=True) == {
        "name": "杭州青禾数据科技有限公司",
        "number": "91330106MA2B3C4D5D",
        "number_kind": "uscc",
        "province": "浙江省",
        "issuing_authority": "杭州市西湖区市场监督管理局",
        "address": "浙江省杭州市西湖区文三路100号",
        "valid_from": "2016-03-01",
        "valid_to": "2036-02-29",
        "legal_representative": "李明远",
        "entity_type": "有限责任公司(自然人投资或控股)",
        "registered_capital": "壹佰万元整",
        "established": "2016-03-01",
    }


def test_evidence_points_at_the_value_line() -> None:
    result = _extract(landscape())
    name = result.evidence["name"]
    assert name.text == "杭州青禾数据科技有限公司"
    assert name.box is not None and name.box[0] == (300.0, 402.0)
    assert name.page == 0 and name.source is TextSource.OCR and 0 < name.confidence <= 1
    assert result.evidence["province"].source is TextSource.DERIVED


@pytest.mark.parametrize(
    ("reading", "note"),
    [
        ("9133O106MA2B3C4D5D", "已修正 O→0（第 5 位）"),
        ("9I330106MA2B3C4D5D", "已修正 I→1（第 2 位）"),
        ("91330106MA2B3C4DSD", "已修正 S→5（第 17 位）"),
    ],
)
def test_uscc_confusions_are_repaired_with_a_note(reading: str, note: str) -> None:
    result = _extract(landscape(uscc=reading))
    assert result.fields.number == "91330106MA2B3C4D5D"
    assert result.evidence["number"].note == note
    assert result.evidence["number"].text == reading


def test_a_checksum_guess_lowers_the_number_confidence() -> None:
    result = _extract(landscape(uscc="91330106MA283C4D5D"))
    assert result.fields.number == "91330106MA2B3C4D5D"
    assert result.evidence["number"].confidence <= 0.5
    assert "推测值" in (result.evidence["number"].note or "")


def test_an_unrepairable_uscc_is_kept_as_read_with_the_reason() -> None:
    result = _extract(landscape(uscc="91330106MA2B3C4D5E"))
    assert result.fields.number == "91330106MA2B3C4D5E"
    assert "无法确定：" in (result.evidence["number"].note or "")
    assert "uscc" not in result.province_sources


def test_authority_only_in_the_seal_falls_back_to_the_address() -> None:
    result = _extract(landscape(authority=None))
    assert result.fields.issuing_authority is None
    assert "issuing_authority" in result.unread
    assert result.fields.province == "浙江省"
    assert (result.evidence["province"].note or "") == "按住所/住址推得省份"
    assert result.province_sources == {"address": "浙江省", "uscc": "浙江省"}


def test_disagreeing_sources_are_all_recorded_and_the_authority_wins() -> None:
    result = _extract(landscape(address="上海市浦东新区张江路1号"))
    assert result.province_sources == {"authority": "浙江省", "address": "上海市", "uscc": "浙江省"}
    assert result.fields.province == "浙江省"


def test_individual_business_without_capital_or_term() -> None:
    result = _extract(portrait_individual())
    fields = result.fields
    assert fields.name == "深圳市南山区明德便利店"
    assert fields.number == "92440300MA5FQ8G61U"
    assert fields.legal_representative == "王芳"
    assert fields.entity_type == "个体工商户"
    assert fields.established == "2019-07-15"
    assert fields.address == "广东省深圳市南山区科技路18号"
    assert fields.issuing_authority == "深圳市市场监督管理局"
    assert fields.province == "广东省"
    assert (fields.registered_capital, fields.valid_from, fields.valid_to) == (None, None, None)
    assert result.unread["registered_capital"] == "未找到标签「注册资本」"
    assert result.unread["valid_to"] == "未找到标签「营业期限」"


def test_a_wrapped_company_name_is_joined() -> None:
    lines = [
        ocr_line("营业执照", 400, 100, height=80),
        ocr_line("统一社会信用代码91330106MA2B3C4D5D", 100, 250),
        ocr_line("名称", 100, 400),
        ocr_line("杭州青禾数据科技有限公司西湖第一", 220, 400),
        ocr_line("分公司", 220, 436),
        ocr_line("类型", 100, 500),
        ocr_line("有限责任公司分公司(自然人投资或控股)", 220, 500),
    ]
    assert _extract(lines).fields.name == "杭州青禾数据科技有限公司西湖第一分公司"


def test_no_field_is_ever_an_empty_string() -> None:
    result = _extract([ocr_line("营业执照", 400, 100, height=80), ocr_line("名称", 100, 300)])
    assert all(value != "" for value in result.fields.model_dump().values())
    assert result.unread["name"] == "标签「名称」旁没有内容"
    assert set(result.unread) >= {"number", "address", "province", "established"}


def test_a_closing_bracket_lost_on_its_own_line_is_added_with_a_note() -> None:
    lines = [
        line
        if line.text != "有限责任公司 (自然人投资或控股)"
        else ocr_line("有限责任公司(自然人投资或控股", 300, 470)
        for line in landscape()
    ]
    result = _extract(lines)
    assert result.fields.entity_type == "有限责任公司(自然人投资或控股)"
    assert result.evidence["entity_type"].note == "已补上未读出的右括号"


def test_a_misread_district_in_the_authority_is_repaired_from_gb_t_2260() -> None:
    result = _extract(landscape(authority="杭州市西胡区市场监督管理局"))
    assert result.fields.issuing_authority == "杭州市西湖区市场监督管理局"
    assert "西胡区→西湖区" in (result.evidence["issuing_authority"].note or "")


@pytest.mark.parametrize(
    ("read", "note"),
    [
        ("杭州市西湖区市场盟督管理局", "市场盟督管理局→市场监督管理局"),  # seal over 监
        ("杭州市西湖区市场监管理局", "市场监管理局→市场监督管理局"),  # 督 lost
    ],
)
def test_a_slip_in_the_fixed_ending_of_the_authority_is_repaired(read: str, note: str) -> None:
    result = _extract(landscape(authority=read))
    assert result.fields.issuing_authority == "杭州市西湖区市场监督管理局"
    assert note in (result.evidence["issuing_authority"].note or "")


def test_a_spaced_label_whose_second_character_was_lost_still_finds_its_value() -> None:
    # PaddleOCR read only 名 of 名　　称; the value is indented on the next line
    lines = [line for line in landscape() if line.text not in ("称", "杭州青禾数据科技有限公司")]
    lines.append(ocr_line("杭州青禾数据科技有限公司", 140, 440))
    assert _extract(lines).fields.name == "杭州青禾数据科技有限公司"


def test_a_misread_district_opening_the_name_is_repaired_from_the_address() -> None:
    lines = portrait_individual()
    replaced = {"名称深圳市南山区明德便利店": "名称南出区明德便利店"}
    lines = [
        ocr_line(replaced[line.text], line.left, line.top) if line.text in replaced else line
        for line in lines
    ]
    result = _extract(lines)
    assert result.fields.name == "南山区明德便利店"
    assert result.evidence["name"].note == "南出区→南山区（依住所/登记机关）"


def test_a_name_is_not_bent_towards_a_place_it_merely_resembles() -> None:
    fields = _extract(landscape()).fields  # 杭州青禾… is one character from 杭州市
    assert fields.name == "杭州青禾数据科技有限公司"


def test_a_seal_fragment_between_label_and_authority_is_passed_over() -> None:
    lines = landscape()
    lines.append(ocr_line("湖", 1010, 912, height=20))  # seal text, nearer the label than the name
    result = _extract(lines)
    assert result.fields.issuing_authority == "杭州市西湖区市场监督管理局"
    assert "「湖」，不像机关名称" in (result.evidence["issuing_authority"].note or "")


def test_a_misread_date_next_to_the_label_is_not_taken_for_the_authority() -> None:
    lines = landscape(authority=None)[:-1]  # the authority only in the seal, unread
    lines.append(ocr_line("016年03月01日", 1000, 930))  # the issue date, its first digit lost
    result = _extract(lines)
    assert result.fields.issuing_authority is None
    assert "issuing_authority" in result.unread


def legacy_license(number_row: str, authority: str | None = None) -> list[OcrLine]:
    """A license from before the unified code: a 15-digit 注册号, labels merged with values."""
    rows = [
        "企业法人营业执照",
        number_row,
        "名称深圳市南山区明德贸易有限公司",
        "住所深圳市南山区科技路18号",
        "法定代表人王芳",
        "注册资本人民币50万元",
        "公司类型有限责任公司",
        "成立日期2009年07月15日",
    ]
    lines = [ocr_line(text, 100, 200 + 60 * index) for index, text in enumerate(rows)]
    if authority is not None:
        lines += [ocr_line("登记机关", 700, 1300), ocr_line(authority, 640, 1345)]
    return lines


@pytest.mark.parametrize(
    ("number_row", "number", "note"),
    [
        ("注册号440300001234568", "440300001234568", None),
        ("注册号：44O300001234568", "440300001234568", "已修正 O→0（第 3 位）"),
        ("注册号 440300001234568 (1-1)", "440300001234568", None),
    ],
)
def test_a_legacy_license_gives_its_registration_number_and_province(
    number_row: str, number: str, note: str | None
) -> None:
    result = _extract(legacy_license(number_row))
    assert (result.fields.number, result.fields.number_kind) == (number, NumberKind.REGISTRATION)
    assert result.evidence["number"].note == note
    assert result.province_sources[ProvinceSource.REGISTRATION] == "广东省"
    assert result.fields.name == "深圳市南山区明德贸易有限公司"


def test_a_13_digit_registration_number_right_after_its_label_is_read() -> None:
    result = _extract(legacy_license("注册号4406822003922(1-1)"))
    assert (result.fields.number, result.fields.number_kind) == (
        "4406822003922",
        NumberKind.REGISTRATION,
    )
    assert "无校验位" in (result.evidence["number"].note or "")
    assert result.province_sources[ProvinceSource.REGISTRATION] == "广东省"


@pytest.mark.parametrize(
    "number_row",
    [
        "电话4406822003922",  # 13 digits after another label
        "注册号9906822003922",  # 990682 was never a division
        "注册号44068220039221",  # 14 digits
    ],
)
def test_other_13_digit_runs_are_no_registration_number(number_row: str) -> None:
    result = _extract(legacy_license(number_row))
    assert result.fields.number_kind is not NumberKind.REGISTRATION


def test_a_registration_number_failing_its_check_digit_is_not_taken() -> None:
    result = _extract(legacy_license("注册号440300001234561"))
    assert result.fields.number_kind is not NumberKind.REGISTRATION
    assert ProvinceSource.REGISTRATION not in result.province_sources


def test_a_valid_uscc_wins_over_a_registration_number_on_the_same_license() -> None:
    lines = legacy_license("注册号440300001234568")
    lines.append(ocr_line("统一社会信用代码91440300MA5FQ8G61Y", 100, 700))
    result = _extract(lines)
    assert (result.fields.number, result.fields.number_kind) == ("91440300MA5FQ8G61Y", "uscc")


def test_a_longer_digit_run_holding_a_valid_registration_number_is_not_one() -> None:
    """A 20-digit 证照编号 may contain 15 digits that pass MOD 11,10: only whole runs count."""
    result = _extract(legacy_license("证照编号44030000123456800001"))
    assert result.fields.number_kind is not NumberKind.REGISTRATION


def test_an_entity_type_read_as_the_name_leaves_the_name_unread() -> None:
    """Seen in the bench on a hard capture: the 类型 row taken for 名称 gave a false reject."""
    lines = legacy_license("注册号440300001234568")
    lines[2] = ocr_line("名称有限责任公司(自然人投资或控股)", 100, 320)
    result = _extract(lines)
    assert result.fields.name is None
    assert "是企业类型而不是名称" in result.unread["name"]


@pytest.mark.parametrize("label", ["S名称GL", "S名IDG称", "SCJ名称"])
def test_a_label_read_with_watermark_letters_glued_around_it_still_labels_its_value(
    label: str,
) -> None:
    # the electronic license's SCJDGL grid: PaddleOCR reads the label and marks as one box
    lines = [
        ocr_line("营业执照", 400, 100, height=80),
        ocr_line("统一社会信用代码91310120MATM4A8W5B", 100, 250),
        ocr_line(label, 94, 400),
        ocr_line("上海云帆新途广告有限公司", 277, 404),
        ocr_line("SCJDGL", 683, 406),
        ocr_line("类型", 115, 465),
        ocr_line("有限责任公司(自然人投资或控股)", 273, 457),
    ]
    assert _extract(lines).fields.name == "上海云帆新途广告有限公司"


def test_a_name_read_without_any_chinese_character_is_left_unread() -> None:
    # a low-resolution capture: a stray code beside 名称
    lines = [
        ocr_line("营业执照", 400, 100, height=80),
        ocr_line("统一社会信用代码91310120MATM4A8W5B", 100, 250),
        ocr_line("名称", 100, 400),
        ocr_line("E1DG", 220, 400),
        ocr_line("类型", 100, 500),
        ocr_line("有限责任公司(自然人投资或控股)", 220, 500),
    ]
    extraction = _extract(lines)
    assert extraction.fields.name is None
    assert "没有汉字" in extraction.unread["name"]


def test_a_watermark_box_between_label_and_value_is_passed_over() -> None:
    lines = [
        ocr_line("营业执照", 400, 100, height=80),
        ocr_line("统一社会信用代码91310120MATM4A8W5B", 100, 250),
        ocr_line("S名IDG称", 94, 400),
        ocr_line("SCJDGL", 190, 402),
        ocr_line("瑞丰恒通教育科技(西宁)有限公司", 330, 400),
        ocr_line("类型", 100, 500),
        ocr_line("有限责任公司(自然人投资或控股)", 220, 500),
    ]
    assert _extract(lines).fields.name == "瑞丰恒通教育科技(西宁)有限公司"


def electronic_page(name: str, address: str, watermark: bool = True) -> list[OcrLine]:
    """An electronic license's rows, its SCJDGL watermark read as a token (or not at all)."""
    lines = [
        ocr_line("营业执照", 400, 100, height=80),
        ocr_line("统一社会信用代码91500103MA61RTQ35N", 100, 250),
        ocr_line("名称", 100, 400),
        ocr_line(name, 220, 400),
        ocr_line("类型", 100, 470),
        ocr_line("有限责任公司(自然人投资或控股)", 220, 470),
        ocr_line("住所", 100, 540),
        ocr_line(address, 220, 540),
    ]
    return lines + ([ocr_line("SCJDGL", 900, 700)] if watermark else [])


@pytest.mark.parametrize("opening", ["GL", "G", "S"])
def test_the_watermarks_letters_read_into_a_values_ends_are_dropped(opening: str) -> None:
    lines = electronic_page(
        f"{opening}重庆云帆新途广告有限公司", "重庆市渝中区解放碑路8号1806室JDGL"
    )
    fields = _extract(lines).fields
    assert fields.name == "重庆云帆新途广告有限公司"
    assert fields.address == "重庆市渝中区解放碑路8号1806室"


def test_an_address_ending_in_one_letter_keeps_it() -> None:
    lines = electronic_page("重庆云帆新途广告有限公司", "重庆市渝中区解放碑路8号3栋C")
    assert _extract(lines).fields.address == "重庆市渝中区解放碑路8号3栋C"


def test_latin_letters_of_a_name_stay_on_a_page_without_a_watermark() -> None:
    lines = electronic_page(
        "GL重庆云帆新途广告有限公司", "重庆市渝中区解放碑路8号", watermark=False
    )
    assert _extract(lines).fields.name == "GL重庆云帆新途广告有限公司"


def test_letters_not_of_the_watermark_stay() -> None:
    lines = electronic_page("ABC重庆云帆新途广告有限公司", "重庆市渝中区解放碑路8号")
    assert _extract(lines).fields.name == "ABC重庆云帆新途广告有限公司"


@pytest.mark.parametrize(
    ("first_line", "name"),
    [
        ("杭州云帆创业投资合伙企业(有限", "杭州云帆创业投资合伙企业(有限合伙)"),
        ("杭州云帆创业投资合伙企业", "杭州云帆创业投资合伙企业"),  # closed: 合伙 may be a label
    ],
)
def test_a_name_with_its_bracket_open_continues_onto_a_line_that_could_open_a_label(
    first_line: str, name: str
) -> None:
    # …合伙企业（有限 | 合伙）: the wrapped 合伙 (its bracket lost) is also how 合伙期限 begins
    lines = [
        ocr_line("统一社会信用代码", 100, 80),
        ocr_line("91330106MA2B3C4D5D", 100, 120),
        ocr_line("名称", 100, 200),
        ocr_line(first_line, 220, 200),
        ocr_line("合伙", 220, 232),
        ocr_line("类型", 100, 280),
        ocr_line("有限合伙企业", 220, 280),
        ocr_line("合伙期限", 600, 280),
    ]
    assert _extract(lines).fields.name == name


def test_the_value_under_the_next_columns_label_is_not_glued_to_a_name() -> None:
    # values below their labels, two columns: 成立日期's date on the name's first row
    lines = [
        ocr_line("营业执照", 300, 20, height=60),
        ocr_line("注册号", 100, 80),
        ocr_line("650102231034237", 100, 110),
        ocr_line("名称", 60, 205, height=16),
        ocr_line("成立日期", 413, 201, height=18),
        ocr_line("易达广源文化传媒(天津)有限公司乌鲁木齐分公", 73, 221, height=18),
        ocr_line("2013年05月25日", 428, 223, height=16),
        ocr_line("司", 74, 243, height=16),
        ocr_line("类型", 60, 270, height=16),
        ocr_line("有限责任公司分公司(自然人投资或控股)", 72, 288, height=18),
    ]
    fields = _extract(lines).fields
    assert fields.name == "易达广源文化传媒(天津)有限公司乌鲁木齐分公司"
    assert fields.established == "2013-05-25"


@pytest.mark.parametrize(
    ("above", "joined"),
    [
        (("营业执照", 250, 190, 52), True),  # the big title: no column label
        (("成立日期", 420, 262, 16), False),  # a label of the value's size: its own value
    ],
)
def test_a_piece_on_a_values_row_is_the_values_unless_another_label_heads_it(
    above: tuple[str, float, float, float], joined: bool
) -> None:
    text, x, y, height = above
    found, piece = (
        ocr_line("长三角示范区(苏", 300, 280, height=16),
        ocr_line("吴江区558号)", 430, 282, height=16),
    )
    lines = to_lines([[ocr_line(text, x, y, height=height), found, piece]])
    row = row_chain(lines[1], lines, LABELS, leftmost=0)
    assert [line.text for line in row] == (
        ["长三角示范区(苏", "吴江区558号)"] if joined else ["长三角示范区(苏"]
    )


def shifted_form(shift: float) -> list[OcrLine]:
    """A pre-printed legacy form (labels left) filled in by a printer whose values ride
    `shift` rows above their labels (rows 50 px apart, text 30 px high)."""
    rows = [
        ("名称", "宁波青禾电子有限公司"),
        ("住所", "宁波市北仑区明州路88号"),
        ("法定代表人", "孙立平"),
        ("注册资本", "伍拾万元整"),
        ("公司类型", "有限责任公司(自然人独资)"),
        ("成立日期", "2009年03月12日"),
        ("营业期限", "2009年03月12日至2029年03月11日"),
    ]
    lines = [ocr_line("注册号", 700, 100), ocr_line("330206000012349", 820, 100)]
    for index, (label, value) in enumerate(rows):
        top = 200 + 50 * index
        lines += [ocr_line(label, 100, top), ocr_line(value, 320, top - shift * 50)]
    return lines


@pytest.mark.parametrize("shift", [0.0, 0.45, 0.5, 0.7])
def test_values_printed_above_their_labels_are_paired_with_them(shift: float) -> None:
    fields = _extract(shifted_form(shift)).fields
    assert fields.name == "宁波青禾电子有限公司"
    assert fields.address == "宁波市北仑区明州路88号"
    assert fields.legal_representative == "孙立平"
    assert fields.registered_capital == "伍拾万元整"
    assert fields.established == "2009-03-12"
    assert fields.valid_to == "2029-03-11"


def test_a_shifted_value_keeps_its_own_box_as_evidence() -> None:
    extraction = _extract(shifted_form(0.5))
    box = extraction.evidence["name"].box
    assert box[0][1] == pytest.approx(200 - 25)  # where the printer put it, not the label's row


def test_values_on_the_row_below_are_not_moved_up_to_the_label_above() -> None:
    # a normal license: each label's own value on its row, the next row's 1 row below
    fields = _extract(shifted_form(0.0)).fields
    assert fields.name == "宁波青禾电子有限公司" and fields.legal_representative == "孙立平"


def test_a_partnership_license_reads_its_own_labels() -> None:
    rows = [
        ("名称", "杭州云帆创业投资合伙企业(有限合伙)"),
        ("类型", "有限合伙企业"),
        ("执行事务合伙人", "杭州青禾投资管理有限公司"),
        ("出资额", "伍佰万元整"),
        ("成立日期", "2019年05月06日"),
        ("合伙期限", "2019年05月06日至2039年05月05日"),
        ("主要经营场所", "浙江省杭州市西湖区文三路18号"),
    ]
    lines = [ocr_line("统一社会信用代码", 100, 80), ocr_line("91330106MA2B3C4D5D", 100, 120)]
    for index, (label, value) in enumerate(rows):
        lines += [ocr_line(label, 100, 200 + 50 * index), ocr_line(value, 340, 200 + 50 * index)]
    fields = _extract(lines).fields
    assert fields.name == "杭州云帆创业投资合伙企业(有限合伙)"
    assert fields.legal_representative == "杭州青禾投资管理有限公司"
    assert fields.registered_capital == "伍佰万元整"
    assert fields.valid_to == "2039-05-05"
    assert fields.address == "浙江省杭州市西湖区文三路18号"
    assert fields.province == "浙江省"


def test_a_name_whose_closing_bracket_was_lost_gets_it_back_with_a_note() -> None:
    lines = [
        ocr_line("统一社会信用代码", 100, 80),
        ocr_line("91330106MA2B3C4D5D", 100, 120),
        ocr_line("名称", 100, 200),
        ocr_line("上海明德安和创业投资合伙企业(普通合伙", 220, 200),
        ocr_line("类型", 100, 250),
        ocr_line("普通合伙企业", 220, 250),
    ]
    extraction = _extract(lines)
    assert extraction.fields.name == "上海明德安和创业投资合伙企业(普通合伙)"
    assert extraction.evidence["name"].note == "已补上未读出的右括号"


def test_values_printed_under_their_labels_are_not_taken_for_a_printer_shift() -> None:
    # the 副本 layout with each value on its own line under its label, indented 1 character
    # (so it starts before the label ends): two columns, rows 85 px apart, values 35 px down
    columns = [
        (117, [("名称", "衡阳瑞丰汇聚科技有限公司"), ("类型", "有限责任公司(法人独资)"),
               ("法定代表人", "宋向晓")]),
        (828, [("注册资本", "人民币伍佰万元整"), ("成立日期", "2018年12月25日"),
               ("营业期限", "2018年12月25日至2038年12月24日"),
               ("住所", "湖南省衡阳市南岳区滨河路195号")]),
    ]  # fmt: skip
    lines = [ocr_line("统一社会信用代码", 113, 129), ocr_line("91430412022705853E", 113, 169)]
    for left, rows in columns:
        for index, (label, value) in enumerate(rows):
            top = 406 + 85 * index
            lines += [ocr_line(label, left, top), ocr_line(value, left + 30, top + 38)]
    fields = _extract(lines).fields
    assert fields.name == "衡阳瑞丰汇聚科技有限公司"
    assert fields.legal_representative == "宋向晓"
    assert fields.registered_capital == "人民币伍佰万元整"
    assert fields.established == "2018-12-25"
    assert fields.valid_to == "2038-12-24"
    assert fields.address == "湖南省衡阳市南岳区滨河路195号"


def name_only_license(name: str) -> list[OcrLine]:
    """A license whose address, number and authority were not read: only its name row."""
    rows = [
        "营业执照",
        f"名称{name}",
        "类型有限责任公司(自然人投资或控股)",
        "成立日期2016年11月25日",
    ]
    return [ocr_line(text, 100, 200 + 60 * index) for index, text in enumerate(rows)]


def test_the_division_a_name_opens_with_is_the_last_resort_for_the_province() -> None:
    result = _extract(name_only_license("福建省宝悦教育咨询有限公司"))
    assert result.province_sources == {ProvinceSource.NAME: "福建省"}
    assert result.fields.province == "福建省"
    assert result.evidence["province"].note == "按名称开头的行政区划推得省份"


def test_the_division_a_name_opens_with_is_not_recorded_beside_another_source() -> None:
    lines = name_only_license("福建省宝悦教育咨询有限公司")
    lines.append(ocr_line("住所浙江省杭州市西湖区文三路90号", 100, 500))
    result = _extract(lines)
    assert result.fields.province == "浙江省"
    assert result.province_sources == {ProvinceSource.ADDRESS: "浙江省"}


def test_a_branch_name_is_no_province_source() -> None:
    """上海…北京分公司 is registered in Beijing: its name opens with its company's city."""
    result = _extract(name_only_license("上海星河云帆科技有限公司北京分公司"))
    assert ProvinceSource.NAME not in result.province_sources
    assert result.fields.province is None


def test_a_uscc_read_short_is_not_taken_for_a_registration_number() -> None:
    """15 of a USCC's digits may pass MOD 11,10; 911011 is no division, so no 注册号."""
    lines = name_only_license("北京众乐尚品商贸有限公司")
    lines.append(ocr_line("统一社食值用代码911011292311320", 100, 140))
    result = _extract(lines)
    assert result.fields.number_kind is not NumberKind.REGISTRATION
    assert result.fields.number != "911011292311320"


def test_a_label_takes_no_value_from_under_the_next_labels_row() -> None:
    """住所 with its value masked, 经营场所 under it: 业街交 continues 经营场所's value."""
    lines = name_only_license("星河云帆百货商店")
    lines += [  # rows as tight as on a food permit photographed with its license
        ocr_line("住所", 370, 500, height=37),
        ocr_line("经营场所：山东省", 164, 548, height=48),
        ocr_line("济南市历下区泉城路商业街交", 415, 586, height=34),
    ]
    result = _extract(lines)
    assert result.fields.address is not None
    assert result.fields.address.startswith("山东省")


def test_an_authority_with_its_branch_printed_off_the_labels_row_is_read() -> None:
    lines = name_only_license("深圳市宝安区西乡宏顺办公家具厂")
    lines += [
        ocr_line("登记机关", 700, 1000, height=55),
        ocr_line("深圳市市场监督管理局宝安分局", 900, 973, height=39),
    ]
    result = _extract(lines)
    assert result.fields.issuing_authority == "深圳市市场监督管理局宝安分局"
    note = result.evidence["issuing_authority"].note
    assert note == "「登记机关」标签旁未读到文字；按机关名称认出"
