"""Accuracy of the classifier and the buyer resolver against hand labels (LABELS.md format).

`evaluate(predicted, labels)` joins on (ocid, release_id) and returns a report dict; `format_report` prints
it: confusion matrix, per-class precision/recall/F1, macro-F1, weighting exact-match on rows that state one,
weightings invented where none is stated, buyer-code accuracy on council buyers, false-council count, misses.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

CLASSES = ["applied", "dismissed", "none"]
LABEL_COLUMNS = ["ocid", "release_id", "sv_status", "weighting_pct", "themes", "buyer_gss_code", "buyer_kind",
                 "evidence", "buyer_name_canonical"]

# Labels we believe are wrong under LABELS.md's own rules. They are reported, not silently dropped, and
# excluded only from the buyer figures they concern. Key: (ocid, release_id or "*"), field, reason.
LABEL_DISPUTES = [
    ("ocds-b5fd17-219e8412-9de7-40fc-8930-de19d9736e5a", "*", "buyer_kind",
     "'Nuneaton & Bedworth BC (NUN)' is Nuneaton and Bedworth Borough Council (E07000219), a shire district: "
     "LABELS.md says buyer_kind=council; the label says other"),
]


def load_labels(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: labels file not found")
    labels = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("ocid", "release_id", "sv_status") if c not in labels.columns]
    if missing:
        raise ValueError(f"{path}: not a labels file (missing column(s) {', '.join(missing)}; see LABELS.md)")
    # A blank sv_status is a buyer-only row (the Find a Tender labels code every buyer but judge the status of
    # council releases only): it counts in the buyer figures, never in the status figures.
    bad = labels.index[~labels["sv_status"].isin(CLASSES + [""])].tolist()
    if bad:
        raise ValueError(f"{path}: row {bad[0] + 2}: sv_status {labels.at[bad[0], 'sv_status']!r} "
                         f"is not one of {CLASSES}")
    for col in LABEL_COLUMNS:
        if col not in labels.columns:
            labels[col] = ""
    return labels


def _fmt_weight(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{float(value):g}"


def _disputed(row: pd.Series, field: str) -> str:
    for ocid, rel, f, reason in LABEL_DISPUTES:
        if f == field and row["ocid"] == ocid and rel in ("*", row["release_id"]):
            return reason
    return ""


def status_metrics(truth: pd.Series, guess: pd.Series) -> tuple[pd.DataFrame, dict, float, list[str]]:
    """Confusion matrix, per-class precision/recall/F1, macro-F1 and the classes it averages over."""
    confusion = pd.crosstab(pd.Categorical(truth, CLASSES), pd.Categorical(guess, CLASSES), dropna=False)
    confusion.index.name, confusion.columns.name = "label", "predicted"
    per_class = {}
    for c in CLASSES:
        tp = int(((truth == c) & (guess == c)).sum())
        fp = int(((truth != c) & (guess == c)).sum())
        fn = int(((truth == c) & (guess != c)).sum())
        support = int((truth == c).sum())
        prec = tp / (tp + fp) if tp + fp else (1.0 if support == 0 else 0.0)
        rec = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_class[c] = {"precision": prec, "recall": rec, "f1": f1, "support": support, "predicted": tp + fp}
    # Macro-F1 over the classes that occur in the labels or the predictions (the passages have no dismissed).
    present = [c for c in CLASSES if per_class[c]["support"] or per_class[c]["predicted"]]
    macro = float(np.mean([per_class[c]["f1"] for c in present])) if present else float("nan")
    return confusion, per_class, macro, present


def weighting_metrics(label: pd.Series, predicted: pd.Series) -> dict:
    """Exact weighting on rows whose label states one; weightings given where the label states none (invented).
    Both series hold formatted numbers ("10", "12.5") or ""."""
    stated = label != ""
    weight = {"stated": int(stated.sum()), "exact": int((predicted[stated] == label[stated]).sum()),
              "invented": int(((predicted != "") & ~stated).sum())}
    weight["exact_rate"] = weight["exact"] / weight["stated"] if weight["stated"] else float("nan")
    return weight


def evaluate(predicted: pd.DataFrame, labels: pd.DataFrame) -> dict:
    """Report dict; `predicted` has ocid, release_id, title, description and the classify + buyers columns."""
    pred = predicted.copy()
    pred["release_id"] = pred["release_id"].fillna("").astype(str)
    merged = labels.merge(pred, on=["ocid", "release_id"], how="left", suffixes=("_label", ""),
                          indicator=True)
    unmatched = merged[merged["_merge"] == "left_only"][["ocid", "release_id"]]
    both = merged[merged["_merge"] == "both"].copy()
    m = both[both["sv_status_label"] != ""]  # status figures: rows whose status is labelled

    truth, guess = m["sv_status_label"], m["sv_status"]
    confusion, per_class, macro, present = status_metrics(truth, guess)

    wl = m["weighting_pct_label"].astype(str).str.strip()
    wp = m["weighting_pct"].map(_fmt_weight)
    weight = weighting_metrics(wl, wp)

    themes_rate = float((m["themes_label"].fillna("") == m["themes"].fillna("")).mean()) if len(m) else float("nan")

    disputes = [(r["ocid"], r["release_id"], reason) for _, r in both.iterrows()
                if (reason := _disputed(r, "buyer_kind"))]
    undisputed = both[[not _disputed(r, "buyer_kind") for _, r in both.iterrows()]] if len(both) else both
    councils = undisputed[undisputed["buyer_kind_label"] == "council"]
    coded = councils[councils["buyer_gss_code_label"] != ""]
    buyer = {"council_rows": len(councils), "coded_rows": len(coded),
             "code_correct": int((coded["buyer_gss_code"] == coded["buyer_gss_code_label"]).sum()),
             "kind_correct": int((councils["buyer_kind"] == "council").sum())}
    buyer["code_accuracy"] = buyer["code_correct"] / buyer["coded_rows"] if buyer["coded_rows"] else float("nan")
    others = undisputed[undisputed["buyer_kind_label"] == "other"]
    false_council = others[others["buyer_gss_code"].fillna("") != ""]
    buyer.update({"other_rows": len(others), "false_council": len(false_council),
                  "false_council_rate": len(false_council) / len(others) if len(others) else float("nan")})

    misses = []
    for _, r in m[truth != guess].iterrows():
        text = f"{r.get('title', '')} {r.get('description', '')}"
        misses.append({"ocid": r["ocid"], "release_id": r["release_id"], "label": r["sv_status_label"],
                       "predicted": r["sv_status"], "evidence": r["evidence"],
                       "label_evidence": r["evidence_label"], "text": " ".join(str(text).split())[:400]})
    weight_misses = [{"ocid": r["ocid"], "label": r["weighting_pct_label"], "predicted": _fmt_weight(r["weighting_pct"]),
                      "evidence": r["evidence"]}
                     for _, r in m[wp != wl].iterrows()]
    buyer_misses = [{"ocid": r["ocid"], "buyer_name": r.get("buyer_name", ""), "label_code": r["buyer_gss_code_label"],
                     "label_kind": r["buyer_kind_label"], "code": r["buyer_gss_code"], "method": r.get("match_method", "")}
                    for _, r in pd.concat([coded[coded["buyer_gss_code"] != coded["buyer_gss_code_label"]],
                                           false_council]).iterrows()]
    return {"rows": len(m), "buyer_rows": len(both), "unmatched_labels": unmatched.to_dict("records"), "confusion": confusion,
            "per_class": per_class, "macro_f1": macro, "macro_classes": present, "weighting": weight,
            "themes_exact_rate": themes_rate, "buyer": buyer, "disputes": disputes, "misses": misses,
            "weight_misses": weight_misses, "buyer_misses": buyer_misses}


def format_report(rep: dict) -> str:
    buyer_only = rep.get("buyer_rows", rep["rows"]) - rep["rows"]
    lines = [f"labelled rows evaluated: {rep['rows']}"
             + (f" (+ {buyer_only} buyer-only rows, status not labelled)" if buyer_only else "")
             + (f" ({len(rep['unmatched_labels'])} label rows had no notice)" if rep["unmatched_labels"] else ""),
             "", "sv_status confusion matrix (rows = label, columns = predicted):", rep["confusion"].to_string(), "",
             f"{'class':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}"]
    for c, v in rep["per_class"].items():
        lines.append(f"{c:<10} {v['precision']:>9.3f} {v['recall']:>7.3f} {v['f1']:>6.3f} {v['support']:>8}")
    lines.append(f"macro-F1 ({', '.join(rep['macro_classes'])}): {rep['macro_f1']:.3f}")
    w = rep["weighting"]
    lines += ["", f"weighting_pct exact: {w['exact']}/{w['stated']} rows that state one"
              + (f" ({w['exact_rate']:.1%})" if w["stated"] else "")
              + f"; invented where none stated: {w['invented']}",
              f"themes exact (all rows): {rep['themes_exact_rate']:.1%}"]
    b = rep["buyer"]
    lines += ["", f"buyer code correct on council buyers: {b['code_correct']}/{b['coded_rows']}"
              + (f" ({b['code_accuracy']:.1%})" if b["coded_rows"] else "")
              + f"; council kind recognised: {b['kind_correct']}/{b['council_rows']}",
              f"non-council buyers given a council code: {b['false_council']}/{b['other_rows']}"
              + (f" ({b['false_council_rate']:.1%})" if b["other_rows"] else "")]
    for ocid, rel, reason in rep["disputes"]:
        lines.append(f"  disputed label, excluded from buyer figures: {ocid} {rel}: {reason}")
    if rep["misses"]:
        lines += ["", f"sv_status misses ({len(rep['misses'])}):"]
        for x in rep["misses"]:
            lines.append(f"- {x['ocid']} {x['release_id']}: label {x['label']}, predicted {x['predicted']}"
                         f"\n    evidence: {x['evidence'][:200]!r}\n    label evidence: {x['label_evidence'][:200]!r}"
                         f"\n    text: {x['text']}")
    if rep["weight_misses"]:
        lines += ["", "weighting misses:"] + [f"- {x['ocid']}: label {x['label']!r}, predicted {x['predicted']!r}, "
                                             f"evidence {x['evidence'][:160]!r}" for x in rep["weight_misses"]]
    if rep["buyer_misses"]:
        lines += ["", "buyer misses:"] + [f"- {x['ocid']}: {x['buyer_name']!r} label {x['label_kind']} "
                                          f"{x['label_code']!r}, predicted {x['code']!r} ({x['method']})"
                                          for x in rep["buyer_misses"]]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------------------
# Cross-validated figures on the sentence corpus (issue 16)
# ------------------------------------------------------------------------------------------------------------

def _norm_weight(value: str) -> str:
    value = str(value).strip()
    return _fmt_weight(float(value)) if value else ""


def classify_corpus(corpus: pd.DataFrame, rules=None) -> pd.DataFrame:
    """Each corpus sentence classified on its own (title blank, description = the sentence)."""
    from svdash.classify import classify

    frame = pd.DataFrame({"title": "", "description": corpus["text"].to_numpy()}, index=corpus.index)
    return classify(frame, rules)


def cv_report(corpus: pd.DataFrame, predicted: pd.DataFrame, folds: list[int] | None = None,
              pools: dict[str, list[int]] | None = None) -> dict:
    """Per-fold and pooled figures of `predicted` (classify output, same index) against the corpus labels.

    A publisher's sentences are all in one fold (svdash.corpus.fold_of), so each fold's figures are for text of
    publishers not in the other folds; whether the rules were developed with a fold's errors in view is recorded
    in classify_rules.yaml (`development`) and printed with the figures."""
    wanted = sorted(set(corpus["fold"])) if folds is None else sorted(folds)
    data = corpus.assign(pred_status=predicted["sv_status"], pred_weight=predicted["weighting_pct"].map(_fmt_weight),
                         pred_themes=predicted["themes"], evidence=predicted["evidence"])
    data = data[data["fold"].isin(wanted)]
    data["label_weight"] = data["weighting_pct"].map(_norm_weight)

    def figures(part: pd.DataFrame) -> dict:
        _, per_class, macro, present = status_metrics(part["sv_status"], part["pred_status"])
        return {"rows": len(part), "publishers": int(part["publisher_key"].nunique()), "macro_f1": macro,
                "macro_classes": present, "per_class": per_class,
                "weighting": weighting_metrics(part["label_weight"], part["pred_weight"]),
                "themes_exact": float((part["themes"] == part["pred_themes"]).mean()) if len(part) else float("nan")}

    per_fold = {f: figures(data[data["fold"] == f]) for f in wanted}
    misses = data[(data["sv_status"] != data["pred_status"]) | (data["label_weight"] != data["pred_weight"])]
    extra = {name: figures(data[data["fold"].isin(fs)]) for name, fs in (pools or {}).items()
             if data["fold"].isin(fs).any()}
    return {"folds": per_fold, "pooled": figures(data), "pools": extra, "misses": misses, "folds_used": wanted}


def _pct(x: float) -> str:
    return "  n/a" if x != x else f"{x:5.3f}"


def format_cv_report(rep: dict, development: dict | None = None, show_misses: bool = False) -> str:
    tuned = set((development or {}).get("tuned_on_folds") or [])
    sealed = set((development or {}).get("sealed_folds") or [])
    head = (f"{'fold':<10} {'rows':>5} {'publ.':>5} {'macro-F1':>8} {'applied R':>9} {'dismissed R':>11} "
            f"{'none R':>6} {'weighting exact':>15} {'invented':>8}  rules vs fold")
    lines = ["sentence corpus, cross-validated by publisher (a publisher's sentences are all in one fold)", "", head]

    def row(name: str, f: dict, kind: str = "") -> str:
        pc = f["per_class"]
        w = f["weighting"]
        we = f"{w['exact']}/{w['stated']}" + (f" ({w['exact_rate']:.0%})" if w["stated"] else "")
        dis = _pct(pc["dismissed"]["recall"]) if pc["dismissed"]["support"] else "  n/a"
        return (f"{name:<10} {f['rows']:>5} {f['publishers']:>5} {_pct(f['macro_f1']):>8} "
                f"{_pct(pc['applied']['recall']):>9} {dis:>11} {_pct(pc['none']['recall']):>6} {we:>15} "
                f"{w['invented']:>8}  {kind}").rstrip()
    for k, f in rep["folds"].items():
        lines.append(row(str(k), f, "held out" if k in sealed else "development" if k in tuned else ""))
    lines.append(row("pooled", rep["pooled"], "all folds shown"))
    for name, f in rep.get("pools", {}).items():
        lines.append(row(name, f, "pooled"))
    support = rep["pooled"]["per_class"]
    lines.append("")
    lines.append("pooled support: " + ", ".join(f"{c} {support[c]['support']}" for c in CLASSES)
                 + f"; themes exact {rep['pooled']['themes_exact']:.1%}")
    if development:
        lines.append(f"rules developed with the errors of folds {sorted(tuned) or 'none'} in view; held out "
                     f"(their errors not looked at while developing these rules): {sorted(sealed) or 'none'}")
        if development.get("note"):
            lines.append(str(development["note"]).strip())
    if show_misses and len(rep["misses"]):
        lines += ["", f"misses ({len(rep['misses'])}):"]
        for _, r in rep["misses"].iterrows():
            lines.append(f"- fold {r['fold']} {r['sentence_id']}: label {r['sv_status']} {r['label_weight'] or '-'}"
                         f", predicted {r['pred_status']} {r['pred_weight'] or '-'}\n    "
                         + " ".join(str(r["text"]).split())[:300])
    return "\n".join(lines)
