"""Subcommands: snapshot export|import — a store's content as Parquet + manifest.json, handed between machines.

A refused snapshot (tampered or missing file, wrong schema version, partial download, unreachable URL) ends with
one line and exit code 2, like any bad input; the store is left exactly as it was.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from svdash.cli import CliError, add_db_option


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("snapshot", help="Export the store as Parquet + manifest.json, or import such a snapshot",
                       description="Snapshots hand one machine's store to another: `export` writes the tables a "
                                   "dashboard needs as Parquet with a manifest (versions, coverage, row counts, "
                                   "sha256 of every file; no contact details); `import` checks a snapshot "
                                   "directory or http(s) URL and swaps the store atomically.")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    e = actions.add_parser("export", help="write the store's snapshot into a directory")
    e.add_argument("--out", required=True, type=Path, metavar="DIR", help="directory to write (created)")
    add_db_option(e)
    e.set_defaults(func=run_export)
    i = actions.add_parser("import", help="replace the store by a snapshot (directory or http(s) URL)")
    i.add_argument("source", metavar="SOURCE", help="snapshot directory, or the http(s) URL of one (its manifest.json "
                                                    "and files are read from there)")
    add_db_option(i)
    i.set_defaults(func=run_import)


def run_export(args: argparse.Namespace) -> int:
    import duckdb

    from svdash import pipeline, snapshot

    pipeline.ensure_store(args.db)
    try:
        con = duckdb.connect(str(args.db), read_only=True)  # a dashboard or another reader may have it open
    except duckdb.Error as exc:
        raise CliError(f"{args.db}: cannot open the store ({str(exc).splitlines()[0][:160]})") from exc
    try:
        manifest = snapshot.export_snapshot(con, args.out)
    except snapshot.SnapshotError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"{args.out}: cannot write ({exc.strerror or exc})") from exc
    finally:
        con.close()
    rows = ", ".join(f"{name} {t['rows']}" for name, t in manifest["tables"].items())
    print(f"{args.out}: snapshot of {manifest['coverage']['first_notice_date']} to "
          f"{manifest['coverage']['last_notice_date']} ({rows})", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from svdash import snapshot

    try:
        manifest = snapshot.import_snapshot(args.source, args.db)
    except snapshot.SnapshotError as exc:
        raise CliError(f"refused, store unchanged: {exc}") from exc
    except OSError as exc:
        raise CliError(f"refused, store unchanged: {exc.strerror or exc}") from exc
    print(f"{args.db}: replaced by the snapshot of {manifest['coverage']['first_notice_date']} to "
          f"{manifest['coverage']['last_notice_date']} ({manifest['tables']['releases']['rows']} releases, "
          f"rules {manifest['rules_version']}, created {manifest['created_at']})", file=sys.stderr)
    return 0
