"""Names and certificate numbers: the form against the documents, and the form's own numbers."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from pipeline.checks.claims import ClaimJudgement, judge_claim
from pipeline.checks.flags import confidence_of, make_flag
from pipeline.checks.roles import Roles
from pipeline.field_lines import FieldLinesByName
from pipeline.fields import number_kind
from pipeline.fields.numbers import check_license_number, check_ric
from pipeline.standards.entities import names_a_branch
from pipeline.standards.numbers import (
    REGISTRATION_NAME,
    RIC_NAME,
    USCC_NAME,
    NumberProblem,
    is_registration_number,
)
from pipeline.standards.text import normalize_text, one_char_off, same_code, same_name
from schemas import (
    CertificateType,
    ComparedField,
    ComparisonOutcome,
    DocumentKind,
    DocumentResult,
    FieldComparison,
    FieldName,
    FilingForm,
    FilingType,
    Flag,
    FlagCode,
    NumberKind,
    Severity,
)

SameFn = Callable[[str, str], bool]
LinesByFile = dict[str, FieldLinesByName]

# A document reading below this confidence, one character off, may be an OCR slip.
LOW_CONFIDENCE = 0.90
# A reading holding the form's value (at least this long) and more is debris, not another
# value — unless the extra names another entity (a branch of the company the form names).
MIN_CONTAINED = 4
MAX_DOUBTS_SHOWN = 4  # characters in doubt named in a flag's message


@dataclass(frozen=True)
class Comparison:
    """One form value to hold against one document field."""

    form_field: ComparedField
    form_value: str
    document: DocumentResult | None
    document_field: FieldName
    label: str  # the Chinese name of what is compared, for the message


def identity_checks(
    form: FilingForm, roles: Roles, lines: LinesByFile | None = None
) -> tuple[list[Flag], list[FieldComparison]]:
    """NAME_MISMATCH, NUMBER_MISMATCH and INVALID_NUMBER for the whole form, and what each
    name and number comparison found; `lines` (by document file) are the recognized lines
    of each document's compared fields, which the form's values are scored against."""
    lines = lines or {}
    flags = form_number_flags(form)
    found: list[FieldComparison] = []
    for comparison in name_comparisons(form, roles):
        result = compare(comparison, FlagCode.NAME_MISMATCH, same_name, lines)
        found.append(comparison_record(comparison, result))
        flags += result.flags
    for comparison in number_comparisons(form, roles):
        legacy = different_number_kinds(comparison)
        if legacy:
            result = Compared(legacy, ComparisonOutcome.NOT_COMPARABLE)
        else:
            result = compare(comparison, FlagCode.NUMBER_MISMATCH, same_code, lines)
        found.append(comparison_record(comparison, result))
        flags += result.flags
    return flags, found


@dataclass(frozen=True)
class Compared:
    """What one comparison raised, its outcome, and the claim's score where it was scored."""

    flags: list[Flag]
    outcome: ComparisonOutcome
    judgement: ClaimJudgement | None = None


def comparison_record(comparison: Comparison, result: Compared) -> FieldComparison:
    """What one comparison found, for the report."""
    document = comparison.document
    reading = getattr(document.fields, comparison.document_field) if document else None
    judgement = result.judgement
    return FieldComparison(
        field=comparison.form_field,
        document=document.file if document else None,
        document_field=comparison.document_field,
        form_value=comparison.form_value,
        document_value=reading,
        outcome=result.outcome,
        severity=result.flags[0].severity if result.flags else None,
        confidence=confidence_of(document, comparison.document_field) if document else None,
        margin=judgement.margin if judgement else None,
        doubts=list(judgement.doubts) if judgement else [],
    )


def name_comparisons(form: FilingForm, roles: Roles) -> list[Comparison]:
    """The name pairs the filing rules ask to match."""
    subject_doc = roles.license if form.filing_type is FilingType.ORGANIZATION else roles.id_front
    pairs = [
        Comparison(ComparedField.SUBJECT_NAME, form.subject.name, subject_doc, "name", "主体名称")
    ]
    principal_is_subject = form.filing_type is FilingType.PERSONAL and same_name(
        form.subject.name, form.principal.name
    )
    if not principal_is_subject:
        pairs.append(
            Comparison(
                ComparedField.PRINCIPAL_NAME,
                form.principal.name,
                roles.id_front,
                "name",
                "负责人姓名",
            )
        )
    return pairs


def number_comparisons(form: FilingForm, roles: Roles) -> list[Comparison]:
    """The number pairs the filing rules ask to match."""
    is_org = form.filing_type is FilingType.ORGANIZATION
    subject_doc = roles.license if is_org else roles.id_front
    pairs = [
        Comparison(
            ComparedField.SUBJECT_NUMBER,
            form.subject.certificate_number,
            subject_doc,
            "number",
            "统一社会信用代码" if is_org else "公民身份号码",
        )
    ]
    if is_org or not same_code(form.subject.certificate_number, form.principal.id_number):
        pairs.append(
            Comparison(
                ComparedField.PRINCIPAL_ID_NUMBER,
                form.principal.id_number,
                roles.id_front,
                "number",
                "负责人身份证号码",
            )
        )
    return pairs


def different_number_kinds(comparison: Comparison) -> list[Flag]:
    """A warning, not a mismatch, when the form gives a USCC and the license only a legacy
    注册号 (or the other way round): the two cannot be compared, a reviewer looks."""
    document = comparison.document
    if document is None or document.fields.number is None:
        return []
    kind = document.detected_kind or document.declared_kind or DocumentKind.BUSINESS_LICENSE
    read_kind = document.fields.number_kind or number_kind(kind, document.fields.number)
    form_kind = number_kind(DocumentKind.BUSINESS_LICENSE, comparison.form_value.strip())
    legacy = {read_kind, form_kind} == {NumberKind.USCC, NumberKind.REGISTRATION}
    if not legacy:
        return []
    if form_kind is NumberKind.USCC:
        message = (
            f"表单填写统一社会信用代码「{comparison.form_value}」，营业执照为统一代码之前的旧版执照，"
            f"只有注册号「{document.fields.number}」，无法直接比对；请核实执照是否已换发新照"
        )
    else:
        message = (
            f"表单填写的是旧版注册号「{comparison.form_value}」，营业执照上为统一社会信用代码"
            f"「{document.fields.number}」，无法直接比对；请表单改填统一社会信用代码"
        )
    return [
        make_flag(
            FlagCode.NUMBER_MISMATCH,
            Severity.WARNING,
            message,
            field=comparison.form_field,
            document_field=comparison.document_field,
            document=document.file,
            form_value=comparison.form_value,
            document_value=document.fields.number,
            confidence=confidence_of(document, comparison.document_field),
        )
    ]


def compare(comparison: Comparison, code: FlagCode, same: SameFn, lines: LinesByFile) -> Compared:
    """Whether the document supports the form's value: scored against the field's recognized
    lines where the engine gave them (docs/CLAIMS.md), else by the text read."""
    document = comparison.document
    if document is None:
        return Compared([], ComparisonOutcome.NO_DOCUMENT)  # flagged by the document checks
    reading = getattr(document.fields, comparison.document_field)
    if reading is None:
        return Compared([], ComparisonOutcome.UNREAD)  # reported by the document checks
    field_lines = lines.get(document.file, {}).get(comparison.document_field)
    degraded = bool(document.quality.issues)
    judgement = (
        judge_claim(comparison.form_value, reading, field_lines, degraded) if field_lines else None
    )
    if same(comparison.form_value, reading):
        return Compared([], ComparisonOutcome.SUPPORTED, judgement)
    debris = reads_more_than(comparison.form_value, reading)
    if debris:
        note = f"读出的文字包含表单的值，另有「{debris}」，可能是标签或相邻字段，请人工核对"
        return _mismatch(comparison, code, Severity.WARNING, note, None)
    if judgement is not None:
        return _judged(comparison, code, judgement)
    confidence = confidence_of(document, comparison.document_field)
    if one_char_off(comparison.form_value, reading) and (
        confidence is not None and confidence < LOW_CONFIDENCE
    ):
        note = f"仅差一个字且识别置信度较低（{confidence:.2f}），可能是识别错误，请人工核对"
        return _mismatch(comparison, code, Severity.WARNING, note, None)
    return _mismatch(comparison, code, Severity.ERROR, "", None)


def _judged(comparison: Comparison, code: FlagCode, judgement: ClaimJudgement) -> Compared:
    """The flag a scored claim raises: none when supported, an error when contradicted (a
    warning if the reading itself fails its check character), else a warning."""
    if judgement.outcome is ComparisonOutcome.SUPPORTED:
        return Compared([], ComparisonOutcome.SUPPORTED, judgement)
    misread = _reading_fails_check(comparison)
    if judgement.outcome is ComparisonOutcome.CONTRADICTED and not misread:
        return _mismatch(comparison, code, Severity.ERROR, "", judgement)
    note = doubt_note(judgement)
    if misread:
        note = "证件上的号码读数未通过校验，读数本身有误；" + note
    unclear = replace(judgement, outcome=ComparisonOutcome.UNCLEAR)
    return _mismatch(comparison, code, Severity.WARNING, note, unclear)


def doubt_note(judgement: ClaimJudgement) -> str:
    """The characters in doubt, as the reviewer reads them."""
    shown = "、".join(
        f"表单「{doubt.form_char or '（无）'}」/证件「{doubt.document_char or '（无）'}」"
        f"（{_probability(doubt.form_char_probability)} / "
        f"{_probability(doubt.document_char_probability)}）"
        for doubt in judgement.doubts[:MAX_DOUBTS_SHOWN]
    )
    return f"识别器对以下字没有把握：{shown}，请人工核对"


def _probability(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _reading_fails_check(comparison: Comparison) -> bool:
    """Whether the document's number, as read, fails its own check character."""
    document = comparison.document
    if comparison.document_field != "number" or document is None:
        return False
    reading = document.fields.number
    if not reading:
        return False
    check = (
        check_ric if document.fields.number_kind is NumberKind.RESIDENT_ID else check_license_number
    )
    problem = check(reading)
    return problem is not None and problem.fatal


def _mismatch(
    comparison: Comparison,
    code: FlagCode,
    severity: Severity,
    note: str,
    judgement: ClaimJudgement | None,
) -> Compared:
    """The mismatch flag, with the comparison's outcome."""
    document = comparison.document
    assert document is not None
    reading = getattr(document.fields, comparison.document_field)
    message = f"{comparison.label}不一致：表单为「{comparison.form_value}」，证件为「{reading}」"
    if note:
        message += f"；{note}"
    flag = make_flag(
        code,
        severity,
        message,
        field=comparison.form_field,
        document_field=comparison.document_field,
        document=document.file,
        form_value=comparison.form_value,
        document_value=reading,
        confidence=confidence_of(document, comparison.document_field),
    )
    outcome = (
        ComparisonOutcome.CONTRADICTED if severity is Severity.ERROR else ComparisonOutcome.UNCLEAR
    )
    return Compared([flag], outcome, judgement)


def reads_more_than(form_value: str, reading: str) -> str:
    """The extra text when the reading is the form's value with something glued before or
    after it (a label fragment 称…, the next field 有限责任公司(…)), else "": such a reading
    is no evidence of a different value (a branch 分公司 after the name is: see the caller)."""
    claimed, read = normalize_text(form_value), normalize_text(reading)
    if len(claimed) < MIN_CONTAINED or claimed not in read or claimed == read:
        return ""
    before, _, after = read.partition(claimed)
    extra = before + after
    return "" if names_a_branch(extra) else extra


def form_number_flags(form: FilingForm) -> list[Flag]:
    """INVALID_NUMBER for form numbers whose format or check character fails."""
    checks = [("principal.id_number", form.principal.id_number, check_ric, "负责人身份证号码")]
    if form.subject.certificate_type is CertificateType.BUSINESS_LICENSE:
        number = form.subject.certificate_number
        label = REGISTRATION_NAME if is_registration_number(number.strip()) else USCC_NAME
        checks.insert(0, ("subject.certificate_number", number, check_license_number, label))
    else:
        checks.insert(
            0,
            (
                "subject.certificate_number",
                form.subject.certificate_number,
                check_ric,
                "主体证件号码",
            ),
        )
    flags = []
    for field, value, check, label in checks:
        problem = check(value)
        if problem:
            flags.append(
                make_flag(
                    FlagCode.INVALID_NUMBER,
                    Severity.ERROR if problem.fatal else Severity.WARNING,
                    invalid_number_message(label, value, problem),
                    field=field,
                    form_value=value,
                )
            )
    return flags


def invalid_number_message(label: str, value: str, problem: NumberProblem) -> str:
    """The INVALID_NUMBER message, naming the number once (…身份证号码「…」无效：校验位不符);
    a doubt (an unknown division code) asks for a look instead of saying "invalid"."""
    reason = problem.reason
    for noun in (
        USCC_NAME,
        RIC_NAME,
        REGISTRATION_NAME,
    ):  # check_uscc's and check_ric's reasons open with these
        if label.endswith(noun) and reason.startswith(noun):
            reason = reason.removeprefix(noun).removeprefix("中的").removeprefix("的")
    if not problem.fatal:
        return f"表单中的{label}「{value}」校验位相符，但{reason}，请人工核对"
    return f"表单中的{label}「{value}」无效：{reason}"
