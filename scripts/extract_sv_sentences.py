"""Extract the candidate sentences of the social value sentence corpus from ../shared/data (issue 16).

    .venv/bin/python scripts/extract_sv_sentences.py [--shared DIR] [--out tests/data/sv_sentences.csv] [--check]

Reads every OCDS file under notices/ and passages/passages_dev.json (Find a Tender pages through a loader that
reads their bare 1e9999 numbers), cuts the text fields into sentences and keeps those `svdash.corpus.candidates`
selects. Hand labels already in --out are kept (matched by sentence_id); new sentences get blank labels and are
listed; sentences no longer extracted are dropped and listed. --check compares the sentence labels with the
notice-level labels_dev.csv files (an applied notice needs an applied sentence, etc.) and exits 1 on a
disagreement that has no `note`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from svdash.corpus import CORPUS_COLUMNS, candidates, normalise_publisher  # noqa: E402
from svdash.paths import SHARED_DATA  # noqa: E402

LABEL_COLS = ["sv_status", "weighting_pct", "themes", "note"]


def input_files(shared: Path) -> list[Path]:
    return sorted((shared / "notices").rglob("*.json")) + [shared / "passages" / "passages_dev.json"]


def publisher_keys(paths: list[Path]) -> dict[tuple[str, str], str]:
    """(buyer name, buyer id) -> "gss:<code>" for a council svdash resolves, else "name:<normalised name>"."""
    from svdash.buyers import resolve_buyers
    from svdash.corpus import documents

    pairs = sorted({(d.buyer_name, d.buyer_id) for d in documents(paths)})
    frame = pd.DataFrame(pairs, columns=["buyer_name", "buyer_id"])
    resolved = resolve_buyers(frame)
    return {(n, i): (f"gss:{code}" if code else f"name:{normalise_publisher(n)}")
            for n, i, code in zip(frame["buyer_name"], frame["buyer_id"], resolved["buyer_gss_code"])}


def check(corpus: pd.DataFrame, docs: dict, shared: Path) -> int:
    """Sentence labels against the notice-level dev labels, per procurement (ocid; a notice's strongest label):
    an applied notice needs an applied sentence, a dismissed one a dismissed sentence and no applied one, a none
    notice neither. Prints each disagreement; returns how many have no `note` on the notice's sentences."""
    status_of: dict[str, set] = {}
    noted: dict[str, bool] = {}
    for sid, st, note in zip(corpus["sentence_id"], corpus["sv_status"], corpus["note"]):
        for ocid, _ in docs.get(sid, []):
            status_of.setdefault(ocid, set()).add(st)
            noted[ocid] = noted.get(ocid, False) or bool(note)
    rank = {"applied": 2, "dismissed": 1, "none": 0}
    bad = compared = 0
    for labels in (shared / "notices/labels_dev.csv", shared / "notices/find_a_tender_2026-08/labels_dev.csv",
                   shared / "passages/labels_dev.csv"):
        lab = pd.read_csv(labels, dtype=str, keep_default_na=False)
        lab = lab[lab["sv_status"] != ""]
        strongest = lab.assign(r=lab["sv_status"].map(rank)).groupby("ocid")["r"].max()
        for ocid, r in strongest.items():
            st = {v: k for k, v in rank.items()}[r]
            have = status_of.get(ocid, set())
            compared += 1
            ok = {"applied": "applied" in have, "dismissed": "dismissed" in have and "applied" not in have,
                  "none": not ({"applied", "dismissed"} & have)}[st]
            if not ok:
                flag = "noted" if noted.get(ocid) else "NO NOTE"
                bad += flag == "NO NOTE"
                print(f"{labels.parent.name}: {ocid}: notice label {st}, sentences {sorted(have)} ({flag})")
    print(f"{compared} labelled procurements compared", file=sys.stderr)
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=SHARED_DATA)
    ap.add_argument("--out", type=Path, default=REPO / "tests/data/sv_sentences.csv")
    ap.add_argument("--check", action="store_true", help="compare with the notice-level dev labels")
    args = ap.parse_args()
    paths = input_files(args.shared)
    missing = [p for p in paths if not p.is_file()]
    if missing or not paths:
        print(f"missing input: {missing or args.shared}", file=sys.stderr)
        return 2
    fresh = candidates(paths, publisher_keys(paths))
    docs = fresh.attrs["documents"]
    if args.out.is_file():
        old = pd.read_csv(args.out, dtype=str, keep_default_na=False)
        labels = old.set_index("sentence_id")[LABEL_COLS]
        for col in LABEL_COLS:
            fresh[col] = fresh["sentence_id"].map(labels[col]).fillna("")
        gone = sorted(set(old["sentence_id"]) - set(fresh["sentence_id"]))
        if gone:
            print(f"{len(gone)} labelled sentence(s) no longer extracted, dropped: {', '.join(gone[:10])}"
                  + (" …" if len(gone) > 10 else ""), file=sys.stderr)
    unlabelled = fresh[fresh["sv_status"] == ""]
    fresh[CORPUS_COLUMNS].to_csv(args.out, index=False)
    print(f"{len(fresh)} sentences -> {args.out}; {len(unlabelled)} without a label", file=sys.stderr)
    print(fresh.groupby(["source", "sv_status"]).size().unstack(fill_value=0).to_string(), file=sys.stderr)
    if args.check:
        bad = check(fresh, docs, args.shared)
        print(f"{bad} disagreement(s) with the notice-level labels without a note", file=sys.stderr)
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
