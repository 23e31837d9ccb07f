"""The service's settings (storage, broker, workers), read from FILINGCHECK_* variables.

The checker's own settings (OCR, limits) stay in `pipeline.settings.Settings`; both are built
at the edge (the CLI, `workers.app`) and passed in.
"""

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipeline.errors import BadInputError

REDIS_SCHEMES = ("redis", "rediss", "unix")


class ServiceSettings(BaseSettings):
    """Where packets and reports live, the queue, and how workers run; defaults run locally."""

    model_config = SettingsConfigDict(env_prefix="FILINGCHECK_", extra="ignore")

    # Storage
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
    s3_connections: int = Field(
        default=16, ge=1, le=256, description="HTTP connections per process (pool size)"
    )
    presign_seconds: int = Field(default=900, ge=1, le=7 * 24 * 3600)
    review_url: str | None = Field(
        default=None,
        description="base URL of `filingcheck serve` as reviewers reach it (http(s)://host:port);"
        " `open` then prints links to it instead of presigned self-contained pages",
    )

    # Queue
    broker_url: str = Field(default="redis://127.0.0.1:6379/0")
    queue: str = Field(default="filingcheck")
    max_retries: int = Field(default=8, ge=0)
    retry_min_backoff_ms: int = Field(default=1000, ge=1)
    retry_max_backoff_ms: int = Field(default=60_000, ge=1)
    redis_heartbeat_timeout_ms: int = Field(
        default=15_000,
        ge=1000,
        description="Redis broker: a worker silent this long is dead and its messages requeued",
    )
    redis_maintenance_interval_ms: int = Field(
        default=5_000,
        ge=100,
        description="Redis broker: how often each worker process heartbeats and requeues the"
        " messages of dead workers",
    )
    redis_maintenance_chance: int = Field(
        default=1000,
        ge=0,
        le=1_000_000,
        description="Redis broker: commands per million that also requeue dead workers' messages",
    )
    counters_url: str | None = Field(
        default=None,
        description="Redis keeping the report counters `status` reads; default: the broker's"
        " URL when it is a Redis one",
    )

    # Workers
    worker_max_packets: int = Field(default=200, ge=1, description="recycle a worker after N")
    worker_max_rss_mb: int = Field(default=3000, ge=256, description="recycle a worker past this")

    @field_validator("review_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        """The review server's address must be an http(s) URL with a host."""
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{value!r} is not an http(s)://host[:port] URL")
        return value

    def counters_redis_url(self) -> str | None:
        """The Redis holding the report counters, or None (RabbitMQ and no counters_url)."""
        if self.counters_url:
            return self.counters_url
        return self.broker_url if urlsplit(self.broker_url).scheme in REDIS_SCHEMES else None


def load_service_settings() -> ServiceSettings:
    """The service settings from the environment (BadInputError naming each bad variable)."""
    try:
        return ServiceSettings()
    except ValidationError as e:
        problems = "; ".join(
            f"FILINGCHECK_{'_'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
            for error in e.errors()
        )
        raise BadInputError(f"invalid service settings: {problems}") from e
