"""Officers' contact details never reach the embedded data or the test fixtures (svdash.privacy)."""
from __future__ import annotations

import json
import re

import pytest

from svdash.paths import NOTICES_DIR, REPO_ROOT
from svdash.privacy import drop_contacts, redact_text

# What the brief's check looks for: a contact field with a value anywhere in a JSON file.
CONTACT_VALUE = re.compile(r'"(?:email|telephone|faxNumber)"\s*:\s*"[^"]+')


def test_no_embedded_or_fixture_notice_carries_contact_details():
    files = sorted(NOTICES_DIR.rglob("*.json")) + sorted((REPO_ROOT / "tests" / "fixtures").rglob("*.json"))
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not CONTACT_VALUE.search(text), path
        assert '"contactPoint"' not in text, path


def test_redaction_keeps_everything_else_byte_for_byte():
    # CONSTRUCTED: a pretty-printed party with a contact point between two keys, a bare 1e9999 after it,
    # an additionalContactPoints list at the end and a key broken by upstream line wrapping
    text = ('{\n "parties": [\n  {\n   "name": "Borsetshire Council",\n   "contactPoint": {\n'
            '    "name": "A. Officer",\n    "email": "a.officer@example.org"\n   },\n   "roles": ["buyer"],\n'
            '   "additionalContactPoints": [\n    {\n     "telephone": "0100"\n    }\n   ]\n  },\n'
            '  {"name": "X", "contactP    oint": {"email": "x@example.org"}}\n ],\n'
            ' "tender": {"maximumLotsBidPerSupplier": 1e9999}\n}\n')
    out = redact_text(text)
    assert "Officer" not in out and "0100" not in out and "x@example.org" not in out
    assert '"maximumLotsBidPerSupplier": 1e9999' in out and '"roles": ["buyer"]' in out
    parsed = json.loads(out.replace("1e9999", "null"))
    assert parsed["parties"][0] == {"name": "Borsetshire Council", "roles": ["buyer"]}


def test_a_contact_detail_outside_a_contact_point_is_refused():
    with pytest.raises(ValueError, match="left outside"):
        redact_text('{"parties": [{"details": {"email": "someone@example.org"}}]}', "constructed.json")


def test_drop_contacts_on_parsed_json():
    rel = {"parties": [{"name": "B", "contactPoint": {"email": "e"}, "additionalContactPoints": [{"name": "n"}]}]}
    assert drop_contacts(rel) == {"parties": [{"name": "B"}]}
    assert rel["parties"][0]["contactPoint"] == {"email": "e"}  # input unchanged
