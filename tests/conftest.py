"""Shared fixtures. The real OCR engine is loaded once per session (it takes seconds)."""

from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.ocr.base import OcrEngine
from pipeline.settings import Settings
from tests.fixtures_services import *  # noqa: F403  (Redis, S3, RabbitMQ and worker stacks)

CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

LICENSE_LINES = [
    "统一社会信用代码 91110108MA01ABCD2X",
    "名称 北京星河云帆科技有限公司",
    "类型 有限责任公司(自然人投资或控股)",
    "法定代表人 张伟",
    "注册资本 壹佰万元整",
    "成立日期 2019年03月15日",
    "住所 北京市海淀区中关村大街1号",
    "登记机关 北京市海淀区市场监督管理局",
]

TextPageFactory = Callable[..., np.ndarray]


@pytest.fixture(scope="session")
def paddle_engine() -> OcrEngine:
    """The real PaddleOCR engine with default settings, shared by every @ocr test."""
    from pipeline.ocr.paddle import PaddleEngine

    return PaddleEngine(Settings())


def render_text_page(
    lines: list[str] = LICENSE_LINES,
    size: tuple[int, int] = (1600, 1100),
    font_size: int = 36,
    paper: tuple[int, int, int] = (246, 243, 235),
) -> np.ndarray:
    """A BGR page with the given lines printed in a CJK font, one line per row."""
    page = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(CJK_FONT, font_size)
    top = size[1] // 8
    for row, text in enumerate(lines):
        draw.text((size[0] // 12, top + row * font_size * 2.2), text, font=font, fill=(25, 25, 25))
    return np.asarray(page)[:, :, ::-1].copy()


@pytest.fixture(scope="session")
def text_page() -> TextPageFactory:
    """Renders a simple printed page (until the sample generator's documents are used)."""
    return render_text_page
