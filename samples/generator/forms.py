"""form.json contents for organization and personal filings."""

import random

from samples.generator.models import Company, Person
from schemas import (
    CertificateType,
    DocumentKind,
    DocumentRef,
    FilingForm,
    FilingType,
    Principal,
    Subject,
)

# Area code of each province's capital, for office phones (086-<area>-<number>).
AREA_CODES = {
    "北京市": "010",
    "天津市": "022",
    "河北省": "0311",
    "山西省": "0351",
    "内蒙古自治区": "0471",
    "辽宁省": "024",
    "吉林省": "0431",
    "黑龙江省": "0451",
    "上海市": "021",
    "江苏省": "025",
    "浙江省": "0571",
    "安徽省": "0551",
    "福建省": "0591",
    "江西省": "0791",
    "山东省": "0531",
    "河南省": "0371",
    "湖北省": "027",
    "湖南省": "0731",
    "广东省": "020",
    "广西壮族自治区": "0771",
    "海南省": "0898",
    "重庆市": "023",
    "四川省": "028",
    "贵州省": "0851",
    "云南省": "0871",
    "西藏自治区": "0891",
    "陕西省": "029",
    "甘肃省": "0931",
    "青海省": "0971",
    "宁夏回族自治区": "0951",
    "新疆维吾尔自治区": "0991",
}


def office_phone(province: str, mobile: str, rng: random.Random) -> str | None:
    """A well-formed office phone: 086-area-landline, 086-area-mobile, or none."""
    area = AREA_CODES.get(province, "010")
    choice = rng.random()
    if choice < 0.6:
        rest = 7 if len(area) == 3 else rng.choice([6, 7])
        return f"086-{area}-{rng.randint(2, 8)}{rng.randint(0, 10**rest - 1):0{rest}d}"
    if choice < 0.8:
        return f"086-{area}-{mobile}"
    return None


def bad_phone(province: str, rng: random.Random) -> tuple[str, str]:
    """('office_phone', 010-1234567) without the 086 prefix, or ('mobile', a 7-digit number)."""
    if rng.random() < 0.5:
        area = AREA_CODES.get(province, "010")
        return "office_phone", f"{area}-{rng.randint(2_000_000, 8_999_999)}"
    return "mobile", f"138{rng.randint(0, 9999):04d}"


def principal_of(person: Person, province: str, rng: random.Random) -> Principal:
    """The 主体负责人 block for a person, with valid phones."""
    return Principal(
        name=person.name,
        id_type="id_card",
        id_number=person.id_number,
        mobile=person.mobile,
        office_phone=office_phone(province, person.mobile, rng),
        email=person.email,
    )


def org_form(
    packet_id: str,
    company: Company,
    person: Person,
    documents: list[DocumentRef],
    rng: random.Random,
) -> FilingForm:
    """A correct organization filing for the company, with the person as principal."""
    return FilingForm(
        packet_id=packet_id,
        filing_type=FilingType.ORGANIZATION,
        province=company.province,
        subject=Subject(
            name=company.name,
            certificate_type=CertificateType.BUSINESS_LICENSE,
            certificate_number=company.uscc,
        ),
        principal=principal_of(person, company.province, rng),
        documents=documents,
    )


def personal_form(
    packet_id: str, person: Person, documents: list[DocumentRef], rng: random.Random
) -> FilingForm:
    """A correct personal filing: the subject is the person, province that of the ID card."""
    return FilingForm(
        packet_id=packet_id,
        filing_type=FilingType.PERSONAL,
        province=person.province,
        subject=Subject(
            name=person.name,
            certificate_type=CertificateType.ID_CARD,
            certificate_number=person.id_number,
        ),
        principal=principal_of(person, person.province, rng),
        documents=documents,
    )


def with_subject(form: FilingForm, **changes: str) -> FilingForm:
    """The form with some subject fields replaced."""
    return form.model_copy(update={"subject": form.subject.model_copy(update=changes)})


def with_principal(form: FilingForm, **changes: str) -> FilingForm:
    """The form with some principal fields replaced."""
    return form.model_copy(update={"principal": form.principal.model_copy(update=changes)})


def document_refs(pairs: list[tuple[str, DocumentKind]]) -> list[DocumentRef]:
    """DocumentRef entries in the given order."""
    return [DocumentRef(file=file, kind=kind) for file, kind in pairs]
