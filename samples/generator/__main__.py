"""python -m samples.generator --out DIR --n N --seed S | --committed | --scenario X."""

import argparse
import sys
from pathlib import Path

from samples.generator.capture import CAPTURE_MODES
from samples.generator.committed import PACKETS_DIR, generate_committed
from samples.generator.models import ExpectedPacket
from samples.generator.packets import generate_packet, generate_set
from samples.generator.scenarios import SCENARIOS


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m samples.generator",
        description="Generate synthetic filing packets with ground truth (expected.json).",
    )
    parser.add_argument(
        "--out", type=Path, help="output folder (default: samples/packets with --committed)"
    )
    parser.add_argument("--n", type=int, default=21, help="number of packets for a bench set")
    parser.add_argument("--seed", type=int, default=0, help="seed; same seed, same bytes")
    parser.add_argument("--committed", action="store_true", help="re-create samples/packets")
    parser.add_argument("--scenario", choices=SCENARIOS, help="one packet of this scenario")
    parser.add_argument("--mode", choices=CAPTURE_MODES, help="capture mode for --scenario")
    return parser.parse_args(argv)


def summary(packet: ExpectedPacket) -> str:
    """One line per packet: id, scenario, mode, verdict, flags."""
    codes = ",".join(flag.code.value for flag in packet.flags) or "-"
    parts = [
        packet.packet_id,
        packet.scenario,
        str(packet.capture_mode),
        packet.verdict.value,
        codes,
    ]
    return "\t".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Run the generator; print one summary line per packet."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.seed < 0 or args.n < 0:
        print("--seed and --n must not be negative", file=sys.stderr)
        return 2
    if args.committed:
        packets = generate_committed(args.out or PACKETS_DIR)
    elif args.out is None:
        print("--out is required (or use --committed)", file=sys.stderr)
        return 2
    elif args.scenario:
        packets = [generate_packet(args.out, args.scenario, args.mode, args.seed)]
    else:
        packets = generate_set(args.out, args.n, args.seed)
    for packet in packets:
        print(summary(packet))
    return 0


if __name__ == "__main__":
    sys.exit(main())
