"""Measure CTC claim margins on generated documents: the true value against one-character typos.

Renders N licenses and N ID fronts per capture mode (samples.generator), reads them through the
product's page reader with the real PaddleOCR engine, finds the line(s) holding the true name and
number, and scores against their CTC matrices the true value and typos of it (one character
substituted, added, dropped, two neighbours swapped). Prints the margin distributions
(log P(claim) − log P(reading), nats) for docs/CLAIMS.md:

    .venv/bin/python scripts/ctc_margins.py                   # 10 per kind and mode
    .venv/bin/python scripts/ctc_margins.py -n 3 --modes scan blurry --json margins.json
"""

import argparse
import json
import random
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.decode import decode_document  # noqa: E402
from pipeline.document import read_page  # noqa: E402
from pipeline.fields.skim import reading_policy  # noqa: E402
from pipeline.ocr.base import OcrLine  # noqa: E402
from pipeline.ocr.claims import ClaimScore, align, score_over_lines  # noqa: E402
from pipeline.ocr.ctc import fold  # noqa: E402
from pipeline.ocr.paddle import PaddleEngine  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from samples.generator import (  # noqa: E402
    capture,
    make_company,
    make_person,
    random_license_layout,
    render_id_front,
    render_license,
)
from samples.generator.divisions import provinces  # noqa: E402

MODES = ("scan", "photo", "blurry", "low_res")
# Common characters a typed name may wrongly contain; digits for numbers.
HANZI = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤明华星河云天海山东南西北京科技商贸文化发展"  # noqa: E501
DIGITS = "0123456789"
Typo = Callable[[str, random.Random], str]


def substituted(value: str, rng: random.Random) -> str:
    """One character replaced by a different one of the same kind."""
    at = rng.randrange(len(value))
    pool = DIGITS if value[at].isdigit() else HANZI
    return value[:at] + rng.choice([c for c in pool if c != value[at]]) + value[at + 1 :]


def added(value: str, rng: random.Random) -> str:
    """One character inserted."""
    at = rng.randrange(1, len(value))
    return value[:at] + rng.choice(DIGITS if value[at - 1].isdigit() else HANZI) + value[at:]


def dropped(value: str, rng: random.Random) -> str:
    """One character left out."""
    at = rng.randrange(len(value))
    return value[:at] + value[at + 1 :]


def swapped(value: str, rng: random.Random) -> str:
    """Two different neighbouring characters exchanged."""
    places = [i for i in range(len(value) - 1) if value[i] != value[i + 1]]
    at = rng.choice(places)
    return value[:at] + value[at + 1] + value[at] + value[at + 2 :]


TYPOS: dict[str, Typo] = {"sub": substituted, "add": added, "drop": dropped, "swap": swapped}


def field_lines(lines: list[OcrLine], value: str) -> list[OcrLine]:
    """The line, or two lines (the second among the next four), holding the value best."""
    key = [fold(c) for c in value]
    pairs = [[a, b] for i, a in enumerate(lines) for b in lines[i + 1 : i + 5] if b.top > a.top]
    candidates = [[line] for line in lines] + pairs
    candidates = [group for group in candidates if all(line.ctc for line in group)]

    def cost(group: list[OcrLine]) -> tuple[int, int]:
        read = [fold(c) for c in "".join(line.text for line in group)]
        _, _, pairs = align(key, read, free_ends=True)
        errors = sum(1 for c, r in pairs if c is None or r is None or key[c] != read[r])
        return errors, len(group)

    return min(candidates, key=cost)


def same(read: str, value: str) -> bool:
    """Whether a reading is the value, full- and half-width forms alike."""
    return [fold(c) for c in read if not c.isspace()] == [fold(c) for c in value]


def score(group: list[OcrLine], claim: str, truth: str) -> ClaimScore:
    """The claim scored in place of the truth's part of the lines' reading."""
    return score_over_lines([line.ctc for line in group if line.ctc], claim, located=truth)


def measure(engine: PaddleEngine, modes: list[str], count: int, seed: int) -> list[dict]:
    """One record per (document, field, claim): mode, kind, field, claim kind, margin."""
    records: list[dict] = []
    settings = Settings()
    for mode in modes:
        for index in range(count):
            for kind in ("license", "id_front"):
                rng = random.Random(f"{seed}-{mode}-{kind}-{index}")
                province = rng.choice(provinces())
                if kind == "license":
                    image, truth = render_license(
                        make_company(rng, province), random_license_layout(rng), rng
                    )
                else:
                    image, truth = render_id_front(make_person(rng, province), rng)
                pages = decode_document(capture(image, mode, rng), "doc.jpg", settings)
                lines = read_page(pages[0], engine, settings, reading_policy(settings)).lines
                for field in ("name", "number"):
                    value = getattr(truth, field)
                    group = field_lines(lines, value)
                    matrices = [line.ctc for line in group if line.ctc]
                    size = sum(m.nbytes for m in matrices), sum(m.steps for m in matrices)
                    claims = {"truth": value} | {n: t(value, rng) for n, t in TYPOS.items()}
                    for claim_kind, claim in claims.items():
                        result = score(group, claim, value)
                        records.append(
                            {
                                "mode": mode,
                                "kind": kind,
                                "field": field,
                                "claim": claim_kind,
                                "value": claim,
                                "reading": result.matched,
                                "read_right": same(result.matched, value),
                                "margin": result.margin,
                                "unknown": "".join(result.unknown),
                                "doubts": [
                                    [d.claimed, d.read, d.claimed_prob, d.read_prob]
                                    for d in result.doubts
                                ],
                                "bytes": size[0],
                                "steps": size[1],
                            }
                        )
            print(f"{mode} {index + 1}/{count}", file=sys.stderr, flush=True)
    return records


def summary(records: list[dict]) -> str:
    """Margin quantiles per mode, field and claim kind; misread true values counted."""
    groups: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    misread: dict[tuple[str, str], int] = defaultdict(int)
    for record in records:
        key = (record["mode"], record["field"], record["claim"])
        if record["margin"] is not None:
            groups[key].append(record["margin"])
        if record["claim"] == "truth" and not record["read_right"]:
            misread[record["mode"], record["field"]] += 1
    rows = [
        f"{'mode':8} {'field':6} {'claim':5} {'n':>3}  {'min':>7} {'p5':>7} {'median':>7} "
        f"{'p95':>7} {'max':>7}  misread"
    ]
    for (mode, field, claim), margins in groups.items():
        q = np.percentile(margins, [0, 5, 50, 95, 100])
        note = str(misread[mode, field]) if claim == "truth" else ""
        rows.append(
            f"{mode:8} {field:6} {claim:5} {len(margins):3}  "
            + " ".join(f"{v:7.2f}" for v in q)
            + f"  {note}"
        )
    sizes: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for record in records:
        if record["claim"] == "truth":
            sizes[record["mode"]].append((record["bytes"], record["steps"]))
    for mode, pairs in sizes.items():
        size, steps = np.array(pairs).T
        rows.append(
            f"memory {mode:8}: field line(s) median {np.median(size) / 1024:.1f} KB, max "
            f"{size.max() / 1024:.1f} KB; {size.sum() / steps.sum():.0f} B per step "
            f"(exact float32: {6625 * 4} B)"
        )
    return "\n".join(rows)


def main() -> None:
    """Parse the options, measure, print (and optionally save) the margins."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=10, help="documents per kind and mode")
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=[*MODES, "hard"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write every record here")
    args = parser.parse_args()
    records = measure(PaddleEngine(Settings()), args.modes, args.count, args.seed)
    if args.json:
        args.json.write_text(json.dumps(records, ensure_ascii=False, indent=1))
    print(summary(records))
    lowest_truth = sorted(
        (r for r in records if r["claim"] == "truth" and r["margin"] is not None),
        key=lambda r: r["margin"],
    )[:5]
    highest_typo = sorted(
        (r for r in records if r["claim"] != "truth" and r["margin"] is not None),
        key=lambda r: -r["margin"],
    )[:5]
    print("\nlowest true values:")
    for r in lowest_truth:
        print(f"  {r['margin']:7.2f} {r['mode']} {r['field']} {r['value']} read {r['reading']}")
        print(f"          doubts (claimed, read, p claimed, p read): {r['doubts']}")
    print("highest typos:")
    for r in highest_typo:
        print(f"  {r['margin']:7.2f} {r['mode']} {r['claim']} {r['value']} read {r['reading']}")
        print(f"          doubts (claimed, read, p claimed, p read): {r['doubts']}")


if __name__ == "__main__":
    main()
