"""Field accuracy with the real PaddleOCR engine on generated scans and photos.

Each document is rendered by samples.generator, captured (scan / photo), read through the
product path (pipeline.document.read_document) and compared with the generator's truth.
"""

import random

import pytest
from PIL import Image

from pipeline.document import read_document
from pipeline.fields.skim import reading_policy
from pipeline.ocr.base import OcrEngine
from pipeline.settings import Settings
from samples.generator import (
    capture,
    make_company,
    make_person,
    random_license_layout,
    render_id_back,
    render_id_front,
    render_license,
)
from samples.generator.divisions import provinces
from schemas import DocumentFields, DocumentKind, DocumentResult

pytestmark = [pytest.mark.ocr, pytest.mark.slow]

SEEDS = range(4)
MODES = ("scan", "photo")
KINDS = (DocumentKind.BUSINESS_LICENSE, DocumentKind.ID_CARD_FRONT, DocumentKind.ID_CARD_BACK)
CASES = [(kind, mode, seed) for kind in KINDS for mode in MODES for seed in SEEDS]
# The fields a reviewer cannot do without (they drive NAME/NUMBER/REGION checks and expiry).
ESSENTIAL: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.BUSINESS_LICENSE: ("name", "number", "province"),
    DocumentKind.ID_CARD_FRONT: ("name", "number", "province", "birth_date"),
    DocumentKind.ID_CARD_BACK: ("valid_from", "valid_to", "province"),
}
# Share of all truth fields read exactly, per capture mode (measured: see the report).
MIN_ACCURACY = {"scan": 0.97, "photo": 0.93}
_READINGS: dict[tuple[DocumentKind, str, int], tuple[DocumentFields, DocumentResult]] = {}


def _render(kind: DocumentKind, rng: random.Random) -> tuple[Image.Image, DocumentFields]:
    """One synthetic document of the kind in a random province, and its truth."""
    province = rng.choice(provinces())
    if kind is DocumentKind.BUSINESS_LICENSE:
        company = make_company(rng, province)
        return render_license(company, random_license_layout(rng), rng)
    person = make_person(rng, province)
    render = render_id_front if kind is DocumentKind.ID_CARD_FRONT else render_id_back
    return render(person, rng)


def _read(
    engine: OcrEngine, kind: DocumentKind, mode: str, seed: int
) -> tuple[DocumentFields, DocumentResult]:
    """The truth and the reading of one generated document (read once per session)."""
    if (kind, mode, seed) not in _READINGS:
        _READINGS[kind, mode, seed] = _generate_and_read(engine, kind, mode, seed)
    return _READINGS[kind, mode, seed]


def _generate_and_read(
    engine: OcrEngine, kind: DocumentKind, mode: str, seed: int
) -> tuple[DocumentFields, DocumentResult]:
    """Render, capture and read one document."""
    rng = random.Random(f"{kind}-{mode}-{seed}")
    image, truth = _render(kind, rng)
    data = capture(image, mode, rng)
    reading = read_document(
        data, f"{kind.value}.jpg", kind, engine, Settings(), reading_policy(Settings())
    )
    return truth, reading.result


def _scored(truth: DocumentFields, result: DocumentResult) -> dict[str, tuple[str, str]]:
    """Every field the truth or the reading has: field → (truth, reading or unread reason)."""
    expected, read = truth.model_dump(), result.fields.model_dump()
    unread = {str(name): reason for name, reason in result.unread.items()}
    return {
        name: (str(expected[name]), str(read[name] or unread.get(name)))
        for name in expected
        if expected[name] is not None or read[name] is not None
    }


def _mismatches(truth: DocumentFields, result: DocumentResult) -> dict[str, tuple[str, str]]:
    """The scored fields the reading got wrong."""
    return {name: pair for name, pair in _scored(truth, result).items() if pair[0] != pair[1]}


@pytest.mark.parametrize(
    ("kind", "mode", "seed"), CASES, ids=[f"{k.value}-{m}-{s}" for k, m, s in CASES]
)
def test_kind_and_essential_fields_of_a_generated_document(
    paddle_engine: OcrEngine, kind: DocumentKind, mode: str, seed: int
) -> None:
    truth, result = _read(paddle_engine, kind, mode, seed)
    assert result.contains and result.contains[0] is kind
    wrong = _mismatches(truth, result)
    assert {name: wrong[name] for name in ESSENTIAL[kind] if name in wrong} == {}


@pytest.mark.parametrize("mode", MODES)
def test_field_accuracy_per_capture_mode(paddle_engine: OcrEngine, mode: str) -> None:
    total = exact = 0
    misses = []
    for kind in KINDS:
        for seed in SEEDS:
            truth, result = _read(paddle_engine, kind, mode, seed)
            wrong = _mismatches(truth, result)
            total += len(_scored(truth, result))
            exact += len(_scored(truth, result)) - len(wrong)
            misses += [f"{kind.value}-{seed} {name}: {pair}" for name, pair in wrong.items()]
    accuracy = exact / total
    print(f"\n{mode}: {exact}/{total} fields exact ({accuracy:.1%})", *misses, sep="\n  ")
    assert accuracy >= MIN_ACCURACY[mode], misses


# The license families drawn on purpose (samples/generator/scenarios.py): every field but the
# seal-only authority is read exactly from a scan.
FAMILIES = {
    "shangshi": (
        "company",
        {"family": "shangshi", "orientation": "portrait", "value_below_label": False},
    ),
    "partnership": ("partnership", {}),
    "shifted_values": ("company", {"value_shift": 0.6, "value_below_label": False}),
}
FAMILY_FIELDS = ("name", "number", "province", "address", "legal_representative", "entity_type")


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("seed", range(2))
def test_every_license_family_is_read_from_a_scan(
    paddle_engine: OcrEngine, family: str, seed: int
) -> None:
    rng = random.Random(f"family-{family}-{seed}")
    form, layout = FAMILIES[family]
    province = "广东省" if family == "shangshi" else rng.choice(provinces())
    company = make_company(rng, province, form=form)
    chosen = random_license_layout(rng).model_copy(update=layout)
    image, truth = render_license(company, chosen, rng)
    data = capture(image, "scan", rng)
    kind = DocumentKind.BUSINESS_LICENSE
    result = read_document(
        data, "license.jpg", kind, paddle_engine, Settings(), reading_policy(Settings())
    ).result
    wrong = {name: pair for name, pair in _mismatches(truth, result).items()}
    assert {name: wrong[name] for name in FAMILY_FIELDS if name in wrong} == {}
