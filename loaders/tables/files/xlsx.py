"""Excel workbooks (.xlsx) → :class:`~loaders.tables.files.Extracted`, cell-true.

Read with openpyxl twice — values (``data_only=True``: what Excel last computed) and formulas
— after the checks of ``loaders.tables.files.limits``; openpyxl parses the XML through
``defusedxml``. The sheets of the two workbooks are read by :func:`read_workbook`, which also
reads a legacy .xls once ``loaders.tables.files.xls`` has copied it into an openpyxl workbook.

* Every visible sheet, in workbook order, gives one line per non-empty visible row (cells
  joined by tabs, see ``loaders.tables.files.row_line``), reference ``"<sheet>, hàng <n>"``; a
  run of empty rows, and the start of a new sheet, give one blank line (a paragraph break in
  the text profiles); and one :class:`~loaders.tables.files.Table` named after the sheet whose
  cells have references ``"<sheet>!E12"``.
* Merged ranges give their value once (the first cell, with its ``span``); the other cells
  of the range are empty and say which cell covers them (``Cell.merged_from``).
* Hidden rows and columns are not read (a finance officer hides what is not part of the
  document: drafts, working columns); each is listed in ``Extracted.notes`` so the importer
  says so. Hidden sheets give no lines; their values are kept in ``Extracted.hidden`` (the
  template version marker lives there).
* A formula with no cached value (a workbook saved by a program, not by Excel) is computed
  with the ``formulas`` library (its parser and functions: nothing of the file is run as
  code), from the cells it refers to — computed in turn when they are formulas too. A
  formula that cannot be computed leaves the cell without a value (``formula_error``),
  never 0; the table model marks such a total "công thức, không có giá trị".
* Cell text is the value as a Vietnamese reader sees it: integers with "." thousands
  (``40000000`` → ``"40.000.000"``; in a "General" cell only from ``GROUP_FROM`` on, so a
  year stays "2025"), decimals with "," (``17665.5`` → ``"17.665,5"``), percentages
  ("50%"), dates ``dd/mm/yyyy``; text in Unicode NFC. The stored value stays in ``Cell.value``.
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.exceptions import InvalidFileException

from loaders.tables.files import limits, progress
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
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if number_format and "%" in number_format:
            return vn_number(number * 100, group=False) + "%"
        grouped_format = bool(number_format) and ("#,##" in number_format or "#.##" in number_format)
        places = _decimal_places(number_format)
        own = -number.normalize().as_tuple().exponent if number != number.to_integral_value() else 0
        if places:  # "0.0", "#,##0.00": the decimals the sheet prints ("28,0", not "28"), never fewer than the value has
            number = number.quantize(Decimal(1).scaleb(-max(places, own)))
            text = vn_number(number, group=grouped_format or abs(number) >= GROUP_FROM, keep_zeros=True)
            return text
        return vn_number(number, group=grouped_format or abs(number) >= GROUP_FROM)
    return str(value).strip()


# A number in a "General" cell is grouped from this size on, as documents print amounts;
# shorter ones (years, counts) are left as typed. A cell formatted "#,##0" is always grouped.
GROUP_FROM = 10_000


def _decimal_places(number_format: str | None) -> int:
    """Decimals a number format prints: "0.0" → 1, "#,##0.00" → 2, "General" / "#,##0" → 0."""
    if not number_format or number_format == "General":
        return 0
    m = re.search(r"0\.(0+)", number_format.split(";")[0])
    return len(m.group(1)) if m else 0


def vn_number(number: Decimal, group: bool = True, keep_zeros: bool = False) -> str:
    """``Decimal("7665.99")`` → ``"7.665,99"``; ``Decimal("3300000000")`` → ``"3.300.000.000"``;
    ``group=False``: ``Decimal("2025")`` → ``"2025"``."""
    if not keep_zeros:
        number = number.normalize() if number == number.to_integral_value() else number
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    integer, _, decimals = text.partition(".")
    grouped = f"{int(integer):,}".replace(",", ".") if group else str(int(integer))
    if keep_zeros:
        return sign + grouped + ("," + decimals if decimals else "")
    return sign + grouped + ("," + decimals.rstrip("0") if decimals.rstrip("0") else "")


def read(path: Path) -> Extracted:
    """Read a workbook. Raises ``FormatError`` for a protected, corrupt, hostile or
    oversized file, or a sheet with more than ``limits.current().sheet_rows`` rows."""
    _require_defusedxml()
    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FormatError(f"tệp Excel bị hỏng hoặc không đọc được ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # defusedxml refuses entity tricks with its own exceptions
        raise FormatError(f"tệp Excel chứa XML không an toàn hoặc hỏng ({type(exc).__name__})") from exc
    try:
        return read_workbook(values, formulas, "xlsx")
    finally:
        values.close()
        formulas.close()


def read_workbook(values, formulas, fmt: str) -> Extracted:
    """The :class:`Extracted` of an openpyxl workbook already open: ``values`` holds the cell
    values (what Excel last computed), ``formulas`` the same workbook with its formulas ("=SUM(…)"
    strings; for a format that keeps no formulas, ``values`` again). ``fmt`` is the
    ``Extracted.format`` ("xlsx", or "xls" for ``loaders.tables.files.xls``, which converts a
    legacy workbook into an openpyxl one and reads it here). Every sheet is read as the
    module docstring says. Raises ``FormatError`` for a sheet with more than
    ``limits.current().sheet_rows`` rows, or a workbook that cannot be read."""
    out = Extracted(format=fmt)
    max_rows = limits.current().sheet_rows
    try:
        calc = _Calculator(values, formulas)
        for n, ws in enumerate(values.worksheets, start=1):
            progress.report("Đọc trang tính", n - 1, len(values.worksheets))
            if ws.max_row > max_rows:
                raise FormatError(f"Sheet {ws.title}: {ws.max_row} hàng, quá giới hạn {max_rows} hàng — không đọc")
            if ws.sheet_state != "visible":
                out.hidden[ws.title] = [list(r) for r in ws.iter_rows(values_only=True)]
                continue
            out.tables.append(_sheet(ws, formulas[ws.title], calc, out))
    except FormatError:
        raise
    except Exception as exc:
        what = "bị hỏng hoặc chứa XML không an toàn" if fmt == "xlsx" else "bị hỏng hoặc không đọc được"
        raise FormatError(f"tệp Excel {what} ({type(exc).__name__}: {exc})") from exc
    return out


def _hidden_columns(ws) -> set[int]:
    hidden: set[int] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min and dim.max:
            hidden.update(range(dim.min, dim.max + 1))
    return hidden


def _sheet(ws, fws, calc: "_Calculator", out: Extracted) -> Table:
    table = Table(name=ws.title)
    hidden_cols = _hidden_columns(ws)
    width = ws.max_column
    for col in sorted(hidden_cols):
        if col <= width and any(ws.cell(r, col).value is not None for r in range(1, ws.max_row + 1)):
            out.notes.append((f"{ws.title}!{get_column_letter(col)}", f"Sheet {ws.title}: cột {get_column_letter(col)} bị ẩn, "
                              "không đọc (một cột ẩn không phải là phần của văn bản)"))
    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        anchors[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered[(r, c)] = (rng.min_row, rng.min_col)
    blank_before = True  # a new sheet starts after a blank line, like a new page
    texts: dict[tuple[int, int], str] = {}
    for r in range(1, ws.max_row + 1):
        if ws.row_dimensions[r].hidden:
            if any(ws.cell(r, c).value is not None for c in range(1, width + 1)):
                out.notes.append((f"{ws.title}!A{r}", f"Sheet {ws.title}: hàng {r} bị ẩn, không đọc (một hàng ẩn "
                                  "không phải là phần của văn bản)"))
            continue
        cells = []
        for c in range(1, width + 1):
            if c in hidden_cols:
                continue
            ref = f"{ws.title}!{get_column_letter(c)}{r}"
            if (r, c) in covered:
                ar, ac = covered[(r, c)]
                anchor_text = texts.get((ar, ac), "")
                cells.append(Cell("", None, ref, merged_from=("v" if r > ar else "h", anchor_text,
                                                             f"{ws.title}!{get_column_letter(ac)}{ar}")))
                continue
            cell = ws.cell(r, c)
            value = cell.value
            formula = fws.cell(r, c).value if isinstance(fws.cell(r, c).value, str) and str(fws.cell(r, c).value).startswith("=") else None
            evaluated, error = False, None
            if formula and value is None:
                value, error = calc.value(ws.title, r, c)
                evaluated = error is None
            text = unicodedata.normalize("NFC", display(value, cell.number_format)) if error is None else ""
            texts[(r, c)] = text
            cells.append(Cell(text, value, ref, span=anchors.get((r, c), (1, 1)), formula=formula, evaluated=evaluated,
                              formula_error=error))
        while cells and cells[-1].text == "" and cells[-1].formula_error is None and cells[-1].merged_from is None:
            cells.pop()  # a cell a merged range covers stays: "Trong đó:" merged over its last two columns
        table.rows.append(cells)
        if any(cell.text or cell.formula_error for cell in cells):
            if blank_before and out.lines and out.lines[-1] != "":
                out.add_line("", f"{ws.title}, hàng {r - 1}" if r > 1 else ws.title)
            table.lines.append(out.add_line(row_line([c.text for c in cells]) or " ", f"{ws.title}, hàng {r}"))
            blank_before = False
        else:
            table.lines.append(None)
            blank_before = True
    return table


class _Calculator:
    """Values of formulas that have no cached value, computed with the ``formulas`` library's
    parser and functions (never by running anything from the file as code). A cell's value
    is its cached value, else its formula computed from the cells it refers to (recursively;
    a circular reference is an error). Results are ``int`` when whole, else ``Decimal``
    (rounded to 9 decimals: the binary floats of the library are never kept)."""

    MAX_DEPTH = 200

    def __init__(self, values, formulas):
        self.values, self.formulas = values, formulas
        self.sheets = {ws.title.upper(): ws.title for ws in values.worksheets}
        self.memo: dict[tuple[str, int, int], tuple[object, str | None]] = {}
        self.active: set[tuple[str, int, int]] = set()

    def value(self, sheet: str, row: int, col: int) -> tuple[object, str | None]:
        """``(value, error)`` of one cell; ``error`` is a Vietnamese message when it cannot
        be computed."""
        key = (sheet, row, col)
        if key in self.memo:
            return self.memo[key]
        cached = self.values[sheet].cell(row, col).value
        raw = self.formulas[sheet].cell(row, col).value
        if cached is not None or not (isinstance(raw, str) and raw.startswith("=")):
            return cached, None
        if key in self.active or len(self.active) > self.MAX_DEPTH:
            return None, f"công thức vòng tròn ở {sheet}!{get_column_letter(col)}{row}"
        self.active.add(key)
        try:
            result = self._compute(sheet, raw)
        finally:
            self.active.discard(key)
        self.memo[key] = result
        return result

    def _compute(self, sheet: str, formula: str) -> tuple[object, str | None]:
        import formulas as fm
        import numpy as np
        import schedula as sh

        try:
            func = fm.Parser().ast(formula)[1].compile()
        except Exception as exc:  # the library's own parse errors
            return None, f"không đọc được công thức {formula} ({type(exc).__name__})"
        args = []
        for name in func.inputs:
            ref_sheet, _, ref = name.rpartition("!")
            target = self.sheets.get(ref_sheet.strip("'").upper(), None) if ref_sheet else sheet
            if target is None:
                return None, f"công thức {formula} tham chiếu sheet không có: {ref_sheet}"
            try:
                first, _, last = ref.partition(":")
                c1, r1 = coordinate_from_string(first)
                c2, r2 = coordinate_from_string(last or first)
            except Exception:
                return None, f"công thức {formula}: không hiểu tham chiếu {name}"
            k1, k2 = column_index_from_string(c1), column_index_from_string(c2)
            block = []
            for r in range(r1, r2 + 1):
                line = []
                for c in range(k1, k2 + 1):
                    v, err = self.value(target, r, c)
                    if err:
                        return None, err
                    number = _number(v)
                    line.append(sh.EMPTY if number is None else number)
                block.append(line)
            # every reference as a range, as Excel sees it: SUM(D33, D34) ignores the text "-" in D33
            # as SUM(D33:D34) does (a value passed alone would be #VALUE!), and an empty cell is 0
            args.append(np.array(block, dtype=object))
        try:
            result = func(*args)
        except Exception as exc:
            return None, f"không tính được công thức {formula} ({type(exc).__name__})"
        result = result.item() if hasattr(result, "item") else result
        if isinstance(result, bool) or not isinstance(result, (int, float)):
            return None, f"công thức {formula} không cho ra số ({result!r})"
        number = Decimal(repr(float(result))).quantize(Decimal("1e-9")).normalize()
        return (int(number) if number == number.to_integral_value() else number), None


def _number(value: object) -> object:
    """A cell value as a formula argument: numbers as they are, numbers stored as text
    ("45.000.000") read the Vietnamese way, empty as ``None``."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        from loaders.text.numbers import NumberFormatError, parse_signed_number

        try:
            return float(parse_signed_number(value))
        except NumberFormatError:
            return value
    return value


def _require_defusedxml() -> None:
    """Raise ``FormatError`` unless openpyxl parses XML through defusedxml."""
    from openpyxl import xml as openpyxl_xml

    if not openpyxl_xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a requirement
        raise FormatError("thiếu thư viện defusedxml: không đọc tệp Office khi chưa có lớp bảo vệ XML")
