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

from charts import format as fmt
from loaders.vocab import DocumentKind, FundingSource

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


def scoped_issues(wh, province: str, fiscal_year: int | None = None, documents=None) -> None:
    """An expander with the reading warnings of the documents in a page's scope only
    (``Warehouse.parse_issues`` of ``province``, ``fiscal_year`` and ``documents``), and a
    line saying how many warnings the province's other documents have (shown on Kho dữ
    liệu); nothing when there is no warning at all."""
    docs = None if documents is None else tuple(documents)
    mine = wh.parse_issues(province, fiscal_year, docs)
    every = wh.parse_issues(province)
    others = every[~every["document"].isin(set(mine["document"]))]  # the scope is made of whole documents
    scope = f"{province}" + (f" năm {fiscal_year}" if fiscal_year is not None else "")
    if len(mine):
        with st.expander(f"Cảnh báo khi đọc văn bản của {scope} ({len(mine)}): dòng không xếp được, giá trị không đọc được"):
            issues(mine)
    if len(others):
        where = ", ".join(f"{d} ({n})" for d, n in others["document"].value_counts(sort=False).items())
        st.caption(f"{'Văn bản trong phạm vi trang không có cảnh báo khi đọc. ' if not len(mine) else ''}"
                   f"{len(others)} cảnh báo khác thuộc văn bản khác của {province}, ngoài phạm vi trang này: {where} "
                   "(xem ở trang của văn bản đó, hoặc trang Kho dữ liệu dành cho biên tập viên).")


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
        located = text(getattr(row, "location", None), "")
        place = f"**{located}**" if located else f"dòng **{row.source_line}**"
        cell = f" ({row.source_ref})" if text(row.source_ref, "") and not located else ""
        code = f", dòng {row.code}" if text(row.code, "") else ""
        computed = text(row.computed, "không tính được")
        st.markdown(f"- **{row.document}**, {place}{cell} — {row.column_label}{code}: "
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


# --- Kho dữ liệu and Quản trị: the documents held and the audit log ------------------------
DOCUMENT_KIND_LABELS = DocumentKind.labels()  # "plan" → "Kế hoạch", every kind the loaders emit


def _blank(value) -> bool:
    """True for None, NaN, NA, NaT (not for a list or an array of values)."""
    if value is None:
        return True
    if isinstance(value, str):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array
        return False


def _texts(values, label: Mapping | Callable | None = None) -> list[str]:
    """Each value as a cell's text: "" for None / NaN, else ``label`` of it (a mapping, the
    value itself when not in it; or a function), else the value."""
    out = []
    for v in values:
        if _blank(v):
            out.append("")
        elif callable(label):
            out.append(label(v))
        elif label is not None:
            out.append(label.get(v, v))
        else:
            out.append(str(v))
    return out


def _years(value) -> str:
    """Fiscal years as one text: [2024, 2025] or "2024, 2025" → "2024, 2025"."""
    if isinstance(value, str):
        return value
    try:
        return ", ".join(str(int(y)) for y in value)
    except TypeError:
        return str(value)


def documents_table(docs: pd.DataFrame) -> pd.DataFrame:
    """The documents of the warehouse (``Warehouse.documents``) for people: Vietnamese headers,
    the kind's label ("Kế hoạch"), years "2024, 2025", dates dd/mm/yyyy (the date as printed
    when it was not read), empty cells instead of None; counts stay numbers."""
    printed = _texts(docs["issued_text"]) if "issued_text" in docs.columns else [""] * len(docs)
    return pd.DataFrame(
        {
            "Văn bản": _texts(docs["document"]),
            "Tỉnh": _texts(docs["province"]),
            "Năm": _texts(docs["fiscal_years"], _years),
            "Loại văn bản": _texts(docs["kind"], DOCUMENT_KIND_LABELS),
            "Cơ quan ban hành": _texts(docs["issuer"]),
            "Số hiệu": _texts(docs["number"]),
            "Ngày ban hành": [fmt.date(d) or p for d, p in zip(docs["issued_date"], printed)],
            "Trích yếu": _texts(docs["title"]),
            "Dòng ngân sách": docs["budget_lines"].astype("int64"),
            "Tổng cộng đã kiểm tra": docs["totals"].astype("int64"),
            "Tổng cộng không khớp": docs["mismatches"].astype("int64"),
            "Cảnh báo khi đọc": docs["issues"].astype("int64"),
        }
    )


def _role_label(role) -> str:
    from ui.auth import ROLE_PERSON

    return ROLE_PERSON.get(role, role)


# The first word of a "users" row's target (pages/quan-tri.py, ``python -m warehouse users``).
USER_CHANGE_LABELS = {"add": "thêm", "password": "đổi mật khẩu", "reset": "cấp lại mật khẩu", "remove": "xoá",
                      "role": "đổi vai trò", "init": "tạo tệp tài khoản"}


def _audit_target(action: str, target) -> str:
    """The target of an audit row for people: a "users" row's change in Vietnamese ("add
    canbo" → "thêm canbo", "editor canbo" → "đổi vai trò thành biên tập viên: canbo")."""
    if not isinstance(target, str):
        return ""
    if action != "users":
        return target
    change, _, who = target.partition(" ")
    if change in USER_CHANGE_LABELS:
        return f"{USER_CHANGE_LABELS[change]} {who}".strip()
    role = _role_label(change)
    return f"đổi vai trò thành {role}: {who}" if role != change else target


def audit_table(log: pd.DataFrame) -> pd.DataFrame:
    """The audit log (``warehouse.audit.recent``) for people: times dd/mm/yyyy HH:MM, roles
    and actions in Vietnamese (``ui.auth.ROLE_PERSON``, ``warehouse.audit.ACTION_LABELS``),
    empty cells instead of None; the row count stays a number."""
    from warehouse.audit import ACTION_LABELS

    return pd.DataFrame(
        {
            "Thời điểm": [fmt.moment(t) for t in log["at"]],
            "Người thực hiện": _texts(log["actor"]),
            "Vai trò": _texts(log["role"], _role_label),
            "Thao tác": _texts(log["action"], ACTION_LABELS),
            "Đối tượng": [_audit_target(a, t) for a, t in zip(log["action"], log["target"])],
            "Số dòng": pd.array(log["rows"], dtype="Int64"),
            "Kết quả": ["thành công" if ok else "bị từ chối / lỗi" for ok in log["ok"]],
            "Chi tiết": [_role_label(d) if a == "users" else d
                         for a, d in zip(log["action"], _texts(log["detail"]))],
            "SHA-256": _texts(log["sha256"]),
        }
    )


def parent_names(actuals: pd.DataFrame) -> list[str]:
    """For each actual read from a report (``Warehouse.actuals``), the name of the figure it
    is a part of ("of which …": ``parent_id`` within the same document), "" for a whole; the
    internal ids ("KQ/37/1") are never shown."""
    names = {(d, a): n for d, a, n in zip(actuals["document"], actuals["actual_id"], actuals["name"])}
    out = []
    for document, parent in zip(actuals["document"], actuals["parent_id"]):
        name = None if _blank(parent) else names.get((document, parent))
        out.append(name if isinstance(name, str) else "")
    return out
