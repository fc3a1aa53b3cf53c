"""The meeting report (``reports.content.Report``) as a Word document (python-docx).

Presentation of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4,
margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 13 pt (tables 11 pt);
the issuing body (left) and the national motto (right) in a borderless two-column header,
the number line, the place and date in italics, the kind of document and its title in bold
capitals, centred; sections numbered I, II, III…; the recipients ("Nơi nhận:") and the
signature block side by side at the end. Charts are PNG pictures (``reports.images``), or a
note in italics where a chart could not be exported.
"""
from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT  # noqa: F401  (portrait: the default)
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .content import ROMAN, Paragraph, Picture, Report, Table

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 11


def _font(run, size: float = BODY_PT, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _para(container, text: str, align=None, size: float = BODY_PT, bold=False, italic=False, space_after: float = 3):
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(0)
    _font(p.add_run(text), size, bold, italic)
    return p


def _no_borders(table) -> None:
    tbl = table._tbl
    pr = tbl.tblPr
    borders = pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = pr.makeelement(qn("w:tblBorders"), {})
        pr.append(borders)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = borders.makeelement(qn(f"w:{edge}"), {qn("w:val"): "nil"})
        borders.append(el)


def _two_columns(doc, left_mm: float, right_mm: float):
    """A borderless one-row table of two cells ``left_mm`` and ``right_mm`` wide (the
    letterhead and the "Nơi nhận" / signature block of Nghị định 30/2020/NĐ-CP); its two
    empty cells."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.autofit = False
    table.columns[0].width, table.columns[1].width = Mm(left_mm), Mm(right_mm)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.width, right.width = Mm(left_mm), Mm(right_mm)
    left.text = right.text = ""
    return left, right


def _table(doc, t: Table, width_mm: float) -> None:
    _para(doc, t.caption, WD_ALIGN_PARAGRAPH.CENTER, TABLE_PT + 1, bold=True, space_after=2)
    rows = t.rows + ([t.total] if t.total else [])
    table = doc.add_table(rows=1, cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = t.widths or tuple(1.0 for _ in t.columns)
    unit = width_mm / sum(widths)
    sizes = [Mm(w * unit) for w in widths]
    for j, size in enumerate(sizes):
        table.columns[j].width = size

    def fill(cells, values, bold: bool, header: bool = False) -> None:
        for j, (cell, value) in enumerate(zip(cells, values)):
            cell.width = sizes[j]
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if header else (
                WD_ALIGN_PARAGRAPH.RIGHT if j in t.numeric else WD_ALIGN_PARAGRAPH.LEFT)
            _font(p.add_run(value), TABLE_PT, bold=bold)

    fill(table.rows[0].cells, t.columns, True, header=True)
    for i, row in enumerate(rows, start=1):  # a row added and filled at once: python-docx's
        # table.cell(i, j) walks the whole table on every call
        fill(table.add_row().cells, row, bold=t.total is not None and i == len(rows))
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def to_docx(report: Report) -> bytes:
    """The .docx file of ``report`` as bytes."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    width_mm = 210 - 30 - 15
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    doc.core_properties.title = f"{report.title} {report.subtitle}"
    doc.core_properties.author = f"{report.issuer} {report.province}"

    left, right = _two_columns(doc, 70, 95)
    p = left.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(report.authority), 12)
    _para(left, report.issuer, WD_ALIGN_PARAGRAPH.CENTER, 12, bold=True)
    _para(left, "Số:       /BC-SKHCN", WD_ALIGN_PARAGRAPH.CENTER, 13)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 12, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", WD_ALIGN_PARAGRAPH.CENTER, 13, bold=True)
    _para(right, report.place_date, WD_ALIGN_PARAGRAPH.CENTER, 13, italic=True)

    _para(doc, "", space_after=6)
    _para(doc, report.title, WD_ALIGN_PARAGRAPH.CENTER, 14, bold=True, space_after=0)
    _para(doc, report.subtitle, WD_ALIGN_PARAGRAPH.CENTER, 14, bold=True, space_after=12)

    for i, section in enumerate(report.sections):
        _para(doc, f"{ROMAN[i]}. {section.heading}", size=BODY_PT, bold=True, space_after=4)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                p = _para(doc, ("- " if block.bullet else "") + block.text, WD_ALIGN_PARAGRAPH.JUSTIFY, bold=block.bold,
                          italic=block.italic)
                p.paragraph_format.first_line_indent = Mm(10) if not block.bold else None
            elif isinstance(block, Table):
                _table(doc, block, width_mm)
            elif isinstance(block, Picture):
                if block.png:
                    doc.add_picture(BytesIO(block.png), width=Mm(width_mm - 5))
                    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                    _para(doc, block.caption, WD_ALIGN_PARAGRAPH.CENTER, TABLE_PT + 1, italic=True, space_after=6)
                else:
                    _para(doc, f"{block.caption}: {block.note}", WD_ALIGN_PARAGRAPH.CENTER, TABLE_PT + 1, italic=True)

    _para(doc, "", space_after=6)
    left, right = _two_columns(doc, 85, 80)
    p = left.paragraphs[0]
    _font(p.add_run("Nơi nhận:"), 12, bold=True, italic=True)
    for r in report.recipients:
        _para(left, f"- {r}", size=11)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(report.signer), 13, bold=True)
    _para(right, "(Ký, ghi rõ họ tên)", WD_ALIGN_PARAGRAPH.CENTER, 13, italic=True)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()
