"""Subcommands: import, ingest, stats (issue #3)."""
from __future__ import annotations

import argparse
import json
import sys

from svdash.cli import CliError, add_db_option

SOURCES = {"contracts-finder": "svdash.sources.contracts_finder", "find-a-tender": "svdash.sources.find_a_tender"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser('import', help='Import OCDS JSON/JSONL or Contracts Finder CSV files into the store', description='Import OCDS JSON/JSONL or Contracts Finder CSV files into the store')
    p.add_argument('paths', nargs='+', metavar='PATH', help='files to import: OCDS release/record packages (.json), JSON Lines of releases or packages (.jsonl), Contracts Finder CSV exports (.csv)')
    add_db_option(p)
    p.set_defaults(func=run_import)
    p = sub.add_parser('ingest', help='Fetch notices from the Contracts Finder or Find a Tender OCDS API', description='Fetch notices from the Contracts Finder or Find a Tender OCDS API')
    p.add_argument('source', choices=['contracts-finder', 'find-a-tender'], help='which API to fetch from')
    p.add_argument('--from', dest='date_from', metavar='YYYY-MM-DD', help='first day (Find a Tender: a Europe/London day; default: the day of the latest release already stored from this source)')
    p.add_argument('--to', dest='date_to', metavar='YYYY-MM-DD', help='last day, inclusive (default now)')
    p.add_argument('--base-url', help='API base URL (tests point it at a local server)')
    p.add_argument('--resume', action='store_true', help='continue an interrupted run from its checkpoint (after the last stored page)')
    add_db_option(p)
    p.set_defaults(func=run_ingest_cmd)
    p = sub.add_parser('stats', help='Print one JSON object with counts from the store', description='Print one JSON object with counts from the store')
    add_db_option(p)
    p.set_defaults(func=run_stats)


def _open(db):
    from svdash.store import open_store
    try:
        return open_store(db)
    except Exception as exc:  # duckdb raises IOException/other for a locked or corrupt file
        raise CliError(f"cannot open store {db}: {exc}") from exc


def run_import(args: argparse.Namespace) -> int:
    from svdash.sources.files import ImportFormatError, import_file

    con = _open(args.db)
    usable = 0
    for path in args.paths:
        try:
            summary = import_file(con, path)
        except ImportFormatError as exc:
            print(f"{path}: skipped: {exc}", file=sys.stderr)
            continue
        usable += summary["items"]
        line = (f"{path}: {summary['format']}, {summary['items']} releases "
                f"({summary['new']} new, {summary['updated']} updated, {summary['unchanged']} unchanged), "
                f"{summary['rejected']} rejected")
        if summary["encoding_note"]:
            line += f"; {summary['encoding_note']}"
        print(line)
        for note in summary.get("notes", []):
            print(f"  note {path} {note}", file=sys.stderr)
        for rej in summary["rejects"][:20]:
            print(f"  rejected {path} {rej['position']}: {rej['reason']}", file=sys.stderr)
        if len(summary["rejects"]) > 20:
            print(f"  … {len(summary['rejects']) - 20} more rejects in the store's rejects table", file=sys.stderr)
    con.close()
    if usable == 0:
        raise CliError("no usable releases found in " + ", ".join(map(str, args.paths)))
    return 0


def run_ingest_cmd(args: argparse.Namespace) -> int:
    import importlib

    from svdash.sources.api import IngestError

    module = importlib.import_module(SOURCES[args.source])
    con = _open(args.db)
    try:
        summary = module.ingest(con, date_from=args.date_from, date_to=args.date_to, base_url=args.base_url,
                                resume=args.resume, progress=sys.stderr.isatty())
    except IngestError as exc:
        # The final summary of an interrupted run: what the stored pages hold (from the checkpoint).
        from svdash.store import get_checkpoint
        cp = get_checkpoint(con, module.CONFIG.name) or {}
        cp = cp if cp.get("status") == "running" else {}  # a finished earlier run is not this one
        print(json.dumps({"source": module.CONFIG.name, "status": "interrupted",
                          **{k: int(cp.get(k) or 0) for k in ("pages", "releases", "new", "updated", "rejected")},
                          "resumed": bool(args.resume)}))
        raise CliError(f"{exc} (stored pages are kept; rerun with --resume to continue)") from exc
    finally:
        con.close()
    print(json.dumps(summary.as_dict()))
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from svdash.counts import stats_keys, store_counts
    from svdash.store import stats

    con = _ensure(args.db)
    out = stats(con)
    # the contract's keys first, as they were (`applied`, `dismissed`: notices of all buyers); then the
    # procurement and council counts the pages show, named by their unit (svdash/counts.py)
    out.update(stats_keys(store_counts(con)))
    print(json.dumps(out))
    con.close()
    return 0


def _ensure(db):
    """Stats on the default store builds it from the embedded snapshot first (pipeline contract) when the
    classify step provides `ensure_store`; otherwise an empty store is opened."""
    try:
        from svdash.pipeline import ensure_store
    except ImportError:
        ensure_store = None
    if ensure_store is not None:
        try:
            built = ensure_store(db)
            if hasattr(built, "close"):
                built.close()
        except Exception as exc:  # a broken build must not hide the counts that exist
            print(f"svdash stats: warning: could not build {db}: {exc}", file=sys.stderr)
    return _open(db)
