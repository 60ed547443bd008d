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


_left_legacy_mode = False


def leave_legacy_multipage_mode() -> None:
    """Make Streamlit run dashboard.py (and its navigation) for every request, then rerun.

    Streamlit keeps its older multipage mode, which lists and runs every file of pages/ on its
    own, as long as no run has reached st.navigation. A first visitor who is not signed in
    never reaches it (the sign-in form stops the run first), so without this every session
    would get that mode: a sidebar naming every page, pages started without the frame.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without that mode: nothing to leave
        return
    global _left_legacy_mode
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        # Rerun once per process, so that the very first run gets the real frame too. AppTest
        # resets the flag before each of its runs: rerunning every time would swallow clicks.
        if not _left_legacy_mode:
            _left_legacy_mode = True
            st.rerun()


def require_frame() -> None:
    """Run dashboard.py instead when a page was started on its own.

    Streamlit runs a file of pages/ directly (its older multipage mode) when the first request
    after the server starts is a page URL such as /importer; the page would then miss the
    frame: navigation, language, and later the sign-in gate. Running the frame here fixes that.
    """
    if _inside_frame.get():
        return
    leave_legacy_multipage_mode()
    runpy.run_path(str(_DASHBOARD), run_name="__main__")
    st.stop()
