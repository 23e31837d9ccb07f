"""One function per scenario: what the packet holds and which flags it must raise."""

from collections.abc import Callable

from samples.generator import shangshi
from samples.generator.builders import (
    PacketPlan,
    PlannedDocument,
    ScenarioContext,
    broken,
    id_back_document,
    id_both_document,
    id_front_document,
    license_document,
    principal_for,
)
from samples.generator.divisions import districts_of
from samples.generator.forms import (
    bad_phone,
    document_refs,
    org_form,
    personal_form,
    with_principal,
    with_subject,
)
from samples.generator.identities import (
    different_name,
    make_company,
    make_person,
    other_brand_name,
    person_name_typo,
)
from samples.generator.identities import name_typo as typo_of_name
from samples.generator.identities import number_typo as typo_of_number
from samples.generator.license import random_license_layout
from samples.generator.models import CaptureMode, Company, ExpectedFlag, Person
from samples.generator.numbers import (
    make_registration_number,
    make_uscc,
    uscc_check_char,
    with_wrong_check_char,
)
from schemas import DocumentKind, FlagCode, Severity

Scenario = Callable[[ScenarioContext], PacketPlan]
ERROR, WARNING = Severity.ERROR, Severity.WARNING
FRONT, BACK = DocumentKind.ID_CARD_FRONT, DocumentKind.ID_CARD_BACK
LICENSE = DocumentKind.BUSINESS_LICENSE
USCC_FIELD = "subject.certificate_number"
VALUE_SHIFT = (0.35, 0.75)  # line heights a misaligned printer lifts the values


def _refs(documents: list[PlannedDocument]) -> list[tuple[str, DocumentKind]]:
    return [(doc.file, doc.expected.declared_kind) for doc in documents]


def _org(
    ctx: ScenarioContext,
    company: Company | None = None,
    license_mode: CaptureMode | None = None,
    person: Person | None = None,
) -> tuple[Company, Person, list[PlannedDocument]]:
    """A company, its principal, and license + ID front + ID back."""
    company = company or make_company(ctx.rng, ctx.province)
    person = person or principal_for(ctx)
    documents = [
        license_document(ctx, company, mode=license_mode),
        id_front_document(ctx, person),
        id_back_document(ctx, person),
    ]
    return company, person, documents


def _org_plan(
    ctx: ScenarioContext, company: Company, person: Person, documents: list[PlannedDocument]
) -> PacketPlan:
    form = org_form(ctx.packet_id, company, person, document_refs(_refs(documents)), ctx.rng)
    return PacketPlan(form, documents)


def _personal_plan(
    ctx: ScenarioContext, person: Person, documents: list[PlannedDocument]
) -> PacketPlan:
    form = personal_form(ctx.packet_id, person, document_refs(_refs(documents)), ctx.rng)
    return PacketPlan(form, documents)


def _file_of(plan: PacketPlan, kind: DocumentKind) -> str:
    """The file that really shows `kind` (whatever it was declared as)."""
    return next(doc.file for doc in plan.documents if doc.expected.kind == kind)


def _flag(
    code: FlagCode, severity: Severity, document: str | None = None, field: str | None = None
) -> ExpectedFlag:
    return ExpectedFlag(code=code, severity=severity, document=document, field=field)


def clean_org(ctx: ScenarioContext) -> PacketPlan:
    """Organization filing, everything consistent."""
    return _org_plan(ctx, *_org(ctx))


def clean_personal(ctx: ScenarioContext) -> PacketPlan:
    """Personal filing, ID front and back, everything consistent."""
    person = make_person(ctx.rng, ctx.province)
    documents = [id_front_document(ctx, person), id_back_document(ctx, person)]
    return _personal_plan(ctx, person, documents)


def clean_both_sides_one_image(ctx: ScenarioContext) -> PacketPlan:
    """Personal filing with both ID sides on one page, listed once as the front."""
    person = make_person(ctx.rng, ctx.province)
    return _personal_plan(ctx, person, [id_both_document(ctx, person)])


def clean_pdf_text_layer(ctx: ScenarioContext) -> PacketPlan:
    """Organization filing with an electronic license PDF that has a text layer."""
    return _org_plan(ctx, *_org(ctx, license_mode=CaptureMode.PDF_TEXT))


def clean_pdf_scanned(ctx: ScenarioContext) -> PacketPlan:
    """Organization filing with the license as a scanned-image PDF (no text layer)."""
    return _org_plan(ctx, *_org(ctx, license_mode=CaptureMode.PDF_SCAN))


def name_mismatch(ctx: ScenarioContext) -> PacketPlan:
    """The form's entity name differs from the license in its 字号 (two characters)."""
    company = make_company(ctx.rng, ctx.province, form="company")
    plan = _org_plan(ctx, *_org(ctx, company))
    plan.form = with_subject(plan.form, name=other_brand_name(company.name, ctx.rng))
    plan.flags = [_flag(FlagCode.NAME_MISMATCH, ERROR, _file_of(plan, LICENSE), "subject.name")]
    return plan


def principal_name_mismatch(ctx: ScenarioContext) -> PacketPlan:
    """The form's principal name differs from the ID card by at least two characters."""
    _, person, _ = parts = _org(ctx)
    plan = _org_plan(ctx, *parts)
    plan.form = with_principal(plan.form, name=different_name(person.name, ctx.rng))
    plan.flags = [_flag(FlagCode.NAME_MISMATCH, ERROR, _file_of(plan, FRONT), "principal.name")]
    return plan


def number_mismatch(ctx: ScenarioContext) -> PacketPlan:
    """The form carries another valid USCC of the same division."""
    company, _, _ = parts = _org(ctx)
    plan = _org_plan(ctx, *parts)
    other = company.uscc
    while sum(a != b for a, b in zip(other, company.uscc, strict=True)) < 2:
        other = make_uscc(company.uscc[2:8], ctx.rng, company.uscc[1])
    plan.form = with_subject(plan.form, certificate_number=other)
    plan.flags = [_flag(FlagCode.NUMBER_MISMATCH, ERROR, _file_of(plan, LICENSE), USCC_FIELD)]
    return plan


def invalid_number(ctx: ScenarioContext) -> PacketPlan:
    """The form's USCC has a wrong check character: invalid, and different from the license."""
    company, _, _ = parts = _org(ctx)
    plan = _org_plan(ctx, *parts)
    wrong = with_wrong_check_char(company.uscc, ctx.rng)
    plan.form = with_subject(plan.form, certificate_number=wrong)
    plan.flags = [
        _flag(FlagCode.INVALID_NUMBER, ERROR, None, USCC_FIELD),
        _flag(FlagCode.NUMBER_MISMATCH, ERROR, _file_of(plan, LICENSE), USCC_FIELD),
    ]
    return plan


def region_mismatch_org(ctx: ScenarioContext) -> PacketPlan:
    """An organization chose a province other than where its license was issued (error)."""
    plan = _org_plan(ctx, *_org(ctx))
    plan.form = plan.form.model_copy(update={"province": ctx.other_province()})
    plan.flags = [_flag(FlagCode.REGION_MISMATCH, ERROR, _file_of(plan, LICENSE), "province")]
    return plan


def region_mismatch_personal(ctx: ScenarioContext) -> PacketPlan:
    """A person chose a province other than the ID card's (warning for the reviewer)."""
    plan = clean_personal(ctx)
    plan.form = plan.form.model_copy(update={"province": ctx.other_province()})
    plan.flags = [_flag(FlagCode.REGION_MISMATCH, WARNING, _file_of(plan, FRONT), "province")]
    return plan


def expired_id(ctx: ScenarioContext) -> PacketPlan:
    """The principal's ID card expired in 2019."""
    person = principal_for(ctx, expired_id=True)
    plan = _org_plan(ctx, *_org(ctx, person=person))
    plan.flags = [_flag(FlagCode.DOCUMENT_EXPIRED, ERROR, _file_of(plan, BACK), "valid_to")]
    return plan


def expired_license(ctx: ScenarioContext) -> PacketPlan:
    """The license's 营业期限 has ended."""
    company = make_company(ctx.rng, ctx.province, form="company", expired=True)
    plan = _org_plan(ctx, *_org(ctx, company))
    plan.flags = [_flag(FlagCode.DOCUMENT_EXPIRED, ERROR, _file_of(plan, LICENSE), "valid_to")]
    return plan


def unreadable(ctx: ScenarioContext) -> PacketPlan:
    """One document is an empty file or a JPEG cut off inside its header."""
    company, person, documents = _org(ctx)
    index = ctx.rng.randrange(len(documents))
    documents[index] = broken(ctx, documents[index])
    plan = _org_plan(ctx, company, person, documents)
    plan.flags = [_flag(FlagCode.DOCUMENT_UNREADABLE, ERROR, documents[index].file)]
    return plan


def kind_mismatch(ctx: ScenarioContext) -> PacketPlan:
    """The two ID sides are declared the wrong way round."""
    company = make_company(ctx.rng, ctx.province)
    person = principal_for(ctx)
    documents = [
        license_document(ctx, company),
        id_back_document(ctx, person, file="id_card_1.jpg", declared=FRONT),
        id_front_document(ctx, person, file="id_card_2.jpg", declared=BACK),
    ]
    plan = _org_plan(ctx, company, person, documents)
    plan.flags = [
        _flag(FlagCode.DOCUMENT_KIND_MISMATCH, WARNING, "id_card_1.jpg", "kind"),
        _flag(FlagCode.DOCUMENT_KIND_MISMATCH, WARNING, "id_card_2.jpg", "kind"),
    ]
    return plan


def missing_document(ctx: ScenarioContext) -> PacketPlan:
    """An organization filing without the ID card back."""
    company, person, documents = _org(ctx)
    plan = _org_plan(ctx, company, person, documents[:2])
    plan.flags = [_flag(FlagCode.MISSING_DOCUMENT, ERROR, None, BACK.value)]
    return plan


def low_quality(ctx: ScenarioContext) -> PacketPlan:
    """One document is tiny and blurred, yet legible."""
    company = make_company(ctx.rng, ctx.province)
    person = principal_for(ctx)
    blurry_front = ctx.rng.random() < 0.5
    documents = [
        license_document(ctx, company, mode=None if blurry_front else CaptureMode.BLURRY),
        id_front_document(ctx, person, mode=CaptureMode.BLURRY if blurry_front else None),
        id_back_document(ctx, person),
    ]
    plan = _org_plan(ctx, company, person, documents)
    target = "id_front.jpg" if blurry_front else "license.jpg"
    plan.flags = [_flag(FlagCode.LOW_QUALITY, WARNING, target, "quality")]
    return plan


def source_disagreement(ctx: ScenarioContext) -> PacketPlan:
    """The USCC's division code is of another province than the 登记机关 and 住所."""
    elsewhere = ctx.rng.choice(districts_of(ctx.other_province()))
    company = make_company(ctx.rng, ctx.province, form="company", uscc_district=elsewhere)
    plan = _org_plan(ctx, *_org(ctx, company))
    plan.flags = [_flag(FlagCode.SOURCE_DISAGREEMENT, WARNING, _file_of(plan, LICENSE), "province")]
    return plan


def seal_only_authority(ctx: ScenarioContext) -> PacketPlan:
    """The 登记机关 appears only inside the seal; province from USCC and address. Passes."""
    company = make_company(ctx.rng, ctx.province)
    return _org_with_layout(ctx, company, authority_printed=False)


def electronic_license(ctx: ScenarioContext) -> PacketPlan:
    """The license is the electronic license's render (电子营业执照: watermarked, the authority
    printed small over two lines, no seal). Passes."""
    company = make_company(ctx.rng, ctx.province, form="company")
    return _org_with_layout(ctx, company, family="electronic", orientation="landscape")


def _org_with_layout(ctx: ScenarioContext, company: Company, **layout: object) -> PacketPlan:
    """The company's principal and documents, its license drawn with these layout choices."""
    person = principal_for(ctx)
    license_layout = random_license_layout(ctx.rng).model_copy(update=layout)
    documents = [
        license_document(ctx, company, layout=license_layout),
        id_front_document(ctx, person),
        id_back_document(ctx, person),
    ]
    return _org_plan(ctx, company, person, documents)


def shangshi_license(ctx: ScenarioContext) -> PacketPlan:
    """A Shenzhen or Zhuhai company with the cities' 商事主体 副本 (USCC under the title,
    主体类型, no 营业期限, the authority only in the seal). Passes."""
    province = "广东省"  # the variant's cities are there, whatever province the set drew
    places = [d for d in districts_of(province) if d.city in shangshi.CITIES]
    district = ctx.rng.choice(places)
    company = make_company(ctx.rng, province, form="company", district=district)
    layout = {"orientation": "portrait", "authority_printed": False, "value_below_label": False}
    return _org_with_layout(ctx, company, family="shangshi", **layout)


def partnership_license(ctx: ScenarioContext) -> PacketPlan:
    """A 合伙企业's license (执行事务合伙人, 出资额, 合伙期限, 主要经营场所). Passes."""
    company = make_company(ctx.rng, ctx.province, form="partnership")
    return _org_with_layout(ctx, company)


def shifted_values(ctx: ScenarioContext) -> PacketPlan:
    """A license whose values a misaligned printer put 0.35–0.75 of a line above their
    labels (the dot-matrix fill-in of pre-printed forms). Passes."""
    company = make_company(ctx.rng, ctx.province)
    shift = round(ctx.rng.uniform(*VALUE_SHIFT), 2)
    return _org_with_layout(ctx, company, value_shift=shift, value_below_label=False)


def _legacy_org(ctx: ScenarioContext) -> PacketPlan:
    """A company whose license predates the unified code: it prints a 15-digit 注册号."""
    company = make_company(ctx.rng, ctx.province)
    registration = make_registration_number(company.uscc[2:8], ctx.rng)
    company = company.model_copy(update={"registration_number": registration})
    return _org_with_layout(ctx, company, legacy=True)


def legacy_license(ctx: ScenarioContext) -> PacketPlan:
    """A legacy license (注册号, no USCC) and a form that gives the 注册号. Passes."""
    plan = _legacy_org(ctx)
    registration = plan.documents[0].expected.fields.number or ""
    plan.form = with_subject(plan.form, certificate_number=registration)
    return plan


def legacy_license_uscc_form(ctx: ScenarioContext) -> PacketPlan:
    """A legacy license, the form gives the entity's USCC: not comparable, so a warning."""
    plan = _legacy_org(ctx)
    file = _file_of(plan, LICENSE)
    plan.flags = [_flag(FlagCode.NUMBER_MISMATCH, WARNING, file, USCC_FIELD)]
    return plan


def name_typo(ctx: ScenarioContext) -> PacketPlan:
    """The form's entity name carries one typing slip in its 字号 (changed, dropped, added or
    swapped character): never silently passed — an error on a legible capture."""
    plan = _org_plan(ctx, *_org(ctx, make_company(ctx.rng, ctx.province, form="company")))
    plan.form = with_subject(plan.form, name=typo_of_name(plan.form.subject.name, ctx.rng))
    plan.flags = [_flag(FlagCode.NAME_MISMATCH, ERROR, _file_of(plan, LICENSE), "subject.name")]
    return plan


def principal_name_typo(ctx: ScenarioContext) -> PacketPlan:
    """The form's principal name has one character of the given name mistyped (a homophone
    or look-alike): an error on a legible ID card."""
    _, person, _ = parts = _org(ctx)
    plan = _org_plan(ctx, *parts)
    plan.form = with_principal(plan.form, name=person_name_typo(person.name, ctx.rng))
    plan.flags = [_flag(FlagCode.NAME_MISMATCH, ERROR, _file_of(plan, FRONT), "principal.name")]
    return plan


def number_typo(ctx: ScenarioContext) -> PacketPlan:
    """The form's USCC with one character mistyped or two neighbours swapped: a mismatch
    with the license, and invalid whenever the slip breaks the check character (decided
    here by GB 32100's own computation)."""
    company, _, _ = parts = _org(ctx)
    plan = _org_plan(ctx, *parts)
    typed = typo_of_number(company.uscc, ctx.rng)
    plan.form = with_subject(plan.form, certificate_number=typed)
    plan.flags = [_flag(FlagCode.NUMBER_MISMATCH, ERROR, _file_of(plan, LICENSE), USCC_FIELD)]
    if uscc_check_char(typed[:-1]) != typed[-1]:
        plan.flags.insert(0, _flag(FlagCode.INVALID_NUMBER, ERROR, None, USCC_FIELD))
    return plan


def phone_format(ctx: ScenarioContext) -> PacketPlan:
    """The office phone lacks the 086 prefix, or the mobile is too short."""
    plan = clean_org(ctx) if ctx.rng.random() < 0.6 else clean_personal(ctx)
    which, value = bad_phone(plan.form.province, ctx.rng)
    plan.form = with_principal(plan.form, **{which: value})
    plan.flags = [_flag(FlagCode.PHONE_FORMAT, WARNING, None, f"principal.{which}")]
    return plan


def form_invalid(ctx: ScenarioContext) -> PacketPlan:
    """The form names a province that does not exist (火星省)."""
    plan = clean_org(ctx)
    plan.form = plan.form.model_copy(update={"province": "火星省"})
    plan.flags = [_flag(FlagCode.FORM_INVALID, ERROR, None, "province")]
    plan.allowed_extra_flags = [FlagCode.REGION_MISMATCH]
    return plan


SCENARIO_FUNCTIONS: dict[str, Scenario] = {
    function.__name__: function
    for function in (
        clean_org,
        clean_personal,
        clean_both_sides_one_image,
        clean_pdf_text_layer,
        clean_pdf_scanned,
        name_mismatch,
        principal_name_mismatch,
        number_mismatch,
        invalid_number,
        region_mismatch_org,
        region_mismatch_personal,
        expired_id,
        expired_license,
        unreadable,
        kind_mismatch,
        missing_document,
        low_quality,
        source_disagreement,
        seal_only_authority,
        phone_format,
        form_invalid,
        legacy_license,
        legacy_license_uscc_form,
        name_typo,
        principal_name_typo,
        number_typo,
        electronic_license,
        shangshi_license,
        partnership_license,
        shifted_values,
    )
}
SCENARIOS: list[str] = list(SCENARIO_FUNCTIONS)
