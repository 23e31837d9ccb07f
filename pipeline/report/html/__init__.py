"""The reviewer's pages: report.html per packet (self-contained, or with its page images
beside it) and the index pages."""

from pipeline.report.html.index_view import IndexEntry, IndexNav, ListingLink
from pipeline.report.html.page_images import (
    IMAGE_TYPE,
    inline_page_images,
    page_images,
    relative_image_paths,
)
from pipeline.report.html.render import render_index_page, render_packet_page

__all__ = [
    "IMAGE_TYPE",
    "IndexEntry",
    "IndexNav",
    "ListingLink",
    "inline_page_images",
    "page_images",
    "relative_image_paths",
    "render_index_page",
    "render_packet_page",
]
