"""The `filingcheck` command: check, extract, batch, bench, and the service commands."""

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeAlias

from pipeline import __version__
from pipeline.errors import BadInputError, FilingCheckError, MissingDependencyError
from pipeline.privacy import MaskingFilter, mask_log_handlers
from pipeline.settings import get_settings

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="filingcheck", description="Offline pre-check of ICP filing packets."
    )
    parser.add_argument("--version", action="version", version=f"filingcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="check one packet folder")
    check.add_argument("packet_dir", type=Path)
    check.add_argument("--format", choices=["json", "text", "html"], default="json")
    check.add_argument("--out", type=Path, help="write the report here instead of stdout")
    check.set_defaults(run=_lazy("pipeline.commands.local", "run_check"))

    extract = commands.add_parser(
        "extract", help="read documents and print their fields, one JSON line per file"
    )
    extract.add_argument("files", type=Path, nargs="+", metavar="FILE")
    extract.add_argument(
        "--kind",
        choices=["auto", "business_license", "id_card_front", "id_card_back"],
        default="auto",
    )
    extract.set_defaults(run=_lazy("pipeline.commands.local", "run_extract"))

    batch = commands.add_parser("batch", help="check every packet folder under INPUT_DIR")
    batch.add_argument("input_dir", type=Path)
    batch.add_argument("--out", type=Path, required=True)
    batch.add_argument(
        "--jobs", type=_positive, default=1, help="worker processes (one engine each)"
    )
    batch.add_argument("--no-html", action="store_true", help="JSON and summary.csv only")
    batch.set_defaults(run=_lazy("pipeline.commands.local", "run_batch_command"))

    _add_bench(commands)
    _register_service_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, run, and turn known errors into a message and an exit code."""
    args = build_parser().parse_args(argv)
    try:
        configure_logging(get_settings().log_level)
        return int(args.run(args))
    except FilingCheckError as error:
        print(f"filingcheck: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("filingcheck: interrupted", file=sys.stderr)
        return 130


SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def configure_logging(level: str) -> None:
    """Warnings and errors to stderr, with ID and phone numbers masked (reports keep them)."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    mask_log_handlers()
    logging.lastResort.addFilter(MaskingFilter()) if logging.lastResort else None


def _add_bench(commands: SubParsers) -> None:
    bench = commands.add_parser(
        "bench", help="benchmark accuracy and speed on fresh samples or on real images"
    )
    bench.add_argument("--n", type=_positive, default=60)
    bench.add_argument("--seed", type=int, default=20261129)
    bench.add_argument("--keep", type=Path, help="keep the generated packets and reports here")
    bench.add_argument(
        "--compare-stock",
        action="store_true",
        help="also check each packet with stock PaddleOCR reading whole images; time and score it",
    )
    bench.add_argument("--profile", action="store_true", help="print seconds per pipeline stage")
    real = bench.add_argument_group("real images (instead of generated packets)")
    real.add_argument("--real", type=Path, metavar="DIR", help="read the images of this folder")
    real.add_argument(
        "--truth", type=Path, metavar="FILE", help="JSON lines of transcribed fields to score"
    )
    real.add_argument(
        "--all-images",
        action="store_true",
        help="with --truth, read every image of DIR, not only those in the truth file",
    )
    real.add_argument("--limit", type=_positive, help="read only the first N images")
    real.add_argument("--out", type=Path, metavar="FILE", help="per-image results as JSON lines")
    bench.set_defaults(run=_run_bench)


def _run_bench(args: argparse.Namespace) -> int:
    """The real-image bench with --real, else the synthetic one."""
    if args.real is None:
        real_only = [
            name for name in ("truth", "all_images", "limit", "out") if getattr(args, name)
        ]
        if real_only:
            raise BadInputError(f"--{real_only[0].replace('_', '-')} needs --real DIR")
        return _lazy("pipeline.commands.bench", "run_bench_command")(args)
    return _lazy("pipeline.commands.bench_real", "run_real_bench")(args)


def _register_service_commands(commands: SubParsers) -> None:
    from workers.cli import register

    register(commands)


def _lazy(module: str, name: str) -> Command:
    """Import a command's module only when it runs (the OCR stack is slow to import)."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        try:
            command: Command = getattr(importlib.import_module(module), name)
        except ModuleNotFoundError as error:  # a development dependency, e.g. the generator's
            raise MissingDependencyError(
                f"`filingcheck {args.command}` needs the package {_top(error.name)!r}, which is not"
                " installed: pip install 'filingcheck[dev]'"
            ) from error
        return command(args)

    return run


def _top(module: str | None) -> str:
    """The distribution-level name of a module: reportlab.lib → reportlab."""
    return (module or "?").split(".")[0]


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


if __name__ == "__main__":
    sys.exit(main())
