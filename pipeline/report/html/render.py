"""Render the reviewer's pages with Jinja2, every value autoescaped.

A packet page is self-contained (images as data: URIs), or, for the bucket, refers to its
page images by relative path (`page_images`); both allow images from the page's own origin.
"""

import base64
import hashlib
from functools import lru_cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from pipeline.images.previews import PagePreview
from pipeline.report.html.index_view import (
    IndexEntry,
    IndexNav,
    build_index_view,
    filing_type_label,
)
from pipeline.report.html.packet_view import build_packet_view
from pipeline.wording import FLAG_LABELS, VERDICT_LABELS
from schemas import PacketReport

_PACKET_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The template environment: autoescape on, undefined names are errors."""
    environment = Environment(
        loader=PackageLoader("pipeline.report.html", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        verdict_labels={v.value: label for v, label in VERDICT_LABELS.items()},
        flag_labels={c.value: label for c, label in FLAG_LABELS.items()},
        filing_type_label=filing_type_label,
    )
    return environment


@lru_cache(maxsize=4)
def _asset(name: str) -> Markup:
    """A stylesheet or script shipped beside the templates, inserted verbatim."""
    return Markup(files("pipeline.report.html").joinpath("templates", name).read_text("utf-8"))


def _script_policy(script: str) -> str:
    """A Content-Security-Policy that lets only this exact inline script run."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return _PACKET_POLICY.replace("script-src 'none'", f"script-src 'sha256-{digest}'")


def render_packet_page(
    report: PacketReport, previews: dict[str, list[PagePreview]], inline_images: bool = True
) -> str:
    """The reviewer's page for one packet; previews are keyed by document file name.

    With inline_images=False the images are `page_images(report, previews)`' relative paths.
    """
    page = build_packet_view(report, previews, inline_images)
    template = _environment().get_template("packet.html.j2")
    return template.render(page=page, css=_asset("page.css"), policy=_PACKET_POLICY)


def render_index_page(
    entries: list[IndexEntry], title: str = "批次总览", nav: IndexNav | None = None
) -> str:
    """An index: counts, filters, and every packet, those needing a human first; with nav,
    one page of a paged index, newest first, with links to its neighbours and listings."""
    script = _asset("index.js")
    template = _environment().get_template("index.html.j2")
    return template.render(
        index=build_index_view(entries, nav),
        title=title,
        css=_asset("page.css"),
        script=script,
        policy=_script_policy(str(script)),
    )
