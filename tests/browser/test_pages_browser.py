"""Real browser on the real embedded snapshot: every page renders offline and opens on data (the evidence map
coloured, the adoption lines drawn), filters work, the CSV download equals the table shown, a council link opens
its profile. Screenshots of every page go to test-artifacts/ (page_*.png; the README's docs/screenshot-*.png
are copied from them)."""
from __future__ import annotations

import io
import re

import pandas as pd
from playwright.sync_api import expect

from svdash import adoption, views
from tests.browser.conftest import screenshot

PAGES = ["", "map", "trends", "council?council=E08000025", "compare", "findings", "data", "upload", "method"]
GREY = {"rgb(217, 217, 217)", "#d9d9d9", "rgb(189, 189, 189)"}  # "no evidence found" and low-n fills


def coloured_paths(page) -> int:
    """Map outlines drawn in a colour other than the greys (councils with evidence)."""
    fills = page.locator("g.choroplethlayer path").evaluate_all("ps => ps.map(p => getComputedStyle(p).fill)")
    return sum(f not in GREY for f in fills)


def wait_ready(page) -> None:
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_timeout(1500)  # the script may still be running after the title appears
    expect(page.get_by_role("button", name="Stop")).to_have_count(0, timeout=60_000)  # script finished
    page.wait_for_timeout(1000)  # let plotly and the data grid finish drawing before a screenshot
    assert page.locator("[data-testid='stException']").count() == 0
    expect(page.get_by_text("could not be used")).to_have_count(0)  # the store in use, not a fallback rebuild


def test_every_page_renders_offline(page, app_url, external_requests):
    for path in PAGES:
        page.goto(f"{app_url}/{path}")
        wait_ready(page)
        if path in ("", "map"):
            expect(page.locator("g.choroplethlayer path")).to_have_count(296, timeout=60_000)
            # every lower-tier council with an adoption record is coloured (records counted from the CSV)
            summary = adoption.adoption_summary(adoption.load_embedded())
            with_record = set(summary["gss_code"]) & set(views.map_units("lower")["gss_code"])
            assert coloured_paths(page) >= len(with_record) > 0
        if path == "trends":
            lines = page.locator(".js-plotly-plot").first.locator("g.scatterlayer g.trace")
            expect(lines.first).to_be_attached(timeout=60_000)
            assert lines.count() >= 12  # band, line and markers for three groups and England
        expect(page.locator("h1").first).to_be_visible()
        # Streamlit opens a "Page not found" dialog (and runs the main page) for a path it does not know
        expect(page.get_by_text("Page not found")).to_have_count(0)
        screenshot(page, "page_" + (path.split("?")[0] or "overview"))
    assert external_requests == []


def test_map_filter_then_council_link_opens_profile(page, app_url):
    page.goto(f"{app_url}/map")
    wait_ready(page)
    expect(page.locator("g.choroplethlayer path")).to_have_count(296, timeout=60_000)
    page.get_by_test_id("stSelectbox").filter(has_text="Region").click()
    page.get_by_role("option", name="East of England").click()
    expect(page.locator("g.choroplethlayer path")).to_have_count(45, timeout=30_000)
    assert "region=East+of+England" in page.url or "region=East%20of%20England" in page.url
    # The map is drawn before the rest of the rerun (table, picker options) arrives; a pick made while the
    # rerun is still running can be replaced by the rerun's own widget state (seen on a loaded CI machine).
    expect(page.get_by_role("button", name="Stop")).to_have_count(0, timeout=60_000)
    page.get_by_test_id("stSelectbox").filter(has_text="Council profile").click()
    page.get_by_role("option", name="Cambridge (E07000008)").click()
    page.get_by_text("Open the profile of Cambridge").click()
    expect(page.get_by_role("heading", name="Cambridge", exact=True)).to_be_visible(timeout=30_000)
    assert "/council" in page.url and "council=E07000008" in page.url
    screenshot(page, "flow_council_from_map")


def test_csv_download_equals_the_table_shown(page, app_url):
    page.goto(f"{app_url}/data?region=North+East&measure=adoption_recorded_share")
    wait_ready(page)
    grid = page.get_by_test_id("stDataFrame").first
    rows = grid.locator("[role='row']")
    expect(rows).to_have_count(13, timeout=30_000)  # header + 12 North East councils, all visible
    shown = [[c.inner_text() for c in rows.nth(i).locator("[role='gridcell']").all()] for i in range(1, 13)]
    with page.expect_download() as dl:
        page.get_by_text("Download CSV").click()
    csv = pd.read_csv(io.BytesIO(open(dl.value.path(), "rb").read()), dtype=str, keep_default_na=False)
    assert len(csv) == 12
    assert [r[1] for r in shown] == csv["ONS code"].tolist()
    assert [r[0] for r in shown] == csv["Council"].tolist()
    screenshot(page, "flow_data_north_east")


def test_shared_council_link_opens_inside_the_dashboard(page, app_url):
    # A shared URL straight to a page must run dashboard.py (navigation, sidebar freshness and attribution),
    # not the page file alone — which Streamlit does for a folder named pages/ (the reason for app_pages/).
    page.goto(f"{app_url}/council?council=E08000025")
    wait_ready(page)
    expect(page.get_by_role("heading", name="Birmingham")).to_be_visible()
    nav = page.locator("[data-testid='stSidebarNav']")
    expect(nav.get_by_text("Council profile")).to_be_visible()
    expect(page.get_by_text("Data freshness")).to_be_visible()
    expect(page.get_by_text("Open Government Licence", exact=False).first).to_be_attached()


LAPTOP = {"width": 1366, "height": 900}  # the meeting-room laptop of issue 22
TEXT_WIDTH = """([texts, font]) => document.fonts.ready.then(() => {
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = font;
    return Math.max(...texts.map(t => ctx.measureText(t).width));
})"""
GRID_FONT = "14px 'Source Sans', sans-serif"  # the data grid's cell font
CELL_PADDING = 17  # glide's 8 px each side and a pixel of border


def grid_scroll(grid) -> dict:
    """The data grid's scroller: how wide its columns are against the width on screen."""
    return grid.evaluate("e => { const s = e.querySelector('.dvn-scroller'); "
                         "return {content: s.scrollWidth, shown: s.clientWidth}; }")


def test_every_page_first_view_at_1366x900_with_status_and_key_columns_in_full(page, app_url):
    from svdash import export
    from svdash.filters import measure_def
    from ui import widgets

    page.set_viewport_size(LAPTOP)
    for path in PAGES:
        page.goto(f"{app_url}/{path}")
        wait_ready(page)
        screenshot(page, "laptop_" + (path.split("?")[0] or "overview"))
        if path == "trends":  # practice in the notices: points with their intervals, from the first notice period
            practice = page.locator(".js-plotly-plot").nth(2)
            practice.scroll_into_view_if_needed()
            expect(practice.locator("g.scatterlayer g.trace").first).to_be_attached(timeout=30_000)
            assert practice.locator("g.errorbars").count() > 0 and practice.locator("g.scatterlayer .js-line").count() == 0
            page.wait_for_timeout(500)
            screenshot(page, "laptop_trends_practice")
        if path == "method":  # the counts and coverage limits, read live from the store
            page.get_by_role("heading", name="Coverage limits").scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            screenshot(page, "laptop_method_coverage")
    # the profile's procurements: every column on screen, the longest status in full
    page.goto(f"{app_url}/council?council=E08000032")  # Bradford: 8 procurements, one applying social value
    wait_ready(page)
    grid = page.get_by_test_id("stDataFrame").last
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    screenshot(page, "laptop_council_procurements")
    scroll = grid_scroll(grid)
    assert scroll["content"] <= scroll["shown"], scroll  # no column off-screen
    status = page.evaluate(TEXT_WIDTH, [["Applied", "Dismissed", "No evidence in notice"], GRID_FONT])
    assert status + CELL_PADDING <= widgets.PROCUREMENT_COLUMNS["Status"][0], status
    # Compare and Data: the longest value of every key column fits its width; the key columns fit the screen
    labels = [c["label"] for c in measure_def("adoption_evidence")["categories"]]
    records = [v for v in export.RECORD_STATUS_LABELS.values() if v]
    for col, texts in (("Evidence of adoption", labels), ("Adoption record", records),
                       (export.RECORD_DATE, ["2019-09-17"])):
        width = page.evaluate(TEXT_WIDTH, [texts, GRID_FONT])
        assert width + CELL_PADDING <= widgets.COMPACT_COLUMNS[col][1], (col, width)
    for path in ("compare", "data"):
        page.goto(f"{app_url}/{path}")
        wait_ready(page)
        grid = page.get_by_test_id("stDataFrame").first
        grid.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        screenshot(page, f"laptop_{path}_table")
        key = 200 + sum(widgets.COMPACT_COLUMNS[c][1] for c in export.KEY_COLUMNS if c in widgets.COMPACT_COLUMNS)
        selection = 36 if path == "compare" else 0  # Compare's row selection boxes
        assert key + selection <= grid_scroll(grid)["shown"], (path, key)


def test_council_start_link_opens_its_council(page, app_url):
    # issue 22: the "start with a council that has evidence" links left the URL at /council, the picker empty
    page.set_viewport_size(LAPTOP)
    page.goto(f"{app_url}/council")
    wait_ready(page)
    screenshot(page, "laptop_council_start")
    first = page.get_by_test_id("stButton").filter(has=page.locator("[data-testid='stIconMaterial']")).first
    name = first.inner_text().strip().splitlines()[-1].strip()
    first.click()
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(r"/council\?.*council=E\d{8}"), timeout=30_000)
    wait_ready(page)
    screenshot(page, "laptop_council_from_start_link")


def test_compare_row_selection_opens_the_profile(page, app_url):
    page.set_viewport_size(LAPTOP)
    page.goto(f"{app_url}/compare")
    wait_ready(page)
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    first = grid.locator("[role='row']").nth(1).locator("[role='gridcell']").first.inner_text()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box
    expect(page.get_by_role("heading", name=first.strip(), exact=True)).to_be_visible(timeout=30_000)
    assert "/council" in page.url and "council=" in page.url
