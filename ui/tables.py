"""Tables as the pages show them: amounts stay numbers (so a column sorts by value) and are
displayed the Vietnamese way through the column configuration; empty cells show "—".

Amounts are integer đồng: ``amount_column`` displays 11523500000 as "11.523.500.000 đ" with a
printf format (sprintf-js in the browser: ``'.`` makes "." the thousands separator), whatever
the browser's language. Decimal values (rates, indicator values) need a decimal comma, which
the printf format cannot give, so ``decimals`` formats those few cells with Babel through a
pandas Styler: the cell shows "99,9%" while the column keeps its numbers and sorts by value.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from loaders.vocab import FundingSource

AMOUNT_FORMAT = "%'.,d đ"
# The columns of ``Warehouse.lines`` a download carries (warehouse.workbook gives them
# Vietnamese headers and labels).
LINE_EXPORT_COLUMNS = [
    "province", "fiscal_year", "phase_vn", "kind", "direction", "unit", "unit_kind", "appendix", "code", "description",
    "period",
    "funding_source", "funding_note", "amount_vnd", "document", "source_line",
]
COUNT_FORMAT = "%'.,d"
PLACEHOLDER = "—"


AMOUNT_WIDTH = 140  # px: "141.500.000.000 đ" in full (a clipped amount reads as another amount)


def amount_column(label: str | None = None, help: str | None = None, width=AMOUNT_WIDTH):
    """A column of integer đồng shown as "1.234.567 đ", sorted by value, wide enough for
    hundreds of billions."""
    return st.column_config.NumberColumn(label, format=AMOUNT_FORMAT, help=help, width=width)


def count_column(label: str | None = None, help: str | None = None, width=None):
    """A column of counts shown as "1.234" (years and line numbers need no configuration)."""
    return st.column_config.NumberColumn(label, format=COUNT_FORMAT, help=help, width=width)


def decimals(df: pd.DataFrame, formats: Mapping[str, Callable[[float], str]]):
    """A Styler showing the columns of ``formats`` through their formatter (e.g.
    ``charts.format.pct``); the values (and so the sorting) stay numeric."""
    return df.style.format({c: f for c, f in formats.items() if c in df.columns}, na_rep=PLACEHOLDER)


def show(data, column_config: Mapping | None = None, **kwargs):
    """``st.dataframe`` with the house defaults: no index, full width, "—" for empty cells."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    kwargs.setdefault("placeholder", PLACEHOLDER)
    return st.dataframe(data, column_config=dict(column_config or {}), **kwargs)


SEVERITY_VN = {"warning": "Cảnh báo", "error": "Lỗi", "info": "Ghi chú"}


def _labelled(message: str) -> str:
    """A parser message with the vocabulary's codes ("UNSPECIFIED") replaced by their
    Vietnamese labels ("Chưa ghi nguồn"), as the page shows it."""
    if not isinstance(message, str):
        return message
    for code, label in FundingSource.labels().items():
        message = re.sub(rf"\b{code}\b", label, message)
    return message


def issues(df: pd.DataFrame):
    """The parsers' warnings (``Warehouse.parse_issues``) under Vietnamese headers, codes
    shown by their labels."""
    return show(
        pd.DataFrame(
            {
                "Văn bản": df["document"],
                "Dòng": df["line"],
                "Mức độ": df["severity"].map(lambda s: SEVERITY_VN.get(s, s)),
                "Nội dung": df["message"].map(_labelled),
                "Dòng gốc": df["text"],
            }
        ),
        {"Nội dung": st.column_config.TextColumn(width="large")},
    )


def text(value, default: str = PLACEHOLDER) -> str:
    """A cell's text for a sentence: ``default`` for None / NaN / empty (pandas gives NaN
    for a missing string, and NaN is truthy)."""
    return value if isinstance(value, str) and value.strip() else default


def ratio_mismatches(df: pd.DataFrame, headline: str) -> None:
    """The printed percentages that do not match their amounts (``Warehouse.ratio_checks``
    with status "mismatch"), one line each with document, line and cell: "**exec.pdf**, dòng
    **77** (Trang 4, bảng 1, hàng 4, cột 5) — Thực hiện/Dự toán năm (%), dòng 2.3: in 7.350,
    tính được 24"."""
    st.error(headline)
    for row in df.itertuples():
        cell = f" ({row.source_ref})" if text(row.source_ref, "") else ""
        code = f", dòng {row.code}" if text(row.code, "") else ""
        computed = text(row.computed, "không tính được")
        st.markdown(f"- **{row.document}**, dòng **{row.source_line}**{cell} — {row.column_label}{code}: "
                    f"in **{row.printed}**, tính từ số tiền **{computed}**")


def excluded_documents(df: pd.DataFrame) -> None:
    """The documents of the folder the last build left out as duplicates
    (``Warehouse.excluded_documents``), one warning listing each with the document kept;
    nothing when there is none."""
    if df.empty:
        return
    lines = "\n".join(f"- **{row.document}**: {row.message}" for row in df.itertuples())
    st.warning(f"{len(df)} văn bản trong thư mục văn bản bị trùng với văn bản đã có nên **không được tính** "
               "(giữ văn bản đọc trước, theo thứ tự tên tệp); gỡ bản trùng hoặc xác nhận cho phép trùng phạm vi "
               f"rồi xây dựng lại:\n{lines}")
