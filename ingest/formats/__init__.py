"""One module per export format, each exposing an ``IMPORTER`` object (ingest.base.Importer)."""
