"""AppTest: the sidebar says how fresh the data is ("Data as of … · built …") and warns, calmly and with the
commands to run, when the newest notice is more than 14 days before today (`ui.sidebar.today`, fixed here)."""
from __future__ import annotations

from datetime import date

import pytest

from tests.app.conftest import open_page
from ui import sidebar

LATEST = "2025-03-01"  # the constructed store's newest notice (tests/app/constructed_store.py)


def _stale_warnings(at) -> list[str]:
    return [w.value for w in at.sidebar.warning if "svdash update" in w.value]


def test_fresh_data_has_no_warning(monkeypatch):
    monkeypatch.setattr(sidebar, "today", lambda: date(2025, 3, 15))  # 14 days after the newest notice
    at = open_page("")
    assert not at.exception
    assert any(f"Data as of **{LATEST}** · built 2026-11-27" in m.value for m in at.sidebar.markdown)
    assert not _stale_warnings(at)


def test_stale_data_says_how_to_update(monkeypatch):
    monkeypatch.setattr(sidebar, "today", lambda: date(2025, 3, 16))  # 15 days
    at = open_page("map")
    assert not at.exception
    (warning,) = _stale_warnings(at)
    assert "1 March 2025, 15 days before today" in warning and "svdash snapshot import URL" in warning


@pytest.mark.parametrize("latest, on, stale", [("2026-08-11", date(2026, 8, 25), False),
                                               ("2026-08-11", date(2026, 8, 26), True),
                                               ("unknown", date(2026, 12, 7), False)])
def test_stale_rule(latest, on, stale):
    assert (sidebar.stale_warning(latest, on) is not None) is stale
