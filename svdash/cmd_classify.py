"""Subcommands: classify (stateless CSV), build (over the store), evaluate (accuracy against hand labels)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from svdash.cli import CliError, add_db_option

RESULT_COLUMNS = ["ocid", "release_id", "buyer_name", "buyer_gss_code", "buyer_kind", "sv_status", "weighting_pct",
                  "themes", "evidence"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser('classify', help='Classify notices statelessly into a CSV (one row per release)', description='Classify notices statelessly into a CSV (one row per release)')
    p.add_argument('--in', dest='inputs', action='append', required=True, metavar='PATH', help='OCDS JSON/JSONL or CSV notices (repeatable)')
    p.add_argument('--out', required=True, metavar='PATH', help='results CSV')
    add_db_option(p)
    p.set_defaults(func=run_classify)
    p = sub.add_parser('build', help='Resolve buyers, classify and aggregate everything in the store',
                       description='Resolve buyers, classify and aggregate everything in the store. Incremental: only '
                                   'the releases imported since the last build (and those whose buyer now resolves '
                                   'differently) are built again; the result equals a full build.')
    p.add_argument('--full', action='store_true', help='rebuild every table from all releases')
    add_db_option(p)
    p.set_defaults(func=run_build)
    p = sub.add_parser('evaluate', help='Accuracy report against hand labels', description='Accuracy report against hand labels')
    p.add_argument('--labels', metavar='CSV', help='labels file (LABELS.md format); required unless --cv')
    p.add_argument('--in', dest='inputs', action='append', metavar='PATH',
                   help='notices the labels refer to (repeatable); default: every *.json beside the labels file')
    p.add_argument('--cv', action='store_true',
                   help='cross-validated figures on the labelled sentence corpus, per publisher fold and pooled')
    p.add_argument('--corpus', metavar='CSV', default=None,
                   help='sentence corpus for --cv (default: tests/data/sv_sentences.csv)')
    p.add_argument('--folds', metavar='LIST', default=None, help='with --cv: only these folds, e.g. 0,1,2,3')
    p.add_argument('--misses', action='store_true', help='with --cv: list the sentences the rules get wrong')
    add_db_option(p)
    p.set_defaults(func=run_evaluate)


def _read(paths: list[str]) -> pd.DataFrame:
    from svdash.sources.files import read_notices

    for p in paths:
        if not Path(p).is_file():
            raise CliError(f"{p}: no such file")
    flat = [p for p in paths if _is_flat_table(p)]
    files = [p for p in paths if p not in flat]
    frames = []
    try:
        if files:
            frames.append(read_notices(files))
    except (ValueError, OSError) as exc:
        raise CliError(str(exc)) from exc
    frames += [_read_flat_table(p) for p in flat]
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame.attrs["rejects"] = [r for f in frames for r in f.attrs.get("rejects", [])]
    for r in frame.attrs.get("rejects", []):
        print(f"rejected: {r['source']} {r['position']}: {r['reason']}", file=sys.stderr)
    return frame


FLAT_COLUMNS = {"ocid", "release_id", "buyer_name", "title", "description"}


def _is_flat_table(path: str) -> bool:
    """The staged `notices.csv` shape (one flattened row per release), not a Contracts Finder export."""
    if not str(path).lower().endswith(".csv"):
        return False
    try:
        header = pd.read_csv(path, nrows=0, dtype=str).columns
    except (ValueError, OSError, UnicodeDecodeError):
        return False
    return FLAT_COLUMNS <= set(header)


def _read_flat_table(path: str) -> pd.DataFrame:
    """A flattened notice table (ocid, release_id, buyer_*, title, description, …) as a notice frame."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = pd.DataFrame({c: raw[c] if c in raw.columns else "" for c in
                          ["ocid", "release_id", "buyer_name", "buyer_id", "buyer_postcode", "title", "description"]})
    frame["award_criteria_json"] = raw["award_criteria_json"] if "award_criteria_json" in raw.columns else "[]"
    frame["date"] = raw["date"] if "date" in raw.columns else ""
    frame["release_key"] = frame["ocid"] + "/" + frame["release_id"]
    frame["source"] = str(path)
    frame["notice_url"] = ""
    frame.attrs["rejects"] = []
    return frame


def _fmt_weight(value: float) -> str:
    return "" if pd.isna(value) else f"{float(value):g}"


def results_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Notice frame → the CSV contract columns (weighting blank when not stated, no trailing .0)."""
    from svdash.pipeline import notice_facts

    facts = notice_facts(frame)
    out = facts[RESULT_COLUMNS].copy()
    out["weighting_pct"] = facts["weighting_pct"].map(_fmt_weight)
    return out


def run_classify(args: argparse.Namespace) -> int:
    frame = _read(args.inputs)
    out = results_frame(frame)
    try:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        out.to_csv(args.out, index=False)
    except OSError as exc:
        raise CliError(f"{args.out}: cannot write: {exc}") from exc
    counts = out["sv_status"].value_counts().to_dict()
    print(f"{len(out)} releases → {args.out} (applied {counts.get('applied', 0)}, dismissed "
          f"{counts.get('dismissed', 0)}, none {counts.get('none', 0)}; "
          f"{(out['buyer_kind'] == 'council').sum()} council buyers)", file=sys.stderr)
    return 0


def run_build(args: argparse.Namespace) -> int:
    from svdash import pipeline, store

    created = pipeline.ensure_store(args.db)
    if created:
        print(f"created {args.db} from the embedded snapshot", file=sys.stderr)
        return 0
    con = store.open_store(args.db)
    try:
        counts = pipeline.build(con, full=args.full)
    finally:
        con.close()
    print(pipeline.build_summary(counts))
    return 0


DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "sv_sentences.csv"


def run_evaluate_cv(args: argparse.Namespace) -> int:
    import yaml

    from svdash.classify import RULES_PATH
    from svdash.corpus import load_corpus
    from svdash.evaluate import classify_corpus, cv_report, format_cv_report

    path = Path(args.corpus) if args.corpus else DEFAULT_CORPUS
    try:
        corpus = load_corpus(path)
    except (OSError, ValueError) as exc:
        raise CliError(str(exc)) from exc
    folds = None
    if args.folds:
        try:
            folds = [int(f) for f in args.folds.split(",") if f.strip()]
        except ValueError as exc:
            raise CliError(f"--folds: expected whole numbers separated by commas, got {args.folds!r}") from exc
        unknown = sorted(set(folds) - set(corpus["fold"]))
        if unknown:
            raise CliError(f"--folds: no sentence in fold(s) {unknown} of {path}")
    development = (yaml.safe_load(RULES_PATH.read_text(encoding="utf-8")) or {}).get("development")
    pools = {}
    if development:
        pools = {"held out": list(development.get("sealed_folds") or []),
                 "dev": list(development.get("tuned_on_folds") or [])}
    rep = cv_report(corpus, classify_corpus(corpus), folds, pools)
    print(f"corpus: {path} ({len(corpus)} sentences)")
    print(format_cv_report(rep, development, show_misses=args.misses))
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    from svdash.evaluate import evaluate, format_report, load_labels

    if args.cv:
        return run_evaluate_cv(args)
    if not args.labels:
        raise CliError("evaluate needs --labels CSV (or --cv for the sentence corpus)")
    try:
        labels = load_labels(args.labels)
    except (OSError, ValueError) as exc:
        raise CliError(str(exc)) from exc
    inputs = args.inputs or [str(p) for p in sorted(Path(args.labels).parent.rglob("*.json"))]
    if not inputs:
        raise CliError(f"no notices given and no *.json beside {args.labels}; pass --in PATH")
    frame = _read(inputs)
    from svdash.pipeline import notice_facts

    facts = notice_facts(frame)
    facts["description"] = frame["description"].to_numpy()
    print(format_report(evaluate(facts, labels)))
    return 0
