"""Chart figures cached as plain dicts and rebuilt without validation (issue 17).

A chart builder of ``charts/`` (a pure function: DataFrames and labels in, a Plotly figure
out) validates every property it sets, which costs 20–90 ms per figure on each rerun; a figure
kept by ``st.cache_data`` as a ``go.Figure`` is pickled and, when read back, validated again
(40–60 ms). Here the builder runs once per distinct input (the cache key is the builder's
module and name and Streamlit's hash of the arguments) and its output is kept as the plain
dict of ``Figure.to_dict()``; a rerun wraps that dict in ``go.Figure(spec, _validate=False)``
(≈ 0.5 ms), which ``st.plotly_chart`` serialises as before. The figure shown is the one the
builder made: same data, same layout (``tests/test_figures.py``).

    st.plotly_chart(figure(charts.by_source, wh.totals_by(f, "funding_source"), title), ...)
"""
from __future__ import annotations

import importlib
from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st


@st.cache_data(max_entries=1024, ttl=6 * 3600, show_spinner=False)
def spec(module: str, name: str, args: tuple, kwargs: tuple) -> dict:
    """The figure dict (``Figure.to_dict()``) that ``module.name(*args, **dict(kwargs))``
    builds. Raises what the builder raises (nothing is cached then)."""
    builder = getattr(importlib.import_module(module), name)
    return builder(*args, **dict(kwargs)).to_dict()


def figure(builder: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    """``builder(*args, **kwargs)`` — a module-level chart builder of ``charts/`` — from the
    cache of plain dicts, as a ``go.Figure`` that is not validated again (it was when built)."""
    data = spec(builder.__module__, builder.__name__, args, tuple(sorted(kwargs.items())))
    return go.Figure(data, _validate=False)
