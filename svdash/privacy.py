"""Officers' contact details in published notices: svdash never embeds, stores for display or shows them.

Procurement notices carry `contactPoint` (and Find a Tender's `additionalContactPoints`) with the names, emails
and phone numbers of procurement officers, as published. svdash needs none of them, so the embedded snapshot
and the test fixtures are copies without them (`redact_text`, used by scripts/embed_notices.py), and
`drop_contacts` removes them from a parsed release.
"""
from __future__ import annotations

import json
import re

CONTACT_KEYS = ("contactPoint", "additionalContactPoints")
# Some upstream copies lost characters to line wrapping inside keys ("contactP    oint"): allow blanks. In the
# published pages a contactPoint object is flat (string values) and additionalContactPoints holds flat objects,
# so [^{}]* and [^\[\]]* span them.
_KEY = {k: r"\s*".join(k) for k in CONTACT_KEYS}
_CONTACT = re.compile(rf',?\s*"(?:{_KEY["contactPoint"]}"\s*:\s*\{{[^{{}}]*\}}|'
                      rf'{_KEY["additionalContactPoints"]}"\s*:\s*\[[^\[\]]*\])(?P<comma>,?)')
_LEFT = re.compile(r'"(?:email|telephone|faxNumber)"\s*:')


def _is_contact_key(key: str) -> bool:
    return re.sub(r"\s", "", key) in CONTACT_KEYS


def drop_contacts(obj: object) -> object:
    """The parsed JSON value without contact points (a copy; the input is not changed)."""
    if isinstance(obj, dict):
        return {k: drop_contacts(v) for k, v in obj.items() if not _is_contact_key(k)}
    if isinstance(obj, list):
        return [drop_contacts(v) for v in obj]
    return obj


def _drop(match: re.Match) -> str:
    # keep exactly one comma between the neighbours: `a, "contactPoint": {…}, b` → `a, b`
    return "," if match.group(0).lstrip().startswith(",") and match.group("comma") else ""


def _parse(text: str) -> object:
    # a reference parse for the check only: bare 1e9999 / NaN / Infinity are read as None on both sides
    def number(s: str) -> float | None:
        value = float(s)
        return None if value in (float("inf"), float("-inf")) else value
    return json.loads(text, parse_constant=lambda _: None, parse_float=number)


def redact_text(text: str, name: str = "document") -> str:
    """The JSON text without contact points, everything else byte for byte (bare `1e9999` numbers included).
    Raises ValueError when the result is not exactly the parsed original minus the contact points, or when
    contact details are left outside them."""
    redacted = _CONTACT.sub(_drop, text)
    if _parse(redacted) != drop_contacts(_parse(text)):
        raise ValueError(f"{name}: the redacted copy differs from the original beyond the contact points")
    if _LEFT.search(redacted):
        raise ValueError(f"{name}: contact details left outside contact points")
    return redacted
