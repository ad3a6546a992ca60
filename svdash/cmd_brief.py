"""Subcommand: brief — a briefing pack (a region or a comparison group) or a council card as PDF.

The figures come from the same functions as `svdash export` (svdash.brief reads them through
export.filtered_table), so a pack says what the export says for the same filters. A refused value exits 2
with the allowed values and writes nothing.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from svdash.cli import CliError, add_db_option
from svdash.geo import GROUP_ORDER, REGION_ORDER


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("brief", help="Briefing pack (region or comparison group) or council card as PDF",
                       description="A dated, cited PDF: for a region or a comparison group the headline with n and "
                                   "95 %% interval, the map, the adoption trend since 2013, the league table, the "
                                   "findings, sources and filters; for a council its evidence category, records "
                                   "with sources, procurements with weightings and quotes, and peers.")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--region", metavar="NAME", help=f"one of: {', '.join(REGION_ORDER)}")
    scope.add_argument("--group", metavar="NAME", help=f"comparison group: {', '.join(GROUP_ORDER)}")
    scope.add_argument("--council", metavar="GSS", help="a council's ONS code, e.g. E08000025 (Birmingham)")
    p.add_argument("--out", required=True, metavar="FILE.pdf", type=Path, help="the PDF to write")
    add_db_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from svdash import brief, pipeline, views

    kind = "region" if args.region is not None else "group" if args.group is not None else "council"
    value = {"region": args.region, "group": args.group, "council": args.council}[kind]
    try:
        scope = brief.resolve(kind, value)
    except brief.ScopeError as exc:
        raise CliError(str(exc)) from exc
    if args.out.suffix.lower() != ".pdf":
        raise CliError(f"{args.out}: the output must be a .pdf file")
    started = time.perf_counter()
    pipeline.ensure_store(args.db)
    try:
        tables = views.read_store(args.db, facts=False)
    except views.StoreReadError as exc:
        raise CliError(str(exc)) from exc
    if scope.kind == "council":
        notices = views.council_notices(views.read_council_notices(args.db, scope.key), scope.key)
        pdf = brief.brief_pdf(tables, scope, notices=notices)
    else:
        pdf = brief.brief_pdf(tables, scope, status_counts=views.read_status_counts(args.db))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(pdf)
    print(f"wrote {args.out} ({len(pdf) / 1024:.0f} kB, {scope.kind} {scope.name}) in "
          f"{time.perf_counter() - started:.1f} s")
    return 0
