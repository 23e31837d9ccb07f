"""Shared fixtures. The real OCR engine is loaded once per session (it takes seconds)."""

import random
from collections.abc import Callable
from functools import cache

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.ocr.base import OcrEngine
from pipeline.settings import Settings
from samples.generator import (
    CaptureMode,
    capture_document,
    make_company,
    make_person,
    random_license_layout,
    render_id_back,
    render_id_front,
    render_license,
)
from samples.generator.capture import CapturedImage
from schemas import DocumentFields, DocumentKind
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
CaptureFactory = Callable[[DocumentKind, CaptureMode, int], tuple[CapturedImage, DocumentFields]]


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


@cache
def rendered_document(kind: DocumentKind, seed: int) -> tuple[Image.Image, DocumentFields]:
    """A synthetic license or ID card side (sample generator) and the fields it shows."""
    rng = random.Random(seed)
    if kind is DocumentKind.BUSINESS_LICENSE:
        company = make_company(rng, "浙江省")
        return render_license(company, random_license_layout(rng), rng)
    person = make_person(rng, "浙江省")
    render = render_id_front if kind is DocumentKind.ID_CARD_FRONT else render_id_back
    return render(person, rng)


def captured_document(
    kind: DocumentKind, mode: CaptureMode, seed: int
) -> tuple[CapturedImage, DocumentFields]:
    """A synthetic document captured in a generator mode (scan, photo, rot90, ...)."""
    image, truth = rendered_document(kind, seed)
    return capture_document(image, mode, random.Random(seed * 7 + 1)), truth


@pytest.fixture(scope="session")
def capture() -> CaptureFactory:
    """Makes generator captures: capture(kind, mode, seed) → (CapturedImage, true fields)."""
    return captured_document
