"""The CJK fonts installed on the machine, by short key."""

from functools import lru_cache

from PIL import ImageFont

from samples.generator.models import FontKey

FONT_FILES: dict[str, tuple[str, int]] = {
    "zenhei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "microhei": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    "noto_sans": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    "noto_sans_bold": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    "noto_serif": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    "uming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "ukai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "mono": ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 0),
    "serif_bold": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
}
LABEL_FONTS: tuple[FontKey, ...] = ("noto_sans_bold", "zenhei", "microhei", "noto_sans")
VALUE_FONTS: tuple[FontKey, ...] = (
    "noto_serif",
    "uming",
    "noto_sans",
    "zenhei",
    "microhei",
    "ukai",
)
# The PDF text layer: reportlab embeds WenQuanYi Zen Hei but not the OpenType Noto fonts.
PDF_FONT_FILE = FONT_FILES["zenhei"]


@lru_cache(maxsize=256)
def font(key: str, size: int) -> ImageFont.FreeTypeFont:
    """A loaded font; BASIC layout so rendering does not depend on libraqm."""
    path, index = FONT_FILES[key]
    return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.BASIC)
