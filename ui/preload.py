"""Start loading plotly.js as soon as the page loads, not when the first chart arrives.

Streamlit's frontend fetches its Plotly component (one 4.7 MB chunk, plotly.js inside) only when a script run
sends the first chart, then spends ≈0.65 s evaluating it before anything is drawn. Every svdash page that
people land on draws a plotly chart, so the launcher serves Streamlit's own static folder with one change to
index.html: a `modulepreload` of that chunk and an `import()` of it on the window's load event. The chunk is
then fetched and evaluated while the websocket opens and the first script run computes. Measured on a
minimal app with one map (2 cores, Debian chromium, cold browser): first map 3.1–3.2 s → 2.1–2.4 s.

The folder served is a temporary overlay: symlinks to every entry of Streamlit's static folder, and the
rewritten index.html. Nothing installed is modified. When the chunk cannot be found (a Streamlit upgrade
renamed it) the page is served unchanged and a warning says why.
"""
from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path

CHUNK_GLOB = "PlotlyChart.*.js"  # Streamlit's hashed bundle of its Plotly component (static/js/)


def plotly_chunk(static_dir: Path) -> str | None:
    """File name of the Plotly component chunk in Streamlit's static folder; None when there is not exactly one."""
    found = sorted(p.name for p in (static_dir / "static" / "js").glob(CHUNK_GLOB))
    return found[0] if len(found) == 1 else None


def preload_tags(chunk: str) -> str:
    # Relative URLs like Streamlit's own, so they resolve under a page path (/map) and any baseUrlPath.
    href = f"./static/js/{chunk}"
    return (f'<link rel="modulepreload" crossorigin href="{href}">'
            f'<script type="module">addEventListener("load", () => import("{href}"))</script>')


def rewrite_index(html: str, chunk: str) -> str:
    """index.html with the preload tags at the end of <head>; ValueError when there is no </head>."""
    rewritten, found = re.subn(r"</head>", lambda _: preload_tags(chunk) + "</head>", html, count=1, flags=re.I)
    if not found:
        raise ValueError("Streamlit's index.html has no </head>")
    return rewritten


def build_overlay(static_dir: Path, dest: Path) -> str:
    """Fill `dest` with links to `static_dir`'s entries and a rewritten index.html; returns the chunk name.
    ValueError (and nothing usable in dest) when the chunk or the </head> is missing."""
    chunk = plotly_chunk(static_dir)
    if chunk is None:
        raise ValueError(f"no single {CHUNK_GLOB} in {static_dir / 'static' / 'js'}")
    html = rewrite_index((static_dir / "index.html").read_text(encoding="utf-8"), chunk)
    for entry in static_dir.iterdir():
        if entry.name != "index.html":
            os.symlink(entry, dest / entry.name)
    (dest / "index.html").write_text(html, encoding="utf-8")
    return chunk


def install() -> str:
    """Point Streamlit's static file route at an overlay with the preload; call before the server starts.
    Returns a line for the log saying what was done."""
    from streamlit import file_util

    static_dir = Path(file_util.get_static_dir())
    dest = Path(tempfile.mkdtemp(prefix="svdash-static-"))
    try:
        chunk = build_overlay(static_dir, dest)
    except (OSError, ValueError) as exc:
        shutil.rmtree(dest, ignore_errors=True)
        return f"svdash: plotly.js not preloaded ({exc}); pages work, the first chart just draws later"
    atexit.register(shutil.rmtree, dest, ignore_errors=True)
    file_util.get_static_dir = lambda: str(dest)  # read once, when the static route is created
    return f"svdash: preloading {chunk} from index.html"
