"""Ingest layer: turns export files (bytes) into canonical frames plus a validation report."""
