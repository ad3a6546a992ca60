"""`python -m svdash …`: one subcommand per pipeline step (contract in ../shared/DESIGN.md).

Each area registers its own subcommands from a small `cmd_*` module, so the pipeline steps stay
independent and this file only wires them together. Bad input ends with exit code 2 and one line.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from svdash.paths import DEFAULT_DB

# Modules that register subcommands, in the order of the pipeline.
COMMAND_MODULES = [
    "svdash.cmd_ingest",    # import, ingest, stats
    "svdash.cmd_update",    # update
    "svdash.cmd_classify",  # classify, build, evaluate
    "svdash.cmd_adoption",  # adoption validate|import
    "svdash.cmd_export",    # export
    "svdash.cmd_snapshot",  # snapshot export|import
    "svdash.cmd_brief",     # brief (PDF briefing pack or council card)
    "svdash.cmd_bench",     # synth, bench
    "svdash.cmd_figures",   # readme-figures
]


class CliError(Exception):
    """A problem with the user's input: printed as one line, exit code 2."""


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help=f"DuckDB store to use (default {DEFAULT_DB}; created from the embedded snapshot when missing)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="svdash",
        description="Evidence of whether English councils apply the Public Services (Social Value) Act 2012, "
                    "from procurement notices (OCDS) and adoption records.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"svdash {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"svdash {args.command}: interrupted", file=sys.stderr)
        return 130


def not_built(issue: int, what: str):
    """Handler for a subcommand whose issue has not landed: says so plainly instead of faking output."""
    def handler(args: argparse.Namespace) -> int:
        raise CliError(f"{what} is not built yet; it is delivered by issue #{issue}")
    return handler
