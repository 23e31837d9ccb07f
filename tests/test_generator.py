"""The synthetic sample generator: valid numbers, determinism, scenarios, golden files."""

import io
import random
import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageOps
from rapidfuzz.distance import Levenshtein
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.iso7064 import mod_11_10

from pipeline.checks.verdict import decide
from pipeline.fields.numbers import check_ric
from samples.generator import (
    CAPTURE_MODES,
    SCENARIOS,
    CaptureMode,
    ExpectedPacket,
    LicenseLayout,
    capture_document,
    generate_packet,
    generate_set,
    license_text_pdf,
    make_company,
    make_person,
    render_id_both,
    render_id_front,
    render_license,
    scanned_pdf,
)
from samples.generator.capture import corrupt_bytes
from samples.generator.committed import COMMITTED, COMMITTED_SEED, PACKETS_DIR, CommittedPacket
from samples.generator.divisions import (
    county_codes_in_use,
    districts_of,
    province_of_code,
    provinces,
)
from samples.generator.identities import (
    PREDECESSORS,
    REFERENCE_DATE,
    name_typo,
    number_typo,
    person_name_typo,
)
from samples.generator.license import LicensePainter, license_rows
from samples.generator.models import Person
from samples.generator.numbers import (
    USCC_ALPHABET,
    make_uscc,
    ric_check_char,
    uscc_check_char,
    with_wrong_check_char,
)
from samples.generator.packets import set_member
from schemas import DocumentKind, FilingForm, Flag, FlagCode, Severity

PROVINCES = provinces()
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
E, W = Severity.ERROR, Severity.WARNING

# What docs/RULES.md says each scenario must raise: written out independently of the generator.
SCENARIO_FLAGS: dict[str, list[tuple[FlagCode, Severity]]] = {
    "clean_org": [],
    "clean_personal": [],
    "clean_both_sides_one_image": [],
    "clean_pdf_text_layer": [],
    "clean_pdf_scanned": [],
    "name_mismatch": [(FlagCode.NAME_MISMATCH, E)],
    "principal_name_mismatch": [(FlagCode.NAME_MISMATCH, E)],
    "number_mismatch": [(FlagCode.NUMBER_MISMATCH, E)],
    "invalid_number": [(FlagCode.INVALID_NUMBER, E), (FlagCode.NUMBER_MISMATCH, E)],
    "region_mismatch_org": [(FlagCode.REGION_MISMATCH, E)],
    "region_mismatch_personal": [(FlagCode.REGION_MISMATCH, W)],
    "expired_id": [(FlagCode.DOCUMENT_EXPIRED, E)],
    "expired_license": [(FlagCode.DOCUMENT_EXPIRED, E)],
    "unreadable": [(FlagCode.DOCUMENT_UNREADABLE, E)],
    "kind_mismatch": [(FlagCode.DOCUMENT_KIND_MISMATCH, W), (FlagCode.DOCUMENT_KIND_MISMATCH, W)],
    "missing_document": [(FlagCode.MISSING_DOCUMENT, E)],
    "low_quality": [(FlagCode.LOW_QUALITY, W)],
    "source_disagreement": [(FlagCode.SOURCE_DISAGREEMENT, W)],
    "seal_only_authority": [],
    "phone_format": [(FlagCode.PHONE_FORMAT, W)],
    "form_invalid": [(FlagCode.FORM_INVALID, E)],
    "legacy_license": [],
    "legacy_license_uscc_form": [(FlagCode.NUMBER_MISMATCH, W)],
    "name_typo": [(FlagCode.NAME_MISMATCH, E)],
    "principal_name_typo": [(FlagCode.NAME_MISMATCH, E)],
    # GB 32100's MOD 31 catches every single substitution and neighbour swap (distinct weights)
    "number_typo": [(FlagCode.INVALID_NUMBER, E), (FlagCode.NUMBER_MISMATCH, E)],
    "electronic_license": [],
    "shangshi_license": [],
    "partnership_license": [],
    "shifted_values": [],
}
SHOWN_FIELDS = {
    DocumentKind.BUSINESS_LICENSE: {
        "name",
        "number",
        "province",
        "address",
        "legal_representative",
        "entity_type",
        "established",
    },
    DocumentKind.ID_CARD_FRONT: {
        "name",
        "number",
        "province",
        "address",
        "gender",
        "ethnicity",
        "birth_date",
    },
    DocumentKind.ID_CARD_BACK: {"province", "issuing_authority", "valid_from", "valid_to"},
}


def load_expected(entry: CommittedPacket) -> ExpectedPacket:
    """The committed expected.json of one packet."""
    return ExpectedPacket.model_validate_json(
        (PACKETS_DIR / entry.packet_id / "expected.json").read_text()
    )


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file of a packet folder by name."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def is_normalized(text: str) -> bool:
    """NFKC and without white space, as docs/RULES.md wants every text field."""
    return text == "".join(unicodedata.normalize("NFKC", text).split())


# --- divisions and numbers ---------------------------------------------------------------


def test_all_31_provinces_have_current_districts() -> None:
    assert len(PROVINCES) == 31
    assert {"广西壮族自治区", "内蒙古自治区", "新疆维吾尔自治区", "西藏自治区", "重庆市"} <= set(
        PROVINCES
    )
    assert all(districts_of(province) for province in PROVINCES)


@pytest.mark.parametrize("province", PROVINCES)
def test_company_uscc_is_valid_and_coded_in_its_province(province: str) -> None:
    company = make_company(random.Random(province), province)
    assert uscc.is_valid(company.uscc)
    assert province_of_code(company.uscc[2:8]) == province
    assert company.issuing_authority.endswith("市场监督管理局")


@pytest.mark.parametrize("province", PROVINCES)
def test_person_id_number_is_genuine_and_matches_the_person(province: str) -> None:
    person = make_person(random.Random(province), province)
    number = person.id_number
    assert ric.calc_check_digit(number) == number[-1]  # stdnum's ISO 7064 MOD 11-2
    assert ric.get_birth_date(number) == person.birth_date
    assert numdb.get("cn/loc").info(number[:6])[0][1]["province"] in (
        province,
        PREDECESSORS.get(province),
    )
    assert (int(number[16]) % 2 == 1) == (person.gender == "男")
    assert person.valid_to is None or person.valid_to > REFERENCE_DATE
    assert person.address.startswith(province)


def test_check_characters_match_the_standards_examples_and_stdnum() -> None:
    assert ric_check_char("11010519491231002") == "X"  # GB 11643-1999's example
    rng = random.Random(11)
    for _ in range(500):
        body = "".join(rng.choice("0123456789") for _ in range(17))
        assert ric_check_char(body) == ric.calc_check_digit(body + "0")
        code = "9" + "".join(rng.choice(USCC_ALPHABET) for _ in range(16))
        assert uscc_check_char(code) == uscc.calc_check_digit(code)


def _people(count: int) -> list[Person]:
    rng = random.Random(20261130)
    return [make_person(rng, rng.choice(PROVINCES)) for _ in range(count)]


def test_people_are_drawn_like_the_population_not_like_the_checker() -> None:
    people = _people(600)
    years = [person.birth_date.year for person in people]
    assert min(years) < 1950 and max(years) > 2000
    # the case: a code created after the holder's birth (stdnum's is_valid refuses it)
    born_before_code = [p for p in people if not ric.is_valid(p.id_number)]
    assert len(born_before_code) >= 30
    now = REFERENCE_DATE.year
    abolished = [
        p
        for p in people
        if p.id_number[:6] not in county_codes_in_use(province_of_code(p.id_number), now)
    ]
    assert abolished, "no number with a code abolished since"


def test_the_checker_accepts_every_generated_person() -> None:
    problems = {p.id_number: check_ric(p.id_number) for p in _people(600)}
    assert {number: problem for number, problem in problems.items() if problem} == {}


def test_expired_id_ended_in_2019() -> None:
    person = make_person(random.Random(3), "山东省", expired_id=True)
    assert person.valid_to is not None and person.valid_to.year == 2019


@pytest.mark.parametrize("seed", range(5))
def test_wrong_check_char_makes_an_invalid_uscc(seed: int) -> None:
    rng = random.Random(seed)
    number = make_uscc("110108", rng)
    wrong = with_wrong_check_char(number, rng)
    assert uscc.is_valid(number) and not uscc.is_valid(wrong)
    assert wrong[:-1] == number[:-1]


# --- renderers and captures ----------------------------------------------------------------


def test_seal_only_license_has_the_seals_authority_in_truth() -> None:
    rng = random.Random(1)
    company = make_company(rng, "云南省", form="company")
    image, truth = render_license(company, LicenseLayout(authority_printed=False), rng)
    assert image.size == (1600, 1100)
    assert truth.issuing_authority == company.issuing_authority
    assert truth.province == "云南省"


def test_shangshi_license_prints_no_term_or_capital_and_keeps_the_seal_authority() -> None:
    rng = random.Random(5)
    company = make_company(rng, "广东省", form="company")
    layout = LicenseLayout(family="shangshi", orientation="portrait", authority_printed=False)
    painter = LicensePainter(company, layout, rng, vector=True)
    painter.paint()
    printed = "".join(item.text for item in painter.texts)
    _, truth = render_license(company, layout, random.Random(5))
    assert "主 体 类 型" in printed and "重" in printed and "营业期限" not in printed
    assert truth.valid_from is None and truth.valid_to is None
    assert truth.registered_capital is None
    assert truth.issuing_authority == company.issuing_authority
    assert company.issuing_authority not in printed  # only in the seal
    assert truth.number == company.uscc and company.uscc in printed


@pytest.mark.parametrize("seed", range(8))
def test_partnership_prints_its_own_labels(seed: int) -> None:
    company = make_company(random.Random(seed), "浙江省", form="partnership")
    labels = [label for label, _ in license_rows(company)]
    assert labels[2] == "执行事务合伙人" and labels[-1] == "主要经营场所"
    assert "出资额" in labels and "合伙期限" in labels and "法定代表人" not in labels
    bracket = "（有限合伙）" if company.entity_type == "有限合伙企业" else "（普通合伙）"
    assert company.entity_type in ("有限合伙企业", "普通合伙企业")
    assert company.name.endswith("合伙企业" + bracket)
    assert uscc.is_valid(company.uscc)


def _value_and_label_tops(shift: float) -> tuple[float, float]:
    company = make_company(random.Random(9), "河北省", form="company")
    layout = LicenseLayout(spaced_labels=False, value_shift=shift)
    painter = LicensePainter(company, layout, random.Random(9), vector=True)
    painter.paint()
    label = next(item for item in painter.texts if item.text == "住所")
    value = next(item for item in painter.texts if company.address.startswith(item.text))
    return value.y, label.y


def test_value_shift_prints_values_above_their_labels() -> None:
    value_top, label_top = _value_and_label_tops(0.0)
    assert value_top == label_top
    shifted_top, shifted_label_top = _value_and_label_tops(0.6)
    assert shifted_label_top == label_top
    assert label_top - shifted_top == pytest.approx(0.6 * int(27 * 1.45), abs=1)


def test_shangshi_scenario_draws_a_shenzhen_or_zhuhai_company(tmp_path: Path) -> None:
    for seed in range(3):
        expected = generate_packet(tmp_path, "shangshi_license", "scan", seed)
        truth = expected.documents["license.jpg"].fields
        assert truth.province == "广东省"
        assert truth.issuing_authority is not None
        assert truth.issuing_authority.startswith(("深圳市", "珠海市"))


def test_both_sides_page_truth_has_front_and_back_fields() -> None:
    rng = random.Random(2)
    person = make_person(rng, "浙江省")
    _, truth = render_id_both(person, rng)
    assert truth.name == person.name and truth.number == person.id_number
    assert truth.issuing_authority == person.issuing_authority
    assert truth.valid_from == person.valid_from.isoformat()


@pytest.mark.parametrize("mode", [CaptureMode.ROT90, CaptureMode.ROT180, CaptureMode.ROT270])
@pytest.mark.parametrize("seed", range(4))
def test_rotated_captures_record_how_to_make_them_upright(mode: CaptureMode, seed: int) -> None:
    rng = random.Random(seed)
    card, _ = render_id_front(make_person(rng, "北京市"), rng)
    shot = capture_document(card, mode, rng)
    image = Image.open(io.BytesIO(shot.data))
    assert shot.rotation == int(mode.value[3:])
    turned_sideways = shot.rotation in (90, 270)
    assert (image.height > image.width) == turned_sideways
    if shot.exif_orientation is not None:
        upright = ImageOps.exif_transpose(image)
        assert upright.width > upright.height


@pytest.mark.parametrize("seed", range(6))
def test_corrupt_upload_cannot_be_decoded(seed: int) -> None:
    rng = random.Random(seed)
    card, _ = render_id_front(make_person(rng, "河南省"), rng)
    data = corrupt_bytes(capture_document(card, CaptureMode.SCAN, rng).data, rng)
    with pytest.raises(OSError):
        Image.open(io.BytesIO(data)).load()


def test_text_pdf_carries_the_fields_as_text_and_scanned_pdf_does_not() -> None:
    rng = random.Random(4)
    company = make_company(rng, "上海市", form="company")
    data, truth = license_text_pdf(company, LicenseLayout(), rng)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join(pdf.pages[0].extract_text().split())
    assert company.uscc in text
    assert truth.name is not None and unicodedata.normalize("NFKC", text).find(truth.name) >= 0
    image, _ = render_license(company, LicenseLayout(), rng)
    with pdfplumber.open(io.BytesIO(scanned_pdf(image, rng))) as pdf:
        assert not pdf.pages[0].extract_text().strip()
        assert len(pdf.pages[0].images) == 1


# --- packets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "mode"),
    [("clean_personal", "rot90"), ("clean_pdf_text_layer", "scan"), ("unreadable", "low_res")],
)
def test_same_seed_gives_the_same_bytes(tmp_path: Path, scenario: str, mode: str) -> None:
    first = generate_packet(tmp_path / "a", scenario, mode, 7)
    second = generate_packet(tmp_path / "b", scenario, mode, 7)
    assert first == second
    assert files_of(tmp_path / "a" / first.packet_id) == files_of(tmp_path / "b" / second.packet_id)


def test_another_seed_gives_another_packet(tmp_path: Path) -> None:
    first = generate_packet(tmp_path, "clean_personal", "scan", 1)
    second = generate_packet(tmp_path, "clean_personal", "scan", 2)
    assert first.packet_id != second.packet_id
    assert first.documents["id_front.jpg"].fields != second.documents["id_front.jpg"].fields


def test_unknown_scenario_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown scenario"):
        generate_packet(tmp_path, "no_such_scenario", "scan", 1)


def test_bench_set_cycles_every_scenario_with_every_capture_mode() -> None:
    pairs = {set_member(index, seed=5) for index in range(len(SCENARIOS) * len(CAPTURE_MODES))}
    assert pairs == {(scenario, mode) for scenario in SCENARIOS for mode in CAPTURE_MODES}


def test_generate_set_writes_numbered_packets(tmp_path: Path) -> None:
    packets = generate_set(tmp_path, 2, seed=5)
    assert [p.scenario for p in packets] == SCENARIOS[:2]
    assert [p.capture_mode for p in packets] == [CaptureMode.LOW_RES, CaptureMode.HARD]
    assert [p.packet_id for p in packets] == ["B5-00001", "B5-00002"]
    assert all((tmp_path / p.packet_id / "form.json").is_file() for p in packets)


# --- the committed set -------------------------------------------------------------------


def test_committed_set_has_every_scenario_and_every_flag_code() -> None:
    assert sorted(entry.scenario for entry in COMMITTED) == sorted(SCENARIOS)
    assert set(SCENARIO_FLAGS) == set(SCENARIOS)
    codes = {flag.code for entry in COMMITTED for flag in load_expected(entry).flags}
    assert codes == set(FlagCode)


def test_committed_set_is_small() -> None:
    total = sum(path.stat().st_size for path in PACKETS_DIR.rglob("*") if path.is_file())
    assert total < 9_400_000  # 30 packets of about 290 KB


@pytest.mark.parametrize("entry", COMMITTED, ids=lambda entry: entry.packet_id)
def test_committed_flags_and_verdict_follow_the_rules(entry: CommittedPacket) -> None:
    expected = load_expected(entry)
    assert sorted((f.code, f.severity) for f in expected.flags) == sorted(
        SCENARIO_FLAGS[entry.scenario]
    )
    as_flags = [
        Flag(code=f.code, severity=f.severity, message="-", document=f.document, field=f.field)
        for f in expected.flags
    ]
    assert expected.verdict == decide(as_flags)
    assert expected.verdict in expected.acceptable_verdicts
    for flag in expected.flags:
        assert flag.document is None or flag.document in expected.documents


@pytest.mark.parametrize("entry", COMMITTED, ids=lambda entry: entry.packet_id)
def test_committed_form_validates_and_names_the_files(entry: CommittedPacket) -> None:
    folder = PACKETS_DIR / entry.packet_id
    form = FilingForm.model_validate_json((folder / "form.json").read_text())
    expected = load_expected(entry)
    assert form.packet_id == entry.packet_id == expected.packet_id
    assert [ref.file for ref in form.documents] == list(expected.documents)
    assert all((folder / ref.file).is_file() for ref in form.documents)
    assert (form.province in PROVINCES) == (entry.scenario != "form_invalid")
    if entry.scenario not in ("phone_format",):
        assert re.fullmatch(r"1[3-9]\d{9}", form.principal.mobile)


@pytest.mark.parametrize("entry", COMMITTED, ids=lambda entry: entry.packet_id)
def test_committed_expected_fields_follow_rules_formats(entry: CommittedPacket) -> None:
    for document in load_expected(entry).documents.values():
        fields = document.fields.model_dump()
        if not document.readable:
            assert document.kind is None and not any(fields.values())
            continue
        shown = set().union(*(SHOWN_FIELDS[kind] for kind in document.contains))
        assert shown <= {name for name, value in fields.items() if value is not None}
        for name in (
            "name",
            "address",
            "entity_type",
            "legal_representative",
            "registered_capital",
        ):
            assert fields[name] is None or is_normalized(fields[name])
        for name in ("valid_from", "established", "birth_date"):
            assert fields[name] is None or ISO_DATE.match(fields[name])
        assert (
            fields["valid_to"] is None
            or fields["valid_to"] == "长期"
            or ISO_DATE.match(fields["valid_to"])
        )
        assert fields["province"] in PROVINCES
        assert fields["gender"] in (None, "男", "女")
        if document.kind is DocumentKind.BUSINESS_LICENSE and fields["number_kind"] == "uscc":
            assert uscc.is_valid(fields["number"])
        elif document.kind is DocumentKind.BUSINESS_LICENSE:  # a legacy 注册号, GB/T 17710
            assert fields["number_kind"] == "registration"
            assert mod_11_10.is_valid(fields["number"]) and len(fields["number"]) == 15
        elif fields["number"] is not None:  # GB 11643's check character and a real date
            assert ric.calc_check_digit(fields["number"]) == fields["number"][-1]
            assert ric.get_birth_date(fields["number"]).year >= 1940


@pytest.mark.parametrize("number", [2, 4], ids=["photo", "text_pdf"])
def test_committed_packet_is_reproducible(tmp_path: Path, number: int) -> None:
    entry = next(e for e in COMMITTED if e.number == number)
    generate_packet(
        tmp_path,
        entry.scenario,
        entry.capture_mode,
        COMMITTED_SEED + number,
        province=entry.province,
        packet_id=entry.packet_id,
    )
    assert files_of(tmp_path / entry.packet_id) == files_of(PACKETS_DIR / entry.packet_id)


@pytest.mark.parametrize("seed", range(40))
def test_a_name_typo_is_one_slip_inside_the_brand(seed: int) -> None:
    rng = random.Random(seed)
    company = make_company(rng, "湖南省", form="company")
    typo = name_typo(company.name, rng)
    assert typo != company.name
    assert Levenshtein.distance(typo, company.name) <= 2  # a swap is two substitutions
    assert typo.endswith(company.name[-4:])  # the slip is in the 字号, not the legal form


@pytest.mark.parametrize("seed", range(40))
def test_a_person_name_typo_changes_one_character_of_the_given_name(seed: int) -> None:
    rng = random.Random(seed)
    name = make_person(rng, "湖南省").name
    typo = person_name_typo(name, rng)
    assert typo[0] == name[0] and len(typo) == len(name)
    assert sum(a != b for a, b in zip(typo, name, strict=True)) == 1


@pytest.mark.parametrize("seed", range(40))
def test_a_number_typo_is_one_slip_that_breaks_the_uscc_check(seed: int) -> None:
    from stdnum.cn import uscc

    rng = random.Random(seed)
    number = make_company(rng, "湖南省").uscc
    typo = number_typo(number, rng)
    assert len(typo) == len(number) and typo != number
    assert Levenshtein.distance(typo, number) <= 2
    assert not uscc.is_valid(typo)
