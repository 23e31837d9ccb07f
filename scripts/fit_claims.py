"""Fit and check the claim outcome thresholds (docs/CLAIMS.md, "Outcomes").

Reads the documents of generated packets (a `filingcheck bench --keep DIR` folder, or
`python -m samples.generator` output) with the real engine through the product's document
reader, and judges for every compared field (name, number) that was read: the true value
(what is printed, from expected.json) and four one-character typos of it (substituted,
added, dropped, two neighbours swapped) with `pipeline.checks.claims.judge_claim`, exactly as
the checks do (`located` = the document's reading). Prints, per capture mode, the outcomes
of true values (must never be `contradicted`) and of typos (must be `contradicted` on
legible captures, never `supported` anywhere), and the same under other thresholds:

    .venv/bin/python scripts/fit_claims.py /work/bench300 --limit 120 --json claims.jsonl
    .venv/bin/python scripts/fit_claims.py --from-json claims.jsonl   # tables only, no OCR
"""

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from ctc_margins import TYPOS  # noqa: E402

from pipeline.checks import claims  # noqa: E402
from pipeline.document import read_document  # noqa: E402
from pipeline.fields.skim import reading_policy  # noqa: E402
from pipeline.ocr.registry import create_engine  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.standards.text import normalize_text  # noqa: E402
from schemas import CharacterDoubt, DocumentKind  # noqa: E402

FIELDS = ("name", "number")
LEGIBLE_EXCEPT = {"blurry", "low_res", "hard"}  # the degraded modes of the bench
SWEEP = [(-1.0, -3.0), (-0.5, -3.0), (-2.0, -3.0), (-1.0, -2.0), (-1.0, -5.0)]


def measure(folder: Path, limit: int, seed: int) -> list[dict]:
    """One record per (document, field, claim kind) with the margin and the doubts."""
    settings = Settings()
    engine = create_engine(settings)
    rng = random.Random(seed)
    records: list[dict] = []
    packets = sorted(p.parent for p in folder.glob("*/expected.json"))[:limit]
    for number, packet in enumerate(packets, start=1):
        expected = json.loads((packet / "expected.json").read_text(encoding="utf-8"))
        for file, truth in expected["documents"].items():
            if not truth["readable"] or truth["kind"] is None or not (packet / file).is_file():
                continue
            data = (packet / file).read_bytes()
            declared = DocumentKind(truth["declared_kind"]) if truth["declared_kind"] else None
            reading = read_document(
                data, file, declared, engine, settings, reading_policy(settings)
            )
            for field in FIELDS:
                records += _judged(reading, field, truth, rng)
        print(f"{number}/{len(packets)} {packet.name}", file=sys.stderr)
    return records


def _judged(reading, field: str, truth: dict, rng: random.Random) -> list[dict]:  # type: ignore[no-untyped-def]
    """The truth and its typos judged against one field's lines."""
    value, read = truth["fields"].get(field), getattr(reading.result.fields, field)
    lines = reading.field_lines.get(field)
    if not value or read is None or lines is None:
        return []
    claims_made = {"truth": value} | {kind: typo(value, rng) for kind, typo in TYPOS.items()}
    out = []
    for kind, claim in claims_made.items():
        if kind != "truth" and normalize_text(claim) == normalize_text(value):
            continue
        judgement = claims.judge_claim(claim, read, lines)
        out.append(
            {
                "mode": truth["capture_mode"],
                "doc_kind": truth["kind"],
                "field": field,
                "claim": kind,
                "read_right": normalize_text(read) == normalize_text(value),
                "degraded": bool(reading.result.quality.issues),
                "margin": None if judgement is None else judgement.margin,
                "doubts": [] if judgement is None else [_doubt(d) for d in judgement.doubts],
            }
        )
    return out


def _doubt(doubt: CharacterDoubt) -> dict:
    """What the threshold sweep needs of a doubt."""
    return doubt.model_dump(
        include={
            "form_char",
            "document_char",
            "form_char_probability",
            "document_char_probability",
            "line_confidence",
        }
    )


def outcome(record: dict, supported: float, contradicted: float) -> str:
    """The outcome under these thresholds, by the checks' own rule (claims.decide)."""
    if record["margin"] is None:
        return "unscored"
    clear_reads = [_read(d) for d in record["doubts"] if _clear(d)]
    degraded = record.get("degraded", record["mode"] in LEGIBLE_EXCEPT)
    return claims.decide(record["margin"], clear_reads, degraded, supported, contradicted).value


def _read(doubt: dict) -> str:
    """The character read at a doubt (records of before it was kept: known by its probability)."""
    return doubt.get("document_char", "" if doubt["document_char_probability"] is None else "?")


def _clear(doubt: dict) -> bool:
    return claims.is_clear(
        doubt["form_char"],
        doubt["form_char_probability"],
        _read(doubt),
        doubt["document_char_probability"],
        doubt.get("line_confidence"),
    )


def table(records: list[dict], supported: float, contradicted: float) -> str:
    """Outcomes per capture mode: true values and typos."""
    cells: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for record in records:
        group = "truth" if record["claim"] == "truth" else "typo"
        cells[(record["mode"], group)][outcome(record, supported, contradicted)] += 1
    lines = [f"supported ≥ {supported}, contradicted < {contradicted} (with a clear doubt):"]
    lines.append(f"  {'mode':<10}{'truth: sup/unc/con':>22}{'typos: sup/unc/con':>24}")
    for mode in sorted({mode for mode, _ in cells}):
        truth, typo = cells[(mode, "truth")], cells[(mode, "typo")]
        lines.append(f"  {mode:<10}{_counts(truth):>22}{_counts(typo):>24}")
    bad_truth = sum(c["contradicted"] for (_, g), c in cells.items() if g == "truth")
    passed_typos = sum(c["supported"] for (_, g), c in cells.items() if g == "typo")
    legible_missed = sum(
        c["unclear"] for (m, g), c in cells.items() if g == "typo" and m not in LEGIBLE_EXCEPT
    )
    lines.append(
        f"  true values contradicted: {bad_truth}; typos supported: {passed_typos}; "
        f"typos on legible captures only unclear: {legible_missed}"
    )
    return "\n".join(lines)


def _counts(counter: Counter[str]) -> str:
    return f"{counter['supported']}/{counter['unclear']}/{counter['contradicted']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, help="generated packets")
    parser.add_argument("--limit", type=int, default=100, help="packets to read")
    parser.add_argument("--seed", type=int, default=0, help="of the typos")
    parser.add_argument("--json", type=Path, help="write the records here (JSON lines)")
    parser.add_argument("--from-json", type=Path, help="tabulate these records, no OCR")
    args = parser.parse_args()
    if args.from_json:
        lines = args.from_json.read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines]
    elif args.folder:
        records = measure(args.folder, args.limit, args.seed)
    else:
        parser.error("give a folder of packets or --from-json")
    if args.json:
        args.json.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    print(f"{len(records)} judgements\n")
    for supported, contradicted in SWEEP:
        print(table(records, supported, contradicted), end="\n\n")


if __name__ == "__main__":
    main()
