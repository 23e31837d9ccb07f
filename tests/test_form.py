"""form.json parsing: every problem is named, nothing deep or huge is parsed blindly."""

import json

import pytest

from pipeline.errors import FormError
from pipeline.form import packet_id_of, parse_form

GOOD = {
    "packet_id": "P2026-000123",
    "filing_type": "organization",
    "province": "北京市",
    "subject": {
        "name": "北京星河云帆科技有限公司",
        "certificate_type": "business_license",
        "certificate_number": "91110108MA01R2KX7C",
    },
    "principal": {"name": "李明远", "id_number": "110108199001011231", "mobile": "13800000000"},
    "documents": [{"file": "license.jpg", "kind": "business_license"}],
}


def encode(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def test_a_good_form_parses_with_optional_fields_absent() -> None:
    form = parse_form(encode(GOOD))
    assert form.principal.office_phone is None
    assert form.documents[0].kind.value == "business_license"


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse_form(b"\xef\xbb\xbf" + encode(GOOD)).packet_id == "P2026-000123"


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b"[" * 10_000 + b"]" * 10_000, "nested deeper"),
    ],
)
def test_unusable_bytes_are_named(raw: bytes, named: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_form(raw)
    assert named in caught.value.message


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"filing_type": "company"}, "filing_type"),
        ({"principal": {"name": "李明远", "id_number": "1"}}, "principal.mobile"),
        ({"documents": [{"file": "a.jpg", "kind": "passport"}]}, "documents.0.kind"),
        ({"packet_id": "../etc"}, "packet_id"),
        ({"packet_id": "a/b"}, "packet_id"),
        ({"subject": None}, "subject"),
    ],
)
def test_invalid_fields_are_named(change: dict[str, object], field: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_form(encode({**GOOD, **change}))
    assert field in caught.value.fields
    assert field in caught.value.message


def test_missing_field_is_named() -> None:
    data = {key: value for key, value in GOOD.items() if key != "province"}
    with pytest.raises(FormError) as caught:
        parse_form(encode(data))
    assert caught.value.fields == ["province"]


def test_packet_id_is_recovered_from_an_invalid_form_only_when_safe() -> None:
    assert packet_id_of(encode({"packet_id": "P-1", "filing_type": "x"})) == "P-1"
    assert packet_id_of(encode({"packet_id": "../../x"})) is None
    assert packet_id_of(b"not json") is None
