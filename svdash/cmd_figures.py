"""Subcommand: readme-figures — write the README's generated figure blocks from the embedded snapshot."""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from svdash.cli import CliError
from svdash.paths import REPO_ROOT


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("readme-figures", help="Write the README's figure blocks from the embedded snapshot",
                       description="Rewrite the <!-- figures:NAME:start --> … <!-- figures:NAME:end --> blocks of "
                                   "README.md from a store built from the embedded snapshot (data/notices, "
                                   "data/adoption), so the README's counts cannot go stale.")
    p.add_argument("--readme", type=Path, default=REPO_ROOT / "README.md", help="the README to rewrite")
    p.add_argument("--db", type=Path, default=None,
                   help="read this store instead of building the embedded snapshot into a temporary one")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 when the README is stale")
    p.set_defaults(func=run)


def blocks(db: Path | None = None) -> dict[str, str]:
    """The README blocks from `db`, or from the embedded snapshot built into a temporary store."""
    from svdash import counts, figures, pipeline
    from svdash.store import open_store, stats

    with tempfile.TemporaryDirectory(prefix="svdash-figures-") as tmp:
        path = db or Path(tmp) / "embedded.duckdb"
        pipeline.ensure_store(path)
        con = open_store(path)
        try:
            read = {"counts": counts.store_counts(con), "coverage": counts.coverage(con),
                    "weighted": counts.weighted_councils(con), "adoption": counts.adoption_counts(con)}
            out = stats(con) | counts.stats_keys(read["counts"])
        finally:
            con.close()
    return figures.readme_blocks(read, out)


def run(args: argparse.Namespace) -> int:
    from svdash.figures import replace_blocks

    if not args.readme.is_file():
        raise CliError(f"{args.readme}: no such file")
    text = args.readme.read_text(encoding="utf-8")
    try:
        new = replace_blocks(text, blocks(args.db))
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if args.check:
        print("README figures are up to date" if new == text else "README figures are stale: run "
              "`python -m svdash readme-figures`")
        return 0 if new == text else 1
    args.readme.write_text(new, encoding="utf-8")
    print(f"wrote {args.readme}" if new != text else f"{args.readme} unchanged")
    return 0
