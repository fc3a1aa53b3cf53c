"""What AppTest shows of a page: its texts, tables and charts (shared by the page tests)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60

# Words a page must never show: Python/pandas leftovers, English UI text, developer codes.
NOT_VIETNAMESE = re.compile(
    r"\b(None|nan|NaN|NaT|null|True|False|Select all|Page not found|Deploy|Error|Traceback)\b"
    r"|\b[a-z]+(?:_[a-z0-9]+)+\b"  # snake_case codes (agencies_linked_…, budget_appendices)
    r"|\b(expenditure|revenue|approved|proposed|executed|budget|task|project|UNSPECIFIED|THU_PHI|SNKH_TW)\b"
)


def open_page(page: str | None = None, **params) -> AppTest:
    """Run the app with ``params`` in the URL, then switch to ``page`` (a script path)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    """Every text the page shows outside tables and charts."""
    parts = [t.value for t in at.title] + [h.value for h in at.header] + [h.value for h in at.subheader]
    parts += [m.value for m in at.markdown]
    parts += [c.value for c in at.caption] + [s.value for s in at.success] + [e.value for e in at.error]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [e.label for e in at.expander] + [b.label for b in at.button]
    for box in list(at.selectbox) + list(at.multiselect):
        parts.append(box.label)
        parts += [str(o) for o in box.options]
    return "\n".join(str(p) for p in parts)


def table_texts(at: AppTest) -> str:
    """Headers and text cells of every table (numbers are numbers, not text)."""
    parts = []
    for df in (d.value for d in at.dataframe):
        df = df.data if hasattr(df, "data") and not isinstance(df, pd.DataFrame) else df
        parts += [str(c) for c in df.columns]
        for col in df.columns:
            if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
                parts += [str(v) for v in df[col].dropna()]
    return "\n".join(parts)


def charts(at: AppTest) -> list[dict]:
    """The Plotly figures of the page (their JSON spec)."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def chart_texts(fig: dict) -> str:
    layout = fig.get("layout", {})
    parts = [layout.get("title", {}).get("text", "")]
    for axis in ("xaxis", "yaxis"):
        parts.append(str(layout.get(axis, {}).get("title", {}).get("text", "")))
    parts += [str(tr.get("name", "")) for tr in fig.get("data", [])]
    parts += [str(a.get("text", "")) for a in layout.get("annotations", [])]
    for tr in fig.get("data", []):
        for key in ("x", "y"):
            parts += [str(v) for v in tr.get(key) or [] if isinstance(v, str)]
    return "\n".join(parts)


def english_or_code(text: str) -> list[str]:
    """The forbidden words found in ``text`` (file names like 000_3dbc….txt and folder paths
    such as the data folder Kho dữ liệu names — /tmp/skhcn-tests-ab_1x/… — are allowed)."""
    text = re.sub(r"(?<![\w/])/[^\s·:]+", "", text)  # an absolute path: a place, not a word
    text = re.sub(r"\b\w+\.(txt|xlsx|csv|docx|pdf)\b", "", text)
    return sorted({m.group(0) for m in NOT_VIETNAMESE.finditer(text)})
