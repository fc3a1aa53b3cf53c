"""Download buttons for any table a page shows: a formatted Excel workbook and an Excel-
friendly CSV, built only when the button is clicked (deferred ``data``), never on a rerun.

    from ui.downloads import table_downloads
    table_downloads(lines, "Dòng ngân sách — Điện Biên 2024", {"x": "Tên cột"}, name="ngan-sach_dien-bien_2024")

The DataFrame keeps the warehouse's column names and codes (``amount_vnd``,
``funding_source`` …); the files show Vietnamese headers and labels
(``warehouse.workbook``), amounts as integer đồng in the VND format, a frozen header with
filters and a "Nguồn dữ liệu" sheet; the CSV is UTF-8 with a BOM.

Text that starts like a formula is shown, never run (``warehouse.workbook``): the .xlsx
types every text cell as text (the value stays verbatim, "=1+1" is shown as written); the
CSV, which has no cell types and is meant to be opened in Excel, puts an apostrophe before
text starting with "=", "+", "-", "@" ("'=1+1"). This guard belongs to these downloads only:
the Fiscal Data Package (``python -m warehouse export``) keeps every value verbatim.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from warehouse.workbook import frame_to_csv, frame_to_xlsx

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_stem(text: str) -> str:
    """A file name from a title: ASCII letters, digits and "-" (``"Ngân sách — Điện Biên
    2024"`` → ``"ngan-sach-dien-bien-2024"``)."""
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "bang"


def table_downloads(df: pd.DataFrame, title: str, labels: Mapping[str, str] | None = None, name: str | None = None,
                    provenance: Mapping[str, object] | None = None, key: str | None = None, container=st) -> None:
    """Two buttons, "Tải Excel (.xlsx)" and "Tải CSV", for ``df`` under ``title``.

    ``labels``: Vietnamese headers for columns ``warehouse.workbook.HEADERS`` does not name;
    ``name``: the file name without suffix (default: from the title); ``provenance``: rows
    added to the "Nguồn dữ liệu" sheet (e.g. the filters); ``key``: a prefix for the widget
    keys when a page shows several tables.
    """
    stem = name or file_stem(title)
    prefix = key or stem
    c1, c2 = container.columns(2)
    c1.download_button("Tải Excel (.xlsx)", data=lambda: frame_to_xlsx(df, title, provenance, labels),
                       file_name=f"{stem}.xlsx", mime=XLSX_MIME, on_click="ignore", key=f"{prefix}_xlsx")
    c2.download_button("Tải CSV", data=lambda: frame_to_csv(df, labels), file_name=f"{stem}.csv", mime="text/csv",
                       on_click="ignore", key=f"{prefix}_csv")
