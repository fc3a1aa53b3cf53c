"""Word documents (.docx) → :class:`~loaders.tables.files.Extracted`, with python-docx.

The body is read in document order (paragraphs and tables interleaved, as printed):

* a paragraph gives one line per printed line (a manual line break starts a new one),
  reference ``"Đoạn <n>"`` (``"Đoạn <n>, dòng <k>"`` when broken); empty paragraphs give
  an empty line, as a blank line of an extracted text;
* a table gives one line per row (cells joined by tabs), reference ``"Bảng <t>, hàng <r>"``,
  and a :class:`~loaders.tables.files.Table` whose cells are ``"Bảng <t>, hàng <r>, cột <c>"``.
  A cell spanning several grid columns keeps its text in its first column and leaves the
  others empty; the continuation of a vertically merged cell is empty (its text is in the
  first row of the merge), so no text is repeated. A nested table's text is part of its
  cell's text.

Headers, footers, text boxes and comments are not read. python-docx parses the XML with
entity resolution off; the file is checked first (``loaders.tables.files.limits``).
"""
from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

from loaders.tables.files.extracted import Cell, Extracted, FormatError, Table, row_line


def read(path: Path) -> Extracted:
    """Read a .docx file. Raises ``FormatError`` for a protected, corrupt or hostile file."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as DocxTable

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FormatError(f"tệp Word bị hỏng hoặc không đọc được ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # lxml refuses malformed XML with its own exceptions
        raise FormatError(f"tệp Word bị hỏng hoặc chứa XML hỏng ({type(exc).__name__})") from exc
    out = Extracted(format="docx")
    n_par = n_tab = 0
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            n_tab += 1
            out.tables.append(_table(block, n_tab, out))
            continue
        n_par += 1
        parts = block.text.replace("\r", "\n").split("\n")
        for k, text in enumerate(parts, start=1):
            ref = f"Đoạn {n_par}" if len(parts) == 1 else f"Đoạn {n_par}, dòng {k}"
            out.add_line(text.replace("\t", " ").rstrip(), ref)
    return out


def _table(table, number: int, out: Extracted) -> Table:
    """One Word table, cell-true: a cell spanning grid columns (``gridSpan``) gives its text
    once, in its first column, with its ``span``; the columns it covers say so
    (``merged_from`` "h"); the continuation of a vertically merged cell (``vMerge``) is empty
    and says which cell above covers it ("v"). Text is NFC."""
    from docx.table import _Cell

    name = f"Bảng {number}"
    result = Table(name=name)
    above: dict[int, tuple[str, str]] = {}  # grid column → (text, ref) of the last cell that opened a vertical merge
    for r, tr in enumerate(table._tbl.tr_lst, start=1):
        cells: list[Cell] = []
        for tc in tr.tc_lst:
            col = len(cells)
            span = tc.grid_span
            ref = f"{name}, hàng {r}, cột {col + 1}"
            if tc.vMerge == "continue":
                text, anchor = above.get(col, ("", ref))
                cells.append(Cell("", "", ref, merged_from=("v", text, anchor)))
            else:
                text = unicodedata.normalize("NFC", _Cell(tc, table).text)
                if tc.vMerge == "restart":
                    above[col] = (" ".join(text.split()), ref)
                else:
                    above.pop(col, None)
                cells.append(Cell(" ".join(text.split()), text, ref, span=(1, span)))
            for k in range(1, span):
                cells.append(Cell("", "", f"{name}, hàng {r}, cột {col + 1 + k}",
                                  merged_from=("h", cells[col].text, ref)))
        result.rows.append(cells)
        line = row_line([c.text for c in cells])
        result.lines.append(out.add_line(line, f"{name}, hàng {r}") if line else None)
    return result
