"""Flatten one OCDS release into a notice-frame row (contract: docs/ARCHITECTURE.md, "Notice frame").

The `description` join reproduces the text the labels were judged on (../shared/data/notices/LABELS.md):
tender description, release description, award descriptions, then per lot "Lot id: title. description",
its award-criteria names (with weights when published) and its selection-criteria text, then
`awardCriteriaDetails`, performance terms and tender-level selection criteria; parts joined with a blank
line, empty and repeated parts dropped.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

import pandas as pd

NOTICE_COLUMNS = [
    "release_key", "ocid", "release_id", "date", "tags", "buyer_name", "buyer_id", "buyer_postcode",
    "buyer_locality", "title", "description", "award_criteria_json", "value_gbp", "notice_url", "source",
]
STRING_COLUMNS = [c for c in NOTICE_COLUMNS if c not in ("date", "value_gbp")]

# Document types that are the public notice itself, best first (OCDS documentType codelist + UK usage).
NOTICE_DOC_TYPES = ("tenderNotice", "contractNotice", "awardNotice", "contractAwardNotice", "planningNotice",
                    "plannedProcurementNotice")
# A criterion `description` that is only a number ("30%", "70") is the weight (TED-derived publishers
# such as Public Contracts Scotland and Sell2Wales put the weighting there).
_BARE_WEIGHT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%?\s*$")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def canonical_json(release: dict) -> str:
    """Stable serialisation: the hash key of id-less releases and the change detector of the store."""
    return json.dumps(release, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def release_key(release: dict) -> str:
    ocid = _text(release.get("ocid"))
    rid = release.get("id")
    rid = str(rid).strip() if rid not in (None, "") else ""
    if rid:
        return f"{ocid}/{rid}"
    digest = hashlib.sha1(canonical_json(release).encode("utf-8")).hexdigest()[:16]
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
    """Weight in percent from the award criteria breakdown extension (`numbers[]`), else a bare-number description."""
    for num in _list(criterion.get("numbers")):
        num = _dict(num)
        weight, value = num.get("weight"), _number(num.get("number"))
        if value is None:
            continue
        if weight in ("percentageExact", "percentageRangeMiddle"):
            return value
        if weight == "decimalExact":
            return value * 100.0
    match = _BARE_WEIGHT.match(_text(criterion.get("description")))
    if match:
        value = float(match.group(1))
        return value if 0 <= value <= 100 else None
    return None


def award_criteria(release: dict) -> list[dict]:
    """Structured criteria from lots (award criteria breakdown extension) and from a tender-level object."""
    tender = _dict(release.get("tender"))
    sources: list[tuple[str, Any]] = [(str(_dict(lot).get("id", "")), _dict(lot).get("awardCriteria"))
                                      for lot in _list(tender.get("lots"))]
    sources.append(("", tender.get("awardCriteria")))  # core field is a code string; some publishers nest criteria
    out = []
    for lot_id, block in sources:
        for crit in _list(_dict(block).get("criteria")):
            crit = _dict(crit)
            out.append({"lot": lot_id, "type": _text(crit.get("type")), "name": _text(crit.get("name")),
                        "description": _text(crit.get("description")), "weight_pct": criterion_weight_pct(crit)})
    return out


def _fmt_pct(value: float) -> str:
    return f"{value:g}%"


def _criteria_line(lot_id: str, criteria: list) -> str:
    names = []
    for crit in criteria:
        crit = _dict(crit)
        name = _text(crit.get("name")) or _text(crit.get("type"))
        if not name:
            continue
        has_numbers = bool(_list(crit.get("numbers")))
        weight = criterion_weight_pct(crit) if has_numbers else None
        desc = _text(crit.get("description"))
        # The labelled text of the TED-derived feeds (Scotland, Wales: no numbers[]) carries criterion
        # names only; the breakdown-extension shape (Find a Tender) adds its description and weight.
        if has_numbers and desc and not _BARE_WEIGHT.match(desc) and desc != name:
            name = f"{name} ({desc})"
        if weight is not None:
            name = f"{name} {_fmt_pct(weight)}"
        names.append(name)
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
        parts.append(_criteria_line(lot_id, _list(_dict(lot.get("awardCriteria")).get("criteria"))))
        parts.append(_text(_dict(lot.get("selectionCriteria")).get("description")))
    tender_criteria = _dict(tender.get("awardCriteria")).get("criteria")
    if tender_criteria:
        parts.append(_criteria_line("all", _list(tender_criteria)).replace("(lot all)", "(all lots)"))
    parts.append(_text(_dict(tender.get("lotDetails")).get("awardCriteriaDetails")))
    parts.append(_text(tender.get("awardCriteriaDetails")))
    parts.append(_text(_dict(tender.get("contractTerms")).get("performanceTerms")))
    for crit in _list(_dict(tender.get("selectionCriteria")).get("criteria")):
        parts.append(_text(_dict(crit).get("description")))
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
