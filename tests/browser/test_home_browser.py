"""Real browser: the overview leads with the evidence of adoption and draws all 296 councils offline, with no
error and no external request."""
from playwright.sync_api import expect

from tests.browser.conftest import screenshot


def test_overview_map_draws_offline(page, app_url, external_requests):
    page.goto(app_url)
    expect(page.locator("g.choroplethlayer path")).to_have_count(296, timeout=60_000)
    expect(page.get_by_text("What the evidence shows so far")).to_be_visible()
    expect(page.get_by_text("England's councils on the map")).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    # the first view of a new store reads that store (no fallback to a temporary rebuild)
    expect(page.get_by_text("could not be used")).to_have_count(0)
    screenshot(page, "overview")
    assert external_requests == []
