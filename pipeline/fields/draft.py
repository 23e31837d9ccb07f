"""The fields of one document while they are being read: values, evidence, reasons, provinces."""

from dataclasses import dataclass, field

from pipeline.fields.dates import parse_date, parse_period
from pipeline.fields.labels import (
    LabelHit,
    ValueRead,
    find_labels,
    lone_label_pieces,
    lone_label_tails,
    read_value,
)
from pipeline.fields.lines import Line, evidence
from schemas import DocumentFields, FieldEvidence, FieldName, ProvinceSource


@dataclass
class Draft:
    """Accumulates what one extractor read, and why the rest was not read."""

    values: dict[FieldName, str] = field(default_factory=dict)
    evidence: dict[FieldName, FieldEvidence] = field(default_factory=dict)
    unread: dict[FieldName, str] = field(default_factory=dict)
    province_sources: dict[ProvinceSource, str] = field(default_factory=dict)

    def put(self, name: FieldName, value: str, proof: FieldEvidence) -> None:
        """Record a value read and the evidence behind it."""
        self.values[name] = value
        self.evidence[name] = proof
        self.unread.pop(name, None)

    def miss(self, name: FieldName, reason: str, proof: FieldEvidence | None = None) -> None:
        """Record that a field was not read, why, and what text was seen, if any."""
        if name not in self.values:
            self.unread[name] = reason
            if proof is not None:
                self.evidence[name] = proof

    def fields(self) -> DocumentFields:
        """The values as the DocumentFields contract."""
        return DocumentFields.model_validate(self.values)


@dataclass(frozen=True)
class Page:
    """The lines of a document and every label of its kind (to know where values stop)."""

    lines: list[Line]
    labels: tuple[str, ...]

    def label(self, variants: tuple[str, ...]) -> list[LabelHit]:
        """Every occurrence of one of the label's variants, in reading order."""
        return find_labels(self.lines, variants)

    def value(self, variants: tuple[str, ...], max_lines: int = 1) -> ValueRead | LabelHit | None:
        """The value of the first label occurrence that has one; the bare hit if none does."""
        hits = (
            self.label(variants)
            or lone_label_pieces(self.lines, variants)
            or lone_label_tails(self.lines, variants)
        )
        for hit in hits:
            value = read_value(hit, self.lines, self.labels, max_lines)
            if value is not None:
                return value
        return hits[0] if hits else None


def read_text_field(
    draft: Draft, page: Page, name: FieldName, variants: tuple[str, ...], max_lines: int = 1
) -> ValueRead | None:
    """Read a labelled text field into the draft, or record why it could not be read."""
    found = page.value(variants, max_lines)
    if found is None:
        draft.miss(name, f"未找到标签「{variants[0]}」")
        return None
    if isinstance(found, LabelHit):
        draft.miss(name, f"标签「{found.label}」旁没有内容")
        return None
    draft.put(name, found.text, evidence(found.lines))
    return found


def read_date_field(draft: Draft, page: Page, name: FieldName, variants: tuple[str, ...]) -> None:
    """Read a labelled date as YYYY-MM-DD, or record why it could not be read."""
    found = read_text_field(draft, page, name, variants)
    if found is None:
        return
    iso = parse_date(found.text)
    if iso is not None:
        draft.values[name] = iso
        return
    del draft.values[name]
    draft.miss(name, f"{variants[0]}「{found.text}」中没有日期", draft.evidence.pop(name))


def read_period(draft: Draft, page: Page, variants: tuple[str, ...]) -> None:
    """Read a labelled validity period into valid_from and valid_to (ISO dates or 长期)."""
    found = page.value(variants)
    if isinstance(found, ValueRead) and parse_period(found.text).end is None:
        wrapped = page.value(variants, max_lines=2)
        found = wrapped if isinstance(wrapped, ValueRead) else found
    if not isinstance(found, ValueRead):
        reason = (
            f"未找到标签「{variants[0]}」" if found is None else f"标签「{found.label}」旁没有内容"
        )
        draft.miss("valid_from", reason)
        draft.miss("valid_to", reason)
        return
    period = parse_period(found.text)
    proof = evidence(found.lines)
    ends: tuple[tuple[FieldName, str | None], ...] = (
        ("valid_from", period.start),
        ("valid_to", period.end),
    )
    for name, value in ends:
        if value is None:
            draft.miss(name, f"{variants[0]}「{found.text}」中没有日期", proof)
        else:
            draft.put(name, value, proof)
