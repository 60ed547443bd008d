"""UI strings of each page, one module per page, each defining ``STRINGS`` (key → {fr, en})."""
