"""Hostile form.json bytes through parse_form: FormError naming the field, within budget."""

import json
from typing import Any

import pytest

from pipeline.form import parse_form
from tests.hostile import corpus
from tests.hostile.conftest import BudgetCheck
from tests.hostile.measure import run_measured

WHOLE_FORM = "form.json"


def changed(**changes: Any) -> bytes:
    """The good form with top-level keys replaced (None removes the key)."""
    form = corpus.good_form()
    for key, value in changes.items():
        if value is None:
            form.pop(key)
        else:
            form[key] = value
    return json.dumps(form).encode()


def changed_in(section: str, **changes: Any) -> bytes:
    """The good form with keys of one section replaced (None removes the key)."""
    form = corpus.good_form()
    for key, value in changes.items():
        if value is None:
            form[section].pop(key)
        else:
            form[section][key] = value
    return json.dumps(form).encode()


def documents(*entries: dict[str, str]) -> bytes:
    """The good form with this documents list."""
    return changed(documents=list(entries))


GOOD = corpus.form_bytes(corpus.good_form())

REFUSED = [
    pytest.param(b'{"packet_id": "P\xe9"}', "not UTF-8", WHOLE_FORM, id="latin-1"),
    pytest.param(
        "\ufeff".encode("utf-16-le") + GOOD.decode().encode("utf-16-le"), "not UTF-8",
        WHOLE_FORM, id="utf-16-with-bom",
    ),
    pytest.param(b'{"a": "\xed\xa0\x80"}', "not UTF-8", WHOLE_FORM, id="encoded-lone-surrogate"),
    pytest.param(b"", "not valid JSON", WHOLE_FORM, id="empty"),
    pytest.param(b"{not json", "not valid JSON", WHOLE_FORM, id="not-json"),
    pytest.param(GOOD[: len(GOOD) // 2], "not valid JSON", WHOLE_FORM, id="truncated-json"),
    pytest.param(b"\x00" * 64, "not valid JSON", WHOLE_FORM, id="nul-bytes"),
    pytest.param(b"[1, 2]", "JSON object", WHOLE_FORM, id="top-level-array"),
    pytest.param(b"null", "JSON object", WHOLE_FORM, id="top-level-null"),
    pytest.param(corpus.nested(10_000), "nested deeper", WHOLE_FORM, id="arrays-10000-deep"),
    pytest.param(
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "nested deeper", WHOLE_FORM,
        id="objects-10000-deep",
    ),
    pytest.param(changed(packet_id=None), "packet_id", "packet_id", id="missing-packet-id"),
    pytest.param(changed(filing_type=None), "filing_type", "filing_type", id="missing-type"),
    pytest.param(changed(province=None), "province", "province", id="missing-province"),
    pytest.param(changed(subject=None), "subject", "subject", id="missing-subject"),
    pytest.param(changed(principal=None), "principal", "principal", id="missing-principal"),
    pytest.param(changed(documents=None), "documents", "documents", id="missing-documents"),
    pytest.param(
        changed_in("principal", mobile=None), "principal.mobile", "principal.mobile",
        id="missing-mobile",
    ),
    pytest.param(
        changed_in("subject", certificate_number=None), "subject.certificate_number",
        "subject.certificate_number", id="missing-certificate-number",
    ),
    pytest.param(
        changed(filing_type="company"), "filing_type", "filing_type", id="unknown-filing-type"
    ),
    pytest.param(
        documents({"file": "a.jpg", "kind": "passport"}), "documents.0.kind",
        "documents.0.kind", id="unknown-kind",
    ),
    pytest.param(
        documents({"file": "a.jpg"}), "documents.0.kind", "documents.0.kind", id="kind-missing"
    ),
    pytest.param(changed(documents="a.jpg"), "documents", "documents", id="documents-not-list"),
    pytest.param(
        documents(*[{"file": f"{n}.jpg", "kind": "id_card_front"} for n in range(65)]),
        "documents", "documents", id="65-documents",
    ),
    pytest.param(
        documents({"file": "", "kind": "id_card_front"}), "documents.0.file",
        "documents.0.file", id="empty-file-name",
    ),
    pytest.param(
        documents({"file": "a" * 300, "kind": "id_card_front"}), "documents.0.file",
        "documents.0.file", id="file-name-300-chars",
    ),
    pytest.param(
        changed_in("subject", name="李\ud800明远"), "subject.name", "subject.name",
        id="lone-surrogate-in-name",
    ),
    pytest.param(
        changed_in("subject", name="名" * 201), "subject.name", "subject.name",
        id="name-201-chars",
    ),
    pytest.param(
        b'{"packet_id": NaN}', "packet_id", "packet_id", id="nan-literal"
    ),
    pytest.param(changed(packet_id="a/b"), "packet_id", "packet_id", id="packet-id-slash"),
    pytest.param(changed(packet_id=".."), "packet_id", "packet_id", id="packet-id-dotdot"),
    pytest.param(
        changed(packet_id="../../etc"), "packet_id", "packet_id", id="packet-id-escape"
    ),
    pytest.param(changed(packet_id="a\\b"), "packet_id", "packet_id", id="packet-id-backslash"),
    pytest.param(changed(packet_id="P1\x00"), "packet_id", "packet_id", id="packet-id-nul"),
    pytest.param(changed(packet_id=".hidden"), "packet_id", "packet_id", id="packet-id-dot"),
    pytest.param(
        changed(packet_id="Ｐ１／２"), "packet_id", "packet_id", id="packet-id-full-width"
    ),
    pytest.param(changed(packet_id="P" * 65), "packet_id", "packet_id", id="packet-id-65"),
    pytest.param(changed(packet_id=""), "packet_id", "packet_id", id="packet-id-empty"),
]


@pytest.mark.parametrize(("raw", "named", "field"), REFUSED)
def test_hostile_form_is_refused_naming_the_field(
    raw: bytes, named: str, field: str, within_budget: BudgetCheck
) -> None:
    measured = run_measured(lambda: parse_form(raw))
    within_budget(measured)
    assert measured.raised is not None, f"accepted: {measured.value}"
    assert measured.raised.type_name == "FormError", measured.raised.detail
    assert named in measured.raised.message
    assert field in measured.raised.fields
    assert measured.raised.exit_code == 2


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(changed_in("subject", name="[" * 150), id="brackets-inside-a-string"),
        pytest.param(changed(padding="x" * 60_000), id="60-kb-unknown-field"),
        pytest.param(b"\xef\xbb\xbf" + GOOD, id="utf-8-bom"),
    ],
)
def test_odd_but_valid_forms_parse(raw: bytes, within_budget: BudgetCheck) -> None:
    measured = run_measured(lambda: parse_form(raw))
    within_budget(measured)
    assert measured.raised is None, measured.raised
    assert measured.value is not None
    assert measured.value.packet_id == corpus.good_form()["packet_id"]
