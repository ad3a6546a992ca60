"""Subcommands: export (delivered by issue #6)."""
from __future__ import annotations

import argparse

from svdash.cli import add_db_option, not_built


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser('export', help='Export the filtered measures table as CSV or XLSX with a JSON metadata file', description='Export the filtered measures table as CSV or XLSX with a JSON metadata file')
    p.add_argument('--out', required=True, metavar='FILE')
    p.add_argument('--format', choices=['csv', 'xlsx'], default=None, help='default from the file name')
    add_db_option(p)
    p.set_defaults(func=not_built(6, 'svdash export'))
