"""Subcommand: update (issue #21) — fetch what is new from the APIs, then build. Logic: `svdash.update`."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from urllib.parse import urlparse

from svdash.cli import CliError, add_db_option

SOURCE_CHOICES = ["find-a-tender", "contracts-finder", "all"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "update", help="Fetch what is new from the APIs since the store's last fetch, then build (cron-able)",
        description="Fetch each source from where the store stopped (an unfinished run continues after its last "
                    "stored page; a store that never fetched a source starts on 2025-02-24) to --to, then build. "
                    "Exit codes: 0 done, 1 partial (the reason is printed; run again to continue), 2 bad arguments, "
                    "3 another update holds the store's lock (<db>.lock; nothing done).")
    p.add_argument("--source", choices=SOURCE_CHOICES, default="all", help="which API to fetch from (default all)")
    p.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD",
                   help="first day to fetch (default: where the store stopped)")
    p.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD", help="last day, inclusive (default now)")
    p.add_argument("--base-url", type=_url, help="API base URL (tests point it at a local server; with --source all it is "
                                      "used for every source)")
    add_db_option(p)
    p.set_defaults(func=run_update)


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _url(text: str) -> str:
    parts = urlparse(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL")
    return text


def run_update(args: argparse.Namespace) -> int:
    from svdash import update

    if args.date_from and args.date_to and args.date_to < args.date_from:
        raise CliError(f"--to {args.date_to} is before --from {args.date_from}")
    try:
        update.timing(args.base_url)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    names = list(update.SOURCES) if args.source == "all" else [args.source]
    try:
        with update.StoreLock(args.db):
            results = _fetch_and_build(args, names)
    except update.LockedError as exc:
        print(f"svdash update: {exc}", file=sys.stderr)
        return update.EXIT_LOCKED
    if results is None:
        return update.EXIT_PARTIAL
    failed = [r for r in results if r.error]
    if failed:
        for r in failed:
            print(f"svdash update: partial: {r.source}: {r.error} (what was fetched is stored and built; "
                  "run the same command again to continue)", file=sys.stderr)
        return update.EXIT_PARTIAL
    update.log_line("done")
    return update.EXIT_DONE


def _fetch_and_build(args: argparse.Namespace, names: list[str]) -> list | None:
    """Fetch each source, then build when the store changed; None when the store cannot be opened."""
    from svdash import store, update

    try:
        con = store.open_store(args.db)
    except Exception as exc:  # a store another program holds open (DuckDB's own lock), or a broken file
        print(f"svdash update: partial: cannot open store {args.db}: {exc}", file=sys.stderr)
        return None
    try:
        results = []
        for name in names:
            result = update.fetch_source(con, update.SOURCES[name], args.date_from, args.date_to, args.base_url,
                                         progress=sys.stderr.isatty(), log=update.log_line)
            print(json.dumps(result.totals()), flush=True)
            results.append(result)
        if update.needs_build(con):
            update.log_line("building")
            print(json.dumps({"build": update.build(con)}, default=str), flush=True)
        else:
            update.log_line("nothing new since the last build")
        return results
    finally:
        con.close()
