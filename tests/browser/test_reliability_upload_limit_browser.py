"""Real browser: the upload size limit (.streamlit/config.toml maxUploadSize) is enforced with a friendly
message before any byte reaches svdash, and the page keeps working."""
from __future__ import annotations

import tomllib

from playwright.sync_api import expect

from tests.browser.conftest import REPO, screenshot


def _limit_mb() -> int:
    return int(tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"])


def test_config_sets_a_modest_upload_limit():
    assert 1 <= _limit_mb() <= 200


def test_oversized_upload_is_refused_with_a_message(page, app_url, tmp_path):
    limit = _limit_mb()
    big = tmp_path / "too_big.csv"
    with big.open("wb") as fh:  # CONSTRUCTED: a header and padding just over the limit
        fh.write(b"gss_code,council_name,status,source_url\n")
        fh.truncate((limit << 20) + (1 << 20))
    page.goto(f"{app_url}/upload")
    uploader = page.locator("[data-testid='stFileUploader']").first
    expect(uploader).to_be_visible(timeout=60_000)
    uploader.locator("input[type='file']").set_input_files(str(big))
    expect(page.get_by_text(f"{float(limit)}MB or smaller", exact=False)).to_be_visible(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    expect(page.get_by_text("Adoption records in use")).to_be_visible()
    screenshot(page, "upload_too_big")
