"""The meeting report of one province-year as a document model that the Word and PDF
writers (``reports.docx``, ``reports.pdf``) render the same way.

Layout of a Vietnamese administrative report (Nghị định 30/2020/NĐ-CP, Phụ lục I): the
issuing body (UBND TỈNH … / SỞ KHOA HỌC VÀ CÔNG NGHỆ) and the national motto side by side, the
number line, the place and date, the kind of document (BÁO CÁO) and its summary title, then
numbered sections — I. Tình hình thực hiện (summary, by source, by unit, execution, KPIs),
II. Đánh giá (kết quả, tồn tại), III. Nhiệm vụ kỳ tới (tasks due), IV. Kiến nghị —, the
sources of the figures, the recipients and the signature block.

Every figure comes from ``warehouse.queries`` (the queries the pages run, so the figures
match Tổng quan, Ngân sách, Thực hiện, Chỉ tiêu and Nhiệm vụ) and from the findings of
``reports.findings``; amounts are integer đồng, written in full ("11.523.500.000") in tables.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from charts import budget as budget_charts
from charts import format as fmt
from charts.theme import SOURCE_LABELS
from warehouse import kpi
from warehouse import tasks as task_rules
from warehouse.queries import Warehouse

from . import findings as rules
from . import images

ROMAN = ["I", "II", "III", "IV", "V", "VI"]


@dataclass
class Paragraph:
    """A paragraph; ``bullet``: a list item ("- "); ``bold``/``italic`` for the whole text."""

    text: str
    bullet: bool = False
    bold: bool = False
    italic: bool = False


@dataclass
class Table:
    """A table: ``columns`` (headers), ``rows`` (cells as text, already formatted),
    ``numeric`` (indexes of right-aligned columns), ``total`` (a last row in bold, or
    ``None``), ``widths`` (relative widths of the columns)."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()
    total: list[str] | None = None
    widths: tuple[float, ...] = ()


@dataclass
class Picture:
    """A chart: the PNG bytes, or ``None`` and the note printed in its place."""

    caption: str
    png: bytes | None
    note: str | None = None


@dataclass
class Section:
    heading: str
    blocks: list = field(default_factory=list)


@dataclass
class Report:
    """The whole document: header lines, title, sections, recipients; ``findings`` and the
    key totals (``totals``: scope name → đồng) kept for tests and the page."""

    province: str
    year: int
    quarter: int | None
    issued: date
    authority: str
    issuer: str
    title: str
    subtitle: str
    sections: list[Section]
    recipients: list[str]
    signer: str
    findings: list[rules.Finding]
    totals: dict[str, int]
    warnings: list[str] = field(default_factory=list)

    @property
    def place_date(self) -> str:
        return f"{self.province}, ngày {self.issued:%d} tháng {self.issued:%m} năm {self.issued:%Y}"


def _amount(a) -> str:
    return "" if a is None or pd.isna(a) else fmt.number(int(a))


def _title_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def build_report(wh: Warehouse, province: str, year: int, quarter: int | None = None, version: str | None = None,
                 entries: Path | None = None, today: date | None = None, charts: bool = True) -> Report:
    """The meeting report of ``province`` and ``year`` (``quarter`` 1–4: execution to the
    end of that quarter and tasks as of its last day; ``version``: the estimate version
    followed, the latest by default; ``entries``: the store of typed actuals; ``today``:
    the date printed and the day a current year's tasks are judged on; ``charts``: export
    the charts as pictures with kaleido, else a note in their place). Raises ``ValueError``
    for a quarter outside 1–4, ``KeyError`` for an unknown version, ``LookupError`` when the
    warehouse holds nothing for the province and year."""
    today = today or date.today()
    ctx = rules.Context(wh, province, year, quarter, version, entries, today)
    found = rules.findings(wh, province, year, context=ctx)
    if not ctx.scopes and (ctx.tasks is None or ctx.tasks.empty) and ctx.targets is None:
        raise LookupError(f"Kho dữ liệu không có số liệu nào của {province} năm {year}.")
    warnings: list[str] = []
    period = f"quý {ROMAN[quarter - 1]} năm {year}" if quarter else f"năm {year}"
    report = Report(
        province=province, year=year, quarter=quarter, issued=today,
        authority=f"UBND TỈNH {province.upper()}", issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        title="BÁO CÁO",
        subtitle=f"Tình hình thực hiện dự toán ngân sách, chỉ tiêu và nhiệm vụ khoa học và công nghệ {period}",
        sections=[], recipients=["Ban Giám đốc Sở;", "Các phòng, đơn vị thuộc Sở;", "Lưu: VT, KHTC."],
        signer="GIÁM ĐỐC", findings=found, totals={}, warnings=warnings,
    )

    def picture(fig, caption: str) -> Picture:
        if not charts:
            return Picture(caption, None, images.MISSING_NOTE.format(reason="không yêu cầu xuất biểu đồ"))
        png, reason = images.to_png(fig)
        if png is None:
            warnings.append(f"{caption}: {reason}")
            return Picture(caption, None, images.MISSING_NOTE.format(reason=reason))
        return Picture(caption, png)

    # I. Tình hình thực hiện
    s1 = Section("TÌNH HÌNH THỰC HIỆN")
    s1.blocks.append(Paragraph("1. Tóm tắt", bold=True))
    if found:
        s1.blocks += [Paragraph(f.sentence, bullet=True) for f in found]
    else:
        s1.blocks.append(Paragraph("Kho dữ liệu chưa có số liệu để tóm tắt.", italic=True))
    n = 2
    if ctx.scopes:
        rows, total_row = [], None
        for s in ctx.scopes:
            t = ctx.total(s.filter(direction="expenditure"))
            report.totals[s.name] = t
            revenue = wh.totals_by(s.filter(direction="revenue"), "direction")
            rows.append([s.name + (f" ({s.version_label})" if s.version_label else ""), _amount(t),
                         _amount(int(revenue["amount_vnd"].sum())) if len(revenue) else "—"])
        s1.blocks.append(Paragraph(f"{n}. Tổng hợp theo giai đoạn", bold=True))
        s1.blocks.append(Table(f"Bảng {n}. Tổng chi và tổng thu theo giai đoạn, {province} {year} (đồng)",
                               ["Giai đoạn và loại số liệu", "Tổng chi (đồng)", "Tổng thu phí, lệ phí (đồng)"], rows,
                               numeric=(1, 2), widths=(3, 2, 2)))
        n += 1
    main = ctx.main
    if main is not None:
        f = main.filter(direction="expenditure")
        total = ctx.total(f)
        by_source = wh.totals_by(f, "funding_source")
        if len(by_source):
            s1.blocks.append(Paragraph(f"{n}. {main.name} theo nguồn kinh phí", bold=True))
            s1.blocks.append(Table(
                f"Bảng {n}. {main.name} {year} theo nguồn kinh phí (đồng)", ["Nguồn kinh phí", "Số tiền (đồng)", "Tỷ trọng", "Số dòng"],
                [[SOURCE_LABELS.get(r.funding_source, r.funding_source), _amount(r.amount_vnd),
                  fmt.pct(r.amount_vnd * 100 / total) if total else "", fmt.number(int(r.lines))] for r in by_source.itertuples()],
                numeric=(1, 2, 3), total=["Tổng cộng", _amount(total), "100%" if total else "", fmt.number(int(by_source["lines"].sum()))],
                widths=(3, 2, 1, 1)))
            s1.blocks.append(picture(budget_charts.by_source(by_source, f"{main.name} {year} theo nguồn kinh phí (triệu đồng)"),
                                     f"Biểu đồ {n}. {main.name} {year} theo nguồn kinh phí"))
            n += 1
        units = wh.totals_by(f, "unit_group")
        if len(units):
            s1.blocks.append(Paragraph(f"{n}. {main.name} theo phòng/đơn vị", bold=True))
            s1.blocks.append(Table(
                f"Bảng {n}. {main.name} {year} theo phòng/đơn vị (đồng)",
                ["Phòng/đơn vị", "Tên như in trong văn bản", "Số tiền (đồng)", "Tỷ trọng", "Số dòng"],
                [[str(r.unit_group), str(r.units_printed or ""), _amount(r.amount_vnd),
                  fmt.pct(r.amount_vnd * 100 / total) if total else "", fmt.number(int(r.lines))] for r in units.itertuples()],
                numeric=(2, 3, 4), total=["Tổng cộng", "", _amount(total), "100%" if total else "", fmt.number(int(units["lines"].sum()))],
                widths=(2.5, 2.5, 2, 1, 1)))
            if len(units) > 1:
                s1.blocks.append(picture(budget_charts.by_unit(units.head(12), f"{main.name} {year} theo phòng/đơn vị (triệu đồng)"),
                                         f"Biểu đồ {n}. {main.name} {year} theo phòng/đơn vị"))
            n += 1
    rates = wh.execution_rates(province)
    rates = rates[rates["fiscal_year"] <= year]
    exq = wh.execution_by_quarter(province, year) if year in wh.execution_years(province) else None
    if len(rates) or (exq is not None and exq["to_date_vnd"].notna().any()):
        s1.blocks.append(Paragraph(f"{n}. Thực hiện so với kế hoạch, dự toán", bold=True))
        if len(rates):
            s1.blocks.append(Table(
                f"Bảng {n}. Thực hiện so với kế hoạch UBND giao (đồng)",
                ["Năm", "Kế hoạch UBND giao (đồng)", "Thực hiện (đồng)", "Kỳ thực hiện", "Tỷ lệ", "Mức PEFA PI-1"],
                [[str(int(r.fiscal_year)), _amount(r.ubnd_vnd), _amount(r.executed_vnd), _title_case(r.executed_stage),
                  fmt.pct(r.rate_pct), rules.pefa_band(r.rate_pct) if r.executed_stage == "thực hiện" else "chưa xếp (một phần năm)"]
                 for r in rates.itertuples()],
                numeric=(1, 2, 4), widths=(1, 2, 2, 2, 1, 1.5)))
            totals = wh.execution_totals(province)
            totals = totals[totals["fiscal_year"] <= year]
            if len(totals):
                s1.blocks.append(picture(budget_charts.execution(totals), f"Biểu đồ {n}. Kế hoạch và thực hiện theo năm"))
        if exq is not None and exq["to_date_vnd"].notna().any():
            shown = exq[exq["amount_vnd"].notna() | exq["to_date_vnd"].notna()]
            if quarter:
                shown = shown[shown["quarter"] <= quarter]
            s1.blocks.append(Table(
                f"Bảng {n}b. Thực hiện theo quý so với dự toán năm {year} (đồng)",
                ["Số liệu", "Quý", "Trong quý (đồng)", "Lũy kế (đồng)", "Dự toán năm (đồng)", "Tỷ lệ lũy kế"],
                [[str(r.stage_label), str(r.quarter_label), _amount(r.amount_vnd), _amount(r.to_date_vnd), _amount(r.estimate_vnd),
                  "" if pd.isna(r.to_date_rate_pct) else fmt.pct(float(r.to_date_rate_pct))] for r in shown.itertuples()],
                numeric=(2, 3, 4, 5), widths=(2, 1, 2, 2, 2, 1)))
        n += 1
    if ctx.targets is not None and len(ctx.targets):
        t = ctx.targets
        s1.blocks.append(Paragraph(f"{n}. Chỉ tiêu kế hoạch năm {year}", bold=True))
        s1.blocks.append(Table(
            f"Bảng {n}. Chỉ tiêu: kế hoạch, thực hiện và tình trạng", ["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tình trạng", "Văn bản, dòng"],
            [[str(i), str(r.name), str(r.target_text or ""), "" if pd.isna(r.actual_value) else fmt.number(float(r.actual_value), 2),
              kpi.STATUS_VN.get(r.status, r.status), f"{r.document}, dòng {int(r.source_line)}"]
             for i, r in enumerate(t.itertuples(), start=1)],
            numeric=(0, 3), widths=(0.5, 4, 1.5, 1, 1.3, 2)))
        n += 1

    # II. Đánh giá
    s2 = Section("ĐÁNH GIÁ")
    good = [f for f in found if f.severity == rules.GOOD]
    bad = [f for f in found if f.severity in (rules.ATTENTION, rules.PROBLEM)]
    s2.blocks.append(Paragraph("1. Kết quả đạt được", bold=True))
    s2.blocks += [Paragraph(f.sentence, bullet=True) for f in good] or [
        Paragraph("Số liệu chưa cho thấy kết quả nổi bật theo các quy tắc đánh giá.", italic=True)]
    s2.blocks.append(Paragraph("2. Tồn tại, hạn chế", bold=True))
    s2.blocks += [Paragraph(f.sentence, bullet=True) for f in bad] or [
        Paragraph("Không phát hiện tồn tại theo các quy tắc đánh giá.", italic=True)]
    s2.blocks.append(Paragraph(
        "Mức PEFA PI-1 (tỷ lệ chi thực tế so với dự toán cả năm): A trong khoảng 95–105%, B trong khoảng 90–110%, "
        "C trong khoảng 85–115%, D ngoài các khoảng đó.", italic=True))

    # III. Nhiệm vụ kỳ tới
    s3 = Section("NHIỆM VỤ KỲ TỚI")
    tasks = ctx.tasks
    if tasks is not None and len(tasks):
        start, end = rules.next_quarter(ctx.reference)
        tasks = tasks[tasks["kind"] != "project"]
        pending = tasks[tasks["status"].isin([task_rules.LATE, task_rules.DUE, task_rules.SOON])
                        | pd.Series([d is not None and start <= d <= end for d in tasks["due"]], index=tasks.index, dtype=bool)]
        s3.blocks.append(Paragraph(
            f"Nhiệm vụ quá hạn, đến hạn chưa ghi nhận kết quả, sắp đến hạn hoặc đến hạn trong quý "
            f"{ROMAN[(start.month - 1) // 3]}/{start.year}, tính đến ngày {ctx.reference:%d/%m/%Y}: {len(pending)} nhiệm vụ."))
        if len(pending):
            s3.blocks.append(Table(
                f"Bảng {n}. Nhiệm vụ cần theo dõi", ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng"],
                [[str(i), str(r.name), str(r.lead_unit or ""), str(r.timing_text or fmt.date(r.due)),
                  task_rules.STATUS_VN[r.status]] for i, r in enumerate(pending.itertuples(), start=1)],
                numeric=(0,), widths=(0.5, 4.5, 2, 1.5, 1.8)))
            n += 1
    else:
        s3.blocks.append(Paragraph(f"Kho dữ liệu chưa có kế hoạch nhiệm vụ năm {year} của {province}.", italic=True))

    # IV. Kiến nghị
    s4 = Section("KIẾN NGHỊ")
    actions = list(dict.fromkeys(f.action for f in found if f.action))
    s4.blocks += [Paragraph(a, bullet=True) for a in actions] or [
        Paragraph("Số liệu không đặt ra kiến nghị nào theo các quy tắc đánh giá.", italic=True)]

    # Nguồn số liệu
    s5 = Section("NGUỒN SỐ LIỆU")
    docs = wh.documents(province)
    docs = docs[docs["fiscal_years"].fillna("").str.split(", ").map(lambda ys: str(year) in ys)]
    s5.blocks.append(Paragraph(
        "Số liệu lấy từ kho dữ liệu của bảng điều khiển, đọc từ các văn bản dưới đây; số tiền tính bằng đồng, chỉ cộng "
        "các dòng chi tiết (không cộng dòng tổng mục), dự toán theo một phiên bản (mới nhất nếu không chọn)."))
    if len(docs):
        s5.blocks.append(Table("Văn bản nguồn", ["Tệp", "Số hiệu", "Tiêu đề"],
                               [[str(r.document), str(r.number or ""), str(r.title or "")] for r in docs.itertuples()],
                               widths=(2, 1.5, 4)))
    report.sections = [s1, s2, s3, s4, s5]
    return report
