"""Provinces from division codes and from address / authority texts (GB/T 2260 via stdnum)."""

import pytest

from pipeline.standards.divisions import (
    PROVINCES,
    is_division_code,
    is_province,
    places_in,
    province_of_code,
    province_of_name,
    province_of_text,
    repair_district_name,
    short_province_name,
)

# One district code of each provincial capital (test data, not a lookup table of the code).
CAPITAL_DISTRICTS = {
    "110101": "北京市", "120101": "天津市", "130102": "河北省", "140105": "山西省",
    "150102": "内蒙古自治区", "210102": "辽宁省", "220102": "吉林省", "230102": "黑龙江省",
    "310101": "上海市", "320102": "江苏省", "330106": "浙江省", "340102": "安徽省",
    "350102": "福建省", "360102": "江西省", "370102": "山东省", "410102": "河南省",
    "420102": "湖北省", "430102": "湖南省", "440106": "广东省", "450102": "广西壮族自治区",
    "460105": "海南省", "500103": "重庆市", "510104": "四川省", "520102": "贵州省",
    "530102": "云南省", "540102": "西藏自治区", "610102": "陕西省", "620102": "甘肃省",
    "630102": "青海省", "640104": "宁夏回族自治区", "650102": "新疆维吾尔自治区",
}  # fmt: skip


def test_there_are_31_mainland_provinces() -> None:
    assert len(PROVINCES) == 31
    assert set(PROVINCES) == set(CAPITAL_DISTRICTS.values())


@pytest.mark.parametrize(("code", "province"), sorted(CAPITAL_DISTRICTS.items()))
def test_every_province_from_a_division_code(code: str, province: str) -> None:
    assert province_of_code(code) == province
    assert is_division_code(code)
    assert is_province(province)


@pytest.mark.parametrize("code", ["710000", "810000", "820000", "990000", "10", "ab1234", ""])
def test_codes_outside_the_31_have_no_province(code: str) -> None:
    assert province_of_code(code) is None


@pytest.mark.parametrize(("code", "known"), [("330199", False), ("3301", False), ("440300", True)])
def test_is_division_code(code: str, known: bool) -> None:
    assert is_division_code(code) is known


@pytest.mark.parametrize(
    ("province", "short"),
    [
        ("北京市", "北京"),
        ("广西壮族自治区", "广西"),
        ("内蒙古自治区", "内蒙古"),
        ("新疆维吾尔自治区", "新疆"),
        ("宁夏回族自治区", "宁夏"),
        ("西藏自治区", "西藏"),
        ("黑龙江省", "黑龙江"),
    ],
)
def test_short_province_names(province: str, short: str) -> None:
    assert short_province_name(province) == short


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("北京市海淀区市场监督管理局", "北京市"),
        ("上海市浦东新区市场监督管理局", "上海市"),
        ("重庆市渝北区市场监督管理局", "重庆市"),
        ("天津市滨海新区市场监督管理局", "天津市"),
        ("杭州市公安局西湖分局", "浙江省"),
        ("深圳市市场监督管理局", "广东省"),
        ("深圳市市场监督管理局南山监管局", "广东省"),
        ("乌鲁木齐市公安局天山区分局", "新疆维吾尔自治区"),
        ("拉萨市公安局城关分局", "西藏自治区"),
        ("银川市兴庆区市场监督管理局", "宁夏回族自治区"),
        ("呼和浩特市赛罕区市场监督管理局", "内蒙古自治区"),
        ("南宁市青秀区行政审批局", "广西壮族自治区"),
        ("广西壮族自治区南宁市青秀区民族大道100号", "广西壮族自治区"),
        ("广西南宁市青秀区民族大道100号", "广西壮族自治区"),
        ("内蒙古呼和浩特市新城区", "内蒙古自治区"),
        ("浙江省杭州市西湖区文三路100号", "浙江省"),
        ("杭州西湖区文三路100号", "浙江省"),
        ("长春市朝阳区人民大街1号", "吉林省"),
        ("吉林市船营区", "吉林省"),
        ("海南藏族自治州共和县", "青海省"),
        ("河北区中山路1号", "天津市"),
        ("成都市锦江区", "四川省"),
        ("　浙江省　杭州市", "浙江省"),
        ("中国(上海)自由贸易试验区加枫路28号", "上海市"),  # a free trade zone names its province
        ("中国（广东）自由贸易试验区南沙片区", "广东省"),
    ],
)
def test_province_of_text(text: str, province: str) -> None:
    assert province_of_text(text) == province


@pytest.mark.parametrize(
    "text",
    [
        "朝阳区建国路88号",  # Beijing and Changchun both have a 朝阳区
        "鼓楼区中山路1号",  # 鼓楼区 exists in several provinces
        "西湖区文三路",  # Hangzhou and Nanchang
        "公安局",
        "",
        "市场监督管理局",
    ],
)
def test_ambiguous_or_placeless_texts_give_none(text: str) -> None:
    assert province_of_text(text) is None


@pytest.mark.parametrize("name", ["北京", "广西", "浙江", "台湾省", "北京市 ", ""])
def test_only_full_mainland_names_are_provinces(name: str) -> None:
    assert not is_province(name)


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("湘潭市南湖区市场监督管理局", "湘潭市雨湖区市场监督管理局"),  # 南湖区 is in 嘉兴, not 湘潭
        ("海口市力华区市场监督管理局", "海口市龙华区市场监督管理局"),  # current name preferred
        ("北京市海定区市场监督管理局", "北京市海淀区市场监督管理局"),
        ("浙江省杭州市西胡区文三路100号", "浙江省杭州市西湖区文三路100号"),
        ("威海市登区市场监督管理局", "威海市文登区市场监督管理局"),  # 文 dropped
        ("齐齐哈尔市梅里斯达韩尔族区市场监督管理局", "齐齐哈尔市梅里斯达斡尔族区市场监督管理局"),
    ],
)
def test_one_misread_district_character_is_repaired(text: str, repaired: str) -> None:
    value, note = repair_district_name(text)
    assert value == repaired
    assert note is not None and "GB/T 2260" in note


@pytest.mark.parametrize(
    "text",
    [
        "杭州市西湖区市场监督管理局",  # correct
        "杭州市公安局西湖分局",  # no district right after the city
        "深圳市市场监督管理局",
        "某某市某某区",  # unknown city
        "杭州市下城区",  # former district, still a GB/T 2260 name
        "北京市某某区",  # two characters off every district
    ],
)
def test_district_names_that_need_no_or_no_certain_repair_are_kept(text: str) -> None:
    assert repair_district_name(text) == (text, None)


def test_current_names_win_over_historical_ones() -> None:
    # 海口市 was in 广东省 until 1988; GB/T 2260 keeps both entries
    assert province_of_text("海口市公安局美兰分局") == "海南省"


def test_places_in_lists_the_cities_and_districts_named() -> None:
    assert places_in("湖北省十堰市郧阳区人民路1号") == ["十堰市", "郧阳区"]


@pytest.mark.parametrize(
    ("name", "province"),
    [
        ("山西太原市友好旅游有限公司", "山西省"),  # a short province name
        ("福建省宝悦教育咨询有限公司", "福建省"),
        ("台州市椒江岳荣电子商务商行", "浙江省"),  # a city with its suffix
        ("杭州云帆科技有限公司", "浙江省"),  # a prefecture-level city's short name
        ("滨海县东坎街道三万烘焙坊", "江苏省"),  # a county
    ],
)
def test_province_of_the_division_a_name_opens_with(name: str, province: str) -> None:
    assert province_of_name(name) == province


@pytest.mark.parametrize(
    "name",
    [
        "安吉初夏农业有限公司",  # a county's name without 县 is no division name
        "东方红商贸有限公司",  # 东方市 is county-level: its short name is not trusted
        "和平区星河便利店",  # 和平区 is in Tianjin and in Shenyang
        "长城汽车股份有限公司",
        "星河云帆(北京)科技有限公司",  # the division is not at the start
        "",
    ],
)
def test_a_name_opening_with_no_single_division_gives_none(name: str) -> None:
    assert province_of_name(name) is None
