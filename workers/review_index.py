"""The reviewer index in pages: 500 packets a page, newest first, all and per verdict.

    reports/index.html                 all packets, page 1 (the newest 500)
    reports/index-all-<n>.html         all packets, page n ≥ 2
    reports/index-<verdict>-<n>.html   one verdict's packets, page n ≥ 1

The pages sit beside the packets' folders, so every link is relative: `<id>/report.html`,
`index-reject-2.html`. They are rebuilt whole, in one pass over the workers' records newest
first (`workers.index_records`): each record goes into the page being filled of its two
listings, and a page is written as soon as the next one's first packet arrives, so at most
one page per listing (5 × 500 lines) is held at a time.
"""

from collections import Counter
from dataclasses import dataclass, field

from pipeline.report.html import IndexEntry, IndexNav, ListingLink, render_index_page
from pipeline.wording import VERDICT_LABELS, VERDICT_ORDER
from schemas import Verdict
from workers.index_records import IndexRecords
from workers.layout import INDEX_HTML_KEY, REPORTS_PREFIX
from workers.reports import HTML_TYPE
from workers.storage import Storage

PAGE_SIZE = 500
ALL = "all"
LISTINGS: tuple[str, ...] = (ALL, *(verdict.value for verdict in VERDICT_ORDER))
LISTING_TITLES = {ALL: "全部材料"} | {v.value: label for v, label in VERDICT_LABELS.items()}


def index_page_key(listing: str, number: int) -> str:
    """The key of page `number` (from 1) of a listing."""
    if listing == ALL and number == 1:
        return INDEX_HTML_KEY
    return f"{REPORTS_PREFIX}index-{listing}-{number}.html"


def index_page_href(listing: str, number: int) -> str:
    """The page's link from another index page (all of them are in reports/)."""
    return index_page_key(listing, number).removeprefix(REPORTS_PREFIX)


@dataclass
class IndexBuild:
    """What a rebuild wrote: pages per listing, and the packets on the `all` listing."""

    pages: Counter[str] = field(default_factory=Counter)
    packets: int = 0

    def describe(self) -> str:
        """One line for the operator."""
        per_listing = ", ".join(f"{name} {self.pages[name]}" for name in LISTINGS)
        return f"reviewer index: {self.packets} packets, pages {per_listing}; {INDEX_HTML_KEY}"


class _IndexWriter:
    """Fills one page per listing and writes it once the next page is known to exist."""

    def __init__(self, storage: Storage, counts: dict[str, int], page_size: int) -> None:
        self.storage = storage
        self.counts = counts
        self.page_size = page_size
        self.filling: dict[str, list[IndexEntry]] = {name: [] for name in LISTINGS}
        self.build = IndexBuild()

    def add(self, entry: IndexEntry) -> None:
        self.build.packets += 1
        for listing in (ALL, entry.verdict.value):
            page = self.filling[listing]
            if len(page) == self.page_size:
                self._write(listing, page, has_next=True)
                page = self.filling[listing] = []
            page.append(entry)

    def finish(self) -> IndexBuild:
        """The last page of each listing (an empty first page for an empty listing)."""
        for listing, page in self.filling.items():
            if page or self.build.pages[listing] == 0:
                self._write(listing, page, has_next=False)
        return self.build

    def _write(self, listing: str, entries: list[IndexEntry], has_next: bool) -> None:
        number = self.build.pages[listing] + 1
        nav = IndexNav(
            page_number=number,
            first_row=(number - 1) * self.page_size + 1,
            previous_href=index_page_href(listing, number - 1) if number > 1 else None,
            next_href=index_page_href(listing, number + 1) if has_next else None,
            listings=[
                ListingLink(LISTING_TITLES[name], index_page_href(name, 1),
                            self.counts.get(name), name == listing)
                for name in LISTINGS
            ],
        )  # fmt: skip
        page = render_index_page(entries, LISTING_TITLES[listing], nav)
        self.storage.put(index_page_key(listing, number), page.encode(), HTML_TYPE)
        self.build.pages[listing] = number


def build_review_index(
    storage: Storage,
    records: IndexRecords,
    verdict_counts: dict[str, int] | None = None,
    page_size: int = PAGE_SIZE,
) -> IndexBuild:
    """Rebuild every index page from the records, newest first, a page at a time.

    verdict_counts (the workers' counters) are shown beside the listings' links.
    """
    counts = {ALL: records.count()} | {v.value: 0 for v in Verdict} | (verdict_counts or {})
    writer = _IndexWriter(storage, counts, page_size)
    for batch in records.newest_first(page_size):
        for entry in batch:
            writer.add(entry)
    return writer.finish()
