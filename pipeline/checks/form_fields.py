"""Checks of the form on its own: province, certificate type, phones, e-mail, documents list."""

import re
from collections import Counter

from pipeline.checks.flags import make_flag
from pipeline.standards.divisions import is_province
from pipeline.wording import FILING_TYPE_LABELS
from schemas import CertificateType, FilingForm, FilingType, Flag, FlagCode, Severity

MOBILE = re.compile(r"^(?:\+?86-?|086-)?1[3-9]\d{9}$")
OFFICE_PHONE = re.compile(r"^086-0\d{2,3}-(?:\d{7,8}|1[3-9]\d{9})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def form_flags(form: FilingForm) -> list[Flag]:
    """FORM_INVALID and PHONE_FORMAT findings on the form's own values."""
    return [
        *_province(form),
        *_certificate_type(form),
        *_phones(form),
        *_email(form),
        *_duplicate_documents(form),
    ]


def _province(form: FilingForm) -> list[Flag]:
    if is_province(form.province):
        return []
    return [
        make_flag(
            FlagCode.FORM_INVALID,
            Severity.ERROR,
            f"备案地域「{form.province}」不是省级行政区的规范全称"
            "（如 北京市、广东省、广西壮族自治区）",
            field="province",
            form_value=form.province,
        )
    ]


def _certificate_type(form: FilingForm) -> list[Flag]:
    expected = (
        CertificateType.BUSINESS_LICENSE
        if form.filing_type is FilingType.ORGANIZATION
        else CertificateType.ID_CARD
    )
    if form.subject.certificate_type is expected:
        return []
    return [
        make_flag(
            FlagCode.FORM_INVALID,
            Severity.ERROR,
            f"{FILING_TYPE_LABELS[form.filing_type]}的主体证件类型应为 {expected.value}，"
            f"表单为 {form.subject.certificate_type.value}",
            field="subject.certificate_type",
            form_value=form.subject.certificate_type.value,
        )
    ]


def _phones(form: FilingForm) -> list[Flag]:
    flags = []
    mobile = re.sub(r"\s", "", form.principal.mobile)
    if not MOBILE.match(mobile):
        flags.append(
            make_flag(
                FlagCode.PHONE_FORMAT,
                Severity.WARNING,
                f"负责人手机号码「{form.principal.mobile}」格式不正确：应为 11 位手机号码",
                field="principal.mobile",
                form_value=form.principal.mobile,
            )
        )
    office = form.principal.office_phone
    if office and not OFFICE_PHONE.match(re.sub(r"\s", "", office)):
        flags.append(
            make_flag(
                FlagCode.PHONE_FORMAT,
                Severity.WARNING,
                f"办公电话「{office}」格式不正确：应为 086-区号-号码（如 086-010-12345678），"
                "无座机时填写 086-区号-手机号码",
                field="principal.office_phone",
                form_value=office,
            )
        )
    return flags


def _email(form: FilingForm) -> list[Flag]:
    email = form.principal.email
    if not email or EMAIL.match(email):
        return []
    return [
        make_flag(
            FlagCode.FORM_INVALID,
            Severity.WARNING,
            f"电子邮箱「{email}」格式不正确",
            field="principal.email",
            form_value=email,
        )
    ]


def _duplicate_documents(form: FilingForm) -> list[Flag]:
    counts = Counter((ref.file, ref.kind) for ref in form.documents)
    return [
        make_flag(
            FlagCode.FORM_INVALID,
            Severity.WARNING,
            f"文件「{file}」以同一类型（{kind.value}）重复列出 {count} 次，只核对一次",
            field="documents",
            form_value=file,
        )
        for (file, kind), count in counts.items()
        if count > 1
    ]
