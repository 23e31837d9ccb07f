"""Choosing a document's province among its sources (authority, address, number)."""

from pipeline.fields.draft import Draft
from pipeline.standards.divisions import province_of_text, repair_district_name
from pipeline.wording import PROVINCE_SOURCE_LABELS
from schemas import FieldName, ProvinceSource, TextSource

# The field each province source is read from.
SOURCE_FIELDS: dict[ProvinceSource, FieldName] = {
    ProvinceSource.AUTHORITY: "issuing_authority",
    ProvinceSource.ADDRESS: "address",
    ProvinceSource.USCC: "number",
    ProvinceSource.ID_NUMBER: "number",
    ProvinceSource.REGISTRATION: "number",
    ProvinceSource.NAME: "name",
}


def settle_province(draft: Draft, order: tuple[ProvinceSource, ...]) -> None:
    """Set `province` from the first source in `order` that gave one, with its evidence."""
    for source in order:
        province = draft.province_sources.get(source)
        proof = draft.evidence.get(SOURCE_FIELDS[source])
        if province is None or proof is None:
            continue
        note = f"按{PROVINCE_SOURCE_LABELS[source]}推得省份"
        draft.put("province", province, proof.model_copy(update={
            "source": TextSource.DERIVED, "note": note,
        }))  # fmt: skip
        return
    tried = "、".join(PROVINCE_SOURCE_LABELS[source] for source in order)
    draft.miss("province", f"未能从{tried}中找到省份")


def _drop_stutter(text: str) -> tuple[str, str | None]:
    """Drop a first character read twice (上上海市…) when only the shorter text names a place."""
    stutter = len(text) > 2 and text[0] == text[1]
    if stutter and province_of_text(text) is None and province_of_text(text[1:]) is not None:
        return text[1:], f"删去重复读出的「{text[0]}」"
    return text, None


def repair_place(draft: Draft, name: FieldName) -> None:
    """Fix a stutter or a misread district name in an address or authority, with a note."""
    value = draft.values.get(name)
    if value is None:
        return
    unstuttered, stutter = _drop_stutter(value)
    repaired, district = repair_district_name(unstuttered)
    note = "；".join(part for part in (stutter, district) if part) or None
    if note is None:
        return
    proof = draft.evidence[name]
    notes = "；".join(part for part in (proof.note, note) if part)
    draft.put(name, repaired, proof.model_copy(update={"note": notes}))
