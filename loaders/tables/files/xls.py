"""Legacy Excel 97–2003 workbooks (.xls, BIFF) → :class:`~loaders.tables.files.Extracted`, read
exactly as the same workbook saved as .xlsx.

The file is opened with ``xlrd`` (``formatting_info=True``: number formats, merged ranges,
hidden rows, columns and sheets) and each sheet is copied into an in-memory
``openpyxl.Workbook``, which the .xlsx reader then reads (``loaders.tables.files.xlsx.read_workbook``):
so provenance ("Biểu 01!C12"), merged cells, the display text of numbers, hidden rows and
columns (not read, with the same notes) and hidden sheets (``Extracted.hidden``) are those of
the .xlsx reader. The copy keeps, per cell:

* numbers as xlrd gives them (``float``), a whole number as ``int`` (what openpyxl gives for
  a number of an .xlsx), with the cell's number format string ("#,##0", "0%", "dd/mm/yyyy");
* dates as ``datetime`` (``xlrd.xldate_as_datetime``; a time of day alone as ``time``);
* booleans as ``bool``; text as ``str`` (characters an .xlsx cannot hold, such as control
  characters other than tab and line breaks, become a space); empty text as no value;
* error cells as the text Excel shows ("#REF!", "#DIV/0!"), so the amount checks refuse them
  as they refuse an .xlsx error cell.

An .xls file keeps only the last computed value of a formula (xlrd gives no formula), so its
cells never carry ``Cell.formula``: a workbook saved by Excel reads like its .xlsx whose
formulas all had a cached value. ``xlrd`` parses the binary format in Python (no macro or
formula of the file is run). Errors: :class:`~loaders.tables.files.FormatError`, in Vietnamese.
"""
from __future__ import annotations

import math
import warnings
from datetime import datetime
from pathlib import Path

import xlrd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import ColumnDimension

from loaders.tables.files import limits
from loaders.tables.files.extracted import Extracted, FormatError
from loaders.tables.files.xlsx import read_workbook

#: What a .xls file is called in messages.
KIND = "tệp Excel 97–2003 (.xls)"


def read(path: Path) -> Extracted:
    """Read a legacy workbook (.xls) as the .xlsx reader reads a workbook (``Extracted.format``
    is "xls"; references "Biểu 01!C12", lines "Biểu 01, hàng 12").

    Raises ``FormatError`` (Vietnamese, naming what is wrong) for a password-protected
    (encrypted), corrupt or truncated file, a file that is no Excel 97–2003 workbook (an .xlsx,
    an HTML or XML page, a Word file renamed .xls), a sheet name an .xlsx cannot hold, or a sheet
    with more than ``limits.current().sheet_rows`` rows.
    """
    book = _open(Path(path))
    try:
        values = to_openpyxl(book)
    except FormatError:
        raise
    except Exception as exc:  # a record xlrd accepted that openpyxl cannot hold (a broken merge, format…)
        raise FormatError(f"{KIND} bị hỏng hoặc không đọc được ({type(exc).__name__}: {str(exc)[:160]})") from exc
    finally:
        book.release_resources()
    try:
        return read_workbook(values, values, "xls")  # cached values only: the same workbook for formulas
    finally:
        values.close()


def _open(path: Path):
    """The ``xlrd.Book`` of ``path``; every xlrd failure as a ``FormatError``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return xlrd.open_workbook(str(path), formatting_info=True, logfile=_Silent())
    except Exception as exc:  # xlrd.XLRDError, CompDocError, struct.error, IndexError… on a broken file
        raise FormatError(_why(path, exc)) from exc


def _why(path: Path, exc: Exception) -> str:
    """The Vietnamese message for a .xls that xlrd could not open."""
    text = str(exc)
    with path.open("rb") as fh:
        head = fh.read(512)
    if "encrypted" in text.lower():
        return f"{KIND} có mật khẩu (mã hoá): hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại và tải lên lại"
    if head.startswith(b"PK"):
        return "tệp mang đuôi .xls nhưng là tệp Excel mới (.xlsx): hãy đổi đuôi tệp thành .xlsx rồi tải lên lại"
    if head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<"):  # after a UTF-8/UTF-16 BOM
        return (f"tệp mang đuôi .xls nhưng là trang HTML/XML (thường do phần mềm khác xuất ra), không phải {KIND}: "
                "hãy mở bằng Excel và lưu lại dạng .xlsx")
    if head.startswith(limits.OLE2_MAGIC) and "find workbook" in text:
        return (f"tệp mang đuôi .xls nhưng không chứa bảng tính (có thể là tệp Word .doc hoặc tệp .xlsx có mật khẩu "
                "đổi đuôi): hãy mở bằng chương trình đã tạo ra nó, bỏ mật khẩu nếu có, rồi lưu lại dạng .xlsx")
    if not head.startswith(limits.OLE2_MAGIC) and head[:1] != b"\x09":  # neither a Compound File nor a bare BIFF stream
        return (f"tệp mang đuôi .xls nhưng không phải {KIND} (có thể là tệp văn bản hay tệp khác đổi đuôi): "
                "hãy mở bằng Excel và lưu lại dạng .xlsx")
    return f"{KIND} bị hỏng hoặc bị cắt cụt, không đọc được ({type(exc).__name__}: {text[:160]})"


class _Silent:
    """A log file for xlrd that keeps nothing (xlrd prints warnings about odd records)."""

    def write(self, _text: str) -> None:
        pass


def to_openpyxl(book):
    """An in-memory ``openpyxl.Workbook`` with the sheets, values, number formats, merged ranges
    and hidden rows, columns and sheets of an ``xlrd.Book`` opened with ``formatting_info=True``.

    Values are converted as the module docstring says. Raises ``FormatError`` for a sheet
    over ``limits.current().sheet_rows`` rows (checked before it is copied) or a sheet name an
    openpyxl workbook refuses.
    """
    max_rows = limits.current().sheet_rows
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets():
        if sheet.nrows > max_rows:
            raise FormatError(f"Sheet {sheet.name}: {sheet.nrows} hàng, quá giới hạn {max_rows} hàng — không đọc")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a title over 31 characters: kept as it is
                ws = wb.create_sheet(sheet.name)
        except ValueError as exc:
            raise FormatError(f"{KIND}: tên sheet {sheet.name!r} không hợp lệ ({exc})") from exc
        if ws.title != sheet.name:
            raise FormatError(f"{KIND}: hai sheet cùng tên {sheet.name!r}")
        ws.sheet_state = {1: "hidden", 2: "veryHidden"}.get(sheet.visibility, "visible")
        _copy_cells(book, sheet, ws)
        for rlo, rhi, clo, chi in sheet.merged_cells:
            if rhi > rlo and chi > clo and (rhi - rlo, chi - clo) != (1, 1):
                ws.merge_cells(start_row=rlo + 1, start_column=clo + 1, end_row=rhi, end_column=chi)
        for r, info in sheet.rowinfo_map.items():
            if info.hidden:
                ws.row_dimensions[r + 1].hidden = True
        _hide_columns(sheet, ws)
    return wb


def _copy_cells(book, sheet, ws) -> None:
    formats: dict[int, str] = {}
    for r in range(sheet.nrows):
        for c in range(sheet.row_len(r)):
            cell = sheet.cell(r, c)
            kind = cell.ctype
            if kind == xlrd.XL_CELL_EMPTY:
                continue
            value = cell.value
            if kind == xlrd.XL_CELL_TEXT:
                value = ILLEGAL_CHARACTERS_RE.sub(" ", value) or None
            elif kind == xlrd.XL_CELL_NUMBER:
                value = _number(value)
            elif kind == xlrd.XL_CELL_DATE:
                value = _date(value, book.datemode)
            elif kind == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif kind == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(value, "#N/A")
            else:  # XL_CELL_BLANK: formatted, no value
                value = None
            target = ws.cell(row=r + 1, column=c + 1)
            number_format = _format(book, cell.xf_index, formats)
            if number_format != "General":
                target.number_format = number_format
            target.value = value


def _format(book, xf_index: int | None, memo: dict[int, str]) -> str:
    """The number format string of a cell's XF record ("General" when unknown)."""
    if xf_index is None:
        return "General"
    if xf_index not in memo:
        try:
            fmt = book.format_map.get(book.xf_list[xf_index].format_key)
        except IndexError:
            fmt = None
        memo[xf_index] = (fmt.format_str if fmt is not None and fmt.format_str else "General")
    return memo[xf_index]


def _number(value: float) -> int | float:
    """A number as openpyxl gives it for an .xlsx: ``40000000.0`` → ``40000000``; ``17665.5`` stays."""
    return int(value) if math.isfinite(value) and value.is_integer() else value


def _date(value: float, datemode: int):
    """A date cell: ``datetime`` (a time of day alone, 0 ≤ value < 1, as ``time``, as openpyxl
    gives it); a serial xlrd cannot convert stays a number."""
    try:
        moment: datetime = xlrd.xldate_as_datetime(value, datemode)
    except (xlrd.xldate.XLDateError, ValueError, OverflowError):
        return _number(value)
    return moment.time() if 0 <= value < 1 else moment


def _hide_columns(sheet, ws) -> None:
    for c, info in sheet.colinfo_map.items():
        if info.hidden:
            letter = get_column_letter(c + 1)
            ws.column_dimensions[letter] = ColumnDimension(ws, index=letter, min=c + 1, max=c + 1, hidden=True)
