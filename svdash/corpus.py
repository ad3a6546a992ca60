"""Sentence corpus of the social value classifier (issue 16): real notice and passage text cut into sentences.

The corpus (tests/data/sv_sentences.csv, provenance in tests/data/README.md) holds every sentence of the staged
real text that mentions social value, community benefits, TOMs, PPN 06/20 or the social/economic/environmental
well-being duty, plus hard negatives (value for money, social care, added value, Living Wage, wellbeing services)
from the same documents, each labelled by hand per LABELS.md. This module cuts and selects the candidate
sentences reproducibly (`candidates`), assigns each publisher a fold (`fold_of`) and loads the labelled file
(`load_corpus`). Labels are the hand step; `scripts/extract_sv_sentences.py` merges them by `sentence_id`.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from svdash.sources import nonfinite

N_FOLDS = 5
CORPUS_COLUMNS = ["sentence_id", "fold", "source", "publisher", "publisher_key", "ocid", "release_id", "field",
                  "notice_split", "n_documents", "ocids", "text", "sv_status", "weighting_pct", "themes", "note"]
LABEL_VALUES = ("applied", "dismissed", "none")

# A sentence is a candidate when it names social value or its statutory relatives (what a reader of LABELS.md
# would have to judge), or is a hard negative: wording near the topic that is not social value by itself.
TERM = re.compile(
    r"(?i:social[\s-]*value|community[\s-]*benefits?|\bppn\s?0?6/20\b|procurement\s+policy\s+note\s+0?6/20"
    r"|themes,?\s+outcomes,?\s+(?:and|&)\s+measures"
    r"|\b(?:social|economic|environmental|cultural)(?:,?\s+(?:and\s+|&\s+|or\s+)?(?:social|economic|environmental"
    r"|cultural))*\s+well-?\s?being|well-?being\s+of\s+future\s+generations)|\bTOM'?s\b")
CONFUSER = re.compile(r"(?i)value\s+for\s+money|added[\s-]+value|best\s+value|social\s+care|living\s+wage"
                      r"|well-?\s?being|social\s+enterprises?|community\s+wealth")

# Personal data never enters the corpus: e-mail addresses and phone numbers are replaced (officers' names do
# not occur in the selected sentences; checked by hand when labelling, see tests/data/README.md).
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w/])(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\w)")

# Files whose publisher lost the JSON escapes (../shared/data/notices/SOURCES.md): line breaks read "rn".
LOST_ESCAPES = ("cf_ocds_releases_2025-03-11.json", "public_contracts_scotland_2019", "sell2wales")

# Text-bearing leaf keys (free text a notice publishes); identifiers, URLs, names of parties and addresses are not.
TEXT_KEYS = {"title", "description", "text", "statusDetails", "rationale", "noAgreedMetricsRationale",
             "noEngagementNoticeRationale", "financialTerms", "performanceTerms", "procurementMethodRationale",
             "submissionMethodDetails", "reviewDetails", "riskDetails", "features", "weightingDescription",
             "awardCriteriaDetails", "noLotsDivisionRationale", "acceleratedRationale", "periodRationale",
             "buyerCategories", "accessDetails", "minimum", "eligibilityCriteria"}
SKIP_KEYS = {"parties", "buyer", "contactPoint", "address", "identifier", "additionalIdentifiers", "suppliers",
             "tenderers", "classification", "additionalClassifications", "deliveryAddresses", "links",
             "procuringEntity", "payer", "payee", "bidOpening"}


# ------------------------------------------------------------------------------------------------------------
# Cutting text into sentences
# ------------------------------------------------------------------------------------------------------------

_ABBREV = r"(?:e\.g|i\.e|etc|approx|incl|no|nos|ref|refs|st|dr|mr|mrs|ms|cllr|para|paras|vol|fig|viz|cf|vs|ltd|co|inc)"
_RN_WORDS = ("modern", "concern", "return", "pattern", "eastern", "western", "northern", "southern", "govern",
             "turn", "learn", "stern", "intern", "born", "corn", "horn", "torn", "worn", "sworn", "adorn", "barn",
             "yarn", "fern", "discern", "overturn", "upturn", "downturn", "lantern", "cavern", "tavern", "saturn")


def _split_lost_escapes(text: str) -> str:
    # "rn" / "n" / "t" that stand for lost \r\n, \n, \t: after punctuation or a digit, doubled, or after a word
    # that does not itself end in "rn" when the next line starts with a capital, bullet or dash.
    text = re.sub(r"(?<=[.:;!?)\]0-9%'\"’”])((?:rn)+)(?= |$)", "\n", text)
    text = re.sub(r"(?:rn){2,}(?= |$)", "\n\n", text)

    def word_break(m: re.Match) -> str:
        word = m.group(1)
        return m.group(0) if (word + "rn").lower() in _RN_WORDS or word.lower() in _RN_WORDS else word + "\n"
    return re.sub(r"\b([A-Za-z/]*[A-Za-z])rn(?= +[A-Z•\-–—(*0-9])", word_break, text)


def cut_sentences(text: str, lost_escapes: bool = False) -> list[str]:
    """Sentences of one text field, in order: HTML block tags, line breaks, list bullets and sentence
    punctuation end a sentence. Pieces are trimmed; empty ones dropped. Inline tags and entities stay."""
    if lost_escapes:
        text = _split_lost_escapes(text)
    text = re.sub(r"(?i)<(?:/?(?:p|div|br|li|ul|ol|tr|td|th|table|h[1-6]|section|blockquote)\b)[^>]*>", "\n", text)
    text = text.replace("\r", "\n")
    text = re.sub(r"\s*(?:^|\n)\s*[•▪●◦·*]\s*", "\n", text)  # a bullet starts a new item
    text = re.sub(r"\s+[•▪●◦]\s+", "\n", text)                 # inline bullets in running text
    text = _split_sentences(text)
    pieces: list[str | None] = []
    for piece in text.split("\n"):
        piece = re.sub(r"[ \t\f\v\u00a0]+", " ", piece).strip(" -–—;\t")
        # a line without letters or digits (blank, ".", "-") is a paragraph break: it ends a list
        pieces.append(piece if re.search(r"[A-Za-z0-9]", piece) else None)
    return _join_lists(pieces)


LIST_LEAD = re.compile(r"(?i)(?::|\b(?:the following|as follows|below)\b[^.]{0,80}[.:])$")
REASON_LEAD = re.compile(r"(?i)\breasons?\s*:$")
LIST_ITEMS, LIST_ITEM_CHARS = 8, 200


def _join_lists(pieces: list[str | None]) -> list[str]:
    """A lead-in ("…weighting criteria of:", "scored on the following elements.") and the short items after it
    are one statement: joined with line breaks, at most LIST_ITEMS items of at most LIST_ITEM_CHARS each, up to a
    paragraph break (None) or the next lead-in."""
    out: list[str] = []
    k = 0
    while k < len(pieces):
        head = pieces[k]
        if head is None:
            k += 1
            continue
        block = [head]
        if LIST_LEAD.search(head):
            most = 1 if REASON_LEAD.search(head) else LIST_ITEMS  # "… for the following reason:" + the reason
            while len(block) <= most and k + len(block) < len(pieces):
                item = pieces[k + len(block)]
                if item is None or len(item) > LIST_ITEM_CHARS or LIST_LEAD.search(item):
                    break
                block.append(item)
        out.append("\n".join(block))
        k += len(block)
    return out


def _split_sentences(text: str) -> str:
    abbrev = re.compile(rf"(?i)(?:\b{_ABBREV}|\b[A-Z])\.$")

    def end(m: re.Match) -> str:
        before = text[max(0, m.start() - 12):m.start() + 1]
        return m.group(0) if abbrev.search(before) else m.group(1) + "\n"
    return re.sub(r"([.!?])\s+(?=[\"'“‘(\[A-Z0-9])", end, text)


# ------------------------------------------------------------------------------------------------------------
# Text fields of a release
# ------------------------------------------------------------------------------------------------------------

def _fmt_pct(value) -> str:
    return f"{float(value):g}%"


def criteria_line(criteria: list) -> str:
    """A structured criteria list as one line of text: "Award criteria: Quality 60%; Social Value 10%; Price 30%".
    Names and weights are as published (`numbers[].number` of a percentage weight); the joining words are ours."""
    items = []
    for crit in criteria if isinstance(criteria, list) else []:
        if not isinstance(crit, dict):
            continue
        name = str(crit.get("name") or crit.get("type") or "").strip()
        if not name:
            continue
        pct = None
        for num in crit.get("numbers") or []:
            if isinstance(num, dict) and str(num.get("weight", "")).startswith("percentage") \
                    and isinstance(num.get("number"), (int, float)):
                pct = num["number"]
                break
        items.append(f"{name} {_fmt_pct(pct)}" if pct is not None else name)
    return "Award criteria: " + "; ".join(items) if items else ""


def text_fields(release: dict) -> Iterator[tuple[str, str]]:
    """(JSON path with [] for list items, text) of every free-text field; award criteria lists as one line each."""
    def walk(obj, path: str):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k in SKIP_KEYS:
                    continue
                if k == "criteria" and path.endswith("awardCriteria") and isinstance(v, list):
                    line = criteria_line(v)
                    if line:
                        yield f"{path}.criteria[] (names and weights)".lstrip("."), line
                    for crit in v:
                        if isinstance(crit, dict) and isinstance(crit.get("description"), str):
                            yield f"{path}.criteria[].description".lstrip("."), crit["description"]
                    continue
                if isinstance(v, str):
                    if k in TEXT_KEYS and v.strip():
                        yield f"{path}.{k}".lstrip("."), v
                else:
                    yield from walk(v, f"{path}.{k}")
        elif isinstance(obj, list):
            for v in obj:
                yield from walk(v, f"{path}[]")
    yield from walk(release, "")


# ------------------------------------------------------------------------------------------------------------
# Publishers and folds
# ------------------------------------------------------------------------------------------------------------

def normalise_publisher(name: str) -> str:
    s = name.lower().replace("&", " and ")
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    s = re.sub(r"^(?:the )", "", re.sub(r"\s+", " ", s).strip())
    return s


def fold_of(publisher_key: str, n_folds: int = N_FOLDS) -> int:
    """Deterministic fold of a publisher: every sentence of one publisher falls in the same fold."""
    return int(hashlib.sha1(publisher_key.encode("utf-8")).hexdigest()[:8], 16) % n_folds


def notice_split(ocid: str) -> str:
    """The notice-level split of LABELS.md ("dev" / "hidden"), so users of the corpus can see which sentences come
    from notices whose notice-level labels are held out."""
    return "dev" if int(hashlib.sha1(ocid.encode("utf-8")).hexdigest()[:8], 16) % 100 < 60 else "hidden"


def sentence_id(source: str, publisher_key: str, text: str) -> str:
    key = f"{publisher_key}\x1f{' '.join(text.split()).lower()}"
    return f"{source}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


def redact(text: str) -> str:
    return PHONE.sub("[phone removed]", EMAIL.sub("[email removed]", text))


# ------------------------------------------------------------------------------------------------------------
# Candidates
# ------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Document:
    """One release or passage: its text fields and who published it."""
    source: str
    ocid: str
    release_id: str
    buyer_name: str
    buyer_id: str
    fields: tuple[tuple[str, str], ...]
    lost_escapes: bool


def _release_id(release: dict) -> str:
    rid = release.get("id")
    return "" if rid is None else str(rid)


def _buyer(release: dict) -> tuple[str, str]:
    buyer = release.get("buyer") if isinstance(release.get("buyer"), dict) else {}
    party = next((p for p in release.get("parties") or [] if isinstance(p, dict) and "buyer" in (p.get("roles") or [])),
                 {})
    name = str(buyer.get("name") or party.get("name") or "")
    ident = party.get("identifier") if isinstance(party.get("identifier"), dict) else {}
    bid = f"{ident.get('scheme', '')}-{ident.get('id', '')}" if ident.get("id") else ""
    return name, bid


def source_name(path: Path) -> str:
    parts = path.parts
    if "passages" in parts:
        return "passages"
    for p in parts:
        if p.startswith(("contracts_finder", "public_contracts_scotland", "sell2wales", "find_a_tender")):
            return p
    return path.stem


def documents(paths: list[Path]) -> Iterator[Document]:
    for path in paths:
        data = nonfinite.loads(path.read_text(encoding="utf-8"))  # FTS "no limit" 1e9999 → null
        releases = data.get("releases", []) if isinstance(data, dict) else data
        lost = any(tag in str(path) for tag in LOST_ESCAPES)
        for rel in releases:
            if not isinstance(rel, dict):
                continue
            name, bid = _buyer(rel)
            yield Document(source_name(path), str(rel.get("ocid", "")), _release_id(rel), name, bid,
                           tuple(text_fields(rel)), lost)


def candidates(paths: list[Path], publisher_keys: dict[tuple[str, str], str] | None = None) -> pd.DataFrame:
    """Candidate sentences of the given OCDS files, one row per (source, publisher, sentence text).

    Selected: sentences naming a TERM; and CONFUSER sentences (hard negatives) of documents that name a TERM
    somewhere, or of any passage (the passages were chosen as procurement text). `publisher_keys` maps
    (buyer_name, buyer_id) to a publisher key (e.g. the council's GSS code); default: the normalised name.
    """
    rows: dict[tuple[str, str, str], dict] = {}
    for doc in documents(paths):
        cut = [(field, s) for field, text in doc.fields for s in cut_sentences(text, doc.lost_escapes)]
        has_term = any(TERM.search(s) for _, s in cut)
        key = (publisher_keys or {}).get((doc.buyer_name, doc.buyer_id)) or \
            f"name:{normalise_publisher(doc.buyer_name)}"
        for field, s in cut:
            if not (TERM.search(s) or (CONFUSER.search(s) and (has_term or doc.source == "passages"))):
                continue
            text = redact(s)
            norm = " ".join(text.split()).lower()
            k = (doc.source, key, norm)
            if k in rows:
                row = rows[k]
                if doc.ocid not in row["_ocids"]:
                    row["_ocids"].append(doc.ocid)
                row["_docs"].add((doc.ocid, doc.release_id))
                continue
            rows[k] = {"sentence_id": sentence_id(doc.source, key, text), "fold": fold_of(key),
                       "source": doc.source, "publisher": doc.buyer_name, "publisher_key": key, "ocid": doc.ocid,
                       "release_id": doc.release_id, "field": field,
                       "notice_split": "dev" if doc.source in ("passages", "find_a_tender_2026-08")
                       else notice_split(doc.ocid),
                       "text": text, "_ocids": [doc.ocid], "_docs": {(doc.ocid, doc.release_id)}}
    out = pd.DataFrame(list(rows.values()))
    if out.empty:
        return pd.DataFrame(columns=CORPUS_COLUMNS)
    out["n_documents"] = out["_docs"].map(len)
    out["ocids"] = out["_ocids"].map(" ".join)
    docs = dict(zip(out["sentence_id"], out["_docs"].map(sorted)))
    out = out.drop(columns=["_ocids", "_docs"])
    out.attrs["documents"] = docs  # sentence_id -> every (ocid, release_id) the sentence occurs in
    for col in ("sv_status", "weighting_pct", "themes", "note"):
        out[col] = ""
    return out[CORPUS_COLUMNS]


# ------------------------------------------------------------------------------------------------------------
# The labelled corpus
# ------------------------------------------------------------------------------------------------------------

def load_corpus(path: str | Path) -> pd.DataFrame:
    """The labelled sentence corpus; a clear error for a file that is not one (missing columns, bad labels)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: sentence corpus not found")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("sentence_id", "fold", "text", "sv_status", "weighting_pct") if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: not a sentence corpus (missing column(s) {', '.join(missing)})")
    bad = frame.index[~frame["sv_status"].isin(LABEL_VALUES)].tolist()
    if bad:
        raise ValueError(f"{path}: row {bad[0] + 2}: sv_status {frame.at[bad[0], 'sv_status']!r} is not one of "
                         f"{list(LABEL_VALUES)}")
    if not frame["fold"].str.fullmatch(r"[0-9]+").all():
        raise ValueError(f"{path}: fold must be a whole number on every row")
    frame["fold"] = frame["fold"].astype(int)
    for col in ("themes", "note", "source", "publisher_key"):
        if col not in frame.columns:
            frame[col] = ""
    return frame
