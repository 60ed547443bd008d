"""The language identifier read from its decompressed copy is the one py3langid ships."""

from __future__ import annotations

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from metrics import language_model
from metrics.language_model import cached_model_path, language_identifier

TEXTS = [
    "Bonjour, le lampadaire de la rue est cassé depuis une semaine",
    "The street light on my block has been broken for a week",
    "Guten Tag, die Straße ist schmutzig",
    "",
]
MODEL = MODEL_DIR / MODEL_FILE


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(language_model.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _same(identifier, shipped) -> None:
    np.testing.assert_array_equal(identifier.nb_ptc, shipped.nb_ptc)
    np.testing.assert_array_equal(identifier.nb_pc, shipped.nb_pc)
    assert identifier.nb_classes == shipped.nb_classes
    assert list(identifier.tk_nextmove) == list(shipped.tk_nextmove)
    assert list(identifier.tk_row) == list(shipped.tk_row)
    assert identifier.tk_output == shipped.tk_output
    for text in TEXTS:
        assert identifier.classify(text) == shipped.classify(text)


def test_the_copy_is_written_then_read_and_gives_the_shipped_identifier(cache, monkeypatch):
    shipped = LanguageIdentifier.from_model_file(MODEL_FILE)
    first = language_identifier()
    assert cached_model_path(MODEL).is_file()
    _same(first, shipped)

    def no_decompression(*args, **kwargs):
        raise AssertionError("the shipped model was read again")

    monkeypatch.setattr(language_model.lzma, "open", no_decompression)
    _same(language_identifier(), shipped)


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"not a numpy archive"),
        lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
        lambda path: np.savez(path, ptc=np.zeros(3), pc=np.zeros(3)),  # arrays missing
        lambda path: np.savez(
            path, **{name: np.array(["x"]) for name in language_model._ARRAYS}
        ),  # the wrong kinds of values
    ],
)
def test_a_damaged_copy_is_not_used_and_is_replaced(cache, damage):
    language_identifier()
    path = cached_model_path(MODEL)
    damage(path)
    _same(language_identifier(), LanguageIdentifier.from_model_file(MODEL_FILE))
    assert language_model._cached_arrays(MODEL) is not None  # written again, whole


def test_an_unwritable_cache_directory_only_costs_the_copy(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(language_model.CACHE_ENV, str(blocker / "cache"))
    _same(language_identifier(), LanguageIdentifier.from_model_file(MODEL_FILE))
    assert not list(tmp_path.glob("**/*.npz"))
