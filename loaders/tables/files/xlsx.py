"""Excel workbooks (.xlsx) → :class:`~loaders.tables.files.Extracted`.

Read with openpyxl in read-only, values-only mode (``data_only=True``: a formula gives the
value Excel last computed, ``None`` when the file was never recalculated), after the
checks of ``loaders.tables.files.limits``; openpyxl parses the XML through ``defusedxml``.

* Every visible sheet, in workbook order, gives one line per non-empty row (cells joined by
  tabs, see ``loaders.tables.files.row_line``), reference ``"<sheet>, hàng <n>"``; a run of empty
  rows, and the start of a new sheet, give one blank line (a paragraph break in the text
  profiles); and one
  :class:`~loaders.tables.files.Table` named after the sheet whose cells have references
  ``"<sheet>!E12"``.
* Hidden sheets give no lines; their values are kept in ``Extracted.hidden`` (the template
  version marker lives there).
* Cell text is the value as a Vietnamese reader sees it: integers with "." thousands
  (``40000000`` → ``"40.000.000"``; in a "General" cell only from ``GROUP_FROM`` on, so a
  year stays "2025"), decimals with "," (``17665.5`` → ``"17.665,5"``), percentages
  ("50%"), dates ``dd/mm/yyyy``. The stored value stays in ``Cell.value``.
"""
from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from loaders.tables.files import limits
from loaders.tables.files.extracted import Cell, Extracted, FormatError, Table, row_line


def display(value: object, number_format: str | None = None) -> str:
    """The text of a cell value as printed in Vietnamese documents.

    ``40000000`` → ``"40.000.000"``; ``17665.5`` → ``"17.665,5"``; ``-15000`` → ``"-15.000"``;
    ``2025`` (General format) → ``"2025"``;
    ``0.5`` with a "%" format → ``"50%"``; ``datetime(2024, 1, 18)`` → ``"18/01/2024"``;
    ``None`` → ``""``; text is returned stripped of surrounding spaces.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (datetime, date)):
        if isinstance(value, datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
            return value.strftime("%d/%m/%Y %H:%M")
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if number_format and "%" in number_format:
            return vn_number(number * 100, group=False) + "%"
        grouped_format = bool(number_format) and ("#,##" in number_format or "#.##" in number_format)
        return vn_number(number, group=grouped_format or abs(number) >= GROUP_FROM)
    return str(value).strip()


# A number in a "General" cell is grouped from this size on, as documents print amounts;
# shorter ones (years, counts) are left as typed. A cell formatted "#,##0" is always grouped.
GROUP_FROM = 10_000


def vn_number(number: Decimal, group: bool = True) -> str:
    """``Decimal("7665.99")`` → ``"7.665,99"``; ``Decimal("3300000000")`` → ``"3.300.000.000"``;
    ``group=False``: ``Decimal("2025")`` → ``"2025"``."""
    number = number.normalize() if number == number.to_integral_value() else number
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    integer, _, decimals = text.partition(".")
    grouped = f"{int(integer):,}".replace(",", ".") if group else str(int(integer))
    return sign + grouped + ("," + decimals.rstrip("0") if decimals.rstrip("0") else "")


def read(path: Path) -> Extracted:
    """Read a workbook. Raises ``FormatError`` for a protected, corrupt, hostile or
    oversized file, or a sheet with more than ``limits.MAX_ROWS`` rows."""
    _require_defusedxml()
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FormatError(f"tệp Excel bị hỏng hoặc không đọc được ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # defusedxml refuses entity tricks with its own exceptions
        raise FormatError(f"tệp Excel chứa XML không an toàn hoặc hỏng ({type(exc).__name__})") from exc
    out = Extracted(format="xlsx")
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                out.hidden[ws.title] = [list(r) for r in ws.iter_rows(values_only=True, max_row=limits.MAX_ROWS)]
                continue
            out.tables.append(_sheet(ws, out))
    except FormatError:
        raise
    except Exception as exc:
        raise FormatError(f"tệp Excel bị hỏng hoặc chứa XML không an toàn ({type(exc).__name__}: {exc})") from exc
    finally:
        wb.close()
    return out


def _sheet(ws, out: Extracted) -> Table:
    table = Table(name=ws.title)
    ws.reset_dimensions()  # do not trust the stored dimension: read every row
    blank_before = True  # a new sheet starts after a blank line, like a new page
    for r, row in enumerate(ws.iter_rows(min_row=1), start=1):
        if r > limits.MAX_ROWS:
            raise FormatError(f"Sheet {ws.title}: quá {limits.MAX_ROWS} hàng")
        cells = [
            Cell(display(c.value, getattr(c, "number_format", None)), c.value, f"{ws.title}!{get_column_letter(i)}{r}")
            for i, c in enumerate(row, start=1)
        ]
        while cells and cells[-1].text == "":
            cells.pop()
        table.rows.append(cells)
        if cells:
            if blank_before and out.lines and out.lines[-1] != "":
                out.add_line("", f"{ws.title}, hàng {r - 1}" if r > 1 else ws.title)
            table.lines.append(out.add_line(row_line([c.text for c in cells]), f"{ws.title}, hàng {r}"))
            blank_before = False
        else:
            table.lines.append(None)
            blank_before = True
    return table


def _require_defusedxml() -> None:
    """Raise ``FormatError`` unless openpyxl parses XML through defusedxml."""
    from openpyxl import xml as openpyxl_xml

    if not openpyxl_xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a requirement
        raise FormatError("thiếu thư viện defusedxml: không đọc tệp Office khi chưa có lớp bảo vệ XML")
