"""Writing packets to disk: form.json, the document files and expected.json."""

import hashlib
import json
import random
from pathlib import Path

from samples.generator.builders import PacketPlan, ScenarioContext, degraded_extras
from samples.generator.capture import CAPTURE_MODES
from samples.generator.divisions import provinces
from samples.generator.models import CaptureMode, ExpectedPacket
from samples.generator.scenarios import SCENARIO_FUNCTIONS, SCENARIOS
from samples.generator.verdicts import acceptable_verdicts, verdict_for


def default_packet_id(scenario: str, capture_mode: str | None, seed: int) -> str:
    """A stable id like P2026-04718263 derived from the inputs."""
    digest = hashlib.sha256(f"{scenario}|{capture_mode}|{seed}".encode()).hexdigest()
    return f"P2026-{int(digest, 16) % 10**8:08d}"


def _expected(
    plan: PacketPlan, scenario: str, seed: int, mode: CaptureMode | None
) -> ExpectedPacket:
    """The golden result of a planned packet."""
    extras = sorted({*plan.allowed_extra_flags, *degraded_extras(plan.documents)})
    return ExpectedPacket(
        packet_id=plan.form.packet_id,
        scenario=scenario,
        seed=seed,
        capture_mode=mode,
        filing_type=plan.form.filing_type,
        verdict=verdict_for(plan.flags),
        acceptable_verdicts=acceptable_verdicts(plan.flags, extras),
        flags=plan.flags,
        allowed_extra_flags=extras,
        documents={doc.file: doc.expected for doc in plan.documents},
    )


def write_json(path: Path, payload: str) -> None:
    """Write text with a final newline."""
    path.write_text(payload + "\n", encoding="utf-8")


def write_packet(folder: Path, plan: PacketPlan, expected: ExpectedPacket) -> None:
    """form.json, every document file and expected.json in `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    form = plan.form.model_dump(mode="json", exclude_none=True)
    write_json(folder / "form.json", json.dumps(form, ensure_ascii=False, indent=2))
    for document in plan.documents:
        (folder / document.file).write_bytes(document.data)
    write_json(folder / "expected.json", expected.model_dump_json(indent=2))


def generate_packet(
    out_dir: Path,
    scenario: str,
    capture_mode: str | None,
    seed: int,
    *,
    province: str | None = None,
    packet_id: str | None = None,
) -> ExpectedPacket:
    """Write out_dir/<packet_id>/ for one scenario; None capture_mode = a mode per document."""
    if scenario not in SCENARIO_FUNCTIONS:
        raise ValueError(f"unknown scenario {scenario!r}; known: {', '.join(SCENARIOS)}")
    mode = CaptureMode(capture_mode) if capture_mode is not None else None
    rng = random.Random(f"{scenario}|{capture_mode}|{seed}|{province}")
    ctx = ScenarioContext(
        rng=rng,
        packet_id=packet_id or default_packet_id(scenario, capture_mode, seed),
        province=province or rng.choice(provinces()),
        capture_mode=mode,
    )
    plan = SCENARIO_FUNCTIONS[scenario](ctx)
    expected = _expected(plan, scenario, seed, mode)
    write_packet(Path(out_dir) / ctx.packet_id, plan, expected)
    return expected


def set_member(index: int, seed: int) -> tuple[str, str]:
    """The (scenario, capture mode) of the index-th packet of a bench set."""
    rounds, position = divmod(index, len(SCENARIOS))
    mode = CAPTURE_MODES[(position + rounds + seed) % len(CAPTURE_MODES)]
    return SCENARIOS[position], mode


def generate_set(out_dir: Path, n: int, seed: int) -> list[ExpectedPacket]:
    """n packets cycling through scenarios × capture modes (every pair within 21×7 packets)."""
    results = []
    for index in range(n):
        scenario, mode = set_member(index, seed)
        packet_seed = seed * 100_003 + index
        packet_id = f"B{seed}-{index + 1:05d}"
        results.append(generate_packet(out_dir, scenario, mode, packet_seed, packet_id=packet_id))
    return results
