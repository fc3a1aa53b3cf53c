"""What the upload page shows before anything is saved, as DataFrames (Streamlit only for the
column settings):
the records a document gives, its printed totals reconciled, every warning, each with where
it was printed; and where an upload is kept until it is saved.

Shapes: one row per record (budget line, target, actual, task), per printed total or
subtotal, per warning. Amounts stay integers in đồng in the ``*_vnd`` columns; headers and
labels are Vietnamese (``warehouse.workbook.vietnamese``); "Vị trí" is the place in the
uploaded file: the record's ``location`` ("trang tính PL1, ô D12", "trang 2, bảng 1, hàng 5, cột
4"), else its line's place ("Trang 2, dòng 14"; "dòng 9" in a text file).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import streamlit as st

from loaders.model import ParseIssue, ParseResult
from warehouse.workbook import vietnamese

WHERE = "Vị trí"
SEVERITY_VN = {"error": "Lỗi", "warning": "Cảnh báo"}
MISMATCH_STYLE = "background-color: #fde2e2; color: #7a0000; font-weight: 600"

COLUMNS = {
    "budget_lines": ["source_line", "code", "description", "amount_vnd", "funding_source", "period", "phase_vn",
                     "direction", "unit", "unit_kind", "is_subtotal", "funding_note", "line_id"],
    "indicators": ["source_line", "indicator_id", "name", "target_text", "comparator", "target_value", "target_unit",
                   "lead_unit", "lead_unit_kind", "fiscal_year"],
    "actuals": ["source_line", "actual_id", "name", "period", "value", "unit"],
    "tasks": ["source_line", "name", "budget_vnd", "lead_unit", "lead_unit_kind", "assignees", "timing_text", "deadline",
              "task_id"],
}
RECORD_LABELS = {"budget_lines": "Dòng ngân sách", "indicators": "Chỉ tiêu", "actuals": "Số liệu thực hiện",
                 "tasks": "Nhiệm vụ"}
TOTAL_COLUMNS = ["source_line", "scope", "label", "kind", "printed_amount_vnd", "computed_amount_vnd",
                 "words_amount_vnd", "status", "detail"]


def safe_name(name: str) -> str:
    """A file name from the browser made safe to keep: no folders, no control characters,
    not hidden; Vietnamese letters kept (NFC). ``"../a/Phụ lục.xlsx"`` → ``"Phụ lục.xlsx"``."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1])
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    return base or "van-ban" + (Path(name or "").suffix.lower() or ".txt")


# Accepted kinds of upload (suffix: what the page calls it); the page checks them itself, not
# with the uploader's ``type=`` filter, whose refusal Streamlit prints in English.
ACCEPTED = {".xlsx": "Excel (.xlsx)", ".xls": "Excel 97–2003 (.xls)", ".docx": "Word (.docx)", ".pdf": "PDF (.pdf)",
            ".txt": "văn bản (.txt)"}
# A file name is kept as it is (``UPLOADS/<sha>/<name>``, then ``<data dir>/uploads/<name>``), and its
# temporary copies add up to 15 bytes (".<name>.<random>.part"): the 255 bytes a Linux file
# name may have, less those.
MAX_NAME_BYTES = 240


def upload_problem(name: str, size: int) -> str | None:
    """Why an upload named ``name`` of ``size`` bytes is refused before anything is written
    (Vietnamese, naming the file), or ``None``: a name with NUL or other control characters,
    a name over :data:`MAX_NAME_BYTES` bytes (UTF-8), a kind not in :data:`ACCEPTED` (a .doc
    is told to be saved as .docx), a file over ``filecheck.MAX_FILE_BYTES``."""
    from loaders.tables.files import filecheck

    shown = safe_name(name)
    if len(shown) > 80:
        shown = shown[:60] + "…" + shown[-12:]
    kinds = ", ".join(ACCEPTED.values())
    if any(unicodedata.category(c) == "Cc" for c in name or ""):
        return (f"Tên tệp \"{shown}\" có ký tự điều khiển (ví dụ NUL): hãy đổi tên tệp trên máy "
                "rồi tải lên lại. Kho dữ liệu không thay đổi.")
    size_of_name = len(unicodedata.normalize("NFC", name or "").encode("utf-8"))
    if size_of_name > MAX_NAME_BYTES:
        return (f"Tên tệp \"{shown}\" dài {size_of_name} byte (tối đa {MAX_NAME_BYTES} byte UTF-8, khoảng 80 chữ có dấu): "
                "hãy đặt tên ngắn hơn rồi tải lên lại. Kho dữ liệu không thay đổi.")
    suffix = Path(safe_name(name)).suffix.lower()
    if suffix not in ACCEPTED:
        what = f"đuôi {suffix}" if suffix else "không có đuôi tệp"
        hint = " Tệp Word định dạng cũ (.doc): hãy mở bằng Word và lưu lại dạng .docx." if suffix == ".doc" else ""
        return f"Tệp \"{shown}\" ({what}) không được nhận: chỉ nhận {kinds}.{hint}"
    if size > filecheck.MAX_FILE_BYTES:
        return f"Tệp \"{shown}\" quá lớn: {fmt_mb(size)} (tối đa {fmt_mb(filecheck.MAX_FILE_BYTES)})."
    return None


def fmt_mb(n: int) -> str:
    """``52428800`` → ``"50 MB"``, ``53000000`` → ``"50,5 MB"`` (Vietnamese decimal comma)."""
    mb = n / 1024 / 1024
    return (f"{mb:.0f}" if mb == int(mb) else f"{mb:.1f}".replace(".", ",")) + " MB"


def uploads() -> Path:
    """Where uploads are kept until saved: ``<sha256>/<name>`` in this instance's private
    temporary folder (``warehouse.scratch``: mode 0700, removed at exit or by the next
    instance after a kill)."""
    from warehouse import scratch

    return scratch.instance_dir()


def stash(name: str, data: bytes) -> tuple[Path, str]:
    """Keep uploaded bytes until they are saved: ``(path, sha256)``; the same content under
    the same name is written once (``uploads()/<sha256>/<name>``). :func:`discard` removes it."""
    digest = hashlib.sha256(data).hexdigest()
    path = uploads() / digest / safe_name(name)
    if not (path.is_file() and path.stat().st_size == len(data)):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path, digest


def discard(path: Path) -> None:
    """Remove a stashed upload (:func:`stash`) once it is saved or already held."""
    from warehouse import scratch

    scratch.discard(path)


def progress_listener(container) -> Callable[[str, int, int], None]:
    """A progress bar in ``container`` (an ``st.status``) and the listener that moves it, for
    ``warehouse.isolate.run(on_progress=…)``: "Đọc trang 3/9" with the bar at a third; a step
    without a count ("Đối chiếu tổng cộng") changes the text and keeps the bar."""
    bar = container.progress(0.0, text="Đang mở tệp…")
    state = {"value": 0.0}

    def listen(step: str, done: int, total: int) -> None:
        if total:
            state["value"] = min(max(done / total, 0.0), 1.0)
            bar.progress(state["value"], text=f"{step} {done}/{total}")
        else:
            bar.progress(state["value"], text=f"{step}…")

    return listen


def _places(df: pd.DataFrame, where: Callable[[int | None], str]) -> list[str]:
    """Each record's place: its ``location`` in an uploaded file (the cell of its amount:
    "trang 3, bảng 2, hàng 5, cột 4", "trang tính Dự toán, ô D12"), else ``where(source_line)``."""
    located = df["location"] if "location" in df.columns else [None] * len(df)
    return [loc if isinstance(loc, str) and loc else where(line) for loc, line in zip(located, df["source_line"])]


def record_frames(result: ParseResult, where: Callable[[int | None], str]) -> dict[str, pd.DataFrame]:
    """``{"budget_lines" | "indicators" | "actuals" | "tasks": DataFrame}`` of the record
    types the document gives (empty types left out), in document order, with "Vị trí"."""
    out = {}
    for kind, columns in COLUMNS.items():
        records = getattr(result, kind)
        if not records:
            continue
        df = pd.DataFrame([asdict(r) for r in records])
        places = _places(df, where)
        df = df[columns]
        df.insert(0, WHERE, places)
        out[kind] = vietnamese(df)
    return out


def totals_frame(result: ParseResult, where: Callable[[int | None], str]) -> pd.DataFrame:
    """Every printed total and subtotal with its reconciliation (status labels from
    ``loaders.vocab``), mismatches first."""
    if not result.totals:
        return pd.DataFrame(columns=[WHERE])
    df = pd.DataFrame([asdict(t) for t in result.totals])
    places = _places(df, where)
    df = df[TOTAL_COLUMNS]
    df.insert(0, WHERE, places)
    df = df.sort_values("status", key=lambda s: s.ne("mismatch"), kind="stable")
    return vietnamese(df)


def issues_frame(issues: list[ParseIssue], where: Callable[[int | None], str]) -> pd.DataFrame:
    """Every warning (and error) of the reading: line, place, level, message, text."""
    return pd.DataFrame({
        "Dòng": pd.array([i.line for i in issues], dtype="Int64"),
        WHERE: [where(i.line) for i in issues],
        "Mức độ": [SEVERITY_VN.get(i.severity, i.severity) for i in issues],
        "Nội dung": [i.message for i in issues],
        "Văn bản in": [i.text or "" for i in issues],
    })


def amount_columns(df: pd.DataFrame) -> dict:
    """Column settings showing the amount columns (headers ending in "(đồng)") as
    "1.234.567 đ" while they stay integers (sortable)."""
    return {c: st.column_config.NumberColumn(c, format="%'.,d đ") for c in df.columns if str(c).endswith("(đồng)")}


def highlight_mismatches(df: pd.DataFrame, status_label: str):
    """A Styler marking the rows whose "Kết quả" is ``status_label`` (the mismatch label)."""
    column = "Kết quả"

    def row_style(row: pd.Series) -> list[str]:
        return [MISMATCH_STYLE if row.get(column) == status_label else ""] * len(row)

    return df.style.apply(row_style, axis=1)
