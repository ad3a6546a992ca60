"""Subcommands: `adoption validate FILE` and `adoption import FILE` (issue #5).

validate prints one line per problem (file:row [column] severity: reason) and a summary, and exits like a
linter so it can gate a pipeline: 0 when no row has an error (warnings allowed), 1 when any row has an error
(those rows are left out), 2 when the file cannot be used at all (unreadable, bad header, no usable row).
import validates, merges the usable rows with the store's records (embedded + earlier imports) and prints
the diff; nothing is overwritten without being listed.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from svdash import adoption
from svdash.cli import CliError, add_db_option


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("adoption", help="Validate or import authority adoption records (CSV/XLSX)",
                       description="Validate or import authority adoption records (CSV/XLSX). Columns: "
                                   + ", ".join(adoption.COLUMNS))
    p.add_argument("action", choices=["validate", "import"],
                   help="validate: check the file and list problems by row (exit 0 clean or warnings only, "
                        "1 when any row has an error, 2 when the file cannot be used); "
                        "import: validate, merge into the store's adoption_records and print the diff")
    p.add_argument("file", metavar="FILE", type=Path, help="CSV (UTF-8 or Latin-1; comma, semicolon or tab) or XLSX")
    p.add_argument("--dry-run", action="store_true",
                   help="import only: print the diff without writing to the store")
    add_db_option(p)
    p.set_defaults(func=run)


def _validate(path: Path) -> tuple:
    try:
        clean, messages = adoption.validate_file(path)
    except adoption.AdoptionFileError as exc:
        raise CliError(str(exc)) from exc
    for m in messages:
        print(m)
    n_err = sum(m.severity == "error" for m in messages)
    n_warn_rows = len({m.row for m in messages if m.severity == "warning" and m.row})
    print(f"{path.name}: {len(clean)} usable row(s) ({n_warn_rows} with warnings), "
          f"{n_err} error(s) (rows with an error are left out)")
    if clean.empty:
        raise CliError(f"{path.name}: no usable row")
    return clean, n_err


def run(args: argparse.Namespace) -> int:
    clean, n_err = _validate(args.file)
    if args.action == "validate":
        return 1 if n_err else 0
    import duckdb

    from svdash import measures

    if not args.db.parent.is_dir():
        raise CliError(f"{args.db.parent}: no such directory for the store")
    try:  # the pipeline (issue #4) creates the default store from the embedded snapshot when missing
        from svdash.pipeline import ensure_store
    except ImportError:
        ensure_store = None
    if args.dry_run and not args.db.exists():
        current = adoption.load_embedded()  # what a new store would start from; nothing is created
        _print_diff(*adoption.merge(current, clean))
        print("dry run: store not changed")
        return 0
    if ensure_store is not None and not args.dry_run:
        ensure_store(args.db)
    con = duckdb.connect(str(args.db), read_only=args.dry_run)
    try:
        current = measures.read_adoption_records(con)
        merged, diff = adoption.merge(current, clean)
        _print_diff(merged, diff)
        if args.dry_run:
            print("dry run: store not changed")
            return 0
        measures.write_table(con, "adoption_records", merged)
        built = measures.build_aggregates(con)  # cheap: keeps adoption_summary and measure_values in step
        print(f"adoption_records: {len(merged)} row(s) in {args.db}; adoption_summary {built['adoption_summary']} "
              f"council(s); measure_values {built['measure_values']} row(s) rebuilt")
    finally:
        con.close()
    return 0


def _print_diff(merged, diff) -> None:
    counts = diff["change"].value_counts()
    for row in diff[diff["change"].isin(["added", "changed"])].itertuples(index=False):
        extra = f": {row.fields}" if row.fields else ""
        print(f"{row.change:9} {row.gss_code or '-':10} {row.council_name}{extra}")
    print("diff: " + ", ".join(f"{k} {int(counts.get(k, 0))}" for k in ("added", "changed", "unchanged", "kept")))
