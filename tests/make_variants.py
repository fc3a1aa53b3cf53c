"""Write the binary variants of ``tests/data/variants`` (.xlsx, .docx, .pdf) and their
``.expected.json`` from one description per document, so the expected figures come from
what was written, not from what a parser read.

    .venv/bin/python tests/make_variants.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from docgen import HEADER, vnd_text, write_docx, write_pdf  # noqa: E402

VARIANTS = HERE / "data" / "variants"
TITLE = "DỰ TOÁN KINH PHÍ HOẠT ĐỘNG KHOA HỌC, CÔNG NGHỆ VÀ ĐỔI MỚI SÁNG TẠO NĂM {y}"

# (code, description, timing, amount đồng or None, note, source, is_subtotal, quarters)
LAO_CAI = [
    ("Phụ lục 1", "Văn phòng Sở", [
        ("1", "Hội nghị sơ kết công tác khoa học và công nghệ", "Quý II", 45_000_000, "Nguồn QLNN", "QLNN", False, [2]),
        ("2", "Cập nhật cơ sở dữ liệu nhiệm vụ khoa học", "Quý I, II", 120_500_000, "Nguồn SNKH", "SNKH", False, [1, 2]),
        ("3", "Tập huấn nghiệp vụ thống kê", "Năm 2025", 80_000_000, "Nguồn SNKH", "SNKH", False, [1, 2, 3, 4]),
    ], "Hai trăm bốn mươi lăm triệu năm trăm nghìn đồng"),
    ("Phụ lục 2", "Phòng Quản lý chuyên ngành", [
        ("I", "Nguồn sự nghiệp khoa học", "", 300_000_000, "", "SNKH", True, []),
        ("1", "Kiểm tra nhà nước về đo lường", "Quý III", 100_000_000, "", "SNKH", False, [3]),
        ("2", "Hỗ trợ doanh nghiệp áp dụng tiêu chuẩn", "Quý III, IV", 200_000_000, "", "SNKH", False, [3, 4]),
        ("II", "Nguồn quản lý nhà nước", "", 60_000_000, "", "QLNN", True, []),
        ("1", "Thanh tra chuyên ngành", "Quý IV", 60_000_000, "", "QLNN", False, [4]),
    ], "Ba trăm sáu mươi triệu đồng"),
]
THAI_BINH = [
    ("Phụ lục 1", "Thanh tra Sở", [
        ("1", "Thanh tra việc chấp hành pháp luật về đo lường", "Quý II", 35_000_000, "Nguồn QLNN", "QLNN", False, [2]),
        ("2", "Giải quyết khiếu nại, tố cáo", "Năm 2024", 15_000_000, "Nguồn QLNN", "QLNN", False, [1, 2, 3, 4]),
    ], "Năm mươi lăm triệu đồng"),  # the printed total (55) disagrees with its lines (50)
    ("Phụ lục 2", "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", [
        ("1", "Nhân giống nấm ăn và nấm dược liệu", "", 85_000_000, "Nguồn SNKH", "SNKH", True, []),
        ("-", "Mua giống gốc", "Quý I", 40_000_000, "Nguồn SNKH", "SNKH", False, [1]),
        ("-", "Vật tư sản xuất", "Quý II", 45_000_000, "Nguồn SNKH", "SNKH", False, [2]),
        ("2", "Phân tích mẫu đất", "Quý III", 25_000_000, "Nguồn SNKH", "SNKH", False, [3]),
    ], "Một trăm mười triệu đồng"),
]
BAC_KAN = [
    ("Phụ lục 1", "Phòng Kế hoạch - Tài chính", [
        ("1", "Xây dựng kế hoạch khoa học và công nghệ năm 2025", "Quý III", 20_000_000, "Nguồn QLNN", "QLNN", False, [3]),
        ("2", "Tuyển chọn nhiệm vụ cấp tỉnh", "Quý I", 150_000_000, "Nguồn SNKH", "SNKH", False, [1]),
        ("3", "Hội đồng nghiệm thu nhiệm vụ", "Quý II, III, IV", 96_000_000, "Nguồn SNKH", "SNKH", False, [2, 3, 4]),
        ("4", "Tuyên truyền sở hữu trí tuệ", "Năm 2024", 30_000_000, "Nguồn QLNN và Nguồn SNKH", "MIXED", False, [1, 2, 3, 4]),
    ], "Hai trăm chín mươi sáu triệu đồng"),
]


# A unit is stored as printed; its kind (data/vocabulary/units.csv, the label shared by every
# province) is in unit_kind. Written by hand from the vocabulary, for the units printed above.
UNIT_KINDS = {
    "Văn phòng Sở": "Văn phòng Sở",
    "Thanh tra Sở": "Thanh tra Sở",
    "Phòng Quản lý chuyên ngành": "Phòng Quản lý chuyên ngành",
    "Phòng Kế hoạch - Tài chính": "Phòng Kế hoạch – Tài chính",
    "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ": "Trung tâm Ứng dụng KH&CN",
    "Trung tâm Thông tin và Thống kê khoa học và công nghệ": "Trung tâm Thông tin KH&CN",
}


def _units(printed: str) -> dict:
    return {"unit": printed, "unit_kind": UNIT_KINDS[printed]}


def _leaf_total(rows):
    return sum(r[3] for r in rows if not r[6])


def _blocks(appendices, year, number, day, mismatch=None):
    blocks = []
    for name, unit, rows, words in appendices:
        total = _leaf_total(rows) + (mismatch or {}).get(name, 0)
        table = [HEADER] + [[c, d, t, vnd_text(a) if a is not None else "", n] for c, d, t, a, n, *_ in rows]
        table.append(["TỔNG CỘNG", None, "", vnd_text(total), ""])
        blocks += [("p", name), ("p", f"(Kèm theo Kế hoạch số {number} ngày {day} của Sở Khoa học và Công nghệ)"),
                   ("p", TITLE.format(y=year)), ("p", f"Phòng/đơn vị: {unit}"), ("p", "Đơn vị tính: Đồng"),
                   ("table", table), ("p", f"(Bằng chữ: {words}./.)"), ("p", "")]
    return blocks


def _xlsx(appendices, year, number, day, out: Path):
    """One sheet per appendix, laid out like the printed appendix: merged title rows,
    "Đơn vị tính", the header row, amounts as numbers in the #,##0 format, TỔNG CỘNG."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, unit, rows, words in appendices:
        ws = wb.create_sheet(name.replace("Phụ lục ", "PL"))
        top = [name, f"(Kèm theo Kế hoạch số {number} ngày {day} của Sở Khoa học và Công nghệ)", TITLE.format(y=year),
               f"Phòng/đơn vị: {unit}"]
        for r, text in enumerate(top, start=1):
            ws.cell(row=r, column=1, value=text).font = Font(bold=r in (1, 3))
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
        ws.cell(row=6, column=4, value="Đơn vị tính: Đồng")
        for c, label in enumerate(HEADER, start=1):
            ws.cell(row=7, column=c, value=label).font = Font(bold=True)
        r = 8
        for code, desc, timing, amount, note, *_ in rows:
            for c, v in enumerate([code, desc, timing or None, amount, note or None], start=1):
                ws.cell(row=r, column=c, value=v)
            ws.cell(row=r, column=4).number_format = "#,##0"
            r += 1
        ws.cell(row=r, column=1, value="TỔNG CỘNG")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        ws.cell(row=r, column=4, value=_leaf_total(rows)).number_format = "#,##0"
        ws.cell(row=r + 2, column=1, value=f"(Bằng chữ: {words}./.)")
    wb.save(out)


# A department's own workbook (Quảng Ninh style): national-motto header in two cells, "Biểu số
# 02", merged title, "Đơn vị dự toán:", "Đơn vị tính: triệu đồng" in the last column, columns in
# another order and wording (a source column before the amount, the period after it), a row of
# column numbers, a section whose code and text share one merged cell, TỔNG CỘNG merged over two
# cells, the amount in words and signatures after the table.
# (code, description, source cell, amount in triệu as typed, timing, note, expected source,
#  is_subtotal, quarters, section cell merged)
QUANG_NINH_HEADER = ["STT", "Nội dung chi", "Nguồn kinh phí", "Số tiền", "Thời gian thực hiện", "Ghi chú"]
QUANG_NINH = [
    ("I", "Chi hoạt động chuyên môn", None, 850, None, None, "MIXED", True, [], False),
    ("1", "Duy trì Cổng thông tin khoa học và công nghệ", "Sự nghiệp khoa học", 120.5, "Năm 2025", None, "SNKH", False, [1, 2, 3, 4], False),
    ("2", "Xây dựng cơ sở dữ liệu chuyên gia", "Sự nghiệp khoa học", 250, "Quý II, III", None, "SNKH", False, [2, 3], False),
    ("3", "Điều tra thống kê tiềm lực khoa học và công nghệ", "Quản lý nhà nước", 479.5, "Quý III", "Chuyển tiếp", "QLNN", False, [3], False),
    ("II", "Chi mua sắm, sửa chữa", None, 150, None, None, "SNKH", True, [], True),
    ("1", "Mua sắm thiết bị lưu trữ dữ liệu", "SNKH", 150, "Quý IV", None, "SNKH", False, [4], False),
]


def _qn_xlsx(out: Path) -> list[int]:
    """Write the Quảng Ninh-style workbook; returns the Excel row of each table row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Dự toán 2025"
    ws["A1"], ws["D1"] = "UBND TỈNH QUẢNG NINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["A2"], ws["D2"] = "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Độc lập - Tự do - Hạnh phúc"
    ws.merge_cells("A1:C1"), ws.merge_cells("D1:F1"), ws.merge_cells("A2:C2"), ws.merge_cells("D2:F2")
    top = {4: "Biểu số 02", 5: "DỰ TOÁN CHI NGÂN SÁCH SỰ NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ NĂM 2025",
           6: "(Kèm theo Quyết định số 45/QĐ-SKHCN ngày 20 tháng 01 năm 2025 của Giám đốc Sở Khoa học và Công nghệ)",
           7: "Đơn vị dự toán: Trung tâm Thông tin và Thống kê khoa học và công nghệ"}
    for r, text in top.items():
        ws.cell(row=r, column=1, value=text).font = Font(bold=r in (4, 5))
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
    ws["F8"] = "Đơn vị tính: triệu đồng"
    for c, label in enumerate(QUANG_NINH_HEADER, start=1):
        ws.cell(row=9, column=c, value=label).font = Font(bold=True)
        ws.cell(row=10, column=c, value=f"({c})")
    rows = []
    r = 11
    for code, desc, source, amount, timing, note, _, _, _, merged in QUANG_NINH:
        if merged:
            ws.cell(row=r, column=1, value=f"{code}. {desc}").font = Font(bold=True)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        else:
            ws.cell(row=r, column=1, value=code)
            ws.cell(row=r, column=2, value=desc)
            ws.cell(row=r, column=3, value=source)
        ws.cell(row=r, column=4, value=amount).number_format = "#,##0.0"
        ws.cell(row=r, column=5, value=timing)
        ws.cell(row=r, column=6, value=note)
        rows.append(r)
        r += 1
    ws.cell(row=r, column=1, value="TỔNG CỘNG").font = Font(bold=True)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    ws.cell(row=r, column=4, value=sum(a for _, _, _, a, *rest in QUANG_NINH if not rest[3])).number_format = "#,##0.0"
    rows.append(r)
    ws.cell(row=r + 1, column=2, value="(Bằng chữ: Một tỷ đồng)")
    ws.cell(row=r + 3, column=2, value="NGƯỜI LẬP BIỂU")
    ws.cell(row=r + 3, column=5, value="THỦ TRƯỞNG ĐƠN VỊ")
    wb.save(out)
    return rows


def _qn_expected(rows: list[int]) -> dict:
    """Figures of the Quảng Ninh-style workbook computed from QUANG_NINH (triệu → đồng), with
    the line of each row in the extracted workbook (one line per non-empty row, a blank line
    for each run of empty rows: rows 1–2, blank, 4–11…, so Excel row r ≥ 4 is line r)."""
    trieu = 1_000_000
    lines = []
    for (code, desc, source, amount, timing, note, kind, sub, quarters, _), r in zip(QUANG_NINH, rows):
        lines.append({"code": code, "description": desc, "amount_vnd": round(amount * trieu), "funding_source": kind,
                      "is_subtotal": sub, "quarters": quarters, "period": timing, "note": note,
                      **_units("Trung tâm Thông tin và Thống kê khoa học và công nghệ"), "appendix": "Biểu 2",
                      "amount_unit": "triệu đồng", "source_line": r})
    leaves = sum(round(a * trieu) for _, _, _, a, _, _, _, sub, _, _ in QUANG_NINH if not sub)
    totals = [{"scope": "Biểu 2 / I", "printed_amount_vnd": 850 * trieu, "status": "match"},
              {"scope": "Biểu 2 / II", "printed_amount_vnd": 150 * trieu, "status": "match"},
              {"scope": "Biểu 2", "printed_amount_vnd": leaves, "status": "match", "words_amount_vnd": 1_000_000_000,
               "source_line": rows[-1]}]
    return {"about": "A department's own workbook: motto header, 'Biểu số 02', 'Đơn vị tính: triệu đồng' in a cell, "
                     "columns in another order and wording (Nguồn kinh phí, Số tiền), a row of column numbers, a "
                     "section code and text in one merged cell, TỔNG CỘNG merged, words and signatures after it",
            "meta": {"province": "Quảng Ninh", "fiscal_years": [2025], "kind": "budget_appendices"},
            "error": None, "budget_lines": lines, "totals": totals}


def _expected(about, province, year, appendices, mismatch=None):
    lines, totals = [], []
    for name, unit, rows, _ in appendices:
        for code, desc, timing, amount, note, source, sub, quarters in rows:
            lines.append({"code": code, "description": desc, "amount_vnd": amount, "funding_source": source,
                          "is_subtotal": sub, "quarters": quarters, **_units(unit), "appendix": name})
        # document order: subtotals at their line, then the appendix's printed total
        for code, desc, timing, amount, note, source, sub, quarters in rows:
            if sub:
                totals.append({"scope": f"{name} / {code}", "printed_amount_vnd": amount, "status": "match"})
        printed = _leaf_total(rows) + (mismatch or {}).get(name, 0)
        totals.append({"scope": name, "printed_amount_vnd": printed,
                       "status": "mismatch" if (mismatch or {}).get(name) else "match"})
    return {"about": about, "meta": {"province": province, "fiscal_years": [year], "kind": "budget_appendices"},
            "error": None, "budget_lines": lines, "totals": totals}


# A Word estimate of a public service unit: "Biểu 02", "Đơn vị dự toán:", nghìn đồng, parts A / B,
# "Nguồn kinh phí" before "Kinh phí" and "Thời gian thực hiện" after it, a merged
# "Tổng cộng (A+B)" cell. Expected figures are written by hand in its .expected.json.
NINH_THUAN = [
    ["STT", "Nội dung chi", "Nguồn kinh phí", "Kinh phí", "Thời gian thực hiện", "Ghi chú"],
    ["A", "Chi thường xuyên", "", "630.000", "", ""],
    ["1", "Duy trì vườn ươm giống cây trồng", "Sự nghiệp khoa học", "250.000", "Năm 2025", "Chuyển tiếp từ năm 2024"],
    ["2", "Sản xuất chế phẩm sinh học", "Kinh phí SNKH", "180.000", "Quý II, III", ""],
    ["3", "Tập huấn kỹ thuật nhân giống", "Nguồn thu sự nghiệp", "200.000", "Năm 2025", ""],
    ["B", "Chi đầu tư", "", "1.500.000", "", ""],
    ["1", "Mua sắm thiết bị phòng thí nghiệm", "Vốn đầu tư phát triển", "1.500.000", "Quý III", ""],
    ["Tổng cộng (A+B)", None, None, "2.130.000", "", ""],
]


def ninhthuan_docx(out: Path) -> None:
    """Write ``ninhthuan_2025_estimate_parts_tables.docx`` (NINH_THUAN)."""
    write_docx([
        ("p", "UBND TỈNH NINH THUẬN"), ("p", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"), ("p", "Biểu 02"),
        ("p", "DỰ TOÁN CHI TIẾT KINH PHÍ NĂM 2025"),
        ("p", "(Kèm theo Tờ trình số 08/TTr-SKHCN ngày 06 tháng 01 năm 2025 của Sở Khoa học và Công nghệ)"),
        ("p", "Đơn vị dự toán: Trung tâm Ứng dụng tiến bộ khoa học và công nghệ"), ("p", "Đơn vị tính: nghìn đồng"),
        ("table", NINH_THUAN), ("p", "(Bằng chữ: Hai tỷ một trăm ba mươi triệu đồng)"),
    ], out)


# A plan-vs-execution sheet of a department's workbook: amounts as numbers (triệu đồng, one
# decimal), a rate column, the unit in a cell above the header. Figures by hand in its
# .expected.json.
BAC_NINH = [
    ["STT", "Nội dung", "Kế hoạch năm 2024", "Ước thực hiện năm 2024", "Tỷ lệ %"],
    ["I", "Kinh phí sự nghiệp khoa học", 12500, 11875.5, 95],
    ["1", "Nhiệm vụ khoa học và công nghệ cấp tỉnh", 8000, 7600.5, 95],
    ["2", "Hoạt động khoa học và công nghệ khác", 4500, 4275, 95],
    ["II", "Kinh phí quản lý nhà nước", 1500, 1500, 100],
    ["", "Tổng cộng", 14000, 13375.5, 95.5],
]


def bacninh_xlsx(out: Path) -> None:
    """Write ``bacninh_2025_plan_execution_workbook.xlsx`` (BAC_NINH on sheet "Biểu 01")."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 01"
    ws.append(["TÌNH HÌNH THỰC HIỆN DỰ TOÁN NĂM 2024"])
    ws.merge_cells("A1:E1")
    ws.append(["", "", "", "", "Đơn vị tính: triệu đồng"])
    for row in BAC_NINH:
        ws.append(row)
    for r in ws.iter_rows(min_row=4, min_col=3, max_col=4):
        for c in r:
            c.number_format = "#,##0.0"
    wb.save(out)


def main() -> None:
    bacninh_xlsx(VARIANTS / "bacninh_2025_plan_execution_workbook.xlsx")
    ninhthuan_docx(VARIANTS / "ninhthuan_2025_estimate_parts_tables.docx")
    _xlsx(LAO_CAI, 2025, "20/KH-SKHCN", "15 tháng 01 năm 2025", VARIANTS / "laocai_2025_appendix_workbook.xlsx")
    write_docx(_blocks(THAI_BINH, 2024, "12/KH-SKHCN", "08 tháng 01 năm 2024", {"Phụ lục 1": 5_000_000}),
               VARIANTS / "thaibinh_2024_appendix_tables.docx")
    write_pdf(_blocks(BAC_KAN, 2024, "05/KH-SKHCN", "10 tháng 01 năm 2024"), VARIANTS / "backan_2024_appendix_tables.pdf")
    qn_rows = _qn_xlsx(VARIANTS / "quangninh_2025_appendix_own_workbook.xlsx")
    specs = {
        "quangninh_2025_appendix_own_workbook": _qn_expected(qn_rows),
        "laocai_2025_appendix_workbook": _expected(
            "Excel workbook, one sheet per appendix: merged title cells, amounts as numbers (#,##0), sections with subtotals",
            "Lào Cai", 2025, LAO_CAI),
        "thaibinh_2024_appendix_tables": _expected(
            "DOCX with Word tables, a merged TỔNG CỘNG cell, '-' sub-items, and a printed total 5.000.000 đ above its lines",
            "Thái Bình", 2024, THAI_BINH, {"Phụ lục 1": 5_000_000}),
        "backan_2024_appendix_tables": _expected(
            "PDF (embedded font) with ruled tables and a mixed-source note", "Bắc Kạn", 2024, BAC_KAN),
    }
    for name, spec in specs.items():
        (VARIANTS / f"{name}.expected.json").write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
