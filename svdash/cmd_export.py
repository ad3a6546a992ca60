"""Subcommand: export — the dashboard's filtered measure table as CSV or XLSX, with a JSON metadata file.

Uses the same filter model (svdash.filters) and export code (svdash.export) as the Data & downloads page,
so a file from the command line equals the download for the same filters.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from svdash.cli import CliError, add_db_option
from svdash.filters import DEFAULT_MEASURE, GEOGRAPHIES, PERIOD_TYPES, from_params, measure_ids
from svdash.geo import COUNCIL_TYPES, GROUP_ORDER, REGION_ORDER


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="Export the filtered measures table as CSV or XLSX with a JSON metadata file",
                       description="Export the filtered measures table as CSV or XLSX with a JSON metadata file "
                                   "(<FILE>.metadata.json). Filters are those of the dashboard URL.")
    p.add_argument("--out", required=True, metavar="FILE", type=Path, help="output file (.csv or .xlsx)")
    p.add_argument("--format", choices=["csv", "xlsx"], default=None, help="default from the file name")
    p.add_argument("--measure", default=DEFAULT_MEASURE,
                   help=f"measure id from svdash/measures.yaml (default {DEFAULT_MEASURE}): {', '.join(measure_ids())}")
    p.add_argument("--geography", default="lower", choices=GEOGRAPHIES,
                   help="lower tier (LADs), upper tier (UTLAs), hex (lower tier), or pooled: region, group")
    p.add_argument("--period-type", default="all", choices=PERIOD_TYPES, help="all years, one year or one quarter")
    p.add_argument("--period", default=None, help="'all', a year (2024) or a quarter (2024Q3) matching --period-type")
    p.add_argument("--region", default="", metavar="NAME", help=f"one of: {', '.join(REGION_ORDER)}")
    p.add_argument("--council-type", default="", metavar="TYPE", help=f"one of: {', '.join(COUNCIL_TYPES)}")
    p.add_argument("--group", default="", metavar="GROUP", help=f"comparison group: {', '.join(GROUP_ORDER)}")
    add_db_option(p)
    p.set_defaults(func=run)


def allowed_values(param: str) -> str:
    """The values a filter option accepts, for the refusal message."""
    allowed = {"measure": measure_ids(), "region": list(REGION_ORDER), "council_type": list(COUNCIL_TYPES),
               "group": list(GROUP_ORDER), "geography": list(GEOGRAPHIES), "period_type": list(PERIOD_TYPES)}
    if param in allowed:
        return "one of " + ", ".join(repr(v) for v in allowed[param])
    if param == "period":
        return "'all' with --period-type all, a year (2024) or a quarter (2024Q3) from 2013"
    return "see --help"


def refused(rejected: list[str], params: dict[str, str]) -> str:
    """'--region 'Eastern' is not allowed; use one of …' for each refused option (one line)."""
    return "; ".join(f"--{r.replace('_', '-')} {params.get(r)!r} is not allowed; use {allowed_values(r)}"
                     for r in dict.fromkeys(rejected))


def run(args: argparse.Namespace) -> int:
    from svdash import export, views

    params = {"measure": args.measure, "geography": args.geography, "period_type": args.period_type,
              "period": args.period if args.period is not None else ("all" if args.period_type == "all" else ""),
              "region": args.region, "council_type": args.council_type, "group": args.group}
    flt, rejected = from_params(params)
    if rejected:
        raise CliError(refused(rejected, params))
    fmt = args.format or args.out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise CliError(f"{args.out}: cannot tell the format from the name; pass --format csv|xlsx")
    try:
        from svdash import pipeline
        pipeline.ensure_store(args.db)
    except ImportError:
        pass
    try:
        tables = views.read_store(args.db)
    except views.StoreReadError as exc:
        raise CliError(str(exc)) from exc
    mdef = export.measure_def(flt.measure)
    table = export.filtered_table(flt, tables)
    screen = export.screen_table(table, mdef, flt.geography)
    meta = export.metadata(flt, len(screen), views.build_facts(tables.get("build_info")),
                           synthetic=views.is_synthetic(tables))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(export.to_csv_bytes(screen) if fmt == "csv" else export.to_xlsx_bytes(screen, meta))
    meta_path = args.out.with_name(args.out.name + ".metadata.json")
    meta_path.write_bytes(export.to_json_bytes(meta))
    print(f"wrote {len(screen)} rows to {args.out} and metadata to {meta_path}")
    return 0
