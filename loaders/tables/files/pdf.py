"""PDF documents → :class:`~loaders.tables.files.Extracted`, with pdfplumber (text and tables).

Page by page, top to bottom:

* tables ruled with lines are found by pdfplumber (``find_tables``, its default "lines"
  strategy; a row cut by a page break is kept, :func:`find_tables`); each table row becomes one line (cells joined by tabs, a cell's wrapped text
  joined by spaces), reference ``"Trang <p>, bảng <t>, hàng <r>"``, and the table's cells
  ``"Trang <p>, bảng <t>, hàng <r>, cột <c>"`` (a cell merged across columns or down rows —
  its box reaches over the next ones — gives its text once, in its first cell; the cells it
  covers are empty and say so, ``merged_from``);
* the text outside tables gives one line per printed line, reference
  ``"Trang <p>, dòng <k>"`` (``k`` counts the page's text lines, tables excluded);
* a blank line is inserted where the vertical gap between two printed lines is larger than
  ``PARAGRAPH_GAP`` times the previous line's height (a new paragraph), as an extracted
  text would show it. No blank line is added at a page break (a sentence may go on).

Text is normalised to Unicode NFC. A scanned PDF (no page has a text layer, only images or
drawings) raises ``FormatError`` "Tệp x.pdf không có lớp chữ (bản quét): cần bản PDF có chữ
hoặc bản Word/Excel." Encrypted, corrupt and over-long PDFs raise ``FormatError`` too.
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from pathlib import Path

from loaders.tables.files import limits, progress
from loaders.tables.files.extracted import Cell, Extracted, FormatError, Table, row_line

PARAGRAPH_GAP = 0.6


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


_STREAM = re.compile(rb"stream\r?\n")
_CHUNK = 1 << 20


def check_streams(path: Path, limit_mb: int) -> None:
    """Refuse a PDF whose zlib-compressed (FlateDecode) streams inflate to more than
    ``limit_mb`` MB together, before pdfminer inflates any of them whole in memory (it offers
    no bound of its own). Cheap: every ``stream … endstream`` of the file is inflated in
    1 MB steps and only counted (zlib's ``max_length``), stopping at the limit; a stream that
    is not zlib data (images in DCT, encrypted files) is skipped. Raises ``FormatError``."""
    data = Path(path).read_bytes()
    budget = limit_mb * limits.MB
    total = 0
    for match in _STREAM.finditer(data):
        inflater = zlib.decompressobj()
        chunk = data[match.end():match.end() + _CHUNK]
        pos = match.end() + len(chunk)
        try:
            while chunk and not inflater.eof:
                out = inflater.decompress(chunk, _CHUNK)
                total += len(out)
                # more output from the same input; after the end of the stream zlib keeps the
                # rest of the input as unconsumed_tail (with max_length): it gives nothing more
                while inflater.unconsumed_tail and not inflater.eof and total <= budget:
                    out = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
                    total += len(out)
                if total > budget:
                    raise FormatError(f"các luồng nén của tệp PDF giải nén quá {limit_mb} MB "
                                      "(giới hạn; có thể là bom nén) — không đọc")
                chunk = data[pos:pos + _CHUNK] if not inflater.eof else b""
                pos += len(chunk)
        except zlib.error:
            continue


def read(path: Path) -> Extracted:
    """Read a PDF. Raises ``FormatError`` for an encrypted, corrupt or over-long file (more
    pages than ``limits.current().pdf_pages``, compressed streams inflating beyond
    ``pdf_inflated_mb``: :func:`check_streams`, checked before pdfplumber opens it), and for
    one without any text layer (a scan). Reports each page read (``progress.report("Đọc
    trang", p, pages)``)."""
    import pdfplumber

    bounds = limits.current()
    check_streams(path, bounds.pdf_inflated_mb)
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # pdfminer raises many kinds (syntax, password, encryption)
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc  # pdfplumber wraps them
        name = type(inner).__name__
        if "Password" in name or "Encrypt" in name or "password" in str(inner).lower():
            raise FormatError("tệp PDF được đặt mật khẩu: hãy bỏ mật khẩu rồi tải lên") from exc
        raise FormatError(f"tệp PDF bị hỏng hoặc không đọc được ({name})") from exc
    out = Extracted(format="pdf")
    try:
        if len(pdf.pages) > bounds.pdf_pages:
            raise FormatError(f"tệp PDF có {len(pdf.pages)} trang, quá giới hạn {bounds.pdf_pages} trang — không đọc")
        text_layer = False
        pages = len(pdf.pages)
        progress.report("Đọc trang", 0, pages)
        for p, page in enumerate(pdf.pages, start=1):
            try:
                text_layer = text_layer or any(c.get("text", "").strip() for c in page.chars)
                _page(page, p, out)
            except FormatError:
                raise
            except Exception as exc:
                raise FormatError(f"Trang {p}: không đọc được ({type(exc).__name__}: {exc})") from exc
            finally:
                page.close()  # its laid-out characters are no longer needed
            progress.report("Đọc trang", p, pages)
        if not text_layer:
            raise FormatError(f"Tệp {Path(path).name} không có lớp chữ (bản quét): cần bản PDF có chữ hoặc bản Word/Excel.")
    finally:
        pdf.close()
    return out


def _inside(obj: dict, bbox: tuple[float, float, float, float]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def find_tables(page) -> list:
    """pdfplumber's ruled tables of a page, with a row cut by the page break kept: when the
    vertical rulings of a table go on below its last found row (or start above its first),
    the row runs to where they end — it has no border there because the page broke it — so
    that line is given to the finder as an explicit horizontal line and the tables are
    found again. The rest of the row opens the next page (``Table.page_starts``) and the
    table model joins the two parts."""
    found = page.find_tables()
    extra: list[float] = []
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    for t in found:
        x0, top, x1, bottom = t.bbox
        mine = [e for e in verticals if x0 - 2 <= e["x0"] <= x1 + 2 and e["bottom"] > top - 2 and e["top"] < bottom + 2]
        below = max((e["bottom"] for e in mine), default=bottom)
        above = min((e["top"] for e in mine), default=top)
        if below > bottom + 3:
            extra.append(below)
        if above < top - 3:
            extra.append(above)
    if extra:
        found = page.find_tables(table_settings={"explicit_horizontal_lines": sorted(set(extra))})
    return found


def _page(page, p: int, out: Extracted) -> None:
    found = find_tables(page)
    boxes = [t.bbox for t in found]
    outside = page.filter(lambda o: o.get("object_type") != "char" or not any(_inside(o, b) for b in boxes))
    items: list[tuple[float, float, str, object]] = []  # (top, bottom, kind, payload)
    for ln in outside.extract_text_lines(strip=True, return_chars=False):
        items.append((ln["top"], ln["bottom"], "text", _nfc(ln["text"])))
    for t, table in enumerate(found, start=1):
        rows = table.extract()
        for r, (row, cells) in enumerate(zip(table.rows, rows), start=1):
            items.append((row.bbox[1], row.bbox[3], "row", (t, r, cells, row.cells)))
    items.sort(key=lambda it: (it[0], it[2] == "text"))
    k = 0
    prev_bottom = prev_height = None
    tables: dict[int, Table] = {}
    anchors: dict[int, dict[int, tuple[float, Cell]]] = {}  # table → column → (bottom of its last cell, the cell)
    for top, bottom, kind, payload in items:
        if kind == "text" and prev_bottom is not None and prev_height and top - prev_bottom > PARAGRAPH_GAP * prev_height:
            out.add_line("", f"Trang {p}")
        if kind == "text":
            k += 1
            out.add_line(payload, f"Trang {p}, dòng {k}")
        else:
            t, r, cells, boxes_of_row = payload
            name = f"Trang {p}, bảng {t}"
            table = tables.setdefault(t, Table(name=name))
            if p > 1 and t == 1 and r == 1:
                table.page_starts.add(0)  # the first row of a page may be the rest of the last row of the page before
            texts = [_nfc(c) for c in cells]
            row_cells: list[Cell] = []
            above = anchors.setdefault(t, {})
            for c, (raw, x) in enumerate(zip(cells, texts), start=1):
                ref = f"{name}, hàng {r}, cột {c}"
                box = boxes_of_row[c - 1] if c - 1 < len(boxes_of_row) else None
                over = above.get(c)
                if raw is None and box is None and over is not None and over[0] > top + 0.5:
                    # covered by the cell above, whose box reaches into this row (merged down)
                    anchor = over[1]
                    row_cells.append(Cell("", "", ref, merged_from=("v", anchor.text, anchor.ref)))
                    anchor.span = (anchor.span[0] + 1, anchor.span[1])
                elif raw is None and row_cells:  # covered by the cell to its left (a merged cell)
                    anchor = next(a for a in reversed(row_cells) if a.merged_from is None)
                    row_cells.append(Cell("", "", ref, merged_from=("h", anchor.text, anchor.ref)))
                    anchor.span = (anchor.span[0], anchor.span[1] + 1)
                else:
                    row_cells.append(Cell(" ".join(x.split()), x, ref))
                    if box is not None:
                        above[c] = (box[3], row_cells[-1])
            table.rows.append(row_cells)
            line = row_line(texts)
            table.lines.append(out.add_line(line, f"{name}, hàng {r}") if line else None)
        prev_bottom, prev_height = bottom, bottom - top if kind == "text" else None
    out.tables.extend(tables[t] for t in sorted(tables))
