"""Building blocks of a packet: the scenario context and each captured document."""

import random
from dataclasses import dataclass, field

from PIL import Image

from samples.generator.capture import CAPTURE_MODES, capture_document, corrupt_bytes
from samples.generator.divisions import provinces
from samples.generator.idcard import render_id_back, render_id_both, render_id_front
from samples.generator.identities import make_person
from samples.generator.license import random_license_layout, render_license
from samples.generator.models import (
    CaptureMode,
    Company,
    ExpectedDocument,
    ExpectedFlag,
    LicenseLayout,
    Person,
)
from samples.generator.pdfs import license_text_pdf, scanned_pdf
from schemas import DocumentFields, DocumentKind, FilingForm, FlagCode

DEGRADED_MODES = {CaptureMode.LOW_RES, CaptureMode.HARD, CaptureMode.BLURRY}


@dataclass
class ScenarioContext:
    """What every scenario needs: randomness, the requested capture mode, ids."""

    rng: random.Random
    packet_id: str
    province: str
    capture_mode: CaptureMode | None

    def mode(self) -> CaptureMode:
        """The requested capture mode, or a random bench mode per document when None."""
        if self.capture_mode is not None:
            return self.capture_mode
        return CaptureMode(self.rng.choice(CAPTURE_MODES))

    def other_province(self) -> str:
        """A province different from the packet's."""
        return self.rng.choice([p for p in provinces() if p != self.province])


@dataclass
class PlannedDocument:
    """One file of the packet: its bytes and the truth about it."""

    file: str
    data: bytes
    expected: ExpectedDocument


@dataclass
class PacketPlan:
    """Everything a scenario decides; written to disk by packets.write_packet."""

    form: FilingForm
    documents: list[PlannedDocument]
    flags: list[ExpectedFlag] = field(default_factory=list)
    allowed_extra_flags: list[FlagCode] = field(default_factory=list)


def captured(
    ctx: ScenarioContext,
    image: Image.Image,
    truth: DocumentFields,
    file: str,
    kind: DocumentKind,
    declared: DocumentKind | None = None,
    mode: CaptureMode | None = None,
    contains: list[DocumentKind] | None = None,
) -> PlannedDocument:
    """An image document captured in the packet's (or the given) mode."""
    capture_mode = mode or ctx.mode()
    shot = capture_document(image, capture_mode, ctx.rng)
    expected = ExpectedDocument(
        declared_kind=declared or kind,
        kind=kind,
        contains=contains or [kind],
        capture_mode=capture_mode,
        rotation=shot.rotation,
        exif_orientation=shot.exif_orientation,
        fields=truth,
    )
    return PlannedDocument(file, shot.data, expected)


def license_document(
    ctx: ScenarioContext,
    company: Company,
    layout: LicenseLayout | None = None,
    mode: CaptureMode | None = None,
) -> PlannedDocument:
    """The business license as license.jpg, or license.pdf for the PDF modes."""
    layout = layout or random_license_layout(ctx.rng)
    kind = DocumentKind.BUSINESS_LICENSE
    if mode == CaptureMode.PDF_TEXT:
        data, truth = license_text_pdf(company, layout, ctx.rng)
        return PlannedDocument("license.pdf", data, _pdf_truth(truth, mode))
    image, truth = render_license(company, layout, ctx.rng)
    if mode == CaptureMode.PDF_SCAN:
        return PlannedDocument("license.pdf", scanned_pdf(image, ctx.rng), _pdf_truth(truth, mode))
    return captured(ctx, image, truth, "license.jpg", kind, mode=mode)


def _pdf_truth(truth: DocumentFields, mode: CaptureMode) -> ExpectedDocument:
    kind = DocumentKind.BUSINESS_LICENSE
    return ExpectedDocument(
        declared_kind=kind, kind=kind, contains=[kind], capture_mode=mode, fields=truth
    )


def id_front_document(
    ctx: ScenarioContext,
    person: Person,
    file: str = "id_front.jpg",
    declared: DocumentKind | None = None,
    mode: CaptureMode | None = None,
) -> PlannedDocument:
    """The 人像面 as an image file."""
    image, truth = render_id_front(person, ctx.rng)
    return captured(ctx, image, truth, file, DocumentKind.ID_CARD_FRONT, declared, mode)


def id_back_document(
    ctx: ScenarioContext,
    person: Person,
    file: str = "id_back.jpg",
    declared: DocumentKind | None = None,
    mode: CaptureMode | None = None,
) -> PlannedDocument:
    """The 国徽面 as an image file."""
    image, truth = render_id_back(person, ctx.rng)
    return captured(ctx, image, truth, file, DocumentKind.ID_CARD_BACK, declared, mode)


def id_both_document(ctx: ScenarioContext, person: Person) -> PlannedDocument:
    """Both ID sides on one page, declared as the front."""
    image, truth = render_id_both(person, ctx.rng)
    both = [DocumentKind.ID_CARD_FRONT, DocumentKind.ID_CARD_BACK]
    return captured(ctx, image, truth, "id_card.jpg", DocumentKind.ID_CARD_FRONT, contains=both)


def broken(ctx: ScenarioContext, document: PlannedDocument) -> PlannedDocument:
    """The same file name, but empty or cut off inside the JPEG header."""
    expected = ExpectedDocument(
        declared_kind=document.expected.declared_kind,
        kind=None,
        contains=[],
        capture_mode=CaptureMode.CORRUPT,
        readable=False,
    )
    return PlannedDocument(document.file, corrupt_bytes(document.data, ctx.rng), expected)


def principal_for(ctx: ScenarioContext, expired_id: bool = False) -> Person:
    """An organization's principal: usually living in the same province, sometimes not."""
    home = ctx.province if ctx.rng.random() < 0.75 else ctx.other_province()
    return make_person(ctx.rng, home, expired_id=expired_id)


def degraded_extras(documents: list[PlannedDocument]) -> list[FlagCode]:
    """LOW_QUALITY may appear on degraded captures without counting as a false flag."""
    if any(doc.expected.capture_mode in DEGRADED_MODES for doc in documents):
        return [FlagCode.LOW_QUALITY]
    return []
