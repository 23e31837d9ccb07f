"""Page images as separate files beside report.html, referenced by relative path.

A stored report keeps its page images once each, as `pages/d<document>-p<page>.jpg` next to
its report.html; the self-contained page (`check --format html`) embeds them as data: URIs.
`inline_page_images` turns the first form into the second for a download.
"""

import base64
import re
from collections.abc import Callable

from pipeline.images.previews import PagePreview
from schemas import PacketReport

PAGES_FOLDER = "pages/"
IMAGE_TYPE = "image/jpeg"
# Exactly what `page_image_name` makes, as it appears in an img src attribute.
RELATIVE_IMAGE_SRC = re.compile(r'src="(pages/d[0-9]{1,3}-p[0-9]{1,3}\.jpg)"')


def page_image_name(document_index: int, page_index: int) -> str:
    """The image's path relative to report.html (both indexes from 0)."""
    return f"{PAGES_FOLDER}d{document_index}-p{page_index}.jpg"


def data_uri(jpeg: bytes) -> str:
    """The image embedded in the page."""
    return f"data:{IMAGE_TYPE};base64,{base64.b64encode(jpeg).decode('ascii')}"


def page_images(
    report: PacketReport, previews: dict[str, list[PagePreview]]
) -> list[tuple[str, bytes]]:
    """(relative path, JPEG) of every page image the report's page shows, in page order."""
    return [
        (page_image_name(index, number), preview.jpeg)
        for index, document in enumerate(report.documents)
        for number, preview in enumerate(previews.get(document.file, []))
    ]


def inline_page_images(page: str, read_image: Callable[[str], bytes]) -> str:
    """The page with each relative page image replaced by its data: URI (read_image(path))."""
    return RELATIVE_IMAGE_SRC.sub(lambda found: f'src="{data_uri(read_image(found[1]))}"', page)


def relative_image_paths(page: str) -> list[str]:
    """The page images a stored report.html refers to, each once, in order."""
    return list(dict.fromkeys(RELATIVE_IMAGE_SRC.findall(page)))
