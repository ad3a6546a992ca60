"""The launcher the benchmark and scripts/run.sh use (svdash.launch → python -m ui.launcher): the page preloads
plotly.js, the server warms its caches once the browser has its scripts, and the Map page still shows everything
it showed before the speed-ups, in order."""
from __future__ import annotations

import re
import urllib.request

from playwright.sync_api import expect

from svdash import launch


def test_launcher_warms_up_and_map_page_is_complete(page, tmp_path):
    log = tmp_path / "server.log"
    # a fresh store path: the warm-up builds it from the embedded snapshot, the page then reads it
    proc, url = launch.start_dashboard({"SVDASH_DB": str(tmp_path / "svdash.duckdb")}, log=log)
    try:
        with urllib.request.urlopen(f"{url}/map", timeout=10) as r:  # the page a browser gets first
            html = r.read().decode()
        assert 'rel="modulepreload" crossorigin href="./static/js/PlotlyChart.' in html
        page.goto(f"{url}/map")
        paths = page.locator("g.choroplethlayer path")
        expect(paths).to_have_count(296, timeout=90_000)
        expect(page.locator("h1").first).to_contain_text("Map")
        expect(page.locator(".gtitle").first).to_contain_text("England")            # the map's title
        expect(page.locator(".legend").first).to_contain_text("No evidence found (unknown)")  # its legend
        metric = page.get_by_test_id("stMetric").filter(has_text="Councils counted")
        expect(metric).to_contain_text("317")  # the lower tier on the map and the county outlines
        expect(page.get_by_text("Table:", exact=False).first).to_be_visible()       # the table twin
        expect(page.get_by_text("About this measure")).to_be_visible()
        # the summary is sent after the map but still sits above it
        assert metric.bounding_box()["y"] < page.locator(".js-plotly-plot").first.bounding_box()["y"]
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        launch.stop(proc)
    text = log.read_text(errors="replace")
    assert "svdash: preloading PlotlyChart." in text, text[-2000:]
    assert "svdash: TCP_NODELAY on the server socket" in text, text[-2000:]
    assert "svdash warm-up done" in text, text[-2000:]
    # it waited for a browser's page load: the HTML (fetched above) and Streamlit's scripts
    assert re.search(r"waiting for the page, (\d{2,}) static requests", text), text[-2000:]
