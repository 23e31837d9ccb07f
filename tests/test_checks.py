"""Cross-checks and verdicts on hand-built document readings (no OCR: the rules alone)."""

from datetime import date

import pytest

from pipeline.checks import check_packet_rules, cross_check
from pipeline.checks.identity import invalid_number_message
from pipeline.checks.verdict import decide
from pipeline.packet import declared_kinds
from pipeline.standards.numbers import NumberProblem
from schemas import (
    DocumentFields,
    DocumentKind,
    DocumentResult,
    DocumentStatus,
    FieldEvidence,
    FilingForm,
    Flag,
    FlagCode,
    NumberKind,
    ProvinceSource,
    Quality,
    QualityIssue,
    Severity,
    Verdict,
)

TODAY = date(2026, 11, 29)
USCC = "91110108MA01R2KX7C"
ID_NUMBER = "110108199001011231"


def _complete_uscc(first17: str) -> str:
    from stdnum.cn import uscc

    return first17 + uscc.calc_check_digit(first17)


def org_form(**changes: object) -> FilingForm:
    data: dict[str, object] = {
        "packet_id": "P2026-000123",
        "filing_type": "organization",
        "province": "北京市",
        "subject": {
            "name": "北京星河云帆科技有限公司",
            "certificate_type": "business_license",
            "certificate_number": USCC,
        },
        "principal": {
            "name": "李明远",
            "id_type": "id_card",
            "id_number": ID_NUMBER,
            "mobile": "13800000000",
            "office_phone": "086-010-12345678",
            "email": "a@b.cn",
        },
        "documents": [
            {"file": "license.jpg", "kind": "business_license"},
            {"file": "id_front.jpg", "kind": "id_card_front"},
            {"file": "id_back.jpg", "kind": "id_card_back"},
        ],
    }
    for dotted, value in changes.items():
        target = data
        *parents, last = dotted.split("__")
        for parent in parents:
            target = target[parent]  # type: ignore[assignment]
        target[last] = value
    return FilingForm.model_validate(data)


def evidence(text: str, confidence: float = 0.99) -> FieldEvidence:
    return FieldEvidence(text=text, confidence=confidence, box=[(0, 0), (10, 0), (10, 5), (0, 5)])


def license_doc(
    name: str = "北京星河云帆科技有限公司",
    number: str = USCC,
    province: str = "北京市",
    confidence: float = 0.99,
    **fields: str,
) -> DocumentResult:
    return DocumentResult(
        file="license.jpg",
        declared_kind=DocumentKind.BUSINESS_LICENSE,
        detected_kind=DocumentKind.BUSINESS_LICENSE,
        contains=[DocumentKind.BUSINESS_LICENSE],
        fields=DocumentFields(
            name=name,
            number=number,
            province=province,
            issuing_authority="北京市海淀区市场监督管理局",
            valid_to="长期",
            **fields,
        ),
        evidence={"name": evidence(name, confidence), "number": evidence(number, confidence)},
        province_sources={"authority": province, "address": province, "uscc": "北京市"},
    )


def front_doc(
    name: str = "李明远",
    number: str = ID_NUMBER,
    province: str = "北京市",
    file: str = "id_front.jpg",
) -> DocumentResult:
    return DocumentResult(
        file=file,
        declared_kind=DocumentKind.ID_CARD_FRONT,
        detected_kind=DocumentKind.ID_CARD_FRONT,
        contains=[DocumentKind.ID_CARD_FRONT],
        fields=DocumentFields(name=name, number=number, province=province),
        evidence={"name": evidence(name), "number": evidence(number)},
        province_sources={"address": province, "id_number": "北京市"},
    )


def back_doc(
    valid_to: str = "2035-03-01", province: str = "北京市", file: str = "id_back.jpg"
) -> DocumentResult:
    return DocumentResult(
        file=file,
        declared_kind=DocumentKind.ID_CARD_BACK,
        detected_kind=DocumentKind.ID_CARD_BACK,
        contains=[DocumentKind.ID_CARD_BACK],
        fields=DocumentFields(
            province=province,
            issuing_authority="北京市公安局海淀分局",
            valid_from="2015-03-01",
            valid_to=valid_to,
        ),
        province_sources={"authority": province},
    )


def run(form: FilingForm, documents: list[DocumentResult]) -> list[Flag]:
    return cross_check(form, documents, declared_kinds(form), TODAY)


def codes(flags: list[Flag]) -> set[tuple[str, str]]:
    return {(flag.code.value, flag.severity.value) for flag in flags}


def test_clean_organization_passes() -> None:
    flags = run(org_form(), [license_doc(), front_doc(), back_doc()])
    assert flags == []
    assert decide(flags) is Verdict.PASS


@pytest.mark.parametrize(
    ("form_changes", "documents", "document_field"),
    [
        ({"subject__name": "北京月影科技有限公司"}, "license", "name"),
        ({"principal__name": "王小明"}, "front", "name"),
        ({"principal__id_number": "11010519491231002X"}, "front", "number"),
        ({"province": "上海市"}, "license", "province"),
    ],
)
def test_flags_name_the_document_field_they_are_about(
    form_changes: dict[str, str], documents: str, document_field: str
) -> None:
    """The page colours a document field from Flag.document_field, not by parsing Flag.field."""
    flags = run(org_form(**form_changes), [license_doc(), front_doc(), back_doc()])
    mismatches = [f for f in flags if f.code.value.endswith("MISMATCH")]
    assert [(f.document, f.document_field) for f in mismatches] == [
        (f"{'license' if documents == 'license' else 'id_front'}.jpg", document_field)
    ]


def test_other_company_name_is_an_error_and_rejects() -> None:
    flags = run(org_form(), [license_doc(name="北京月影科技有限公司"), front_doc(), back_doc()])
    assert codes(flags) == {("NAME_MISMATCH", "error")}
    assert flags[0].form_value == "北京星河云帆科技有限公司"
    assert flags[0].document_value == "北京月影科技有限公司"
    assert decide(flags) is Verdict.REJECT


def test_full_width_brackets_and_spaces_are_not_a_mismatch() -> None:
    form = org_form(subject__name="星河云帆（北京）科技有限公司")
    flags = run(form, [license_doc(name="星河云帆(北京) 科技有限公司"), front_doc(), back_doc()])
    assert flags == []


def test_one_character_off_on_a_low_confidence_reading_is_a_warning_naming_it() -> None:
    doc = license_doc(name="北京星河云帆科枝有限公司", confidence=0.62)
    flags = run(org_form(), [doc, front_doc(), back_doc()])
    assert codes(flags) == {("NAME_MISMATCH", "warning")}
    assert "0.62" in flags[0].message
    assert decide(flags) is Verdict.REVIEW


def test_one_character_off_on_a_confident_reading_is_still_an_error() -> None:
    flags = run(org_form(), [license_doc(name="北京星河云帆科枝有限公司"), front_doc(), back_doc()])
    assert codes(flags) == {("NAME_MISMATCH", "error")}


def test_principal_name_is_checked_against_the_id_card() -> None:
    flags = run(org_form(), [license_doc(), front_doc(name="王小红"), back_doc()])
    assert codes(flags) == {("NAME_MISMATCH", "error")}
    assert flags[0].field == "principal.name"


def test_another_valid_credit_code_is_a_number_mismatch() -> None:
    other = _complete_uscc("91110108MA01R2KX8")
    flags = run(
        org_form(subject__certificate_number=other), [license_doc(), front_doc(), back_doc()]
    )
    assert codes(flags) == {("NUMBER_MISMATCH", "error")}


def test_a_form_credit_code_with_a_bad_check_character_is_invalid() -> None:
    flags = run(
        org_form(subject__certificate_number="91110108MA01R2KX7D"),
        [license_doc(), front_doc(), back_doc()],
    )
    assert codes(flags) == {("INVALID_NUMBER", "error"), ("NUMBER_MISMATCH", "error")}
    [invalid] = [flag for flag in flags if flag.code == "INVALID_NUMBER"]
    assert invalid.message == "表单中的统一社会信用代码「91110108MA01R2KX7D」无效：校验位不符"


@pytest.mark.parametrize(
    ("label", "problem", "message"),
    [
        (
            "负责人身份证号码",
            NumberProblem("身份证号码中的出生日期晚于今天", fatal=True),
            "负责人身份证号码「X」无效：出生日期晚于今天",
        ),
        (
            "负责人身份证号码",
            NumberProblem("身份证号码中的字母须为大写", fatal=True),
            "负责人身份证号码「X」无效：字母须为大写",
        ),
        (
            "主体证件号码",
            NumberProblem("身份证号码校验位不符", fatal=True),
            "主体证件号码「X」无效：身份证号码校验位不符",
        ),
        (
            "负责人身份证号码",
            NumberProblem("身份证号码的前 6 位 990106 未知", fatal=False),
            "负责人身份证号码「X」校验位相符，但前 6 位 990106 未知，请人工核对",
        ),
    ],
)
def test_invalid_number_messages_name_the_number_once(
    label: str, problem: NumberProblem, message: str
) -> None:
    assert invalid_number_message(label, "X", problem) == f"表单中的{message}"


@pytest.mark.parametrize(
    "number",
    [
        "370102196502109284",  # 历下区's code dates from 1983, the holder was born in 1965
        "11010519491231002X",  # GB 11643's own example, born 1949
        "110103197003120019",  # 崇文区, abolished in 2010
    ],
)
def test_genuine_id_of_a_person_born_before_the_code_existed_passes(number: str) -> None:
    form = org_form(principal__id_number=number)
    flags = run(form, [license_doc(), front_doc(number=number), back_doc()])
    assert flags == []
    assert decide(flags) is Verdict.PASS


def test_form_id_with_a_division_gb2260_never_had_is_a_warning_not_a_reject() -> None:
    number = "99010619900517002X"  # check character right, 990106 never a division
    flags = run(
        org_form(principal__id_number=number), [license_doc(), front_doc(number=number), back_doc()]
    )
    assert codes(flags) == {("INVALID_NUMBER", "warning")}
    assert decide(flags) is Verdict.REVIEW


def test_organization_in_another_province_is_an_error() -> None:
    flags = run(org_form(province="广东省"), [license_doc(), front_doc(), back_doc()])
    assert codes(flags) == {("REGION_MISMATCH", "error")}
    assert flags[0].document_value == "北京市"
    assert decide(flags) is Verdict.REJECT


def test_a_license_province_shown_only_by_its_name_is_a_warning_when_it_differs() -> None:
    license = license_doc(province="北京市")
    license.province_sources = {ProvinceSource.NAME: "北京市"}
    flags = run(org_form(province="广东省"), [license, front_doc(), back_doc()])
    assert codes(flags) == {("REGION_MISMATCH", "warning")}
    assert "名称" in flags[0].message and "请人工核实" in flags[0].message
    assert decide(flags) is Verdict.REVIEW


def personal_form(**changes: object) -> FilingForm:
    base = org_form(**changes).model_dump(mode="json")
    base["filing_type"] = "personal"
    base["subject"] = {
        "name": "李明远",
        "certificate_type": "id_card",
        "certificate_number": ID_NUMBER,
    }
    base["documents"] = base["documents"][1:]
    return FilingForm.model_validate(base)


def test_person_in_another_province_is_a_warning() -> None:
    flags = run(personal_form(province="浙江省"), [front_doc(), back_doc()])
    assert codes(flags) == {("REGION_MISMATCH", "warning")}
    assert decide(flags) is Verdict.REVIEW


def test_clean_personal_filing_passes_with_one_name_check() -> None:
    assert run(personal_form(), [front_doc(), back_doc()]) == []
    flags = run(personal_form(), [front_doc(name="李明达"), back_doc()])
    assert [flag.field for flag in flags] == ["subject.name"]


def test_expired_id_card_needs_materials() -> None:
    flags = run(org_form(), [license_doc(), front_doc(), back_doc(valid_to="2019-03-01")])
    assert codes(flags) == {("DOCUMENT_EXPIRED", "error")}
    assert decide(flags) is Verdict.NEEDS_MATERIALS


def test_missing_back_side_needs_materials() -> None:
    flags = run(org_form(), [license_doc(), front_doc()])
    assert codes(flags) == {("MISSING_DOCUMENT", "error")}
    assert flags[0].field == "id_card_back"


def test_both_sides_in_one_image_satisfy_both_kinds() -> None:
    both = front_doc(file="id.jpg")
    both.contains = [DocumentKind.ID_CARD_FRONT, DocumentKind.ID_CARD_BACK]
    both.fields.valid_to = "长期"
    form = personal_form(documents=[{"file": "id.jpg", "kind": "id_card_front"}])
    assert run(form, [both]) == []


def test_swapped_declared_kinds_are_flagged_but_checked_by_detected_kind() -> None:
    front, back = front_doc(file="id_back.jpg"), back_doc(file="id_front.jpg")
    front.declared_kind, back.declared_kind = DocumentKind.ID_CARD_BACK, DocumentKind.ID_CARD_FRONT
    flags = run(org_form(), [license_doc(), front, back])
    assert codes(flags) == {("DOCUMENT_KIND_MISMATCH", "warning")}
    assert {flag.document for flag in flags} == {"id_front.jpg", "id_back.jpg"}


def test_unreadable_document_is_not_also_missing() -> None:
    broken = DocumentResult(
        file="id_back.jpg",
        declared_kind=DocumentKind.ID_CARD_BACK,
        status=DocumentStatus.UNREADABLE,
        error="truncated JPEG",
    )
    flags = run(org_form(), [license_doc(), front_doc(), broken])
    assert codes(flags) == {("DOCUMENT_UNREADABLE", "error")}
    assert "truncated JPEG" in flags[0].message
    assert decide(flags) is Verdict.NEEDS_MATERIALS


def test_license_sources_that_disagree_are_reported() -> None:
    doc = license_doc()
    doc.province_sources = {"authority": "北京市", "address": "北京市", "uscc": "广东省"}
    flags = run(org_form(), [doc, front_doc(), back_doc()])
    assert codes(flags) == {("SOURCE_DISAGREEMENT", "warning")}
    assert "广东省" in flags[0].message


def test_id_address_and_back_authority_in_different_provinces_disagree() -> None:
    flags = run(org_form(), [license_doc(), front_doc(), back_doc(province="浙江省")])
    assert codes(flags) == {("SOURCE_DISAGREEMENT", "warning")}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("principal__mobile", "1380000"),
        ("principal__office_phone", "010-1234567"),
        ("principal__office_phone", "86-010-12345678"),
    ],
)
def test_phone_formats(field: str, value: str) -> None:
    flags = run(org_form(**{field: value}), [license_doc(), front_doc(), back_doc()])
    assert codes(flags) == {("PHONE_FORMAT", "warning")}


@pytest.mark.parametrize("office", ["086-010-12345678", "086-0571-13800000000", None])
def test_accepted_office_phones(office: str | None) -> None:
    flags = run(org_form(principal__office_phone=office), [license_doc(), front_doc(), back_doc()])
    assert flags == []


def test_province_that_is_not_an_official_name_is_form_invalid() -> None:
    flags = run(org_form(province="火星省"), [license_doc(), front_doc(), back_doc()])
    assert ("FORM_INVALID", "error") in codes(flags)
    assert decide(flags) is Verdict.REJECT


def test_low_quality_and_unread_fields_are_warnings_with_reasons() -> None:
    doc = license_doc()
    doc.quality = Quality(issues=[QualityIssue.BLUR])
    doc.fields.name = None
    doc.unread = {"name": "未找到标签「名称」"}
    flags = run(org_form(), [doc, front_doc(), back_doc()])
    assert codes(flags) == {("LOW_QUALITY", "warning")}
    assert any("未找到标签「名称」" in flag.message for flag in flags)
    assert any("图像模糊" in flag.message for flag in flags)


def test_document_number_failing_its_check_is_a_warning() -> None:
    flags = run(org_form(), [license_doc(), front_doc(number="110108199001011235"), back_doc()])
    assert ("INVALID_NUMBER", "warning") in codes(flags)


def test_flags_come_errors_first() -> None:
    flags = run(
        org_form(province="广东省", principal__mobile="1"), [license_doc(), front_doc(), back_doc()]
    )
    assert [flag.severity for flag in flags] == [Severity.ERROR, Severity.WARNING]
    assert {flag.code for flag in flags} == {FlagCode.REGION_MISMATCH, FlagCode.PHONE_FORMAT}


def test_a_weak_character_in_a_confident_line_makes_a_one_character_slip_a_warning() -> None:
    doc = license_doc(name="勋阳区子涛服装店")
    doc.evidence["name"] = FieldEvidence(
        text="勋阳区子涛服装店", confidence=0.98, weakest_char_confidence=0.80
    )
    flags = run(org_form(subject__name="郧阳区子涛服装店"), [doc, front_doc(), back_doc()])
    assert codes(flags) == {("NAME_MISMATCH", "warning")}
    assert "0.80" in flags[0].message


REGISTRATION = "110108000000016"  # a legacy 注册号: 北京市海淀区, GB/T 17710 check digit


def legacy_license_doc() -> DocumentResult:
    document = license_doc(number=REGISTRATION)
    document.fields.number_kind = NumberKind.REGISTRATION
    return document


def test_form_uscc_against_a_legacy_license_is_a_warning_not_a_mismatch() -> None:
    flags = run(org_form(), [legacy_license_doc(), front_doc(), back_doc()])
    assert codes(flags) == {("NUMBER_MISMATCH", "warning")}
    assert "旧版执照" in flags[0].message and REGISTRATION in flags[0].message
    assert decide(flags) is Verdict.REVIEW


def test_form_with_the_legacy_registration_number_of_a_legacy_license_passes() -> None:
    form = org_form(subject__certificate_number=REGISTRATION)
    flags = run(form, [legacy_license_doc(), front_doc(), back_doc()])
    assert flags == []


def test_form_registration_number_failing_its_check_digit_is_invalid() -> None:
    form = org_form(subject__certificate_number="110108000000017")
    flags = run(form, [legacy_license_doc(), front_doc(), back_doc()])
    invalid = [f for f in flags if f.code is FlagCode.INVALID_NUMBER]
    assert [(f.severity, f.message) for f in invalid] == [
        (Severity.ERROR, "表单中的注册号「110108000000017」无效：校验位不符（GB/T 17710）")
    ]


def test_a_13_digit_registration_number_on_form_and_license_is_only_doubted() -> None:
    """A 注册号 from before 2007 has no check digit: the same number on both is a warning."""
    old = "1101082003922"
    document = license_doc(number=old)
    document.fields.number_kind = NumberKind.REGISTRATION
    flags = run(org_form(subject__certificate_number=old), [document, front_doc(), back_doc()])
    assert codes(flags) == {("INVALID_NUMBER", "warning")}
    assert "没有校验位" in flags[0].message
    assert decide(flags) is Verdict.REVIEW


def test_form_registration_number_against_a_new_license_asks_for_the_uscc() -> None:
    form = org_form(subject__certificate_number=REGISTRATION)
    flags = run(form, [license_doc(), front_doc(), back_doc()])
    assert codes(flags) == {("NUMBER_MISMATCH", "warning")}
    assert "请表单改填统一社会信用代码" in flags[0].message


def comparisons_of(form: FilingForm, documents: list[DocumentResult]) -> dict[str, str]:
    _, found = check_packet_rules(form, documents, declared_kinds(form), TODAY)
    return {f"{c.field}@{c.document}": c.outcome.value for c in found}


def test_a_clean_packet_supports_every_compared_value() -> None:
    assert comparisons_of(org_form(), [license_doc(), front_doc(), back_doc()]) == {
        "subject.name@license.jpg": "supported",
        "principal.name@id_front.jpg": "supported",
        "subject.certificate_number@license.jpg": "supported",
        "principal.id_number@id_front.jpg": "supported",
        "province@license.jpg": "supported",
    }


@pytest.mark.parametrize(
    ("documents", "key", "outcome"),
    [
        ([license_doc(name="北京月影科技有限公司"), front_doc(), back_doc()],
         "subject.name@license.jpg", "contradicted"),
        ([license_doc(name="北京星河云帆科技有限公同", confidence=0.6), front_doc(), back_doc()],
         "subject.name@license.jpg", "unclear"),
        ([legacy_license_doc(), front_doc(), back_doc()],
         "subject.certificate_number@license.jpg", "not_comparable"),
        ([license_doc(province="上海市"), front_doc(), back_doc()],
         "province@license.jpg", "contradicted"),
        ([license_doc(), back_doc()], "principal.name@None", "no_document"),
    ],
)  # fmt: skip
def test_each_comparison_says_what_the_document_supports(
    documents: list[DocumentResult], key: str, outcome: str
) -> None:
    assert comparisons_of(org_form(), documents)[key] == outcome


def test_comparisons_and_flags_agree() -> None:
    """Every comparison that is not supported raised the flag it names, with its severity."""
    documents = [
        license_doc(name="北京月影科技有限公司", province="上海市"),
        front_doc(),
        back_doc(),
    ]
    flags, found = check_packet_rules(org_form(), documents, declared_kinds(org_form()), TODAY)
    raised = {(f.field, f.document, f.severity) for f in flags if f.field}
    for comparison in found:
        if comparison.outcome.value == "supported":
            assert comparison.severity is None
        else:
            assert (comparison.field, comparison.document, comparison.severity) in raised


@pytest.mark.parametrize(
    "reading",
    [
        "称北京星河云帆科技有限公司",  # the spaced label's last character glued on
        "北京星河云帆科技有限公司有限责任公司(自然人投资或控股)",  # the next field glued on
    ],
)
def test_a_reading_holding_the_form_name_plus_debris_is_a_warning_not_a_reject(
    reading: str,
) -> None:
    flags = run(org_form(), [license_doc(name=reading), front_doc(), back_doc()])
    assert codes(flags) == {("NAME_MISMATCH", "warning")}
    assert "可能是标签或相邻字段" in flags[0].message
    assert decide(flags) is Verdict.REVIEW


def test_a_branch_of_the_form_company_is_still_a_mismatch() -> None:
    reading = "北京星河云帆科技有限公司上海分公司"
    flags = run(org_form(), [license_doc(name=reading), front_doc(), back_doc()])
    assert codes(flags) == {("NAME_MISMATCH", "error")}
