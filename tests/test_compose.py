"""docker-compose.yml and the Dockerfile, checked by parsing (no Docker engine runs here)."""

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from pipeline.settings import Settings
from workers.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
PINNED_TAGS = {
    "minio/minio": r"RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z",
    "minio/mc": r"RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z",
    "redis": r"\d+\.\d+\.\d+(-alpine)?",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """The parsed compose file."""
    parsed: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return parsed


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    """The compose services by name."""
    found: dict[str, Any] = compose["services"]
    return found


def test_the_stack_has_storage_bucket_init_broker_workers_and_review(
    services: dict[str, Any],
) -> None:
    assert set(services) == {"minio", "create-bucket", "redis", "worker", "review"}


@pytest.mark.parametrize("name", ["minio", "create-bucket", "redis"])
def test_third_party_images_have_pinned_tags(services: dict[str, Any], name: str) -> None:
    repository, _, tag = services[name]["image"].partition(":")
    assert repository in PINNED_TAGS, f"{name}: unexpected image {repository}"
    assert re.fullmatch(PINNED_TAGS[repository], tag), f"{name}: tag {tag!r} is not pinned"


@pytest.mark.parametrize("name", ["minio", "redis", "worker", "review"])
def test_long_running_services_have_health_checks(services: dict[str, Any], name: str) -> None:
    check = services[name]["healthcheck"]
    assert check["test"][0] == "CMD" and len(check["test"]) > 1
    assert check["interval"] and check["retries"] >= 3


def test_workers_are_built_from_the_dockerfile_and_scaled(services: dict[str, Any]) -> None:
    worker = services["worker"]
    assert (ROOT / worker["build"]["context"] / worker["build"]["dockerfile"]) == DOCKERFILE
    assert worker["deploy"]["replicas"] >= 2
    assert worker["command"][:2] == ["dramatiq", "workers.app"]
    assert worker["restart"] == "unless-stopped"


def test_workers_start_after_their_dependencies(services: dict[str, Any]) -> None:
    depends = services["worker"]["depends_on"]
    assert depends["minio"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["create-bucket"]["condition"] == "service_completed_successfully"
    assert services["create-bucket"]["depends_on"]["minio"]["condition"] == "service_healthy"


def test_the_review_server_serves_the_workers_bucket_read_only(services: dict[str, Any]) -> None:
    review, worker = services["review"], services["worker"]
    assert review["command"][:2] == ["filingcheck", "serve"]
    assert review["image"] == worker["image"]
    assert review["environment"] == worker["environment"]
    port = review["command"][review["command"].index("--port") + 1]
    assert review["ports"] == [f"127.0.0.1:{port}:{port}"]
    assert worker["environment"]["FILINGCHECK_REVIEW_URL"].endswith(f":{port}}}")


def test_worker_environment_names_only_real_settings(services: dict[str, Any]) -> None:
    environment = services["worker"]["environment"]
    fields = {key.removeprefix("FILINGCHECK_").lower() for key in environment}
    assert all(key.startswith("FILINGCHECK_") for key in environment)
    known = set(Settings.model_fields) | set(ServiceSettings.model_fields)
    assert fields <= known, fields - known


def test_worker_environment_points_at_the_compose_services(services: dict[str, Any]) -> None:
    environment = services["worker"]["environment"]
    assert environment["FILINGCHECK_S3_ENDPOINT"] == "minio:9000"
    assert urlsplit(environment["FILINGCHECK_BROKER_URL"]).hostname == "redis"
    bucket = environment["FILINGCHECK_BUCKET"]
    assert f"local/{bucket}" in services["create-bucket"]["command"][0]
    values = {
        key.removeprefix("FILINGCHECK_").lower(): value
        for key, value in environment.items()
        if "${" not in value
    }
    assert Settings.model_validate(values).engine == "openvino"
    assert ServiceSettings.model_validate(values).worker_max_packets >= 1


def test_credentials_are_shared_and_marked_development_only(services: dict[str, Any]) -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    assert "DEVELOPMENT-ONLY CREDENTIALS" in text
    minio = services["minio"]["environment"]
    worker = services["worker"]["environment"]
    assert minio["MINIO_ROOT_USER"] == worker["FILINGCHECK_S3_ACCESS_KEY"]
    assert minio["MINIO_ROOT_PASSWORD"] == worker["FILINGCHECK_S3_SECRET_KEY"]
    assert all(value.startswith("${FILINGCHECK_S3_") for value in minio.values())
    credential_lines = [line for line in text.splitlines() if "-filingcheck-dev" in line]
    assert credential_lines and all("development only" in line for line in credential_lines)


def test_data_lives_in_named_volumes(compose: dict[str, Any], services: dict[str, Any]) -> None:
    assert set(compose["volumes"]) == {"minio-data", "redis-data"}
    assert "minio-data:/data" in services["minio"]["volumes"]
    assert "redis-data:/data" in services["redis"]["volumes"]


def test_ports_are_published_on_loopback_only(services: dict[str, Any]) -> None:
    ports = [port for service in services.values() for port in service.get("ports", [])]
    assert ports and all(port.startswith("127.0.0.1:") for port in ports)


def test_dockerfile_installs_like_setup_sh_and_runs_as_a_user() -> None:
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.MULTILINE)
    no_deps = re.search(r"--no-deps (paddleocr==\S+ rapidocr_paddle==\S+)", dockerfile)
    assert no_deps and no_deps.group(1) in setup
    assert "-c constraints.txt" in dockerfile
    users = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert '"workers.app"' in dockerfile
