"""Subcommands: adoption (delivered by issue #5)."""
from __future__ import annotations

import argparse

from svdash.cli import add_db_option, not_built


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser('adoption', help='Validate or import authority adoption records (CSV/XLSX)', description='Validate or import authority adoption records (CSV/XLSX)')
    p.add_argument('action', choices=['validate', 'import'])
    p.add_argument('file', metavar='FILE')
    add_db_option(p)
    p.set_defaults(func=not_built(5, 'svdash adoption'))
