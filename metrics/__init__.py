"""Parvis figures: pure pandas functions over canonical frames (no UI, no database, no ingest)."""
