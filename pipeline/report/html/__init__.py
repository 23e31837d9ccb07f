"""The reviewer's pages: one self-contained report.html per packet and a batch index.html."""

from pipeline.report.html.index_view import IndexEntry
from pipeline.report.html.render import render_index_page, render_packet_page

__all__ = ["IndexEntry", "render_index_page", "render_packet_page"]
