"""Subcommands: classify, build, evaluate (delivered by issue #4)."""
from __future__ import annotations

import argparse

from svdash.cli import add_db_option, not_built


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser('classify', help='Classify notices statelessly into a CSV (one row per release)', description='Classify notices statelessly into a CSV (one row per release)')
    p.add_argument('--in', dest='inputs', action='append', required=True, metavar='PATH', help='OCDS JSON/JSONL or CSV notices (repeatable)')
    p.add_argument('--out', required=True, metavar='PATH', help='results CSV')
    add_db_option(p)
    p.set_defaults(func=not_built(4, 'svdash classify'))
    p = sub.add_parser('build', help='Resolve buyers, classify and aggregate everything in the store', description='Resolve buyers, classify and aggregate everything in the store')
    add_db_option(p)
    p.set_defaults(func=not_built(4, 'svdash build'))
    p = sub.add_parser('evaluate', help='Accuracy report against hand labels', description='Accuracy report against hand labels')
    p.add_argument('--labels', required=True, metavar='CSV', help='labels file (LABELS.md format)')
    add_db_option(p)
    p.set_defaults(func=not_built(4, 'svdash evaluate'))
