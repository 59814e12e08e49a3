"""Extraction: plain functions from an annotated article to table rows (no Prefect here)."""
