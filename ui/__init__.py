"""Streamlit glue shared by the pages (warehouse access, URL-bound filters, provenance)."""
