"""Reading the text of a generated PDF, shared by the brief tests."""

from __future__ import annotations

import io

from pypdf import PdfReader


def words(value: str) -> str:
    """Text with every run of white space (narrow no-break spaces included) as one space."""
    return " ".join(value.split())


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    """The reader of a PDF and all its text, white space normalised by ``words``."""
    reader = PdfReader(io.BytesIO(data))
    return reader, words("\n".join(page.extract_text() for page in reader.pages))
