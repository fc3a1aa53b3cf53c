"""Plotly chart builders and number formatting for the pages (no Streamlit here)."""
