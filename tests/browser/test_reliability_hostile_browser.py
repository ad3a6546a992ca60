"""Real browser: CONSTRUCTED hostile notices (script tags, onerror images, javascript: links, bidi overrides,
very long words) imported and built into a temp store (SVDASH_DB) render inert on the council profile:
no dialog, no injected script runs, no image request, and the main block does not overflow sideways."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from svdash import pipeline, store
from svdash.sources.files import import_file
from svdash import launch
from tests.browser.conftest import screenshot, start_streamlit

COUNCIL = "E07000008"  # Cambridge City Council (a real council; the notices are made up)
PAYLOADS = [
    "<script>window.__xss = 1; alert('title')</script> Grounds maintenance",
    '<img src="http://127.0.0.1:9/x.png" onerror="window.__xss = 2; alert(2)"> Cleaning',
    "[Click here](javascript:window.__xss=3) ![img](http://127.0.0.1:9/y.png)",
    "Invoice \u202egnp.exe\u202c for IT support",
    "Supercalifragilistic" * 200,
]
EVIDENCE = ("Social value will be 10% of the evaluation <script>window.__xss = 4</script> "
            "<img src=x onerror=\"window.__xss=5\"> [link](javascript:window.__xss=6) \u202eesrever " + "W" * 3000 + ".")


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    rels = [{"ocid": f"ocds-constructed-hostile-{i}", "id": "1", "date": f"2024-0{i + 1}-01T00:00:00Z",
             "tag": ["tender"], "buyer": {"name": "Cambridge City Council"},
             "parties": [{"name": "Cambridge City Council", "roles": ["buyer"],
                          "address": {"postalCode": "CB2 1QJ"}}],
             "tender": {"title": t, "description": EVIDENCE}} for i, t in enumerate(PAYLOADS)]
    src = tmp / "hostile.json"
    src.write_text(json.dumps({"releases": rels}), encoding="utf-8")
    db = tmp / "hostile.duckdb"
    con = store.open_store(db)
    import_file(con, src)
    pipeline.build(con)
    n = con.execute("SELECT count(*) FROM notice_facts WHERE buyer_gss_code = ?", [COUNCIL]).fetchone()[0]
    con.close()
    assert n == len(PAYLOADS), "the constructed notices must resolve to Cambridge to be shown on its profile"
    proc, url, _ = start_streamlit({"SVDASH_DB": str(db)})
    yield url
    launch.stop(proc)


def test_council_profile_renders_hostile_notices_inert(page, hostile_app):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    images: list[str] = []
    page.on("request", lambda r: images.append(r.url) if ":9/" in r.url else None)
    page.goto(f"{hostile_app}/council?council={COUNCIL}")
    expect(page.get_by_text("Evidence quotes")).to_be_visible(timeout=90_000)
    page.wait_for_timeout(1500)
    assert page.locator("[data-testid='stException']").count() == 0
    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    assert images == []
    main = page.locator("[data-testid='stMainBlockContainer']")
    overflow = main.evaluate("el => el.scrollWidth - el.clientWidth")
    page_overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    screenshot(page, "hostile_council_profile")
    assert overflow <= 1 and page_overflow <= 1, (overflow, page_overflow)
    assert page.locator("script:has-text('__xss')").count() == 0  # no payload became a DOM script
    assert page.get_by_text("<script>window.__xss = 4</script>", exact=False).count() >= 1  # shown as text
