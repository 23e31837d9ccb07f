"""The committed sample packets against their golden expected.json, with the real engine."""

from pathlib import Path

import pytest

from pipeline.fields.entity_name import label_fragments
from pipeline.fields.license import ENTITY_TYPE_OPENINGS, LABELS
from pipeline.ocr.base import OcrEngine
from pipeline.packet import check_packet
from pipeline.settings import Settings
from pipeline.sources import FolderSource
from samples.generator.identities import REFERENCE_DATE
from samples.generator.models import ExpectedPacket
from schemas import DocumentKind, PacketReport

PACKETS = Path(__file__).resolve().parent.parent / "samples" / "packets"
KEY_FIELDS = ("name", "number", "province")

pytestmark = [pytest.mark.ocr, pytest.mark.slow]


def packet_folders() -> list[Path]:
    return sorted(folder for folder in PACKETS.iterdir() if (folder / "expected.json").exists())


@pytest.fixture(scope="module")
def reports(paddle_engine: OcrEngine) -> dict[str, PacketReport]:
    """Every committed packet checked once (the real engine, the generator's reference date)."""
    settings = Settings()
    return {
        folder.name: check_packet(
            FolderSource(folder), paddle_engine, settings, today=REFERENCE_DATE
        ).report
        for folder in packet_folders()
    }


def expected_of(folder: Path) -> ExpectedPacket:
    return ExpectedPacket.model_validate_json((folder / "expected.json").read_text("utf-8"))


@pytest.mark.parametrize("folder", packet_folders(), ids=lambda folder: folder.name)
def test_verdict_and_flags_match_the_golden(folder: Path, reports: dict[str, PacketReport]) -> None:
    expected, report = expected_of(folder), reports[folder.name]
    found = {(flag.code, flag.severity, flag.document) for flag in report.flags}
    missed = [
        wanted
        for wanted in expected.flags
        if not any(
            code == wanted.code
            and severity == wanted.severity
            and (wanted.document is None or document == wanted.document)
            for code, severity, document in found
        )
    ]
    allowed = {flag.code for flag in expected.flags} | set(expected.allowed_extra_flags)
    unexpected = [flag.message for flag in report.flags if flag.code not in allowed]
    assert missed == []
    assert unexpected == []
    assert report.verdict in expected.acceptable_verdicts


@pytest.mark.parametrize("folder", packet_folders(), ids=lambda folder: folder.name)
def test_key_fields_match_the_golden(folder: Path, reports: dict[str, PacketReport]) -> None:
    expected, report = expected_of(folder), reports[folder.name]
    documents = {document.file: document for document in report.documents}
    wrong = {}
    for file, truth in expected.documents.items():
        if not truth.readable or truth.kind is None:
            continue
        for field in KEY_FIELDS:
            want = getattr(truth.fields, field)
            got = getattr(documents[file].fields, field) if file in documents else None
            if want is not None and got != want:
                wrong[f"{file}.{field}"] = (got, want)
    assert wrong == {}


TYPO_PACKETS = ("S24-name_typo", "S25-principal_name_typo", "S26-number_typo")


@pytest.mark.parametrize("name", TYPO_PACKETS)
def test_a_typo_is_contradicted_by_a_clear_doubt_inside_the_fields_box(
    name: str, reports: dict[str, PacketReport]
) -> None:
    report = reports[name]
    [contradicted] = [c for c in report.comparisons if c.outcome == "contradicted"]
    assert contradicted.margin is not None and contradicted.margin < -3
    assert contradicted.doubts and all(doubt.clear for doubt in contradicted.doubts)
    document = next(d for d in report.documents if d.file == contradicted.document)
    field_box = document.evidence[contradicted.document_field].box
    assert field_box is not None
    left, right = min(x for x, _ in field_box), max(x for x, _ in field_box)
    for doubt in contradicted.doubts:
        xs = [x for x, _ in doubt.box]
        assert left - 1 <= min(xs) and max(xs) <= right + 1


def test_every_comparison_read_as_the_form_says_is_supported_at_zero_unless_repaired(
    reports: dict[str, PacketReport],
) -> None:
    """A value read as printed scores 0; a repaired one (a check character, a GB/T 2260
    place name) keeps the recognizer's doubt about the repaired character on record."""
    scored, repaired = [], []
    for report in reports.values():
        documents = {document.file: document for document in report.documents}
        for c in report.comparisons:
            if c.margin is None or c.document_value != c.form_value or c.document is None:
                continue
            proof = documents[c.document].evidence[c.document_field]
            (repaired if proof.note else scored).append(c)
    assert len(scored) > 40
    assert {c.outcome for c in scored + repaired} == {"supported"}
    assert max(abs(c.margin or 0.0) for c in scored) < 1e-6
    assert all(c.doubts for c in repaired if c.margin)


LICENSE_TEXT_FIELDS = (
    "name", "address", "legal_representative", "entity_type", "registered_capital",
    "issuing_authority",
)  # fmt: skip


def test_no_license_value_carries_a_label_or_another_field_s_text(
    reports: dict[str, PacketReport],
) -> None:
    """Over every committed packet: no license value holds a label (名称, 类型, 册资本…) or the
    text of another field of the same license (the 类型 glued to the name)."""
    fragments = label_fragments(LABELS)
    found = []
    for packet, report in reports.items():
        for document in report.documents:
            if document.detected_kind is not DocumentKind.BUSINESS_LICENSE:
                continue
            values = {key: getattr(document.fields, key) for key in LICENSE_TEXT_FIELDS}
            for key, value in values.items():
                if not value:
                    continue
                found += [(packet, key, value, piece) for piece in fragments if piece in value]
                found += [
                    (packet, key, value, other)
                    for other_key, other in values.items()
                    if other
                    and other_key != key
                    and len(other) >= 4
                    and other in value
                    and not value.endswith(ENTITY_TYPE_OPENINGS)  # 某某有限责任公司: its own form
                ]
    assert found == []
