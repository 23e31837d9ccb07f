"""Invented people, companies and addresses in a chosen province (all synthetic)."""

import random
from datetime import date, timedelta
from typing import Any

from samples.generator.divisions import District, county_codes_in_use, districts_of, provinces
from samples.generator.models import Company, Person
from samples.generator.numbers import make_id_number, make_uscc

# Documents are dated relative to this day so that output does not depend on the clock.
REFERENCE_DATE = date(2026, 11, 29)

FAMILY_NAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
COMPOUND_FAMILY_NAMES = ("欧阳", "司马", "上官", "诸葛")
GIVEN_NAME_CHARS = (
    "明远伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛超霞平刚桂华建国志新宇浩然子涵雨欣梓萱一诺晨阳思"
    "博文嘉怡佳琪俊杰晓东海燕春梅振宁鹏飞婷婷慧琳乐天瑞雪凯旋立诚崇德永福向荣"
)
UYGHUR_NAMES = {
    "男": ("艾力·买买提", "买合木提·艾则孜"),
    "女": ("阿依古丽·吐尔逊", "古丽娜尔·艾山"),
}
ETHNICITY_BY_PROVINCE = {
    "新疆维吾尔自治区": ("汉", "维吾尔", "哈萨克", "回"),
    "西藏自治区": ("藏", "汉"),
    "广西壮族自治区": ("汉", "壮", "瑶"),
    "内蒙古自治区": ("汉", "蒙古", "满"),
    "宁夏回族自治区": ("汉", "回"),
    "云南省": ("汉", "彝", "白", "傣"),
    "贵州省": ("汉", "苗", "布依"),
}
BRAND_WORDS = (
    "星河",
    "云帆",
    "瑞丰",
    "华信",
    "博远",
    "恒通",
    "嘉禾",
    "启明",
    "新途",
    "蓝海",
    "易达",
    "天衡",
    "诚泰",
    "智汇",
    "鼎盛",
    "广源",
    "青禾",
    "远航",
    "拓新",
    "明德",
    "景程",
    "汇聚",
    "卓越",
    "安和",
)
INDUSTRIES = (
    "科技",
    "信息技术",
    "网络科技",
    "文化传媒",
    "电子商务",
    "软件",
    "数据科技",
    "教育科技",
    "商贸",
    "广告",
    "餐饮管理",
    "健康科技",
)
SHOP_KINDS = ("便利店", "小吃店", "五金店", "图文工作室", "服装店", "水果店")
ROADS = (
    "中山",
    "人民",
    "解放",
    "建设",
    "文化",
    "学院",
    "科技",
    "长江",
    "黄河",
    "新华",
    "和平",
    "光明",
    "青年",
    "朝阳",
    "友谊",
    "滨河",
    "迎宾",
    "工业",
    "创业",
    "育才",
)
ROAD_SUFFIXES = ("路", "路", "大道", "街", "东路", "西路", "南路", "北路")
SCOPES = (
    "技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务；",
    "计算机系统服务；数据处理服务；互联网数据服务；网络技术服务；",
    "广告设计、代理；广告制作；组织文化艺术交流活动；会议及展览服务；",
    "销售电子产品、计算机软硬件及辅助设备、日用品、文具用品；",
    "企业管理咨询；市场营销策划；信息咨询服务（不含许可类信息咨询服务）；",
    "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
)
ENTITY_TYPES = (
    "有限责任公司（自然人投资或控股）",
    "有限责任公司（自然人独资）",
    "其他有限责任公司",
    "有限责任公司（法人独资）",
    "股份有限公司（非上市、自然人投资或控股）",
)
CAPITALS = (
    ("壹拾万元整", "10万元"),
    ("伍拾万元整", "50万元"),
    ("壹佰万元整", "100万元"),
    ("贰佰万元整", "200万元"),
    ("伍佰万元整", "500万元"),
    ("壹仟万元整", "1000万元"),
)


def make_name(rng: random.Random, province: str = "", gender: str = "男") -> str:
    """A synthetic Chinese personal name (rarely a compound surname or a Uyghur name)."""
    if province == "新疆维吾尔自治区" and rng.random() < 0.15:
        return rng.choice(UYGHUR_NAMES[gender])
    family = rng.choice(COMPOUND_FAMILY_NAMES) if rng.random() < 0.03 else rng.choice(FAMILY_NAMES)
    given_length = 1 if rng.random() < 0.3 else 2
    return family + "".join(rng.choice(GIVEN_NAME_CHARS) for _ in range(given_length))


def different_name(name: str, rng: random.Random) -> str:
    """Another name that differs from `name` in at least two characters."""
    while True:
        other = make_name(rng)
        same_length_diff = sum(a != b for a, b in zip(name, other, strict=False))
        if same_length_diff + abs(len(name) - len(other)) >= 2:
            return other


def pick_district(rng: random.Random, province: str, born: int = 0) -> District:
    """A random current district of the province that existed in the given year."""
    year = born or REFERENCE_DATE.year
    choices = [d for d in districts_of(province) if d.since <= year]
    if not choices:
        raise ValueError(f"no district of {province} existed in {year}")
    return rng.choice(choices)


def make_address(district: District, rng: random.Random, with_province: bool = True) -> str:
    """A street address in the district, e.g. 广东省广州市天河区科技路18号3栋1203室."""
    head = district.city_and_district
    if with_province and not district.is_municipality:
        head = district.province + head
    street = rng.choice(ROADS) + rng.choice(ROAD_SUFFIXES) + f"{rng.randint(1, 399)}号"
    unit_style = rng.randrange(3)
    if unit_style == 0:
        unit = f"{rng.randint(1, 12)}栋{rng.randint(1, 25)}{rng.randint(1, 9):02d}室"
    elif unit_style == 1:
        unit = f"{rng.randint(1, 6)}单元{rng.randint(1, 22)}{rng.randint(1, 8):02d}"
    else:
        unit = ""
    return head + street + unit


def random_day(rng: random.Random, start: date, end: date) -> date:
    """A day between start and end inclusive."""
    return start + timedelta(days=rng.randint(0, (end - start).days))


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (28 Feb for 29 Feb)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def id_validity(birth: date, rng: random.Random, expired: bool) -> tuple[date, date | None]:
    """有效期限 by age at issue (10 / 20 years / 长期); expired ones ended in 2019."""
    if expired:
        issued = random_day(rng, date(2009, 1, 1), date(2009, 12, 28))
        return issued, add_years(issued, 10)
    issued = random_day(rng, date(2016, 1, 1), date(2025, 12, 31))
    age = (issued - birth).days // 365
    if age >= 46:
        return issued, None
    years = 20 if age >= 26 else 10
    if add_years(issued, years) < REFERENCE_DATE + timedelta(days=400):
        issued = random_day(rng, date(2021, 1, 1), date(2025, 10, 31))
    return issued, add_years(issued, years)


def police_authority(district: District) -> str:
    """签发机关 of a district, e.g. 杭州市公安局西湖分局."""
    return f"{district.city}公安局{district.district.removesuffix('区')}分局"


def market_authority(district: District) -> str:
    """登记机关 of a district, e.g. 北京市海淀区市场监督管理局."""
    return f"{district.city_and_district}市场监督管理局"


# Adults by birth decade, roughly as in China's 2020 census (people 18–86 in 2026): the
# checker must meet the people who file, not the people its rules expect.
BIRTH_DECADES = {1940: 5, 1950: 11, 1960: 19, 1970: 18, 1980: 20, 1990: 19, 2000: 8}
LAST_BIRTH_YEAR = 2008
FIRST_NUMBER_YEAR = 1984  # resident ID numbers were first assigned in 1984
# Provinces carved out of another after 1984: numbers assigned before hold the other's codes.
PREDECESSORS = {"海南省": "广东省", "重庆市": "四川省"}  # 1988, 1997


def birth_year(rng: random.Random) -> int:
    """A birth year between 1940 and 2008, weighted by the adult population."""
    decade = rng.choices(list(BIRTH_DECADES), weights=list(BIRTH_DECADES.values()))[0]
    return rng.randint(decade, min(decade + 9, LAST_BIRTH_YEAR))


def assigned_code(rng: random.Random, province: str, born: int) -> str:
    """The division code a number got when it was assigned: at birth registration from 1984
    on, else at the first ID card (1984–1990), with the codes in use that year — so older
    people hold codes created after their birth, and some hold codes abolished since."""
    year = born if born >= FIRST_NUMBER_YEAR else rng.randint(FIRST_NUMBER_YEAR, 1990)
    codes = county_codes_in_use(province, year) or county_codes_in_use(PREDECESSORS[province], year)
    return rng.choice(codes)


def make_person(rng: random.Random, province: str, expired_id: bool = False) -> Person:
    """A synthetic resident of the province with a genuine ID number."""
    born_year = rng.randint(1988, 1993) if expired_id else birth_year(rng)
    home = pick_district(rng, province)
    birth = random_day(rng, date(born_year, 1, 1), date(born_year, 12, 28))
    registered = home.code if rng.random() < 0.5 else assigned_code(rng, province, born_year)
    gender: bool = rng.random() < 0.5
    name = make_name(rng, province, "男" if gender else "女")
    ethnic_choices = ETHNICITY_BY_PROVINCE.get(province, ("汉",) * 9 + ("回", "满"))
    ethnicity = "维吾尔" if "·" in name else rng.choice(ethnic_choices)
    valid_from, valid_to = id_validity(birth, rng, expired_id)
    return Person(
        name=name,
        gender="男" if gender else "女",
        ethnicity=ethnicity,
        birth_date=birth,
        id_number=make_id_number(registered, birth, gender, rng),
        address=make_address(home, rng),
        province=province,
        issuing_authority=police_authority(home),
        valid_from=valid_from,
        valid_to=valid_to,
        mobile=f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}",
        email=f"user{rng.randint(1000, 99999)}@example.com",
    )


def company_name(district: District, rng: random.Random, brand: str = "") -> str:
    """<city><字号><行业>有限公司, sometimes <字号><行业>（<city>）有限公司."""
    city = district.city.removesuffix("市")
    brand = brand or rng.choice(BRAND_WORDS) + rng.choice(BRAND_WORDS)
    industry = rng.choice(INDUSTRIES)
    if rng.random() < 0.25:
        return f"{brand}{industry}（{city}）有限公司"
    return f"{city}{brand}{industry}有限公司"


def other_brand_name(name: str, rng: random.Random) -> str:
    """The company name with its 字号 swapped for another two-word brand (≥ 2 chars differ)."""
    for brand in BRAND_WORDS:
        if brand in name:
            others = [b for b in BRAND_WORDS if b[0] != brand[0] and b[1] != brand[1]]
            replacement = rng.choice(others)
            return name.replace(brand, replacement, 1)
    return "新" + name


# Characters a typist may slip to or add inside a 字号 (common in company names).
TYPO_CHARACTERS = "华信达通科云创新源泰恒鑫汇盛宏远航"


def name_typo(name: str, rng: random.Random) -> str:
    """The name with one typing slip in its 字号: a character changed, dropped, added, or two
    neighbours swapped — 北京星河科技有限公司 → 北京星河云科技有限公司."""
    brand = next((word for word in BRAND_WORDS if word in name), name[:4])
    start = name.index(brand)
    position = start + rng.randrange(len(brand))
    kind = rng.choice(["change", "drop", "add", "swap"])
    if kind == "change":
        other = rng.choice([c for c in TYPO_CHARACTERS if c != name[position]])
        return name[:position] + other + name[position + 1 :]
    if kind == "drop":
        return name[:position] + name[position + 1 :]
    if kind == "add":
        return name[: position + 1] + rng.choice(TYPO_CHARACTERS) + name[position + 1 :]
    swap = position if position + 1 < start + len(brand) else position - 1
    if name[swap] == name[swap + 1]:
        return name[:swap] + rng.choice(TYPO_CHARACTERS) + name[swap + 1 :]
    return name[:swap] + name[swap + 1] + name[swap] + name[swap + 2 :]


# Characters a typed given name may wrongly hold (homophones and look-alikes of common ones).
GIVEN_NAME_TYPOS = "明鸣铭伟炜玮华桦骅静婧靖丽莉俐军君钧强蔷嫱文雯玟"


def person_name_typo(name: str, rng: random.Random) -> str:
    """The name with one character of the given name changed (李明远 → 李铭远)."""
    position = rng.randrange(1, len(name))
    other = rng.choice([c for c in GIVEN_NAME_TYPOS if c != name[position]])
    return name[:position] + other + name[position + 1 :]


def number_typo(number: str, rng: random.Random) -> str:
    """The number with one character changed, or two different neighbours swapped."""
    alphabet = "0123456789" if number.isdigit() else "0123456789ABCDEFGHJKLMNPQRTUWXY"
    places = [i for i in range(len(number) - 1) if number[i] != number[i + 1]]
    if rng.random() < 0.5 and places:
        at = rng.choice(places)
        return number[:at] + number[at + 1] + number[at] + number[at + 2 :]
    at = rng.randrange(len(number))
    other = rng.choice([c for c in alphabet if c != number[at]])
    return number[:at] + other + number[at + 1 :]


# 有限合伙企业 / 普通合伙企业: the 类型 printed, and the bracket its name ends with.
PARTNERSHIP_TYPES = (("有限合伙企业", "（有限合伙）"), ("普通合伙企业", "（普通合伙）"))
PARTNERSHIP_INDUSTRIES = ("投资", "企业管理咨询", "股权投资", "创业投资", "商务信息咨询")


def _partnership(
    district: District,
    rng: random.Random,
    representative: str,
    capital: str,
    valid_to: date | None,
    base: dict[str, Any],
) -> Company:
    """A 合伙企业: <city><字号><行业>合伙企业（有限合伙）, run by its 执行事务合伙人 (a person, or
    a company partner), with an 出资额 and a 合伙期限."""
    entity_type, bracket = rng.choice(PARTNERSHIP_TYPES)
    city = district.city.removesuffix("市")
    brand = rng.choice(BRAND_WORDS) + rng.choice(BRAND_WORDS)
    name = f"{city}{brand}{rng.choice(PARTNERSHIP_INDUSTRIES)}合伙企业{bracket}"
    partner = company_name(district, rng) if rng.random() < 0.3 else representative
    return Company(
        name=name,
        entity_type=entity_type,
        representative_label="执行事务合伙人",
        registered_capital=capital,
        valid_to=valid_to,
        has_term=True,
        **{**base, "representative": partner},
    )


def make_company(
    rng: random.Random,
    province: str,
    form: str = "",
    expired: bool = False,
    uscc_district: District | None = None,
    district: District | None = None,
) -> Company:
    """A synthetic market entity registered in the province (USCC division of its district;
    `district` fixes where, else one is drawn)."""
    form = form or rng.choices(["company", "branch", "individual"], [0.8, 0.1, 0.1])[0]
    district = district or pick_district(rng, province)
    established = (
        random_day(rng, date(1999, 1, 1), date(2004, 12, 31))
        if expired
        else random_day(rng, date(2012, 1, 1), date(2025, 6, 30))
    )
    valid_to: date | None = None
    if expired or rng.random() < 0.4:
        valid_to = add_years(established, 20) - timedelta(days=1)
    if valid_to is not None and not expired and valid_to < REFERENCE_DATE:
        valid_to = None
    words, digits = rng.choice(CAPITALS)
    capital = rng.choice([words, "人民币" + words, digits, digits + "人民币"])
    representative = make_name(rng, province)
    code_district = uscc_district or district
    base = {
        "uscc": make_uscc(code_district.code, rng, "2" if form == "individual" else "1"),
        "form": form,
        "established": established,
        "address": make_address(district, rng, with_province=rng.random() < 0.6),
        "province": province,
        "issuing_authority": market_authority(district),
        "issue_date": random_day(
            rng, established, min(REFERENCE_DATE, established + timedelta(days=3000))
        ),
        "business_scope": "".join(rng.sample(SCOPES[:-1], 3)) + SCOPES[-1],
        "representative": representative,
    }
    if form == "individual":
        shop = f"{district.district}{representative[-2:]}{rng.choice(SHOP_KINDS)}"
        return Company(
            name=shop,
            entity_type="个体工商户",
            representative_label="经营者",
            registered_capital=None,
            valid_to=None,
            has_term=False,
            **base,
        )
    if form == "partnership":
        return _partnership(district, rng, representative, capital, valid_to, base)
    if form == "branch":
        parent = company_name(pick_district(rng, rng.choice(provinces())), rng)
        return Company(
            name=f"{parent}{district.city.removesuffix('市')}分公司",
            entity_type="有限责任公司分公司（自然人投资或控股）",
            representative_label="负责人",
            registered_capital=None,
            valid_to=valid_to,
            has_term=True,
            **base,
        )
    return Company(
        name=company_name(district, rng),
        entity_type=rng.choice(ENTITY_TYPES),
        representative_label="法定代表人",
        registered_capital=capital,
        valid_to=valid_to,
        has_term=True,
        **base,
    )
