"""Build DOCX and PDF documents in the tests (python-docx; fpdf2 with a TTF font that has
Vietnamese glyphs), from *blocks*: ``("p", text)`` paragraphs, ``("page", None)`` a page break
and ``("table", rows)`` ruled
tables (``rows`` of cell texts, the first row the header; a ``None`` cell is merged into the
cell on its left, as the "TỔNG CỘNG" label spans two columns in the real appendices).

``appendix_blocks`` lays out budget appendices as a department's Word/PDF file does: for
each appendix its heading, the "Kèm theo" line, the title, the unit, "Đơn vị tính", the
table (with the TỔNG CỘNG row) and the total in words, all taken from a parse of the text
version, so the DOCX/PDF hold exactly the text document's content in table form.
"""
from __future__ import annotations

from pathlib import Path

FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),  # fonts-noto-core (scripts/test.sh)
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # fonts-dejavu-core
]
HEADER = ["TT", "Nội dung thực hiện", "Thời gian thực hiện", "Dự toán kinh phí", "Ghi chú"]


def font_path() -> Path:
    """A TTF with Vietnamese glyphs; raises ``FileNotFoundError`` naming the Debian packages."""
    for p in FONT_CANDIDATES:
        if p.exists():
            return p
    raise FileNotFoundError("no TTF with Vietnamese glyphs: apt-get install fonts-noto-core (or fonts-dejavu-core)")


def vnd_text(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def appendix_blocks(result, lines: list[str]) -> list[tuple]:
    """Blocks of the budget appendices of a ``ParseResult`` of the text version."""
    attached = next(ln.strip() for ln in lines if "Kèm theo" in ln)
    title = next(ln.strip() for ln in lines if ln.strip().startswith("DỰ TOÁN KINH PHÍ"))
    title_next = lines[lines.index(next(ln for ln in lines if ln.strip().startswith("DỰ TOÁN KINH PHÍ"))) + 1].strip()
    blocks: list[tuple] = []
    appendices: dict[str, list] = {}
    for bl in result.budget_lines:
        appendices.setdefault(bl.appendix, []).append(bl)
    for name, bls in appendices.items():
        rows = [HEADER]
        for bl in bls:
            own = bl.funding_note if bl.funding_note != bl.description else None
            note = " ".join(x for x in (own, bl.note) if x)
            rows.append([bl.code or "", bl.description or "", bl.period or "", bl.amount_text or "", note])
        totals = [t for t in result.totals if t.kind == "printed_total" and t.scope.split(" (")[0] == name]
        for t in totals:
            rows.append([t.label, None, "", vnd_text(t.printed_amount_vnd), ""])  # None: merged with the left cell
        blocks += [("p", name), ("p", attached), ("p", f"{title} {title_next}"), ("p", f"Phòng/đơn vị: {bls[0].unit}"),
                   ("p", "Đơn vị tính: Đồng"), ("table", rows)]
        blocks += [("p", t.words_text) for t in totals if t.words_text]
        blocks.append(("p", ""))
    return blocks


def write_docx(blocks: list[tuple], out: Path) -> Path:
    import docx

    document = docx.Document()
    for kind, content in blocks:
        if kind == "p":
            document.add_paragraph(content)
        elif kind == "page":
            document.add_page_break()
        else:
            table = document.add_table(rows=len(content), cols=len(content[0]))
            for r, row in enumerate(content):
                for c, text in enumerate(row):
                    if text is None:
                        table.cell(r, c - 1).merge(table.cell(r, c))
                    else:
                        table.cell(r, c).text = text
    document.save(str(out))
    return out


def write_pdf(blocks: list[tuple], out: Path) -> Path:
    """A PDF (A4, 10 pt) with the font embedded; tables are ruled so pdfplumber finds them.
    A paragraph "" leaves one empty line (a paragraph gap)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("VN", "", str(font_path()))
    pdf.set_font("VN", size=10)
    pdf.add_page()
    widths = (12, 88, 28, 30, 32)
    for kind, content in blocks:
        if kind == "page":
            pdf.add_page()
            continue
        if kind == "p":
            if content:
                pdf.multi_cell(0, 5, content, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.ln(5)
            continue
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=5, first_row_as_headings=False) as table:
            for row in content:
                r = table.row()
                for c, text in enumerate(row):
                    if text is None:
                        continue
                    span = 2 if c + 1 < len(row) and row[c + 1] is None else 1
                    r.cell(text, colspan=span)
        pdf.ln(2)
    pdf.output(str(out))
    return out


def text_blocks(lines: list[str]) -> list[tuple]:
    """Every text line as one paragraph (an empty line stays an empty paragraph)."""
    return [("p", ln.strip()) for ln in lines]
