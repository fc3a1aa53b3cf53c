"""The meeting pack on Tổng quan (issue 16): "Tóm tắt" — the findings of
``reports.findings``, each with a link to the page and filters that show its figures — and
the buttons "Tải báo cáo họp" (.docx and .pdf of ``reports.content``), built only when
clicked and kept for the same province, year, quarter, estimate version, warehouse file and
typed actuals (a rebuild, an ingest or a typed actual makes a new report)."""
from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from datetime import date

import streamlit as st

from reports import findings as rules
from ui.downloads import file_stem
from warehouse.entries import entries_path

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BADGE_COLORS = {rules.INFO: "blue", rules.GOOD: "green", rules.ATTENTION: "orange", rules.PROBLEM: "red"}
_CACHE: OrderedDict = OrderedDict()
_CACHE_MAX = 24
_lock = threading.Lock()


def _plain(text: str) -> str:
    """``text`` shown as written in Markdown (a unit named "A*B" or "$" is not markup)."""
    return re.sub(r"([\\`*_\[\]{}<>#|~$])", r"\\\1", text)


def _entries_stamp() -> tuple:
    path = entries_path()
    try:
        st_ = path.stat()
        return (str(path), st_.st_mtime_ns, st_.st_size)
    except OSError:
        return (str(path), None, None)


def _version() -> str | None:
    value = st.query_params.get("version")
    return value or None


def summary(wh, province: str, year: int, today: date) -> list[rules.Finding]:
    """Show "Tóm tắt": one line per finding (its severity as a coloured badge) and its link; returns the
    findings. ``wh``: the page's (cached) warehouse."""
    try:
        found = rules.findings(wh, province, year, version=_version(), entries=entries_path(), today=today)
    except KeyError:  # a version key of another year in the URL: the latest version
        found = rules.findings(wh, province, year, entries=entries_path(), today=today)
    st.subheader("Tóm tắt")
    if not found:
        st.info(f"Chưa có số liệu để tóm tắt {province} năm {year}.")
        return found
    for i, f in enumerate(found):
        c1, c2 = st.columns([6, 1], vertical_alignment="center")
        c1.markdown(f":{BADGE_COLORS[f.severity]}-badge[{f.severity_vn}] {_plain(f.sentence)}")
        c2.page_link(f.page, label="Xem số liệu", icon=":material/arrow_forward:", query_params=f.params)
    return found


def report_bytes(wh, province: str, year: int, kind: str, today: date, quarter: int | None = None,
                 version: str | None = None) -> bytes:
    """The meeting report as .docx (``kind="docx"``) or .pdf bytes, from the plain
    ``Warehouse`` of ``wh``; cached on (warehouse file identity, typed actuals, province,
    year, quarter, version, day) — the report, shared by both formats — and the kind."""
    from reports.content import build_report
    from reports.docx import to_docx
    from reports.pdf import to_pdf

    plain = getattr(wh, "_wh", wh)
    base = (str(plain.path), plain.identity(), _entries_stamp(), province, year, quarter, version, today)
    with _lock:
        if base + (kind,) in _CACHE:
            _CACHE.move_to_end(base + (kind,))
            return _CACHE[base + (kind,)]
        report = _CACHE.get(base)  # the other format's report: the same queries and charts
    if report is None:
        try:
            report = build_report(plain, province, year, quarter, version, entries_path(), today)
        except KeyError:
            report = build_report(plain, province, year, quarter, None, entries_path(), today)
    data = to_docx(report) if kind == "docx" else to_pdf(report)
    with _lock:
        _CACHE[base] = report
        _CACHE[base + (kind,)] = data
        while len(_CACHE) > _CACHE_MAX:
            _CACHE.popitem(last=False)
    return data


@functools.lru_cache(maxsize=1)
def _font_ok() -> bool:
    """The PDF's font is there (``reports.pdf.font_files``); raises ``FontMissing``."""
    from reports.pdf import font_files

    return bool(font_files())


def downloads(wh, province: str, year: int, today: date) -> None:
    """The two buttons "Tải báo cáo họp (.docx)" and "(.pdf)", generated on click."""
    version = _version()
    stem = f"bao-cao-hop_{file_stem(province)}_{year}"
    c1, c2 = st.columns(2)
    c1.download_button("Tải báo cáo họp (.docx)", data=lambda: report_bytes(wh, province, year, "docx", today, None, version),
                       file_name=f"{stem}.docx", mime=DOCX_MIME, on_click="ignore", key="meeting_docx",
                       icon=":material/description:",
                       help="Báo cáo theo thể thức văn bản hành chính: tóm tắt, bảng theo nguồn, theo đơn vị, thực hiện, "
                            "chỉ tiêu, nhiệm vụ đến hạn, biểu đồ.")
    from reports.pdf import FontMissing

    try:
        _font_ok()
    except FontMissing as exc:
        c2.button("Tải báo cáo họp (.pdf)", disabled=True, key="meeting_pdf_off", help=str(exc))
        return
    c2.download_button("Tải báo cáo họp (.pdf)", data=lambda: report_bytes(wh, province, year, "pdf", today, None, version),
                       file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore", key="meeting_pdf",
                       icon=":material/picture_as_pdf:", help="Cùng nội dung, dạng PDF (chữ tìm kiếm được).")
