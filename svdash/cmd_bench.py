"""Subcommands: synth, bench (delivered by issue #7)."""
from __future__ import annotations

import argparse

from svdash.cli import add_db_option, not_built


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser('synth', help='Write SYNTHETIC OCDS JSONL notices for benchmarks (labelled synthetic)', description='Write SYNTHETIC OCDS JSONL notices for benchmarks (labelled synthetic)')
    p.add_argument('--notices', type=int, required=True, metavar='N')
    p.add_argument('--out', required=True, metavar='FILE')
    add_db_option(p)
    p.set_defaults(func=not_built(7, 'svdash synth'))
    p = sub.add_parser('bench', help='Measure import→resolve→classify→aggregate against a baseline and the floor', description='Measure import→resolve→classify→aggregate against a baseline and the floor')
    p.add_argument('--notices', type=int, default=1000000, metavar='N')
    add_db_option(p)
    p.set_defaults(func=not_built(7, 'svdash bench'))
