"""Hostile packets through check_packet and the CLI: exact flags or errors, nothing outside read.

Files outside the packet that a hostile form points at are FIFOs: opening one for reading
blocks until a writer comes, which never happens, so a read would show as a time-out.
"""

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline.errors import BadInputError
from pipeline.ocr.fake import FakeEngine
from pipeline.packet import check_packet
from pipeline.settings import Settings
from pipeline.sources import FolderSource
from schemas import DocumentStatus, FlagCode, PacketReport, Severity
from tests.hostile import corpus
from tests.hostile.conftest import BudgetCheck
from tests.hostile.measure import CLI_MAX_RSS_MB, CLI_SECONDS, run_cli, run_measured
from workers.layout import form_key, packet_file_key, report_key

SECRET = f"{corpus.PAYLOAD_MARKER}.jpg"
FILINGCHECK = Path(sys.executable).with_name("filingcheck")


@dataclass(frozen=True)
class PacketOutcome:
    """A report and how many pages the engine read."""

    report: PacketReport
    engine_calls: int


@dataclass(frozen=True)
class FormInvalid:
    """Expected: a report with a FORM_INVALID flag on `field`; `documents` read pages."""

    field: str
    severity: Severity = Severity.ERROR
    engine_calls: int = 0


@dataclass(frozen=True)
class Unreadable:
    """Expected: a report where `file` is UNREADABLE (error naming `words`), flagged so."""

    file: str
    words: tuple[str, ...]
    engine_calls: int = 0


@dataclass(frozen=True)
class Refused:
    """Expected: no report; FormError (exit code 2) naming the field and the problem."""

    field: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Checked:
    """Expected: a report whose FORM_INVALID flags are exactly these (field, severity)."""

    form_flags: list[tuple[str, Severity]] = field(default_factory=list)
    engine_calls: int = 1


Expected = FormInvalid | Unreadable | Refused | Checked


@dataclass(frozen=True)
class Layout:
    """Where one case's packet and the forbidden outside folder are."""

    packet: Path
    outside: Path

    def write_form(self, form: object) -> None:
        """form.json from a dict (JSON) or bytes (as they are)."""
        raw = form if isinstance(form, bytes) else corpus.form_bytes(form)
        (self.packet / "form.json").write_bytes(raw)

    def add(self, name: str, data: bytes) -> None:
        """A file inside the packet."""
        path = self.packet / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def make_layout(tmp_path: Path) -> Layout:
    """A packet folder and, beside it, an outside folder holding a FIFO that blocks readers."""
    layout = Layout(tmp_path / "packet", tmp_path / "outside")
    layout.packet.mkdir()
    layout.outside.mkdir()
    os.mkfifo(layout.outside / SECRET)
    return layout


def form_naming(*names: str, kinds: tuple[str, ...] = ()) -> dict:
    """The good form listing these files (ID card fronts unless kinds are given)."""
    form = corpus.good_form(files=names)
    for entry, kind in zip(form["documents"], kinds, strict=False):
        entry["kind"] = kind
    return form


Build = Callable[[Layout], Expected]


def escape_dotdot(layout: Layout) -> Expected:
    layout.write_form(form_naming(f"../outside/{SECRET}"))
    return FormInvalid("documents.file")


def escape_absolute(layout: Layout) -> Expected:
    layout.write_form(form_naming(str(layout.outside / SECRET)))
    return FormInvalid("documents.file")


def escape_symlink_file(layout: Layout) -> Expected:
    (layout.packet / "id.jpg").symlink_to(layout.outside / SECRET)
    layout.write_form(form_naming("id.jpg"))
    return FormInvalid("documents.file")


def escape_symlink_folder(layout: Layout) -> Expected:
    (layout.packet / "scans").symlink_to(layout.outside, target_is_directory=True)
    layout.write_form(form_naming(f"scans/{SECRET}"))
    return FormInvalid("documents.file")


def escape_windows_separators(layout: Layout) -> Expected:
    layout.write_form(form_naming(f"..\\outside\\{SECRET}"))
    return FormInvalid("documents.file")


def escape_home(layout: Layout) -> Expected:
    layout.write_form(form_naming(f"~/{SECRET}"))
    return FormInvalid("documents.file")


def nul_in_name(layout: Layout) -> Expected:
    layout.add("id.jpg", corpus.jpeg())
    layout.write_form(form_naming("id.jpg\x00.png"))
    return FormInvalid("documents.file")


def trailing_slash(layout: Layout) -> Expected:
    layout.add("id.jpg", corpus.jpeg())
    layout.write_form(form_naming("id.jpg/"))
    return FormInvalid("documents.file")


def fifo_inside(layout: Layout) -> Expected:
    os.mkfifo(layout.packet / "id.jpg")
    layout.write_form(form_naming("id.jpg"))
    return Unreadable("id.jpg", ("regular file",))


def folder_as_file(layout: Layout) -> Expected:
    (layout.packet / "id.jpg").mkdir()
    layout.write_form(form_naming("id.jpg"))
    return Unreadable("id.jpg", ("folder",))


def missing_file(layout: Layout) -> Expected:
    layout.write_form(form_naming("id.jpg"))
    return Unreadable("id.jpg", ("not in the packet",))


def empty_file_beside_a_good_one(layout: Layout) -> Expected:
    layout.add("back.jpg", b"")
    layout.add("id.jpg", corpus.jpeg())
    layout.write_form(form_naming("back.jpg", "id.jpg", kinds=("id_card_back", "id_card_front")))
    return Unreadable("back.jpg", ("empty",), engine_calls=1)


def same_file_twice(layout: Layout) -> Expected:
    layout.add("id.jpg", corpus.jpeg())
    layout.write_form(form_naming("id.jpg", "id.jpg"))
    return FormInvalid("documents", Severity.WARNING, engine_calls=1)


def same_file_as_both_sides(layout: Layout) -> Expected:
    layout.add("id.jpg", corpus.jpeg())
    layout.write_form(form_naming("id.jpg", "id.jpg", kinds=("id_card_front", "id_card_back")))
    return Checked([], engine_calls=1)


def unicode_file_name(layout: Layout) -> Expected:
    layout.add("身份证 正面.jpg", corpus.jpeg())
    layout.write_form(form_naming("身份证 正面.jpg"))
    return Checked([], engine_calls=1)


def thirteen_documents(layout: Layout) -> Expected:
    layout.write_form(form_naming(*(f"{n}.jpg" for n in range(13))))
    return FormInvalid("documents")


def file_over_limit(layout: Layout) -> Expected:
    with (layout.packet / "id.jpg").open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: over the 20 MB default, no disk used
    layout.write_form(form_naming("id.jpg"))
    return Unreadable("id.jpg", ("limit",))


def packet_over_limit(layout: Layout) -> Expected:
    big = corpus.jpeg() + b"\x00" * (11 * 1024 * 1024)  # bytes after EOI are ignored
    for name in ("a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg"):
        layout.add(name, big)
    layout.write_form(form_naming("a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg"))
    return Unreadable("f.jpg", ("整个材料包",), engine_calls=5)


def form_not_utf8(layout: Layout) -> Expected:
    layout.write_form(b'{"packet_id": "P\xe9"}')
    return Refused("form.json", ("not UTF-8",))


def form_not_json(layout: Layout) -> Expected:
    layout.write_form(b"<html>not json</html>")
    return Refused("form.json", ("not valid JSON",))


def form_50_megabytes(layout: Layout) -> Expected:
    layout.write_form(corpus.huge_form(50))
    return Refused("form.json", ("limit",))


def form_nested_10000_deep(layout: Layout) -> Expected:
    layout.write_form(corpus.nested(10_000))
    return Refused("form.json", ("nested deeper",))


def form_missing_principal(layout: Layout) -> Expected:
    form = form_naming("id.jpg")
    del form["principal"]
    layout.write_form(form)
    return FormInvalid("principal")


def form_unknown_kind(layout: Layout) -> Expected:
    layout.write_form(form_naming("id.jpg", kinds=("passport",)))
    return FormInvalid("documents.0.kind")


def packet_id_with_slash(layout: Layout) -> Expected:
    layout.write_form({**form_naming("id.jpg"), "packet_id": "P1/../../etc"})
    return Refused("packet_id", ("packet_id",))


def packet_id_dotdot(layout: Layout) -> Expected:
    layout.write_form({**form_naming("id.jpg"), "packet_id": ".."})
    return Refused("packet_id", ("packet_id",))


def form_symlink_outside(layout: Layout) -> Expected:
    (layout.packet / "form.json").symlink_to(layout.outside / SECRET)
    return Refused("form.json", ("symbolic link",))


def form_is_fifo(layout: Layout) -> Expected:
    os.mkfifo(layout.packet / "form.json")
    return Refused("form.json", ("regular file",))


def form_missing(layout: Layout) -> Expected:
    return Refused("form.json", ("no form.json",))


def form_is_folder(layout: Layout) -> Expected:
    (layout.packet / "form.json").mkdir()
    return Refused("form.json", ("folder",))


# A packet is checked in well under a second with the fake engine.
PACKET_SECONDS = 3.0

PACKET_CASES = [
    pytest.param(escape_dotdot, id="file-dotdot-escape"),
    pytest.param(escape_absolute, id="file-absolute-path"),
    pytest.param(escape_symlink_file, id="file-symlink-to-outside-fifo"),
    pytest.param(escape_symlink_folder, id="file-under-symlinked-folder"),
    pytest.param(escape_windows_separators, id="file-windows-separators"),
    pytest.param(escape_home, id="file-tilde-home"),
    pytest.param(nul_in_name, id="file-nul-byte"),
    pytest.param(trailing_slash, id="file-trailing-slash"),
    pytest.param(fifo_inside, id="file-is-a-fifo"),
    pytest.param(folder_as_file, id="file-is-a-folder"),
    pytest.param(missing_file, id="file-missing"),
    pytest.param(empty_file_beside_a_good_one, id="empty-file-rest-still-read"),
    pytest.param(same_file_twice, id="same-file-twice-same-kind"),
    pytest.param(same_file_as_both_sides, id="same-file-front-and-back"),
    pytest.param(unicode_file_name, id="unicode-file-name"),
    pytest.param(thirteen_documents, id="13-documents-over-max"),
    pytest.param(file_over_limit, id="file-21mb-over-max-file-bytes"),
    pytest.param(packet_over_limit, id="packet-66mb-over-max-packet-bytes"),
    pytest.param(form_not_utf8, id="form-not-utf8"),
    pytest.param(form_not_json, id="form-not-json"),
    pytest.param(form_50_megabytes, id="form-50mb"),
    pytest.param(form_nested_10000_deep, id="form-nested-10000"),
    pytest.param(form_missing_principal, id="form-missing-principal"),
    pytest.param(form_unknown_kind, id="form-unknown-kind"),
    pytest.param(packet_id_with_slash, id="packet-id-slash"),
    pytest.param(packet_id_dotdot, id="packet-id-dotdot"),
    pytest.param(form_symlink_outside, id="form-symlink-to-outside-fifo"),
    pytest.param(form_is_fifo, id="form-is-a-fifo"),
    pytest.param(form_missing, id="form-missing"),
    pytest.param(form_is_folder, id="form-is-a-folder"),
]


def check_case(folder: Path, settings: Settings) -> PacketOutcome:
    """check_packet with the scripted engine."""
    engine = FakeEngine(corpus.id_front_script())
    outcome = check_packet(FolderSource(folder), engine, settings)
    return PacketOutcome(outcome.report, engine.calls)


@pytest.mark.parametrize("build", PACKET_CASES)
def test_hostile_packet(
    build: Build, tmp_path: Path, settings: Settings, within_budget: BudgetCheck
) -> None:
    layout = make_layout(tmp_path)
    expected = build(layout)
    measured = run_measured(lambda: check_case(layout.packet, settings), PACKET_SECONDS + 1)
    within_budget(measured, PACKET_SECONDS)
    if isinstance(expected, Refused):
        assert measured.raised is not None, "a report was made"
        assert measured.raised.type_name == "FormError", measured.raised.detail
        assert expected.field in measured.raised.fields
        assert measured.raised.exit_code == 2
        for word in expected.words:
            assert word in measured.raised.message
        return
    assert measured.raised is None, measured.raised.detail
    assert measured.value is not None
    assert_report(measured.value, expected)


def assert_report(outcome: PacketOutcome, expected: Expected) -> None:
    """The report carries exactly the expected finding."""
    report = outcome.report
    form_flags = [
        (flag.field, flag.severity) for flag in report.flags if flag.code is FlagCode.FORM_INVALID
    ]
    if isinstance(expected, FormInvalid):
        assert (expected.field, expected.severity) in form_flags, report.flags
        assert outcome.engine_calls == expected.engine_calls
    elif isinstance(expected, Unreadable):
        document = next(doc for doc in report.documents if doc.file == expected.file)
        assert document.status is DocumentStatus.UNREADABLE
        for word in expected.words:
            assert word in (document.error or ""), document.error
        unreadable = [
            (flag.document, flag.severity)
            for flag in report.flags
            if flag.code is FlagCode.DOCUMENT_UNREADABLE
        ]
        assert (expected.file, Severity.ERROR) in unreadable
        assert outcome.engine_calls == expected.engine_calls
    elif isinstance(expected, Checked):
        assert form_flags == expected.form_flags, report.flags
        assert outcome.engine_calls == expected.engine_calls


def test_thirteen_documents_are_cut_to_the_limit(
    tmp_path: Path, settings: Settings, within_budget: BudgetCheck
) -> None:
    layout = make_layout(tmp_path)
    thirteen_documents(layout)
    measured = run_measured(lambda: check_case(layout.packet, settings))
    within_budget(measured)
    assert measured.value is not None
    assert len(measured.value.report.documents) == settings.max_documents


# ---- the command line --------------------------------------------------------------------


CLI_CASES = [
    pytest.param(form_not_utf8, 2, ("form.json", "not UTF-8"), id="form-not-utf8"),
    pytest.param(form_nested_10000_deep, 2, ("nested deeper",), id="form-nested-10000"),
    pytest.param(form_50_megabytes, 2, ("form.json", "limit"), id="form-50mb"),
    pytest.param(form_missing_principal, 2, ("principal",), id="form-missing-principal"),
    pytest.param(packet_id_with_slash, 2, ("packet_id",), id="packet-id-slash"),
    pytest.param(escape_dotdot, 0, (), id="file-dotdot-escape"),
    pytest.param(escape_symlink_file, 0, (), id="file-symlink-to-outside-fifo"),
]


@pytest.mark.parametrize(("build", "exit_code", "words"), CLI_CASES)
def test_cli_answers_hostile_packets(
    build: Build, exit_code: int, words: tuple[str, ...], tmp_path: Path
) -> None:
    layout = make_layout(tmp_path)
    expected = build(layout)
    script = tmp_path / "script.json"
    script.write_text(corpus.id_front_script().model_dump_json())
    env = {
        **os.environ,
        "FILINGCHECK_ENGINE": "fake",
        "FILINGCHECK_FAKE_OCR_SCRIPT": str(script),
    }
    run = run_cli([str(FILINGCHECK), "check", str(layout.packet)], env, tmp_path)
    assert not run.timed_out, "killed at the time-out"
    assert run.seconds <= CLI_SECONDS
    assert run.max_rss_mb <= CLI_MAX_RSS_MB
    assert run.exit_code == exit_code, run.stderr
    for word in words:
        assert word in run.stderr
    assert "Traceback" not in run.stderr
    if isinstance(expected, FormInvalid):
        report = PacketReport.model_validate(json.loads(run.stdout))
        fields = [flag.field for flag in report.flags if flag.code is FlagCode.FORM_INVALID]
        assert expected.field in fields


# ---- packet ids become object keys ---------------------------------------------------------


@pytest.mark.parametrize(
    "packet_id", ["a/b", "..", "../../etc", "a\\b", "", "P1\x00", ".hidden", "P" * 65, "a..b"]
)
def test_hostile_packet_ids_never_become_keys(packet_id: str) -> None:
    for key_of in (form_key, report_key, lambda value: packet_file_key(value, "id.jpg")):
        with pytest.raises(BadInputError, match="not a valid packet id"):
            key_of(packet_id)
