"""USCC and ID number checks and OCR repair (all numbers synthetic, valid check characters)."""

import pytest
from stdnum.cn import ric, uscc

from pipeline.fields.numbers import (
    check_license_number,
    check_ric,
    check_uscc,
    clean_reading,
    repair_registration,
    repair_ric,
    repair_uscc,
)
from pipeline.standards.numbers import registration_problem, uscc_problem

USCC_HANGZHOU = "91330106MA2B3C4D5D"
USCC_SHENZHEN = "91440300MA5FQ8G61Y"
USCC_BEIJING = "92110108L0186B7K3L"
USCC_CHENGDU = "91510100MA6CJ0W8NC"
USCC_URUMQI = "91650102MA78UY0T2G"
ID_HANGZHOU = "330106199005170027"
ID_BEIJING = "110105198511031239"
ID_URUMQI = "650102199209090044"
ID_NANNING = "450102198801013134"
ID_WITH_X = "33010619900517030X"


@pytest.mark.parametrize(
    "number", [USCC_HANGZHOU, USCC_SHENZHEN, USCC_BEIJING, USCC_CHENGDU, USCC_URUMQI]
)
def test_test_usccs_are_valid_per_stdnum(number: str) -> None:
    assert uscc.is_valid(number)
    reading = repair_uscc(number)
    assert (reading.value, reading.valid, reading.repaired) == (number, True, False)


@pytest.mark.parametrize(
    ("reading", "expected", "change"),
    [
        ("9133O106MA2B3C4D5D", USCC_HANGZHOU, "O→0（第 5 位）"),
        ("9I330106MA2B3C4D5D", USCC_HANGZHOU, "I→1（第 2 位）"),
        ("91330106MAZB3C4D5D", USCC_HANGZHOU, "Z→2（第 11 位）"),
        ("91330106MA2B3C4DSD", USCC_HANGZHOU, "S→5（第 17 位）"),
        ("9211010BL0186B7K3L", USCC_BEIJING, "B→8（第 8 位）"),
        ("9133010GMA2B3C4D5D", USCC_HANGZHOU, "G→6（第 8 位）"),
        ("9133D106MA2B3C4D5D", USCC_HANGZHOU, "D→0（第 5 位）"),
        ("9133Q106MA2B3C4D5D", USCC_HANGZHOU, "Q→0（第 5 位）"),
        ("9L330106MA2B3C4D5D", USCC_HANGZHOU, "L→1（第 2 位）"),
        ("91A40300MA5FQ8G61Y", USCC_SHENZHEN, "A→4（第 3 位）"),
        ("9133U106MA2B3C4D5D", USCC_HANGZHOU, "U→0（第 5 位）"),
    ],
)
def test_uscc_characters_impossible_at_their_position_are_forced(
    reading: str, expected: str, change: str
) -> None:
    result = repair_uscc(reading)
    assert (result.value, result.valid, result.repaired, result.guessed) == (
        expected,
        True,
        True,
        False,
    )
    assert result.note == f"已修正 {change}"


@pytest.mark.parametrize(
    ("reading", "expected", "change"),
    [
        ("91330106MA283C4D5D", USCC_HANGZHOU, "8→B（第 12 位）"),
        ("91440300MA5FQ8661Y", USCC_SHENZHEN, "6→G（第 15 位）"),
        ("91440300MA5FQ8C61Y", USCC_SHENZHEN, "C→G（第 15 位）"),
        ("91440300MA5FQ8G61U", USCC_SHENZHEN, "U→Y（第 18 位）"),
        ("91510100NA6CJ0W8NC", USCC_CHENGDU, "N→M（第 9 位）"),
        ("91510100MA6CJDW8NC", USCC_CHENGDU, "D→0（第 14 位）"),
        ("91650102MA78YY0T2G", USCC_URUMQI, "Y→U（第 13 位）"),
        ("9T330106MA2B3C4D5D", USCC_HANGZHOU, "T→1（第 2 位）"),
    ],
)
def test_uscc_one_confusable_substitution_is_repaired_by_the_check_character(
    reading: str, expected: str, change: str
) -> None:
    result = repair_uscc(reading)
    assert (result.value, result.valid, result.guessed) == (expected, True, True)
    assert result.note == f"按校验位修正 {change}"


@pytest.mark.parametrize(
    ("reading", "genuine"),
    [
        # 330108 滨江区 dates from 1996: stdnum's birth-year rule used to make 330106 the one
        # repair; under GB 11643 both (and others) are genuine, so the reading stays in doubt
        ("330108199005170027", ID_HANGZHOU),
        ("450102198801013734", ID_NANNING),
    ],
)
def test_ric_repair_with_several_genuine_candidates_is_a_doubt_not_a_fact(
    reading: str, genuine: str
) -> None:
    result = repair_ric(reading)
    assert (result.value, result.valid) == (None, False)
    assert result.note is not None and "种修正都能通过校验" in result.note
    assert genuine != reading and repair_ric(genuine).value == genuine


@pytest.mark.parametrize(
    "reading",
    [
        "91330106MA8B3C4D5D",  # A read as 8: not a known confusion, several repairs validate
        "91330106M82BXC4D5D",  # two errors
        "91330Z06MA2B3C4D5D",  # a forced Z→2 that leaves the check failing
    ],
)
def test_uscc_ambiguous_readings_are_rejected_not_guessed(reading: str) -> None:
    result = repair_uscc(reading)
    assert (result.value, result.valid) == (None, False)
    assert result.note is not None and "无法确定：" in result.note


def test_a_reading_one_character_short_lists_every_valid_insertion() -> None:
    """Many insertions pass the check character: the recognizer output chooses (codes.py)."""
    result = repair_uscc("91510107M61RTQ35N")  # the A of MA61 lost
    assert result.value is None and "种修正都能通过校验" in (result.note or "")
    assert "91510107MA61RTQ35N" in result.candidates
    assert all(uscc_problem(candidate) is None for candidate in result.candidates)


@pytest.mark.parametrize(
    ("reading", "reason"),
    [
        ("91330106MA2B3C4", "读出 15 位"),
        ("", "读出 0 位"),
        ("9133W106MA2B3C4D5D", "第 5 位的「W」无法修正"),
    ],
)
def test_uscc_unrepairable_readings_say_why(reading: str, reason: str) -> None:
    result = repair_uscc(reading)
    assert result.value is None and not result.valid
    assert result.note is not None and reason in result.note


@pytest.mark.parametrize(
    ("reading", "reason"),
    [
        ("000000000000000000", "首位「0」不是 GB 32100 登记管理部门代码"),
        ("9433010600000000XG", "机构类别「4」不属于 GB 32100 登记管理部门「9」"),
    ],
)
def test_uscc_readings_whose_check_character_matches_must_still_be_plausible(
    reading: str, reason: str
) -> None:
    assert uscc.is_valid(reading)  # the check character alone would accept them
    result = repair_uscc(reading)
    assert (result.value, result.valid, result.repaired) == (None, False, False)
    assert result.note == f"统一社会信用代码校验位相符，但{reason}"


def test_uscc_reading_with_a_division_gb2260_never_had_is_kept_with_a_doubt() -> None:
    result = repair_uscc("9199999900000000XA")
    assert (result.value, result.valid, result.repaired) == ("9199999900000000XA", True, False)
    assert result.note is not None and "999999 不是任何年份的 GB/T 2260 行政区划代码" in result.note


@pytest.mark.parametrize(
    "number",
    [
        "9110000000000000X4",  # national registration (100000)
        "5133010600000000XX",  # 民政 (5), 社会团体 (1)
        "123301060000000005",  # 机构编制 (1), 事业单位 (2)
    ],
)
def test_uscc_plausible_authorities_and_the_national_code_read_directly(number: str) -> None:
    result = repair_uscc(number)
    assert (result.value, result.valid, result.repaired) == (number, True, False)


def test_ric_reading_born_in_the_future_is_not_valid() -> None:
    assert ric.is_valid("11010520300101001X")  # born 2030-01-01: stdnum accepts it
    result = repair_ric("11010520300101001X")
    assert (result.value, result.valid) == (None, False)
    assert result.note == ("身份证号码校验位相符，但出生日期晚于今天")


def test_uscc_one_extra_character_is_dropped() -> None:
    result = repair_uscc("9" + USCC_HANGZHOU)
    assert result.value == USCC_HANGZHOU and result.guessed


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        ("9133 0106 MA2B 3C4D 5D", USCC_HANGZHOU),
        ("91330106ma2b3c4d5d", USCC_HANGZHOU),
        ("９１３３０１０６ＭＡ２Ｂ３Ｃ４Ｄ５Ｄ", USCC_HANGZHOU),
        ("91330106-MA2B3C4D5D。", USCC_HANGZHOU),
    ],
)
def test_uscc_spacing_case_and_width_are_not_repairs(reading: str, expected: str) -> None:
    result = repair_uscc(reading)
    assert (result.value, result.repaired) == (expected, False)


@pytest.mark.parametrize(
    ("reading", "expected", "change"),
    [
        ("33O106199005170027", ID_HANGZHOU, "O→0（第 3 位）"),
        ("330I06199005170027", ID_HANGZHOU, "I→1（第 4 位）"),
        ("330l06199005170027", ID_HANGZHOU, "l→1（第 4 位）"),
        ("3301061990051700Z7", ID_HANGZHOU, "Z→2（第 17 位）"),
        ("33010619900S170027", ID_HANGZHOU, "S→5（第 12 位）"),
        ("11010519B511031239", ID_BEIJING, "B→8（第 9 位）"),
        ("33010G199005170027", ID_HANGZHOU, "G→6（第 6 位）"),
        ("33010b199005170027", ID_HANGZHOU, "b→6（第 6 位）"),
        ("3301061g9005170027", ID_HANGZHOU, "g→9（第 8 位）"),
        ("33D106199005170027", ID_HANGZHOU, "D→0（第 3 位）"),
    ],
)
def test_ric_letters_read_for_digits_are_forced(reading: str, expected: str, change: str) -> None:
    result = repair_ric(reading)
    assert (result.value, result.valid, result.guessed) == (expected, True, False)
    assert result.note == f"已修正 {change}"


@pytest.mark.parametrize(
    ("reading", "expected", "change"),
    [
        ("330706199005170027", ID_HANGZHOU, "7→1（第 4 位）"),
        ("110105198611031239", ID_BEIJING, "6→5（第 10 位）"),
        ("110105198511081239", ID_BEIJING, "8→3（第 14 位）"),
        ("650102199289090044", ID_URUMQI, "8→0（第 11 位）"),
    ],
)
def test_ric_one_confusable_digit_is_repaired_by_the_check_digit(
    reading: str, expected: str, change: str
) -> None:
    result = repair_ric(reading)
    assert (result.value, result.guessed) == (expected, True)
    assert result.note == f"按校验位修正 {change}"


def test_ric_lower_case_x_is_upper_cased_without_a_repair() -> None:
    result = repair_ric(ID_WITH_X.lower())
    assert (result.value, result.repaired) == (ID_WITH_X, False)


@pytest.mark.parametrize(
    "reading",
    [
        "330106199005170028",  # check digit off by one: several one-digit repairs validate
        "330106199005770827",  # two errors
    ],
)
def test_ric_ambiguous_readings_are_rejected(reading: str) -> None:
    result = repair_ric(reading)
    assert (result.value, result.valid) == (None, False)
    assert result.note is not None and "无法确定：" in result.note


def test_ric_repairs_never_produce_an_impossible_birth_date() -> None:
    result = repair_ric("330106199013170027")  # month 13
    assert result.value is None or ric.get_birth_date(result.value).month <= 12


def test_clean_reading_keeps_only_letters_digits_and_one_lookalikes() -> None:
    assert clean_reading(" 91-33.01|06 ") == "913301|06"


@pytest.mark.parametrize(
    ("value", "problem", "fatal"),
    [
        (USCC_HANGZHOU, None, None),
        (USCC_HANGZHOU[:-1] + "0", "校验位不符", True),
        (USCC_HANGZHOU[:-1], "应为 18 位，实为 17 位", True),
        ("9133O106MA2B3C4D5D", "含有 GB 32100 字符集（不含 I、O、S、V、Z）以外的字符", True),
        (USCC_HANGZHOU.lower(), "须为大写", True),
        ("9133 0106MA2B3C4D5D", "不含分隔符", True),
        # check character right, division 990106 never in GB/T 2260: a doubt, not an error
        ("91990106MA2B3C4D5" + uscc.calc_check_digit("91990106MA2B3C4D5"), "990106", False),
        ("Y3330106MA2B3C4D5" + uscc.calc_check_digit("Y3330106MA2B3C4D5"), "机构类别", True),
    ],
)
def test_check_uscc(value: str, problem: str | None, fatal: bool | None) -> None:
    result = check_uscc(value)
    if problem is None:
        assert result is None
    else:
        assert result is not None and problem in result.reason and result.fatal is fatal


@pytest.mark.parametrize(
    ("value", "problem", "fatal"),
    [
        (ID_HANGZHOU, None, None),
        (ID_WITH_X, None, None),
        # GB 11643-1999's own example number
        ("11010519491231002X", None, None),
        # born 1965, 历下区's code dates from 1983: numbers were assigned from 1984 on
        ("370102196502109284", None, None),
        # 110103 崇文区 was abolished in 2010: its numbers stay valid for life
        ("110103197003120019", None, None),
        # 440307 龙岗区 created 1993, holder born 1975
        ("440307197501010026", None, None),
        (ID_WITH_X.lower(), "须为大写", True),
        ("330106199005170028", "校验位不符", True),
        ("33010619900517002", "应为 18 位，实为 17 位", True),
        ("3301061990O5170027", "含有数字及末位 X 以外的字符", True),
        ("11010519900230001X", "不是真实日期", True),
        ("110105209901010012", "晚于今天", True),
        ("99010619900517002X", "990106 不是任何年份的 GB/T 2260 行政区划代码", False),
    ],
)
def test_check_ric(value: str, problem: str | None, fatal: bool | None) -> None:
    result = check_ric(value)
    if problem is None:
        assert result is None
    else:
        assert result is not None and problem in result.reason and result.fatal is fatal


@pytest.mark.parametrize(
    "number", ["370102196502109284", "11010519491231002X", "110103197003120019"]
)
def test_genuine_number_read_exactly_is_kept_as_read(number: str) -> None:
    reading = repair_ric(number)
    assert (reading.value, reading.valid, reading.repaired, reading.note) == (
        number,
        True,
        False,
        None,
    )


def test_reading_with_unknown_division_is_kept_with_a_doubt_not_repaired() -> None:
    reading = repair_ric("99010619900517002X")
    assert reading.value == "99010619900517002X" and reading.valid and not reading.repaired
    assert reading.note is not None and "990106" in reading.note


@pytest.mark.parametrize(
    ("value", "problem", "fatal"),
    [
        ("110108000000016", None, None),
        ("110108000000017", "校验位不符（GB/T 17710）", True),
        ("11010800000001", "应为 15 位，实为 14 位", True),
        ("11010800000001X", "须为 15 位数字", True),
        ("990106000123457", "990106 不是任何年份的 GB/T 2260 行政区划代码", False),
        ("4406822003922", "13 位注册号（2007 年前的格式）没有校验位，无法校验", False),
        ("9906822003922", "990682 不是任何年份的 GB/T 2260 行政区划代码", False),
        ("44068220039X2", "应为 15 位，实为 13 位", True),
    ],
)
def test_legacy_registration_numbers_follow_gb_t_17710(
    value: str, problem: str | None, fatal: bool | None
) -> None:
    result = registration_problem(value)
    if problem is None:
        assert result is None
    else:
        assert result is not None and problem in result.reason and result.fatal is fatal


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("110108000000016", None),  # 15 digits: a legacy 注册号
        ("110108000000017", "注册号校验位不符（GB/T 17710）"),
        (USCC_HANGZHOU, None),  # anything else: a USCC
        ("11010800000001", "统一社会信用代码应为 18 位，实为 14 位"),
        ("4406822003922", "13 位注册号（2007 年前的格式）没有校验位，无法校验"),  # a doubt
    ],
)
def test_a_form_license_number_is_a_uscc_or_a_15_digit_registration_number(
    value: str, problem: str | None
) -> None:
    result = check_license_number(value)
    assert (result.reason if result else None) == problem


def test_a_registration_number_is_repaired_only_where_the_pixels_leave_one_choice() -> None:
    assert repair_registration("11O108000000016").value == "110108000000016"
    doubtful = repair_registration("110108000000017")
    assert doubtful.value is None and "种修正都能通过校验" in (doubtful.note or "")


def test_a_registration_number_read_with_no_division_code_is_a_misreading() -> None:
    """A form's 注册号 with an unknown division is only doubtful; a reading of one is dropped."""
    reading = repair_registration("990106000123457")
    assert reading.value is None and not reading.valid
    assert "990106 不是任何年份的 GB/T 2260 行政区划代码" in (reading.note or "")
    problem = registration_problem("990106000123457")
    assert problem is not None and not problem.fatal
