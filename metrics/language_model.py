"""The language identifier's model (py3langid), read from a decompressed copy kept on disk."""

from __future__ import annotations

import contextlib
import io
import lzma
import os
import tempfile
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

CACHE_ENV = "PARVIS_CACHE_DIR"
DEFAULT_CACHE_DIR = Path(__file__).resolve().parents[1] / "data" / "cache"
# The arrays of py3langid's model and the kind of values each holds (checked on every read of
# the copy: a damaged or foreign file is never used).
_ARRAYS = {
    "ptc": "f",
    "pc": "f",
    "classes": "U",
    "nextmove": "u",
    "nextmove_row": "u",
    "out_feat": "i",
}


def cache_dir() -> Path:
    """Where derived files are kept: ``PARVIS_CACHE_DIR``, default ``data/cache``."""
    return Path(os.environ.get(CACHE_ENV, DEFAULT_CACHE_DIR))


def language_identifier() -> Any:
    """py3langid's LanguageIdentifier on its shipped model (nothing is downloaded).

    The model ships compressed (LZMA): decompressing it took 0.3 of the 0.33 s a process
    spent loading it. Its decompressed arrays are kept in the cache directory, named after
    the package version and the model file's size and date, and read from there in 0.06 s.
    Without a usable copy (first use, damaged file, read-only directory) the shipped file is
    read as before.
    """
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    try:  # how py3langid turns the arrays into its tables (a private helper of 0.4)
        from py3langid.modelio import _to_array
    except ImportError:
        return LanguageIdentifier.from_model_file(MODEL_FILE)
    model = Path(MODEL_DIR) / MODEL_FILE
    arrays = _cached_arrays(model)
    if arrays is None:
        arrays = _shipped_arrays(model)
        _keep(model, arrays)
    return LanguageIdentifier(
        np.asarray(arrays["ptc"]),
        np.asarray(arrays["pc"]),
        arrays["classes"].tolist(),
        _to_array(arrays["nextmove"]),
        arrays["out_feat"].tolist(),
        tk_row=_to_array(arrays["nextmove_row"]),
    )


def cached_model_path(model: Path) -> Path:
    """The decompressed copy of ``model`` in the cache directory."""
    stat = model.stat()
    name = f"py3langid-{version('py3langid')}-{stat.st_size}-{stat.st_mtime_ns}.npz"
    return cache_dir() / name


def _shipped_arrays(model: Path) -> dict[str, np.ndarray]:
    with lzma.open(model) as source:
        raw = source.read()
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        return {name: data[name] for name in _ARRAYS}


def _cached_arrays(model: Path) -> dict[str, np.ndarray] | None:
    try:
        with np.load(cached_model_path(model), allow_pickle=False) as data:
            arrays = {name: data[name] for name in _ARRAYS}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    if any(arrays[name].dtype.kind != kind for name, kind in _ARRAYS.items()):
        return None
    return arrays


def _keep(model: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write the copy atomically (a reader never sees half a file); give up quietly when the
    directory cannot be written."""
    target = cached_model_path(model)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=".py3langid-", suffix=".npz")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            np.savez(handle, **arrays)
        os.replace(name, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(name)
