"""Makes every page run inside dashboard.py's frame, even when Streamlit starts it directly."""

from __future__ import annotations

import contextvars
import runpy
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

_DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard.py"
_inside_frame: contextvars.ContextVar[bool] = contextvars.ContextVar("parvis_frame", default=False)


@contextmanager
def frame_running():
    """Marks the current script run as going through dashboard.py (its navigation, its gate)."""
    token = _inside_frame.set(True)
    try:
        yield
    finally:
        _inside_frame.reset(token)


def require_frame() -> None:
    """Run dashboard.py instead when a page was started on its own.

    Streamlit runs a file of pages/ directly (its older multipage mode) when the first request
    after the server starts is a page URL such as /importer; the page would then miss the
    frame: navigation, language, and later the sign-in gate. Running the frame here fixes that.
    """
    if _inside_frame.get():
        return
    runpy.run_path(str(_DASHBOARD), run_name="__main__")
    st.stop()
