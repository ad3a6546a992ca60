"""The launcher's serving speed-ups, without a server: the plotly.js preload in index.html (ui/preload.py), the
warm-up waiting for the first page load (ui/warm.py) and the map outline with array rings (ui/cache.py).

Each test says what was tried. The static folders here are constructed in tmp_path; one test reads the
installed Streamlit's folder to catch an upgrade that renames the chunk the preload names.
"""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
from streamlit import file_util

from svdash import charts, geo
from ui import cache, nodelay, preload, warm

HTML = "<!DOCTYPE html><html><head><title>Streamlit</title></head><body></body></html>"


def _static(tmp_path, chunks=("PlotlyChart.Ab1.js",), html=HTML):
    """A constructed Streamlit static folder: index.html, static/js/<chunks>, a favicon."""
    root = tmp_path / "streamlit-static"
    (root / "static" / "js").mkdir(parents=True)
    for name in chunks:
        (root / "static" / "js" / name).write_text("export default 1")
    (root / "index.html").write_text(html)
    (root / "favicon.png").write_bytes(b"png")
    return root


def test_the_installed_streamlit_has_exactly_one_plotly_chunk():
    # tried: the real static folder; a Streamlit upgrade that renames or splits the chunk fails here first
    chunk = preload.plotly_chunk(Path(file_util.get_static_dir()))
    assert chunk is not None and chunk.startswith("PlotlyChart.")


def test_overlay_links_everything_and_preloads_the_chunk(tmp_path):
    src, dest = _static(tmp_path), tmp_path / "overlay"
    dest.mkdir()
    assert preload.build_overlay(src, dest) == "PlotlyChart.Ab1.js"
    assert sorted(p.name for p in dest.iterdir()) == ["favicon.png", "index.html", "static"]
    assert (dest / "static").is_symlink() and (dest / "static" / "js" / "PlotlyChart.Ab1.js").exists()
    html = (dest / "index.html").read_text()
    assert not (dest / "index.html").is_symlink()
    assert html.count('rel="modulepreload"') == 1 and './static/js/PlotlyChart.Ab1.js' in html
    assert html.index("import(") < html.index("</head>")  # in the head, before the body
    assert (src / "index.html").read_text() == HTML  # the installed file is never changed


@pytest.mark.parametrize("chunks", [(), ("PlotlyChart.A.js", "PlotlyChart.B.js")])
def test_overlay_refuses_when_the_chunk_is_missing_or_ambiguous(tmp_path, chunks):
    # tried: no chunk (renamed by an upgrade) and two chunks: no guess, a clear reason, nothing half-built
    src, dest = _static(tmp_path, chunks=chunks), tmp_path / "overlay"
    dest.mkdir()
    with pytest.raises(ValueError, match="PlotlyChart"):
        preload.build_overlay(src, dest)
    assert list(dest.iterdir()) == []


def test_rewrite_index_needs_a_head():
    assert preload.rewrite_index(HTML.upper(), "PlotlyChart.X.js").count("modulepreload") == 1  # </HEAD> too
    with pytest.raises(ValueError, match="</head>"):
        preload.rewrite_index("<html><body>no head</body></html>", "PlotlyChart.X.js")


def test_install_serves_the_overlay_or_says_why_not(tmp_path, monkeypatch):
    src = _static(tmp_path)
    monkeypatch.setattr(file_util, "get_static_dir", lambda: str(src))
    line = preload.install()
    assert "preloading PlotlyChart.Ab1.js" in line
    served = file_util.get_static_dir()
    assert served != str(src) and "modulepreload" in open(f"{served}/index.html").read()

    broken = _static(tmp_path / "b", chunks=())
    monkeypatch.setattr(file_util, "get_static_dir", lambda: str(broken))
    line = preload.install()
    assert "not preloaded" in line and file_util.get_static_dir() == str(broken)  # left as it was


def _run(coro) -> None:
    """Run a coroutine that never suspends (the constructed apps here do not), without an event loop: the
    browser tests' playwright may have one running in this thread, where asyncio.run() is refused."""
    try:
        coro.send(None)
    except StopIteration:
        return
    raise AssertionError("the coroutine suspended")


def _serve(app, activity, n=1):
    """Call the watched ASGI app n times, as the server would for n requests."""
    watched = warm._Watched(app, activity)
    for _ in range(n):
        _run(watched({"type": "http", "path": "/"}, None, None))


def test_nodelay_reaches_the_listening_socket_and_the_connections_it_accepts(monkeypatch):
    # tried: Streamlit's own binding after install(), then a real loopback connection accepted from it.
    # Without the option each response's body waited 42 ms for the browser's delayed acknowledgement.
    import socket

    from streamlit.web.server.starlette import starlette_server as server

    monkeypatch.setattr(server, "_bind_socket", server._bind_socket)  # restored after the test
    plain = server._bind_socket("127.0.0.1", 0, 8)
    try:  # the reason for the module: Streamlit's socket has protocol 0, so asyncio leaves Nagle on
        assert plain.proto == 0 and plain.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
    finally:
        plain.close()
    assert nodelay.install() == "svdash: TCP_NODELAY on the server socket"
    listener = server._bind_socket("127.0.0.1", 0, 8)
    try:
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        listener.setblocking(True)
        with socket.create_connection(listener.getsockname(), timeout=5):
            accepted, _ = listener.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        listener.close()


def test_nodelay_install_says_why_when_streamlit_has_no_binding_to_wrap(monkeypatch):
    from streamlit.web.server.starlette import starlette_server as server

    monkeypatch.delattr(server, "_bind_socket")
    assert "not set" in nodelay.install()


def test_static_activity_counts_requests_and_keeps_failures_balanced():
    activity = warm.StaticActivity()

    async def ok(scope, receive, send):
        assert activity.in_flight == 1  # counted while it is served

    async def fails(scope, receive, send):
        raise OSError("client went away")

    _serve(ok, activity, n=2)
    with pytest.raises(OSError):
        _serve(fails, activity)
    assert (activity.seen, activity.in_flight) == (3, 0)
    passed = []

    async def lifespan(scope, receive, send):
        passed.append(activity.in_flight)

    _run(warm._Watched(lifespan, activity)({"type": "lifespan"}, None, None))
    assert activity.seen == 3 and passed == [0]  # passed through, but only http requests count


def test_page_loaded_needs_the_page_and_its_scripts_then_quiet():
    activity = warm.StaticActivity()
    assert not activity.page_loaded(0.0)  # no visitor
    activity.begin(), activity.end()
    assert not activity.page_loaded(0.0)  # the HTML alone: its scripts are still to come
    activity.begin()
    assert not activity.page_loaded(0.0)  # a script still being sent
    activity.end()
    assert activity.page_loaded(0.0) and not activity.page_loaded(60.0)  # quiet, but not for a minute


def test_wait_for_page_returns_when_the_page_has_loaded():
    activity = warm.StaticActivity()

    def browser():
        time.sleep(0.05)
        for _ in range(3):
            activity.begin(), activity.end()

    threading.Thread(target=browser).start()
    waited = warm.wait_for_page(activity, quiet_s=0.05, no_visit_s=10, max_wait_s=10, poll_s=0.005)
    assert 0.1 <= waited < 5 and activity.seen == 3


def test_wait_for_page_does_not_wait_for_a_visitor_who_never_comes_or_stalls():
    assert warm.wait_for_page(warm.StaticActivity(), no_visit_s=0.05, max_wait_s=10, poll_s=0.005) < 5
    stalled = warm.StaticActivity()
    stalled.begin()  # a request that never ends
    assert warm.wait_for_page(stalled, no_visit_s=0.01, max_wait_s=0.1, poll_s=0.005) < 5


def test_watch_static_route_wraps_streamlits_handler(monkeypatch):
    from streamlit.web.server.starlette import starlette_static_routes as routes

    made = []
    monkeypatch.setattr(routes, "create_streamlit_static_handler", lambda **kw: made.append(kw) or "handler")
    activity = warm.StaticActivity()
    assert warm.watch_static_route(activity)
    handler = routes.create_streamlit_static_handler(directory="d", base_url=None)
    assert isinstance(handler, warm._Watched) and handler.app == "handler" and made == [{"directory": "d", "base_url": None}]


def test_lean_outline_rings_are_arrays_and_the_map_json_is_unchanged():
    raw = geo.lad_geojson()
    lean = cache.lean_geojson(raw)
    feature = lean["features"][0]
    rings = feature["geometry"]["coordinates"]
    first_ring = rings[0] if feature["geometry"]["type"] == "Polygon" else rings[0][0]
    assert isinstance(first_ring, np.ndarray) and first_ring.shape[1] == 2
    multi = next(f for f in lean["features"] if f["geometry"]["type"] == "MultiPolygon")
    assert isinstance(multi["geometry"]["coordinates"][0][0], np.ndarray)

    # the browser receives the same text as with plain lists (tried: the whole LAD map, both traces)
    as_lists = json.loads(json.dumps(lean, default=lambda a: a.tolist()))
    table = pd.DataFrame({  # constructed: one council measured, one low n
        "gss_code": ["E07000008", "E06000001"], "name": ["Cambridge", "Hartlepool"], "value": [0.5, 1.0],
        "ci_low": [0.3, 0.2], "ci_high": [0.7, 1.0], "numerator": [10, 1], "denominator": [20, 1],
        "n_notices_all": [40, 3], "low_n": [False, True]})
    fig_arrays = charts.measure_map(table, lean, unit="share", title="t", colour_title="%")
    fig_lists = charts.measure_map(table, as_lists, unit="share", title="t", colour_title="%")
    assert pio.to_json(fig_arrays.to_dict(), validate=False) == pio.to_json(fig_lists.to_dict(), validate=False)


def test_no_forced_full_gc_after_each_script_run():
    # Streamlit's runner.postScriptGC runs gc.collect(2) after every run; with the outlines in memory it holds
    # the GIL ≈90 ms (py-spy, issue 17) while the server could be sending. The option must exist in this
    # Streamlit (a rename would silently bring the collection back) and be off in the app's config.
    import tomllib

    from streamlit import config

    assert "runner.postScriptGC" in config._config_options_template
    cfg = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    assert cfg["runner"]["postScriptGC"] is False
