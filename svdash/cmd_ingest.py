"""Subcommands: import, ingest, stats (delivered by issue #3)."""
from __future__ import annotations

import argparse

from svdash.cli import add_db_option, not_built


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser('import', help='Import OCDS JSON/JSONL or Contracts Finder CSV files into the store', description='Import OCDS JSON/JSONL or Contracts Finder CSV files into the store')
    p.add_argument('paths', nargs='+', metavar='PATH', help='files to import')
    add_db_option(p)
    p.set_defaults(func=not_built(3, 'svdash import'))
    p = sub.add_parser('ingest', help='Fetch notices from the Contracts Finder or Find a Tender OCDS API', description='Fetch notices from the Contracts Finder or Find a Tender OCDS API')
    p.add_argument('source', choices=['contracts-finder', 'find-a-tender'])
    p.add_argument('--from', dest='date_from', metavar='YYYY-MM-DD', help='first day')
    p.add_argument('--to', dest='date_to', metavar='YYYY-MM-DD', help='last day (default today)')
    p.add_argument('--base-url', help='API base URL (tests point it at a local server)')
    p.add_argument('--resume', action='store_true', help='continue an interrupted run from its checkpoint')
    add_db_option(p)
    p.set_defaults(func=not_built(3, 'svdash ingest'))
    p = sub.add_parser('stats', help='Print one JSON object with counts from the store', description='Print one JSON object with counts from the store')
    add_db_option(p)
    p.set_defaults(func=not_built(3, 'svdash stats'))
