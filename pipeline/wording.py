"""Chinese labels for every code a reviewer sees: in flag messages, reports and pages."""

from schemas import (
    ComparisonOutcome,
    DocumentKind,
    FieldName,
    FilingType,
    FlagCode,
    ProvinceSource,
    QualityIssue,
    Severity,
    TextSource,
    Verdict,
)

OUTCOME_LABELS: dict[ComparisonOutcome, str] = {
    ComparisonOutcome.SUPPORTED: "证件支持表单",
    ComparisonOutcome.CONTRADICTED: "证件与表单不符",
    ComparisonOutcome.UNCLEAR: "存疑，需人工判断",
    ComparisonOutcome.NOT_COMPARABLE: "无法直接比对",
    ComparisonOutcome.UNREAD: "证件上未读出",
    ComparisonOutcome.NO_DOCUMENT: "缺少证件",
}

VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.PASS: "通过",
    Verdict.REVIEW: "需人工复核",
    Verdict.NEEDS_MATERIALS: "待完善资料",
    Verdict.REJECT: "建议驳回",
}

# Packets needing a human come first on the batch index.
VERDICT_ORDER: tuple[Verdict, ...] = (
    Verdict.REJECT,
    Verdict.NEEDS_MATERIALS,
    Verdict.REVIEW,
    Verdict.PASS,
)

SEVERITY_LABELS: dict[Severity, str] = {
    Severity.ERROR: "错误",
    Severity.WARNING: "警告",
    Severity.INFO: "提示",
}

SEVERITY_ORDER: tuple[Severity, ...] = (Severity.ERROR, Severity.WARNING, Severity.INFO)

FLAG_LABELS: dict[FlagCode, str] = {
    FlagCode.NAME_MISMATCH: "名称/姓名不一致",
    FlagCode.NUMBER_MISMATCH: "证件号码不一致",
    FlagCode.REGION_MISMATCH: "备案地域不符",
    FlagCode.INVALID_NUMBER: "号码无效",
    FlagCode.DOCUMENT_EXPIRED: "证件已过期",
    FlagCode.DOCUMENT_UNREADABLE: "文件无法读取",
    FlagCode.DOCUMENT_KIND_MISMATCH: "证件类型与申报不符",
    FlagCode.MISSING_DOCUMENT: "缺少证件",
    FlagCode.LOW_QUALITY: "图像质量差",
    FlagCode.SOURCE_DISAGREEMENT: "证件内地域信息矛盾",
    FlagCode.PHONE_FORMAT: "电话格式有误",
    FlagCode.FORM_INVALID: "表单无效",
}

KIND_LABELS: dict[DocumentKind, str] = {
    DocumentKind.BUSINESS_LICENSE: "营业执照",
    DocumentKind.ID_CARD_FRONT: "身份证人像面",
    DocumentKind.ID_CARD_BACK: "身份证国徽面",
}

FILING_TYPE_LABELS: dict[FilingType, str] = {
    FilingType.ORGANIZATION: "单位备案",
    FilingType.PERSONAL: "个人备案",
}

QUALITY_LABELS: dict[QualityIssue, str] = {
    QualityIssue.BLUR: "图像模糊",
    QualityIssue.GLARE: "反光/过曝",
    QualityIssue.LOW_RESOLUTION: "分辨率过低",
    QualityIssue.DARK: "光线过暗",
    QualityIssue.LOW_CONFIDENCE: "识别置信度低",
}

SOURCE_LABELS: dict[TextSource, str] = {
    TextSource.OCR: "OCR 识别",
    TextSource.TEXT_LAYER: "PDF 文字层",
    TextSource.DERIVED: "推导",
}

PROVINCE_SOURCE_LABELS: dict[ProvinceSource, str] = {
    ProvinceSource.AUTHORITY: "登记/签发机关",
    ProvinceSource.ADDRESS: "住所/住址",
    ProvinceSource.USCC: "统一社会信用代码中的行政区划代码",
    ProvinceSource.ID_NUMBER: "身份证号码前六位",
    ProvinceSource.REGISTRATION: "注册号前六位",
    ProvinceSource.NAME: "名称开头的行政区划",
}

FORM_FIELD_LABELS: dict[str, str] = {
    "subject.name": "主体名称",
    "subject.certificate_type": "主体证件类型",
    "subject.certificate_number": "主体证件号码",
    "principal.name": "负责人姓名",
    "principal.id_number": "负责人身份证号",
    "principal.mobile": "手机",
    "principal.office_phone": "办公电话",
    "principal.email": "电子邮箱",
    "province": "备案地域",
    "documents": "证件列表",
    "documents.file": "证件文件",
    "form.json": "表单文件",
}

_LICENSE_FIELD_LABELS: dict[str, str] = {
    "name": "名称",
    "number": "统一社会信用代码",
    "issuing_authority": "登记机关",
    "address": "住所",
    "valid_from": "营业期限自",
    "valid_to": "营业期限至",
}

_ID_FIELD_LABELS: dict[str, str] = {
    "name": "姓名",
    "number": "公民身份号码",
    "issuing_authority": "签发机关",
    "address": "住址",
    "valid_from": "有效期限自",
    "valid_to": "有效期限至",
}

_COMMON_FIELD_LABELS: dict[str, str] = {
    "name": "名称/姓名",
    "number": "证件号码",
    "province": "所属省份",
    "issuing_authority": "发证机关",
    "address": "地址",
    "valid_from": "有效期自",
    "valid_to": "有效期至",
    "legal_representative": "法定代表人",
    "entity_type": "类型",
    "registered_capital": "注册资本",
    "established": "成立日期",
    "gender": "性别",
    "ethnicity": "民族",
    "birth_date": "出生",
}


def field_label(field: FieldName | str, kind: DocumentKind | None) -> str:
    """The Chinese name of a document field as printed on that kind of document."""
    if kind is DocumentKind.BUSINESS_LICENSE and field in _LICENSE_FIELD_LABELS:
        return _LICENSE_FIELD_LABELS[field]
    is_id_card = kind in (DocumentKind.ID_CARD_FRONT, DocumentKind.ID_CARD_BACK)
    if is_id_card and field in _ID_FIELD_LABELS:
        return _ID_FIELD_LABELS[field]
    return _COMMON_FIELD_LABELS.get(field, field)


def kind_label(kind: DocumentKind | None) -> str:
    """The Chinese name of a document kind, or 未识别 when unknown."""
    return KIND_LABELS[kind] if kind is not None else "未识别"
