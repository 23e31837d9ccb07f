"""Per-document findings: unreadable, poor capture, fields not read, expired, bad numbers."""

from datetime import date

from pipeline.checks.flags import confidence_of, make_flag
from pipeline.fields.numbers import check_license_number, check_ric
from pipeline.wording import KIND_LABELS, QUALITY_LABELS
from schemas import DocumentKind, DocumentResult, DocumentStatus, Flag, FlagCode, Severity

FIELD_NAMES = {
    "name": "名称/姓名",
    "number": "证件号码",
    "province": "所在地域",
    "issuing_authority": "登记/签发机关",
    "address": "住所/住址",
    "valid_from": "有效期起",
    "valid_to": "有效期至",
}
# The fields whose absence keeps a reviewer from checking the form.
ESSENTIAL_FIELDS: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.BUSINESS_LICENSE: ("name", "number", "province"),
    DocumentKind.ID_CARD_FRONT: ("name", "number"),
    DocumentKind.ID_CARD_BACK: ("valid_to",),
}


def misses_essential_field(document: DocumentResult) -> bool:
    """Whether a field the checks need for the document's detected kind was not read."""
    essential = ESSENTIAL_FIELDS.get(document.detected_kind, ()) if document.detected_kind else ()
    return any(name in document.unread for name in essential)


def document_flags(document: DocumentResult, today: date) -> list[Flag]:
    """Every finding about one document on its own."""
    if document.status is DocumentStatus.UNREADABLE:
        return [_unreadable(document, document.error or "无法读取")]
    if not document.contains:
        return [_unreadable(document, "未识别出营业执照或身份证的内容")]
    return [
        *_quality(document),
        *_unread(document),
        *_expired(document, today),
        *_invalid_reading(document),
    ]


def _unreadable(document: DocumentResult, reason: str) -> Flag:
    return make_flag(
        FlagCode.DOCUMENT_UNREADABLE,
        Severity.ERROR,
        f"文件「{document.file}」无法使用：{reason}；请申请人重新上传",
        document=document.file,
    )


def _quality(document: DocumentResult) -> list[Flag]:
    issues = document.quality.issues
    if not issues:
        return []
    reasons = "、".join(QUALITY_LABELS[issue] for issue in issues)
    return [
        make_flag(
            FlagCode.LOW_QUALITY,
            Severity.WARNING,
            f"「{document.file}」图像质量不佳（{reasons}），识别结果请人工核对",
            field="quality",
            document=document.file,
            document_value=",".join(issue.value for issue in issues),
        )
    ]


def _unread(document: DocumentResult) -> list[Flag]:
    wanted = {field for kind in document.contains for field in ESSENTIAL_FIELDS.get(kind, ())}
    return [
        make_flag(
            FlagCode.LOW_QUALITY,
            Severity.WARNING,
            f"「{document.file}」未能读取{FIELD_NAMES.get(field, field)}（{reason}），请人工核对",
            field=field,
            document_field=field,
            document=document.file,
        )
        for field, reason in document.unread.items()
        if field in wanted
    ]


def _expired(document: DocumentResult, today: date) -> list[Flag]:
    valid_to = document.fields.valid_to
    if not valid_to or valid_to == "长期":
        return []
    try:
        end = date.fromisoformat(valid_to)
    except ValueError:
        return []
    if end >= today:
        return []
    kind = KIND_LABELS[document.contains[0]]
    return [
        make_flag(
            FlagCode.DOCUMENT_EXPIRED,
            Severity.ERROR,
            f"{kind}已过期：有效期至{end.isoformat()}，早于今天（{today.isoformat()}）",
            field="valid_to",
            document_field="valid_to",
            document=document.file,
            document_value=valid_to,
        )
    ]


def _invalid_reading(document: DocumentResult) -> list[Flag]:
    number = document.fields.number
    if number is None:
        return []
    is_license = DocumentKind.BUSINESS_LICENSE in document.contains
    problem = check_license_number(number) if is_license else check_ric(number)
    if not problem:
        return []
    if problem.fatal:
        message = f"证件上识别出的号码「{number}」未通过校验（{problem.reason}），可能为识别错误"
    else:
        message = f"证件上识别出的号码「{number}」校验位相符，但{problem.reason}"
    return [
        make_flag(
            FlagCode.INVALID_NUMBER,
            Severity.WARNING,
            message + "，请人工核对",
            field="number",
            document_field="number",
            document=document.file,
            document_value=number,
            confidence=confidence_of(document, "number"),
        )
    ]
