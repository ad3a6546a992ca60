"""Subcommands: synth (synthetic notices for load tests) and bench (issue #7)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svdash.cli import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser('synth', help='Write SYNTHETIC OCDS JSONL notices for benchmarks (labelled synthetic)',
                       description='Write SYNTHETIC OCDS JSON Lines (one release per line) for load tests. Every '
                                   'release is marked synthetic (ocid prefix ocds-synthetic-, a "synthetic" object); '
                                   'a sidecar FILE.meta.json describes the file. Never real data.')
    p.add_argument('--notices', type=int, required=True, metavar='N', help='number of releases to write')
    p.add_argument('--out', required=True, type=Path, metavar='FILE', help='JSON Lines file to write')
    p.add_argument('--seed', type=int, default=1, help='random seed; the same seed and N give the same file (default 1)')
    p.set_defaults(func=run_synth)
    p = sub.add_parser('bench', help='Measure import→resolve→classify→aggregate against a baseline and the floor',
                       description='Generate synthetic notices, then time the svdash pipeline (each stage in its own '
                                   'process, with peak RSS), a pandas read_json + per-row apply baseline and a '
                                   'read-only floor. The last line is "BENCH notices=… total_s=… peak_rss_mb=… '
                                   'speedup_vs_baseline=… ratio_to_floor=…".')
    p.add_argument('--notices', type=_sizes, default=[1_000_000], metavar='N[,N…]',
                   help='number of synthetic releases; several sizes, comma-separated (100000,1000000,5000000), '
                        'print one BENCH line each and the cost curve (default 1000000)')
    p.add_argument('--seed', type=int, default=1, help='random seed of the synthetic data (default 1)')
    p.add_argument('--workdir', type=Path, default=None, metavar='DIR',
                   help='where the synthetic JSONL and store are kept (default: a temporary directory, removed after); '
                        'an existing JSONL for the same N and seed is reused')
    p.add_argument('--baseline-sample', type=int, default=20_000, metavar='N',
                   help='rows the baseline runs on (extrapolated to all rows; default 20000)')
    p.add_argument('--dashboard', action='store_true',
                   help='also time the dashboard on the built store (sizes up to 1000000): cold start to first map '
                        'and a filter change (streamlit + Debian chromium via playwright)')
    p.add_argument('--drop-data', action='store_true',
                   help='delete each size\'s synthetic JSONL and store once it is measured (a 5 M file is ≈14 GB)')
    p.add_argument('--store-floor', action='store_true',
                   help='also time DuckDB writing each release\'s ids, title and description into a table (what any '
                        'importer that keeps the text must do), as context for the floor ratio')
    p.add_argument('--profile', type=Path, default=None, metavar='DIR',
                   help='write a cProfile file per stage into DIR and print the top functions')
    p.add_argument('--max-rss-mb', type=float, default=8000, metavar='MB',
                   help='stop a step whose resident memory passes MB and report it (the machine is shared; '
                        '0 = no guard; default 8000)')
    p.add_argument('--update', type=int, default=None, metavar='M',
                   help='instead: time an update of M new SYNTHETIC releases on a built store of N (import + '
                        'incremental build) against a full build of the same store; last line "BENCH update '
                        'store_notices=N update_notices=M update_s=… full_build_s=… ratio_to_full_build=…"')
    p.add_argument('--scratch', action='store_true',
                   help='with --update: also time a build of the same store from scratch (every release classified '
                        'again) as context')
    p.set_defaults(func=run_bench)


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or comma-separated numbers: {text!r}") from None
    if not sizes:
        raise argparse.ArgumentTypeError("no size given")
    return sizes


def run_synth(args: argparse.Namespace) -> int:
    from svdash.synth import LABEL, write_jsonl

    if args.notices < 1:
        raise CliError(f"--notices must be at least 1 (got {args.notices})")
    try:
        meta = write_jsonl(args.notices, args.out, seed=args.seed)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    print(f"{args.out}: {meta['releases']} SYNTHETIC releases (seed {args.seed}) — {LABEL}", file=sys.stderr)
    return 0


def run_bench(args: argparse.Namespace) -> int:
    from svdash import bench

    if min(args.notices) < 1:
        raise CliError(f"--notices must be at least 1 (got {min(args.notices)})")
    if args.baseline_sample < 1:
        raise CliError(f"--baseline-sample must be at least 1 (got {args.baseline_sample})")
    if args.update is not None:
        from svdash import bench_update

        if args.update < 1:
            raise CliError(f"--update must be at least 1 (got {args.update})")
        if len(args.notices) != 1:
            raise CliError("--update takes one store size --notices N")
        return bench_update.run(args.notices[0], args.update, seed=args.seed, workdir=args.workdir,
                                keep_data=not args.drop_data, scratch=args.scratch)
    return bench.main(notices=args.notices, seed=args.seed, workdir=args.workdir,
                      baseline_sample=args.baseline_sample, dashboard=args.dashboard, profile_dir=args.profile,
                      max_rss_mb=args.max_rss_mb, store_floor=args.store_floor, keep_data=not args.drop_data)
