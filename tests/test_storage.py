"""One storage contract, three implementations: memory, a local folder, and a real S3 server."""

import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.errors import (
    BadInputError,
    DocumentError,
    FormError,
    LimitExceededError,
    NotFoundError,
    StorageError,
    UnsafePathError,
)
from tests.services import SeaweedS3, free_ports, settings_from_env
from workers.local_store import LocalStorage
from workers.minio_store import MinioStorage, public_address
from workers.packet_source import StoragePacketSource
from workers.settings import ServiceSettings
from workers.storage import MemoryStorage, Storage, open_storage

IMPLEMENTATIONS = ["memory", "local", pytest.param("minio", marks=pytest.mark.services)]


@pytest.fixture(params=IMPLEMENTATIONS)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    """A fresh, empty bucket of each implementation."""
    if request.param == "memory":
        return MemoryStorage()
    if request.param == "local":
        return LocalStorage(tmp_path / "bucket")
    s3 = request.getfixturevalue("s3_server")
    settings = settings_from_env(s3.env(bucket=f"fc-store-{uuid.uuid4().hex[:10]}"))
    minio = MinioStorage.from_settings(settings)
    minio.ensure_bucket()
    return minio


def test_put_then_get_returns_the_same_bytes(storage: Storage) -> None:
    storage.put("packets/P-1/form.json", b'{"a": 1}', "application/json")
    assert storage.get("packets/P-1/form.json", 100) == b'{"a": 1}'


def test_put_replaces_the_whole_object(storage: Storage) -> None:
    storage.put("reports/P-1/report.json", b"x" * 500, "application/json")
    storage.put("reports/P-1/report.json", b"short", "application/json")
    assert storage.get("reports/P-1/report.json", 1000) == b"short"
    assert list(storage.list_keys("reports/P-1/")) == ["reports/P-1/report.json"]


def test_stat_gives_size_type_and_lower_case_metadata(storage: Storage) -> None:
    metadata = {"Pipeline-Version": "0.1.0", "ocr-model": "PP-OCRv4"}
    storage.put("reports/P-2/report.json", b"{}", "application/json", metadata)
    info = storage.stat("reports/P-2/report.json")
    assert info.size == 2
    assert info.content_type.startswith("application/json")
    assert info.metadata == {"pipeline-version": "0.1.0", "ocr-model": "PP-OCRv4"}


def test_missing_objects_are_not_found(storage: Storage) -> None:
    with pytest.raises(NotFoundError):
        storage.get("packets/none/form.json", 100)
    with pytest.raises(NotFoundError):
        storage.stat("packets/none/form.json")


def test_get_refuses_objects_over_the_limit(storage: Storage) -> None:
    storage.put("packets/P-3/big.png", b"0123456789", "image/png")
    assert storage.get("packets/P-3/big.png", 10) == b"0123456789"
    with pytest.raises(LimitExceededError):
        storage.get("packets/P-3/big.png", 9)


def test_list_keys_is_recursive_sorted_and_filtered_by_prefix(storage: Storage) -> None:
    for key in ["packets/B/form.json", "packets/A/x/y.png", "packets/A/form.json", "reports/A/r"]:
        storage.put(key, b"1", "application/octet-stream")
    assert list(storage.list_keys("packets/A")) == ["packets/A/form.json", "packets/A/x/y.png"]
    assert list(storage.list_keys("packets/")) == [
        "packets/A/form.json",
        "packets/A/x/y.png",
        "packets/B/form.json",
    ]
    assert list(storage.list_keys("nothing/")) == []


def test_list_folders_gives_one_entry_per_folder_after_start_after(storage: Storage) -> None:
    for key in ["packets/B/form.json", "packets/A/x/y.png", "packets/A/form.json", "packets/C1/f",
                "packets/top.txt", "reports/A/r"]:  # fmt: skip
        storage.put(key, b"1", "application/octet-stream")
    assert list(storage.list_folders("packets/")) == ["packets/A/", "packets/B/", "packets/C1/"]
    assert list(storage.list_folders("packets/", "packets/A/")) == ["packets/B/", "packets/C1/"]
    assert list(storage.list_folders("packets/C")) == ["packets/C1/"]
    assert list(storage.list_folders("nothing/")) == []


def test_metadata_must_be_ascii(storage: Storage) -> None:
    with pytest.raises(BadInputError):
        storage.put("reports/P-4/report.json", b"{}", "application/json", {"model": "模型"})


def test_presigned_url_reads_the_object(storage: Storage) -> None:
    storage.put("reports/P-5/report.html", "<p>审核</p>".encode(), "text/html; charset=utf-8")
    url = storage.presigned_url("reports/P-5/report.html", 60)
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        assert url.startswith("memory://") and "reports/P-5/report.html" in url
        return
    with urllib.request.urlopen(url, timeout=10) as response:  # http:// or file://
        assert response.read() == "<p>审核</p>".encode()


def test_presigned_url_of_a_missing_object_is_not_found(storage: Storage) -> None:
    with pytest.raises(NotFoundError):
        storage.presigned_url("reports/none/report.html", 60)


def test_packet_source_reads_form_and_files(storage: Storage) -> None:
    storage.put("packets/P-6/form.json", b"{}", "application/json")
    storage.put("packets/P-6/docs/license.png", b"png", "image/png")
    source = StoragePacketSource(storage, "P-6")
    assert source.exists()
    assert source.read_form(100) == b"{}"
    assert source.read_file("docs/license.png", 100) == b"png"
    assert source.describe().endswith("packets/P-6/")


@pytest.mark.parametrize("name", ["../P-7/form.json", "/etc/passwd", "a/../../x", "a\\b"])
def test_packet_source_refuses_names_that_escape(storage: Storage, name: str) -> None:
    with pytest.raises(UnsafePathError):
        StoragePacketSource(storage, "P-7").read_file(name, 100)


def test_packet_source_turns_missing_objects_into_input_errors(storage: Storage) -> None:
    source = StoragePacketSource(storage, "P-8")
    assert not source.exists()
    with pytest.raises(FormError):
        source.read_form(100)
    with pytest.raises(DocumentError):
        source.read_file("license.png", 100)


def test_packet_source_keeps_the_size_limits(storage: Storage) -> None:
    storage.put("packets/P-9/form.json", b"{" + b" " * 300 + b"}", "application/json")
    storage.put("packets/P-9/license.png", b"x" * 50, "image/png")
    source = StoragePacketSource(storage, "P-9")
    with pytest.raises(FormError):
        source.read_form(100)
    with pytest.raises(LimitExceededError):
        source.read_file("license.png", 49)


@pytest.mark.parametrize("packet_id", ["", "../x", "a/b", ".hidden", "x" * 65, "a..b"])
def test_packet_ids_are_validated_before_becoming_keys(packet_id: str) -> None:
    with pytest.raises(BadInputError):
        StoragePacketSource(MemoryStorage(), packet_id)


def test_local_storage_does_not_follow_links(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(b"secret")
    root = tmp_path / "bucket"
    (root / "packets").mkdir(parents=True)
    (root / "packets" / "P-10").symlink_to(outside)
    with pytest.raises(BadInputError):
        LocalStorage(root).get("packets/P-10/secret.png", 100)


def test_local_storage_reads_a_folder_copied_in_by_hand(tmp_path: Path) -> None:
    packet = tmp_path / "bucket" / "packets" / "P-11"
    packet.mkdir(parents=True)
    (packet / "form.json").write_bytes(b"{}")
    storage = LocalStorage(tmp_path / "bucket")
    assert storage.stat("packets/P-11/form.json").content_type == "application/json"
    assert list(storage.list_keys("packets/")) == ["packets/P-11/form.json"]


@pytest.mark.services
def test_links_are_signed_for_the_public_endpoint_and_open_there(s3_server: SeaweedS3) -> None:
    """Workers reach S3 at 127.0.0.1; reviewers' browsers at another name for it."""
    env = s3_server.env(bucket=f"fc-link-{uuid.uuid4().hex[:10]}")
    port = env["FILINGCHECK_S3_ENDPOINT"].rsplit(":", 1)[1]
    env["FILINGCHECK_S3_PUBLIC_ENDPOINT"] = f"http://localhost:{port}"
    storage = open_storage(settings_from_env(env))
    assert isinstance(storage, MinioStorage)
    storage.ensure_bucket()
    storage.put("reports/P-20/report.html", b"<p>ok</p>", "text/html")
    url = storage.presigned_url("reports/P-20/report.html", 60)
    assert urlsplit(url).netloc == f"localhost:{port}"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"<p>ok</p>"


@pytest.mark.parametrize(
    ("value", "secure", "address"),
    [
        ("files.example.cn:9000", False, ("files.example.cn:9000", False)),
        ("files.example.cn", True, ("files.example.cn", True)),
        ("https://files.example.cn", False, ("files.example.cn", True)),
        ("http://10.0.0.5:9000/", True, ("10.0.0.5:9000", False)),
    ],
)
def test_the_public_endpoint_is_read_with_or_without_a_scheme(
    value: str, secure: bool, address: tuple[str, bool]
) -> None:
    assert public_address(value, secure) == address


@pytest.mark.parametrize(
    "value", ["ftp://files.example.cn", "https://files.example.cn/s3", "http://"]
)
def test_a_public_endpoint_that_is_not_an_address_is_refused(value: str) -> None:
    with pytest.raises(BadInputError, match="FILINGCHECK_S3_PUBLIC_ENDPOINT"):
        public_address(value, False)


def test_open_storage_is_local_without_an_endpoint(tmp_path: Path) -> None:
    storage = open_storage(ServiceSettings(local_root=tmp_path, bucket="b", s3_endpoint=None))
    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path / "b"


def test_unreachable_s3_is_a_storage_error() -> None:
    settings = ServiceSettings(s3_endpoint=f"127.0.0.1:{free_ports(1)[0]}", bucket="filings")
    storage = open_storage(settings)
    assert isinstance(storage, MinioStorage)
    with pytest.raises(StorageError):
        storage.get("packets/P-12/form.json", 100)


@pytest.mark.services
@pytest.mark.parametrize("name", ["营业执照 副本.jpg", "a+b=c&d.png", "~tilde/(1).pdf"])
def test_s3_puts_keys_that_need_encoding(s3_server: SeaweedS3, name: str) -> None:
    storage = MinioStorage.from_settings(settings_from_env(s3_server.env(bucket="fc-keys")))
    storage.ensure_bucket()
    key = f"packets/P-30/{name}"
    storage.put(key, b"data", "image/jpeg", {"verdict": "pass"})
    assert storage.get(key, 100) == b"data"
    assert storage.stat(key).metadata == {"verdict": "pass"}
    assert key in list(storage.list_keys("packets/P-30/"))


@pytest.mark.services
def test_s3_put_goes_on_after_its_kept_alive_connection_broke(s3_server: SeaweedS3) -> None:
    storage = MinioStorage.from_settings(settings_from_env(s3_server.env(bucket="fc-retry")))
    storage.ensure_bucket()
    storage.put("reports/P-31/a.json", b"1", "application/json")
    assert storage.putter is not None
    storage.putter._local.connection.sock.close()  # as when the server drops an idle connection
    storage.put("reports/P-31/b.json", b"2", "application/json")
    assert storage.get("reports/P-31/b.json", 10) == b"2"


@pytest.mark.services
@pytest.mark.parametrize(
    ("overrides", "code"),
    [({"s3_access_key": "nobody"}, "InvalidAccessKeyId"),
     ({"s3_secret_key": "wrong-secret"}, "SignatureDoesNotMatch")],
)  # fmt: skip
def test_a_refused_s3_put_names_the_key_and_the_code(
    s3_server: SeaweedS3, overrides: dict[str, str], code: str
) -> None:
    settings = settings_from_env(s3_server.env(bucket="fc-refused")).model_copy(update=overrides)
    with pytest.raises(StorageError, match=f"refused packets/P-32/form.json: {code}"):
        MinioStorage.from_settings(settings).put("packets/P-32/form.json", b"{}", "text/plain")


def test_unreachable_s3_put_is_a_storage_error() -> None:
    settings = ServiceSettings(s3_endpoint=f"127.0.0.1:{free_ports(1)[0]}", bucket="filings")
    with pytest.raises(StorageError, match="unreachable"):
        open_storage(settings).put("packets/P-33/form.json", b"{}", "application/json")
