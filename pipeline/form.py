"""Parse form.json into a FilingForm, naming every field that is wrong."""

import json

from pydantic import ValidationError

from pipeline.errors import FormError
from schemas import FilingForm
from schemas.form import is_safe_packet_id

MAX_JSON_DEPTH = 32


def parse_form(raw: bytes) -> FilingForm:
    """The validated form, or FormError naming the problem and the fields concerned."""
    data = _decode_json(raw)
    try:
        return FilingForm.model_validate(data)
    except ValidationError as e:
        fields = [_location(err["loc"]) for err in e.errors()]
        details = "; ".join(f"{_location(err['loc'])}: {err['msg']}" for err in e.errors()[:8])
        raise FormError(f"form.json is invalid — {details}", fields) from e


def packet_id_of(raw: bytes) -> str | None:
    """The packet id of a form that is otherwise invalid, when it can be read safely."""
    try:
        data = _decode_json(raw)
    except FormError:
        return None
    packet_id = data.get("packet_id") if isinstance(data, dict) else None
    if isinstance(packet_id, str) and is_safe_packet_id(packet_id):
        return packet_id
    return None


def _decode_json(raw: bytes) -> object:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FormError(f"form.json is not UTF-8 (byte {e.start})", ["form.json"]) from e
    _refuse_deep_nesting(text)
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:
        raise FormError(f"form.json is not valid JSON: {e}", ["form.json"]) from e
    if not isinstance(data, dict):
        raise FormError("form.json must hold a JSON object", ["form.json"])
    return data


def _refuse_deep_nesting(text: str) -> None:
    """Reject pathological nesting before json.loads recurses into it."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise FormError(f"form.json is nested deeper than {MAX_JSON_DEPTH}", ["form.json"])
        elif char in "]}":
            depth -= 1


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "form.json"
