"""Flatten one OCDS release into a notice-frame row (contract: docs/ARCHITECTURE.md, "Notice frame").

The `description` join reproduces the text the labels were judged on (../shared/data/notices/LABELS.md):
tender description, release description, award descriptions, then per lot "Lot id: title. description",
its award criteria (each rendered by `render_criterion`: name, description, weight) with the criteria
block's own text (`awardCriteria.description` / `weightingDescription`, where Find a Tender publishers
write "60% Technical, 10% Social Value, 30% Commercial") and its selection-criteria text, then
`awardCriteriaDetails`, performance terms and tender-level selection criteria; then the Find a Tender
fields where evaluation is described in words (framework selection text, procurement-method rationale,
procedure features, contract KPIs); parts joined with a blank line, empty and repeated parts dropped.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

import pandas as pd

from svdash.privacy import drop_contacts

# Bump when flattening changes what a release's columns say: stores re-flatten the releases whose raw JSON they
# keep (svdash.pipeline.build) and the default store is rebuilt from the embedded snapshot.
FLATTEN_VERSION = "2"

NOTICE_COLUMNS = [
    "release_key", "ocid", "release_id", "date", "tags", "buyer_name", "buyer_id", "buyer_postcode",
    "buyer_locality", "title", "description", "award_criteria_json", "value_gbp", "notice_url", "source",
    "notice_type", "legal_basis",
]
STRING_COLUMNS = [c for c in NOTICE_COLUMNS if c not in ("date", "value_gbp")]

# Document types that are the public notice itself, best first (OCDS documentType codelist + UK usage).
NOTICE_DOC_TYPES = ("tenderNotice", "contractNotice", "awardNotice", "contractAwardNotice", "planningNotice",
                    "plannedProcurementNotice")
# A criterion `description` that is only a number ("30%", "70") is the weight (TED-derived publishers
# such as Public Contracts Scotland and Sell2Wales put the weighting there).
_BARE_WEIGHT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%?\s*$")
# A description that is only a weight or a weight range ("30%", "15-40%"): rendering leaves it out.
_WEIGHT_ONLY = re.compile(r"^\s*\d+(?:\.\d+)?\s*%?\s*(?:(?:-|–|to)\s*\d+(?:\.\d+)?\s*%?\s*)?$")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def canonical_json(release: dict) -> str:
    """Stable serialisation (sorted keys, no blanks), as stored in `raw_json`."""
    return json.dumps(release, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


# Bump when the key of an id-less release changes: `svdash.store.rekey` moves stored rows to the new keys.
# 2 (issue 21): the hash is taken over the release without contact points, so a copy with them (as published) and
# one without (the embedded snapshot, the store's raw JSON) are one release.
RELEASE_KEY_VERSION = "2"


def content_json(release: dict) -> str:
    """The canonical JSON of a release without officers' contact points: what the store keeps as raw JSON and
    what an id-less release is keyed by."""
    return canonical_json(drop_contacts(release))


def release_key(release: dict) -> str:
    """`ocid/id`; for a release without an id, `ocid/sha1:` + 16 hex digits of `content_json` — its content
    decides its identity, so the same release imported twice (with or without contact points) is one row."""
    ocid = _text(release.get("ocid"))
    rid = release.get("id")
    rid = str(rid).strip() if rid not in (None, "") else ""
    if rid:
        return f"{ocid}/{rid}"
    digest = hashlib.sha1(content_json(release).encode("utf-8")).hexdigest()[:16]
    return f"{ocid}/sha1:{digest}"


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(float(value)) else None
    if isinstance(value, str):
        try:
            out = float(value.replace(",", "").strip())
        except ValueError:
            return None
        return out if math.isfinite(out) else None
    try:  # Decimal from a streaming parser
        return float(value)
    except (TypeError, ValueError):
        return None


def criterion_weight_pct(criterion: dict) -> float | None:
    """Weight in percent from the award criteria breakdown extension (`numbers[]`), else a bare-number description.
    Only exact weights count (LABELS.md: a range or a points score is not a stated share): `percentageExact`,
    and `decimalExact` as a fraction of 1 (0.1 → 10 %)."""
    for num in _list(criterion.get("numbers")):
        num = _dict(num)
        weight, value = num.get("weight"), _number(num.get("number"))
        if value is None:
            continue
        if weight == "percentageExact" and 0 <= value <= 100:
            return value
        if weight == "decimalExact" and 0 <= value <= 1:
            return value * 100.0
    match = _BARE_WEIGHT.match(_text(criterion.get("description")))
    if match:
        value = float(match.group(1))
        return value if 0 <= value <= 100 else None
    return None


# Text a criteria block (`awardCriteria`) carries besides its criteria: how the criteria are weighed, in words.
BLOCK_TEXT_FIELDS = ("description", "weightingDescription")


def _criteria_blocks(release: dict) -> list[tuple[str, dict]]:
    """(lot id, awardCriteria object) of every lot, then the tender-level ones (`tender.awardCriteria` is a code
    string in OCDS core, but some publishers nest criteria there; `lotDetails.awardCriteria` covers all lots)."""
    tender = _dict(release.get("tender"))
    blocks = [(str(_dict(lot).get("id", "")), _dict(_dict(lot).get("awardCriteria"))) for lot in _list(tender.get("lots"))]
    blocks.append(("", _dict(tender.get("awardCriteria"))))
    blocks.append(("", _dict(_dict(tender.get("lotDetails")).get("awardCriteria"))))
    return [(lot_id, block) for lot_id, block in blocks if block]


def award_criteria(release: dict) -> list[dict]:
    """Structured criteria (award criteria breakdown extension), each with its `text` as rendered into the
    description (so evidence quoted from it is verbatim), plus the blocks' own text as items of kind `text`
    ("60% Technical, 10% Social Value and 30% Commercial": criteria published only as words)."""
    out = []
    for lot_id, block in _criteria_blocks(release):
        for crit in _list(block.get("criteria")):
            crit = _dict(crit)
            name, ctype, desc = _text(crit.get("name")), _text(crit.get("type")), _text(crit.get("description"))
            weight = criterion_weight_pct(crit)
            text = render_criterion(name or ctype, desc, weight if _list(crit.get("numbers")) else None)
            if text:
                out.append({"kind": "criterion", "lot": lot_id, "type": ctype, "name": name, "description": desc,
                            "weight_pct": weight, "text": text})
        for field in BLOCK_TEXT_FIELDS:
            text = _text(block.get(field))
            if text:
                out.append({"kind": "text", "lot": lot_id, "type": "", "name": "", "description": text,
                            "weight_pct": None, "text": text})
    return out


def _fmt_pct(value: float) -> str:
    return f"{value:g}%"


def render_criterion(name: str, description: str, weight: float | None) -> str:
    """"name (description) W%": the description when it says more than the name or a bare weight, then the
    weight given (callers pass the `numbers[]` weight: the labelled text of the TED-derived feeds, whose
    weight is a bare-number description, carries criterion names only). "" without name or type."""
    if not name:
        return ""
    if description and not _WEIGHT_ONLY.match(description) and description != name:
        name = f"{name} ({description})"
    return f"{name} {_fmt_pct(weight)}" if weight is not None else name


def _criteria_line(lot_id: str, criteria: list) -> str:
    names = []
    for crit in criteria:
        crit = _dict(crit)
        text = render_criterion(_text(crit.get("name")) or _text(crit.get("type")), _text(crit.get("description")),
                                criterion_weight_pct(crit) if _list(crit.get("numbers")) else None)
        if text:
            names.append(text)
    return f"Award criteria (lot {lot_id}): " + "; ".join(names) if names else ""


def description_text(release: dict) -> str:
    tender = _dict(release.get("tender"))
    parts = [_text(tender.get("description")), _text(release.get("description"))]
    parts += [_text(_dict(a).get("description")) for a in _list(release.get("awards"))]
    for lot in _list(tender.get("lots")):
        lot = _dict(lot)
        lot_id = str(lot.get("id", ""))
        title, desc = _text(lot.get("title")), _text(lot.get("description"))
        if title:
            parts.append(f"Lot {lot_id}: {title}. {desc}" if desc else f"Lot {lot_id}: {title}")
        elif desc:
            parts.append(desc)
        block = _dict(lot.get("awardCriteria"))
        parts.append(_criteria_line(lot_id, _list(block.get("criteria"))))
        parts += [_text(block.get(f)) for f in BLOCK_TEXT_FIELDS]
        parts.append(_text(_dict(lot.get("selectionCriteria")).get("description")))
    for block in (_dict(tender.get("awardCriteria")), _dict(_dict(tender.get("lotDetails")).get("awardCriteria"))):
        if block.get("criteria"):
            parts.append(_criteria_line("all", _list(block["criteria"])).replace("(lot all)", "(all lots)"))
        parts += [_text(block.get(f)) for f in BLOCK_TEXT_FIELDS]
    parts.append(_text(_dict(tender.get("lotDetails")).get("awardCriteriaDetails")))
    parts.append(_text(tender.get("awardCriteriaDetails")))
    parts.append(_text(_dict(tender.get("contractTerms")).get("performanceTerms")))
    for crit in _list(_dict(tender.get("selectionCriteria")).get("criteria")):
        parts.append(_text(_dict(crit).get("description")))
    # Find a Tender fields where evaluation and delivery requirements are described in words: how framework
    # suppliers are selected, why a procedure was chosen (Provider Selection Regime key criteria), the
    # procedure's stages, and the contract's KPIs ("Delivery of the agreed Social Value commitments").
    parts.append(_text(_dict(_dict(tender.get("techniques")).get("frameworkAgreement")).get("description")))
    parts.append(_text(tender.get("procurementMethodRationale")))
    parts.append(_text(_dict(tender.get("procedure")).get("features")))
    for contract in _list(release.get("contracts")):
        for metric in _list(_dict(contract).get("agreedMetrics")):
            metric = _dict(metric)
            title, desc = _text(metric.get("title")), _text(metric.get("description"))
            parts.append(f"{title}: {desc}" if title and desc else title or desc)
    out: list[str] = []
    for part in parts:
        if part and part not in out:
            out.append(part)
    return "\n\n".join(out)


def _buyer_party(release: dict) -> dict:
    buyer = _dict(release.get("buyer"))
    parties = [_dict(p) for p in _list(release.get("parties"))]
    buyers = [p for p in parties if "buyer" in _list(p.get("roles"))]
    for party in buyers:
        if buyer.get("id") is not None and party.get("id") == buyer.get("id"):
            return party
    if buyers:
        return buyers[0]
    for party in parties:  # the buyer reference without the role (older publishers)
        if buyer.get("id") is not None and party.get("id") == buyer.get("id"):
            return party
    return {}


def _buyer_id(buyer: dict, party: dict) -> str:
    ident = _dict(party.get("identifier")) or _dict(buyer.get("identifier"))
    scheme, ident_id = _text(ident.get("scheme")), ident.get("id")
    if scheme and ident_id not in (None, ""):
        return f"{scheme}-{str(ident_id).strip()}"
    for value in (buyer.get("id"), party.get("id")):
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _title(release: dict) -> str:
    title = _text(_dict(release.get("tender")).get("title"))
    if title:
        return title
    for award in _list(release.get("awards")):
        if _text(_dict(award).get("title")):
            return _text(award["title"])
    return _text(_dict(release.get("planning")).get("title")) or _text(release.get("title"))


def _gbp(value: Any) -> float | None:
    value = _dict(value)
    amount = _number(value.get("amount"))
    if amount is None or _text(value.get("currency")).upper() not in ("GBP", ""):
        return None
    return amount


def value_gbp(release: dict) -> float:
    tender_value = _gbp(_dict(release.get("tender")).get("value"))
    if tender_value is not None:
        return tender_value
    awards = [_gbp(_dict(a).get("value")) for a in _list(release.get("awards"))]
    awards = [a for a in awards if a is not None]
    return float(sum(awards)) if awards else math.nan


def notice_url(release: dict) -> str:
    tender = _dict(release.get("tender"))
    docs = [_dict(d) for d in _list(tender.get("documents"))]
    for award in _list(release.get("awards")):
        docs += [_dict(d) for d in _list(_dict(award).get("documents"))]
    docs += [_dict(d) for d in _list(_dict(release.get("planning")).get("documents"))]
    for doc_type in NOTICE_DOC_TYPES:
        for doc in docs:
            url = _text(doc.get("url"))
            if doc.get("documentType") == doc_type and url.startswith(("http://", "https://")):
                return url
    return ""


def _notice_documents(release: dict) -> list[dict]:
    docs = [_dict(d) for sec in ("planning", "tender") for d in _list(_dict(release.get(sec)).get("documents"))]
    for sec in ("awards", "contracts"):
        for item in _list(release.get(sec)):
            docs += [_dict(d) for d in _list(_dict(item).get("documents"))]
    return docs


def notice_type(release: dict) -> str:
    """The Procurement Act notice type (UK1–UK17) of this release: Find a Tender marks the document that IS the
    notice (its id is the release id) with `noticeType`; else the one type its documents carry; "" when none
    (PCR 2015 and other publishers)."""
    rid = str(release.get("id", "")).strip()
    types = []
    for doc in _notice_documents(release):
        kind = _text(doc.get("noticeType"))
        if kind:
            if rid and str(doc.get("id", "")).strip() == rid:
                return kind
            types.append(kind)
    return types[0] if len(set(types)) == 1 else ""


def legal_basis(release: dict) -> str:
    """`scheme:id` of `tender.legalBasis`: "UKPGA:2023/54" is the Procurement Act 2023, "CELEX:32014L0024" the
    EU directive behind the Public Contracts Regulations 2015; "" when not published."""
    basis = _dict(_dict(release.get("tender")).get("legalBasis"))
    scheme, ident = _text(basis.get("scheme")), basis.get("id")
    ident = str(ident).strip() if ident not in (None, "") else ""
    return f"{scheme}:{ident}" if scheme and ident else scheme


def _criteria_json(criteria: list[dict]) -> str:
    # most releases publish no structured criteria: skip the encoder for them (json.dumps([]) == "[]")
    return json.dumps(criteria, ensure_ascii=False) if criteria else "[]"


def flatten_release(release: dict, source: str) -> dict:
    """One notice-frame row (all columns of NOTICE_COLUMNS); `date` stays an ISO string until framed."""
    buyer = _dict(release.get("buyer"))
    party = _buyer_party(release)
    address = _dict(party.get("address"))
    rid = release.get("id")
    tags = release.get("tag")
    tags = [str(t) for t in tags] if isinstance(tags, list) else ([str(tags)] if tags else [])
    return {
        "release_key": release_key(release),
        "ocid": _text(release.get("ocid")),
        "release_id": str(rid).strip() if rid not in (None, "") else "",
        "date": _text(release.get("date")),
        "tags": "|".join(tags),
        "buyer_name": _text(buyer.get("name")) or _text(party.get("name")),
        "buyer_id": _buyer_id(buyer, party),
        "buyer_postcode": _text(address.get("postalCode")),
        "buyer_locality": _text(address.get("locality")),
        "title": _title(release),
        "description": description_text(release),
        "award_criteria_json": _criteria_json(award_criteria(release)),
        "value_gbp": value_gbp(release),
        "notice_url": notice_url(release),
        "source": source,
        "notice_type": notice_type(release),
        "legal_basis": legal_basis(release),
    }


def parse_dates(values: pd.Series) -> pd.Series:
    """OCDS dates (with offsets or Z) → naive UTC timestamps; unparseable → NaT."""
    out = pd.to_datetime(values.replace("", None), utc=True, errors="coerce", format="ISO8601")
    return out.dt.tz_convert(None)


def notices_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows from `flatten_release` → the typed notice frame."""
    frame = pd.DataFrame(rows, columns=NOTICE_COLUMNS)
    for col in STRING_COLUMNS:
        frame[col] = frame[col].fillna("").astype("string")
    frame["date"] = parse_dates(frame["date"].astype("object"))
    frame["value_gbp"] = pd.to_numeric(frame["value_gbp"], errors="coerce").astype("float64")
    return frame
