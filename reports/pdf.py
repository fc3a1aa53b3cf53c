"""The meeting report (``reports.content.Report``) as PDF (fpdf2), the same layout as the
Word file (``reports.docx``): A4, margins 20/20/30/15 mm, a Times-metric serif at 13 pt.

The text is embedded as text with a Unicode TrueType font (subset into the file), so the
Vietnamese is searchable and copyable. The font is the first of ``FONT_CANDIDATES`` found on
the system: Liberation Serif (Debian ``fonts-liberation``, metric-compatible with Times New
Roman; version 2 — the 1.x files of ``fonts-liberation`` have no Vietnamese letters), else
Noto Serif (``fonts-noto-core``), else DejaVu Serif (``fonts-dejavu-core``); a family counts
only when its four styles hold every Vietnamese letter (``VIETNAMESE``).
``$SKHCN_PDF_FONT_DIR`` + ``$SKHCN_PDF_FONT`` name another (files ``NAME-Regular.ttf``,
``-Bold``, ``-Italic``, ``-BoldItalic``). ``scripts/start.sh`` and ``scripts/test.sh``
install fonts-liberation2 with apt when it is missing. Raises ``FontMissing`` (a
``RuntimeError`` with a Vietnamese message) when no family is found.
"""
from __future__ import annotations

import functools
import os
from io import BytesIO
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableCellFillMode  # noqa: F401
from fpdf.fonts import FontFace

from .content import ROMAN, Paragraph, Picture, Report, Table

FONT_CANDIDATES = (  # (folder, family, the four styles' file suffixes)
    ("/usr/share/fonts/truetype/liberation2", "LiberationSerif", ("-Regular", "-Bold", "-Italic", "-BoldItalic")),
    ("/usr/share/fonts/truetype/noto", "NotoSerif", ("-Regular", "-Bold", "-Italic", "-BoldItalic")),
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSerif", ("", "-Bold", "-Italic", "-BoldItalic")),
)
STYLES = ("", "B", "I", "BI")
# every letter of Vietnamese beyond Latin-1: a font without one of them would print a blank
VIETNAMESE = "ĐđƠơƯưĂăÂâÊêÔô" + "".join(
    "ẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ")
BODY_PT = 13
TABLE_PT = 10
LINE = 6.2  # mm per body line


class FontMissing(RuntimeError):
    pass


@functools.lru_cache(maxsize=32)
def _covers(path: Path) -> bool:
    """The font file has a glyph for every letter of ``VIETNAMESE`` (its cmap read once)."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(path, lazy=True).getBestCmap()
    return all(ord(c) in cmap for c in VIETNAMESE)


def font_files() -> dict[str, Path]:
    """Style ("", "B", "I", "BI") → TTF file of the first complete family found (each file
    checked once per process)."""
    candidates = list(FONT_CANDIDATES)
    if os.environ.get("SKHCN_PDF_FONT_DIR") and os.environ.get("SKHCN_PDF_FONT"):
        candidates.insert(0, (os.environ["SKHCN_PDF_FONT_DIR"], os.environ["SKHCN_PDF_FONT"], FONT_CANDIDATES[0][2]))
    for folder, name, suffixes in candidates:
        files = {style: Path(folder) / f"{name}{suffix}.ttf" for style, suffix in zip(STYLES, suffixes)}
        if all(f.is_file() for f in files.values()) and all(_covers(f) for f in files.values()):
            return files
    raise FontMissing("Không tìm thấy phông chữ Unicode để tạo PDF (cài gói fonts-liberation2: "
                      "apt-get install fonts-liberation2, hoặc chạy scripts/start.sh).")


class _PDF(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("serif", "", 10)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="C")


def _table(pdf: FPDF, t: Table) -> None:
    if pdf.get_y() > pdf.h - 60:  # never a caption alone at the foot of a page
        pdf.add_page()
    pdf.set_font("serif", "B", TABLE_PT + 1)
    pdf.multi_cell(0, 5.5, t.caption, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("serif", "", TABLE_PT)
    widths = t.widths or tuple(1.0 for _ in t.columns)
    align = tuple("RIGHT" if j in t.numeric else "LEFT" for j in range(len(t.columns)))
    with pdf.table(col_widths=widths, text_align=align, line_height=4.6, padding=1,
                   headings_style=FontFace(emphasis="BOLD"), repeat_headings=1) as table:
        table.row(t.columns)
        for row in t.rows:
            table.row(row)
        if t.total:
            r = table.row(style=FontFace(emphasis="BOLD"))
            for v in t.total:
                r.cell(v)
    pdf.ln(3)


def to_pdf(report: Report) -> bytes:
    """The PDF file of ``report`` as bytes. Raises ``FontMissing`` without a Unicode font."""
    files = font_files()
    pdf = _PDF(format="A4", unit="mm")
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(True, 20)
    for style, path in files.items():  # noqa: B007
        pdf.add_font("serif", style, str(path))
    pdf.set_title(f"{report.title} {report.subtitle}")
    pdf.set_author(f"{report.issuer} {report.province}")
    pdf.set_lang("vi")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    left_w, right_w = 70, width - 70
    y0 = pdf.get_y()
    pdf.set_font("serif", "", 12)
    pdf.cell(left_w, 5.5, report.authority, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("serif", "B", 12)
    pdf.cell(left_w, 5.5, report.issuer, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("serif", "", 13)
    pdf.cell(left_w, 6, "Số:       /BC-SKHCN", align="C")
    pdf.set_xy(pdf.l_margin + left_w, y0)
    pdf.set_font("serif", "B", 12)
    pdf.cell(right_w, 5.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("serif", "B", 13)
    pdf.cell(right_w, 5.5, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("serif", "I", 13)
    pdf.cell(right_w, 6, report.place_date, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("serif", "B", 14)
    pdf.multi_cell(0, 6.5, report.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6.5, report.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    for i, section in enumerate(report.sections):
        pdf.set_font("serif", "B", BODY_PT)
        pdf.multi_cell(0, LINE, f"{ROMAN[i]}. {section.heading}", new_x="LMARGIN", new_y="NEXT")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                pdf.set_font("serif", ("B" if block.bold else "") + ("I" if block.italic else ""), BODY_PT)
                text = ("- " if block.bullet else "") + block.text
                indent = "" if block.bold else "        "
                pdf.multi_cell(0, LINE, indent + text, align="J" if not block.bold else "L", new_x="LMARGIN", new_y="NEXT")
                pdf.ln(0.8)
            elif isinstance(block, Table):
                _table(pdf, block)
            elif isinstance(block, Picture):
                pdf.set_font("serif", "I", TABLE_PT + 1)
                if block.png:
                    pdf.image(BytesIO(block.png), w=width - 5, x=pdf.l_margin + 2.5)
                    pdf.multi_cell(0, 5, block.caption, align="C", new_x="LMARGIN", new_y="NEXT")
                else:
                    pdf.multi_cell(0, 5, f"{block.caption}: {block.note}", align="C", new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
    pdf.ln(6)
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    y0 = pdf.get_y()
    pdf.set_font("serif", "BI", 12)
    pdf.cell(85, 5.5, "Nơi nhận:", new_x="LEFT", new_y="NEXT")
    pdf.set_font("serif", "", 11)
    for r in report.recipients:
        pdf.cell(85, 5, f"- {r}", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(pdf.l_margin + 85, y0)
    pdf.set_font("serif", "B", 13)
    pdf.cell(width - 85, 6, report.signer, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("serif", "I", 13)
    pdf.cell(width - 85, 6, "(Ký, ghi rõ họ tên)", align="C")
    return bytes(pdf.output())
