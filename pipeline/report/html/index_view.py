"""One line per packet on the batch index, and the order reviewers work through them."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, field_validator

from pipeline.wording import (
    FILING_TYPE_LABELS,
    FLAG_LABELS,
    SEVERITY_ORDER,
    VERDICT_LABELS,
    VERDICT_ORDER,
)
from schemas import FilingType, FlagCode, PacketReport, Severity, Verdict


class IndexEntry(BaseModel):
    """A packet on the batch index: verdict, flag codes, and the link to its page."""

    packet_id: str
    verdict: Verdict
    flag_codes: list[FlagCode] = Field(
        default_factory=list, description="each code once, the most severe first"
    )
    error_codes: list[FlagCode] = Field(
        default_factory=list, description="codes raised at least once as an error"
    )
    href: str = Field(description="relative path or http(s) URL of the packet page")
    checked_at: datetime
    subject_name: str | None = None
    filing_type: FilingType | None = None
    form_province: str | None = None
    error_count: int = Field(default=0, ge=0)
    warning_count: int = Field(default=0, ge=0)

    @field_validator("href")
    @classmethod
    def _safe_href(cls, href: str) -> str:
        """Only relative links and http(s) URLs: no javascript: or data: links."""
        scheme = urlsplit(href).scheme.lower()
        if scheme not in ("", "http", "https"):
            raise ValueError(f"href scheme {scheme!r} is not allowed")
        return href

    @classmethod
    def from_report(cls, report: PacketReport, href: str) -> "IndexEntry":
        """The index line of one packet report."""
        severities = [SEVERITY_ORDER.index(f.severity) for f in report.flags]
        ranked = sorted(zip(severities, (f.code for f in report.flags), strict=True))
        return cls(
            packet_id=report.packet_id,
            verdict=report.verdict,
            flag_codes=list(dict.fromkeys(code for _, code in ranked)),
            error_codes=list(
                dict.fromkeys(f.code for f in report.flags if f.severity == Severity.ERROR)
            ),
            href=href,
            checked_at=report.checked_at,
            subject_name=report.form.subject.name if report.form is not None else None,
            filing_type=report.filing_type,
            form_province=report.form_province,
            error_count=sum(f.severity == Severity.ERROR for f in report.flags),
            warning_count=sum(f.severity == Severity.WARNING for f in report.flags),
        )


@dataclass(frozen=True)
class ListingLink:
    """One listing of a paged index (all packets, or one verdict) as a link to its first page."""

    label: str
    href: str
    count: int | None
    current: bool


@dataclass(frozen=True)
class IndexNav:
    """Where one page of a paged index sits: its listing, its neighbours, the other listings."""

    page_number: int
    first_row: int  # rank of the page's first packet in its listing, newest first
    previous_href: str | None
    next_href: str | None
    listings: list[ListingLink]


@dataclass(frozen=True)
class IndexView:
    """An index page: counts, filter options, rows (working order, or newest first when paged)."""

    total: int
    verdict_counts: list[tuple[str, str, int]]
    flag_counts: list[tuple[str, str, int]]
    entries: list[IndexEntry]
    nav: IndexNav | None


def working_order(entries: list[IndexEntry]) -> list[IndexEntry]:
    """Reject, needs_materials, review, pass; within each, oldest check first."""
    return sorted(
        entries,
        key=lambda e: (VERDICT_ORDER.index(e.verdict), e.checked_at.timestamp(), e.packet_id),
    )


def build_index_view(entries: list[IndexEntry], nav: IndexNav | None = None) -> IndexView:
    """Counts by verdict and by flag code (packets carrying it), and the rows: in working
    order on a single index, in the order given (newest first) on a page of a paged one."""
    verdicts = Counter(e.verdict for e in entries)
    codes = Counter(code for e in entries for code in e.flag_codes)
    return IndexView(
        total=len(entries),
        verdict_counts=[(v.value, VERDICT_LABELS[v], verdicts[v]) for v in VERDICT_ORDER],
        flag_counts=[(c.value, FLAG_LABELS[c], codes[c]) for c in FlagCode if codes[c]],
        entries=working_order(entries) if nav is None else entries,
        nav=nav,
    )


def filing_type_label(filing_type: FilingType | None) -> str:
    """单位备案 / 个人备案, or — when unknown."""
    return FILING_TYPE_LABELS[filing_type] if filing_type else "—"
