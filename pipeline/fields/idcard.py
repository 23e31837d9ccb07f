"""Resident ID card: the front (人像面) and the back (国徽面)."""

from pipeline.fields.codes import read_number
from pipeline.fields.dates import parse_date
from pipeline.fields.draft import Draft, Page, read_period, read_text_field
from pipeline.fields.labels import LabelHit, merge_spaced_labels, read_value
from pipeline.fields.lines import Line, evidence
from pipeline.fields.numbers import repair_ric
from pipeline.fields.province import repair_place, settle_province
from pipeline.standards.divisions import province_of_code, province_of_text
from pipeline.standards.numbers import is_genuine_ric, ric_birth_date
from schemas import ProvinceSource, TextSource

NAME = ("姓名",)
GENDER = ("性别",)
ETHNICITY = ("民族",)
BIRTH = ("出生",)
ADDRESS = ("住址",)
NUMBER = ("公民身份号码",)
AUTHORITY = ("签发机关",)
TERM = ("有效期限",)
FRONT_LABELS = (*NAME, *GENDER, *ETHNICITY, *BIRTH, *ADDRESS, *NUMBER)
BACK_LABELS = (*AUTHORITY, *TERM, "居民身份证", "中华人民共和国")
GENDERS = ("男", "女")
# The 56 ethnic groups as printed after 民族 (汉, not 汉族).
_ETHNICITY_NAMES = """
    汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎
    傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉
    毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京
    塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺
"""
ETHNICITIES = tuple(_ETHNICITY_NAMES.split())
ADDRESS_LINES = 4


def _inner_hit(page: Page, label: str) -> LabelHit | None:
    """A label anywhere in a line (性别女民族汉), with what follows it."""
    for line in page.lines:
        position = line.text.find(label)
        if position >= 0:
            return LabelHit(label, line, line.text[position + len(label) :])
    return None


def _read_gender(draft: Draft, page: Page) -> None:
    """性别: the first 男/女 after the label."""
    hit = _inner_hit(page, GENDER[0])
    value = read_value(hit, page.lines, page.labels) if hit else None
    if value is not None and value.text[:1] in GENDERS:
        draft.put("gender", value.text[0], evidence(value.lines))
        return
    for line in page.lines:
        if line.text in GENDERS:
            draft.put("gender", line.text, evidence([line], "无标签"))
            return
    draft.miss("gender", "性别未读出" if hit else "未找到标签「性别」")


def _read_ethnicity(draft: Draft, page: Page) -> None:
    """民族: the longest ethnic-group name after the label."""
    hit = _inner_hit(page, ETHNICITY[0])
    if hit is None:
        draft.miss("ethnicity", "未找到标签「民族」")
        return
    value = read_value(hit, page.lines, page.labels)
    if value is None:
        draft.miss("ethnicity", "标签「民族」旁没有内容")
        return
    known = [name for name in ETHNICITIES if value.text.startswith(name)]
    if known:
        draft.put("ethnicity", max(known, key=len), evidence(value.lines))
    else:
        note = "不属于 56 个民族"
        draft.miss("ethnicity", f"民族读作「{value.text}」，{note}", evidence(value.lines, note))


def _number_birth(draft: Draft) -> str | None:
    """The birth date coded in a valid ID number."""
    number = draft.values.get("number")
    birth = ric_birth_date(number) if number is not None and is_genuine_ric(number) else None
    return birth.isoformat() if birth is not None else None


def _read_birth(draft: Draft, page: Page) -> None:
    """出生: from its row, checked against the ID number's date (which wins if they differ)."""
    row = read_text_field(draft, page, "birth_date", BIRTH)
    printed = parse_date(row.text) if row else None
    coded = _number_birth(draft)
    if printed is not None and (coded is None or coded == printed):
        draft.values["birth_date"] = printed
        return
    if coded is not None:
        shown = f"出生读作「{row.text}」" if row else "出生未读出"
        proof = draft.evidence["number"]
        note = f"{shown}，按身份证号码推得出生日期"
        update = {"note": note, "source": TextSource.DERIVED}
        draft.put("birth_date", coded, proof.model_copy(update=update))
        return
    if row is not None:
        draft.values.pop("birth_date", None)
        draft.miss("birth_date", f"出生「{row.text}」中没有日期", draft.evidence.pop("birth_date"))


def _gender_from_number(draft: Draft) -> None:
    """When 性别 was not read, the ID number's sequence parity (odd = male) gives it."""
    number = draft.values.get("number")
    if "gender" in draft.values or number is None or not is_genuine_ric(number):
        return
    proof = draft.evidence["number"]
    gender = "男" if int(number[16]) % 2 else "女"
    note = "性别未读出，按身份证号码推得"
    draft.put(
        "gender", gender, proof.model_copy(update={"note": note, "source": TextSource.DERIVED})
    )


def _misread_address_label(page: Page) -> LabelHit | None:
    """A line opening with 住址 misread by one character (佳址…) and then a place name."""
    label = ADDRESS[0]
    for line in page.lines:
        head, rest = line.text[: len(label)], line.text[len(label) :]
        slips = sum(read != printed for read, printed in zip(head, label, strict=False))
        if len(head) == len(label) and slips == 1 and province_of_text(rest) is not None:
            return LabelHit(label, line, rest)
    return None


def _read_misread_address(draft: Draft, page: Page) -> None:
    """住址 when its label was misread: the line's rest must name a place."""
    hit = _misread_address_label(page)
    value = read_value(hit, page.lines, page.labels, ADDRESS_LINES) if hit else None
    if value is not None:
        note = f"标签读作「{value.lines[0].text[:2]}」"
        draft.put("address", value.text, evidence(value.lines, note))


def _stop_at_number(draft: Draft) -> None:
    """Cut an address that ran into the ID number line."""
    address = draft.values.get("address")
    if address is None or NUMBER[0] not in address:
        return
    kept = address.split(NUMBER[0])[0]
    if kept:
        draft.values["address"] = kept
    else:
        del draft.values["address"]
        draft.miss("address", "标签「住址」旁没有内容", draft.evidence.pop("address"))


def extract_id_front(lines: list[Line]) -> Draft:
    """Every field of an ID card front."""
    page = Page(merge_spaced_labels(lines, FRONT_LABELS), FRONT_LABELS)
    draft = Draft()
    read_text_field(draft, page, "name", NAME)
    read_number(draft, page, NUMBER, repair_ric)
    _read_gender(draft, page)
    _gender_from_number(draft)
    _read_ethnicity(draft, page)
    _read_birth(draft, page)
    if read_text_field(draft, page, "address", ADDRESS, max_lines=ADDRESS_LINES) is None:
        _read_misread_address(draft, page)
    _stop_at_number(draft)
    repair_place(draft, "address")
    address_province = province_of_text(draft.values.get("address", ""))
    if address_province is not None:
        draft.province_sources[ProvinceSource.ADDRESS] = address_province
    number = draft.values.get("number")
    if number is not None and is_genuine_ric(number):
        number_province = province_of_code(number[:6])
        if number_province is not None:
            draft.province_sources[ProvinceSource.ID_NUMBER] = number_province
    settle_province(draft, (ProvinceSource.ADDRESS, ProvinceSource.ID_NUMBER))
    return draft


def extract_id_back(lines: list[Line]) -> Draft:
    """签发机关 and 有效期限 of an ID card back."""
    page = Page(merge_spaced_labels(lines, BACK_LABELS), BACK_LABELS)
    draft = Draft()
    read_text_field(draft, page, "issuing_authority", AUTHORITY, max_lines=2)
    read_period(draft, page, TERM)
    repair_place(draft, "issuing_authority")
    authority_province = province_of_text(draft.values.get("issuing_authority", ""))
    if authority_province is not None:
        draft.province_sources[ProvinceSource.AUTHORITY] = authority_province
    settle_province(draft, (ProvinceSource.AUTHORITY,))
    return draft
