"""Session copies for uploads: the published store and records are never changed by a visitor's upload."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import streamlit as st

from ui import state


class UploadError(ValueError):
    """An upload that cannot be used; the message is shown and the previous data stays in use."""


def _rebuild(con, path: Path) -> None:
    from svdash import pipeline  # build: resolve buyers, classify, aggregate (classify + measures issues)

    try:
        pipeline.build(con)
    except TypeError:  # a path-based signature
        con.close()
        pipeline.build(path)


def import_notices(name: str, data: bytes) -> dict:
    """Copy the store in use, import the uploaded OCDS file into the copy, rebuild it, switch this session to it."""
    from svdash import store
    from svdash.sources import files

    current = state.data()
    if not current.ok:
        raise UploadError("no data store is loaded to add notices to")
    work = Path(tempfile.mkdtemp(prefix="svdash-upload-"))
    upload = work / Path(name).name
    upload.write_bytes(data)
    copy = work / "session.duckdb"
    shutil.copyfile(current.path, copy)
    try:
        con = store.open_store(copy)
        try:
            summary = files.import_file(con, upload)
            if summary.get("items", 0) == 0:
                reasons = "; ".join(f"{r['position']}: {r['reason']}" for r in summary.get("rejects", [])[:3])
                raise UploadError(f"{name}: no OCDS releases could be read" + (f" ({reasons})" if reasons else ""))
            _rebuild(con, copy)
        finally:
            try:
                con.close()
            except Exception:
                pass
    except UploadError:
        shutil.rmtree(work, ignore_errors=True)
        raise
    except Exception as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise UploadError(f"{name}: {exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from exc
    st.session_state[state.DB_OVERRIDE] = str(copy)
    return summary
