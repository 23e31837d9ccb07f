"""Choosing a document's province among its sources (authority, address, number)."""

from pipeline.fields.draft import Draft
from pipeline.regions import repair_district_name
from schemas import FieldName, TextSource

# The field each province source is read from.
SOURCE_FIELDS: dict[str, FieldName] = {
    "authority": "issuing_authority",
    "address": "address",
    "uscc": "number",
    "id_number": "number",
}
SOURCE_NAMES = {
    "authority": "登记/签发机关",
    "address": "住所/住址",
    "uscc": "USCC",
    "id_number": "ID",
}


def settle_province(draft: Draft, order: tuple[str, ...]) -> None:
    """Set `province` from the first source in `order` that gave one, with its evidence."""
    for source in order:
        province = draft.province_sources.get(source)
        proof = draft.evidence.get(SOURCE_FIELDS[source])
        if province is None or proof is None:
            continue
        note = f"province from {source} ({SOURCE_NAMES[source]})"
        draft.put("province", province, proof.model_copy(update={
            "source": TextSource.DERIVED, "note": note,
        }))  # fmt: skip
        return
    tried = ", ".join(SOURCE_NAMES[source] for source in order)
    draft.miss("province", f"no province found in {tried}")


def repair_place(draft: Draft, name: FieldName) -> None:
    """Fix a misread district name in an address or authority, noting it in the evidence."""
    value = draft.values.get(name)
    if value is None:
        return
    repaired, note = repair_district_name(value)
    if note is None:
        return
    proof = draft.evidence[name]
    notes = "; ".join(part for part in (proof.note, note) if part)
    draft.put(name, repaired, proof.model_copy(update={"note": notes}))
