"""svdash/ is the logic layer: it must never import streamlit (UI caching lives in dashboard.py, app_pages/, ui/)."""
import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "svdash"


def test_svdash_never_imports_streamlit():
    offenders = []
    for path in PKG.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []
