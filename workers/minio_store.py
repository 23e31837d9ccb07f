"""The bucket on MinIO (or any S3 server) through the minio SDK; errors converted here."""

import http.client
import io
from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from typing import TypeVar
from urllib.parse import urlsplit

import urllib3
from minio import Minio
from minio.credentials import Credentials
from minio.error import MinioException, S3Error
from urllib3.exceptions import HTTPError

from pipeline.errors import BadInputError, NotFoundError, StorageError
from workers.s3_put import S3Refused, SignedPut
from workers.settings import ServiceSettings
from workers.storage import ObjectInfo, check_metadata, check_size

CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 60.0
HTTP_RETRIES = 2
# MinIO's default region; set so that presigning needs no round trip to the server.
REGION = "us-east-1"
MISSING_CODES = {"NoSuchKey", "NoSuchObject", "NoSuchVersion"}
USER_METADATA_PREFIX = "x-amz-meta-"

T = TypeVar("T")


class MinioStorage:
    """One bucket on an S3 server; every library error becomes StorageError or NotFoundError."""

    def __init__(
        self,
        client: Minio,
        bucket: str,
        endpoint: str,
        link_client: Minio | None = None,
        putter: SignedPut | None = None,
    ) -> None:
        self.client = client
        self.bucket = bucket
        self.endpoint = endpoint
        self.link_client = link_client or client  # signs links for the public address
        self.putter = putter  # the lean PUT path (else the MinIO client's put_object)

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> "MinioStorage":
        """A client for FILINGCHECK_S3_* with short timeouts, so outages surface as errors."""
        endpoint = settings.s3_endpoint or "127.0.0.1:9000"
        http_client = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT_SECONDS, read=READ_TIMEOUT_SECONDS),
            maxsize=settings.s3_connections,
            retries=urllib3.Retry(
                total=HTTP_RETRIES, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]
            ),
        )
        client = Minio(
            endpoint,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
            secure=settings.s3_secure,
            region=REGION,
            http_client=http_client,
        )
        putter = SignedPut(
            endpoint,
            settings.s3_secure,
            Credentials(settings.s3_access_key, settings.s3_secret_key),
            REGION,
            settings.bucket,
            (CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS),
            HTTP_RETRIES,
        )
        return cls(client, settings.bucket, endpoint, _link_client(settings), putter)

    def describe(self) -> str:
        return f"s3://{self.endpoint}/{self.bucket}"

    def ensure_bucket(self) -> None:
        """Create the bucket when it does not exist yet (intake and tests; workers never do)."""
        if not self._call(lambda: self.client.bucket_exists(self.bucket), ""):
            self._call(lambda: self.client.make_bucket(self.bucket), "")

    def get(self, key: str, max_bytes: int) -> bytes:
        return self._call(lambda: self._get(key, max_bytes), key)

    def stream(self, key: str, chunk_bytes: int) -> Iterator[bytes]:
        response = self._call(lambda: self.client.get_object(self.bucket, key), key)
        try:
            chunks = response.stream(chunk_bytes)
            while (chunk := self._call(lambda: next(chunks, None), key)) is not None:
                yield chunk
        finally:
            response.close()
            response.release_conn()

    def put(
        self, key: str, data: bytes, content_type: str, metadata: Mapping[str, str] | None = None
    ) -> None:
        checked = check_metadata(metadata)
        if self.putter is not None:
            headers = {"Content-Type": content_type}
            headers |= {USER_METADATA_PREFIX + name: value for name, value in checked.items()}
            putter = self.putter
            self._call(lambda: putter.put(key, data, headers), key)
            return
        self._call(
            lambda: self.client.put_object(
                self.bucket,
                key,
                io.BytesIO(data),
                len(data),
                content_type=content_type,
                metadata=dict(checked),
            ),
            key,
        )

    def stat(self, key: str) -> ObjectInfo:
        found = self._call(lambda: self.client.stat_object(self.bucket, key), key)
        headers = found.metadata or {}
        metadata = {
            name.lower().removeprefix(USER_METADATA_PREFIX): value
            for name, value in headers.items()
            if name.lower().startswith(USER_METADATA_PREFIX)
        }
        return ObjectInfo(
            key=key,
            size=found.size or 0,
            content_type=found.content_type or "application/octet-stream",
            metadata=metadata,
            last_modified=found.last_modified,
        )

    def list_keys(self, prefix: str) -> Iterator[str]:
        listing = self.client.list_objects(self.bucket, prefix=prefix, recursive=True)
        iterator = iter(listing)
        while True:
            found = self._call(lambda: next(iterator, None), prefix)
            if found is None:
                return
            if found.object_name and not found.is_dir:
                yield found.object_name

    def list_folders(self, prefix: str, start_after: str = "") -> Iterator[str]:
        listing = self.client.list_objects(
            self.bucket, prefix=prefix, recursive=False, start_after=start_after or None
        )
        iterator = iter(listing)
        while True:
            found = self._call(lambda: next(iterator, None), prefix)
            if found is None:
                return
            name = found.object_name or ""
            if found.is_dir and name > start_after:
                yield name

    def presigned_url(self, key: str, expires_seconds: int) -> str:
        self.stat(key)
        expires = timedelta(seconds=expires_seconds)
        return self._call(
            lambda: self.link_client.presigned_get_object(self.bucket, key, expires=expires), key
        )

    def _get(self, key: str, max_bytes: int) -> bytes:
        response = self.client.get_object(self.bucket, key)
        try:
            check_size(key, int(response.headers.get("content-length", "0")), max_bytes)
            data = response.read(max_bytes + 1)
        finally:
            response.close()
            response.release_conn()
        check_size(key, len(data), max_bytes)
        return data

    def _call(self, operation: Callable[[], T], key: str) -> T:
        """Run one SDK call, converting its errors at this edge."""
        try:
            return operation()
        except S3Refused as e:
            raise StorageError(f"{self.describe()} refused {key}: {e.code or e.status}") from e
        except S3Error as e:
            if e.code in MISSING_CODES:
                raise NotFoundError(f"no object {key} in {self.describe()}") from e
            raise StorageError(f"{self.describe()} refused {key or 'the request'}: {e.code}") from e
        except (MinioException, HTTPError, OSError, http.client.HTTPException) as e:
            raise StorageError(f"{self.describe()} is unreachable: {type(e).__name__}") from e
        except ValueError as e:
            raise BadInputError(f"{self.describe()}: {e}") from e


def public_address(value: str, secure: bool) -> tuple[str, bool]:
    """(host[:port], HTTPS?) of FILINGCHECK_S3_PUBLIC_ENDPOINT, given with or without a scheme."""
    parts = urlsplit(value if "://" in value else f"{'https' if secure else 'http'}://{value}")
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise BadInputError(
            f"FILINGCHECK_S3_PUBLIC_ENDPOINT {value!r} is not host[:port] or http(s)://host[:port]"
        )
    return parts.netloc, parts.scheme == "https"


def _link_client(settings: ServiceSettings) -> Minio | None:
    """A client that only signs links for the public address (signing needs no connection)."""
    if not settings.s3_public_endpoint:
        return None
    host, secure = public_address(settings.s3_public_endpoint, settings.s3_secure)
    return Minio(
        host,
        access_key=settings.s3_access_key,
        secret_key=settings.s3_secret_key,
        secure=secure,
        region=REGION,
    )
