"""Header words of hand-typed tables (blind check of 7 December 2026): an amount column named
by its source, the year's whole estimate beside its parts, "Trong đó" merged over the last
columns of a sheet, and "Lũy kế ước thực hiện …" in one cell."""
from openpyxl import Workbook

from loaders.tables.files import xlsx
from loaders.tables.plan import _stage_after_cumulative
from loaders.text.columns import vocabulary

from helpers import read_text_document


def test_a_header_naming_one_source_heads_that_sources_amounts():
    v = vocabulary()
    assert v.classify("Nguồn QLNN") is None  # left to the split-by-source reading
    assert v.classify("Nguồn sự nghiệp khoa học") is None
    assert v.classify("Nguồn kinh phí").role == "source"  # a column of source notes
    assert v.classify("Nguồn vốn").role == "source"


def test_the_years_whole_estimate_is_an_amount():
    spec = vocabulary().classify("Tổng dự toán năm 2026")
    assert (spec.role, spec.stage) == ("amount", "dự toán")


def test_a_cumulative_cell_takes_the_stage_it_names():
    assert _stage_after_cumulative("Lũy kế ước thực hiện từ đầu năm đến hết Quý III") == "ước thực hiện"
    assert _stage_after_cumulative("Lũy kế thực hiện 6 tháng") is None  # a phrase of its own: its stage stands
    assert _stage_after_cumulative("Lũy kế từ đầu năm") is None
    assert _stage_after_cumulative("Ước thực hiện quý") is None


def test_a_range_merged_over_the_last_columns_keeps_its_cells(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Nội dung", "Tổng số", "Trong đó:", None])
    ws.merge_cells("D1:E1")
    ws.append([None, None, None, "Nguồn SNKH", "Nguồn QLNN"])
    ws.append(["1", "Hội nghị", 30, 10, 20])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    first = xlsx.read(path).tables[0].rows[0]
    assert [c.text for c in first] == ["STT", "Nội dung", "Tổng số", "Trong đó:", ""]
    assert first[4].merged_from[:2] == ("h", "Trong đó:")


def test_a_heading_with_an_explanation_in_parentheses_is_still_a_source_heading():
    from loaders.text.sources import is_source_heading

    assert is_source_heading("Chương trình mục tiêu quốc gia xây dựng nông thôn mới (ứng dụng KH&CN, truy xuất "
                             "nguồn gốc sản phẩm OCOP)")
    assert is_source_heading("Chi quản lý hành chính (mua sắm, sửa chữa tài sản)")
    assert not is_source_heading("Nhiệm vụ khoa học công nghệ cấp tỉnh (27 nhiệm vụ chuyển tiếp)")
    assert not is_source_heading("Hỗ trợ doanh nghiệp (đổi mới công nghệ)")


def test_an_appendix_printed_alone_takes_its_decisions_number_and_date():
    from datetime import date

    from loaders.families.plan_doc import read_meta
    from loaders.model import DocumentMeta

    meta, issues = DocumentMeta(file_name="pl.xlsx"), []
    read_meta(["Phụ lục", "ĐIỀU CHỈNH DỰ TOÁN NĂM 2025",
               "(Kèm theo Quyết định số 1856/QĐ-UBND ngày 16/9/2025 của Ủy ban nhân dân tỉnh)"], meta, 3, issues)
    assert (meta.number, meta.issued_date) == ("1856/QĐ-UBND", date(2025, 9, 16))
    meta = DocumentMeta(file_name="qd.docx", number="99/QĐ-UBND")  # its own "Số:" line wins
    read_meta(["(Kèm theo Quyết định số 1856/QĐ-UBND ngày 31/2/2025)"], meta, 1, issues)
    assert meta.number == "99/QĐ-UBND"
    meta, issues = DocumentMeta(file_name="pl.xlsx"), []
    read_meta(["(Kèm theo Quyết định số 12/QĐ-SKHCN ngày 31/02/2025)"], meta, 1, issues)
    assert meta.issued_date is None and "Ngày không có thật: 31/02/2025" in issues[0].message


def test_the_warning_about_lines_without_a_source_names_them():
    from loaders.enrich import warn_unspecified_sources
    from loaders.model import BudgetLine, DocumentMeta, ParseResult

    line = BudgetLine(line_id="x", fiscal_year=2024, phase="estimate", phase_vn="dự toán", direction="expenditure",
                      funding_source="UNSPECIFIED", source_line=22, amount_vnd=150_000_000, description="Dự phòng",
                      code="III")
    result = ParseResult(meta=DocumentMeta(file_name="a.docx"), budget_lines=[line])
    warn_unspecified_sources(result)
    assert "dòng 22 (III Dự phòng)" in result.issues[0].message


def test_a_task_tables_money_is_the_estimate_when_its_title_says_so():
    from loaders.families.task_plan import title_stage

    lines = ["UBND TỈNH", "DANH MỤC NHIỆM VỤ VÀ DỰ TOÁN KINH PHÍ NĂM 2026", "", "STT\tTên nhiệm vụ\tKinh phí"]
    assert title_stage(lines, 1, 4) == "dự toán"
    assert title_stage(["KẾ HOẠCH", "Công tác thống kê năm 2024", "STT\tNội dung"], 1, 3) is None  # the document's kind


def test_column_numbers_keep_the_gap_of_a_hidden_column():
    from loaders.tables.cells import is_column_numbers
    from loaders.tables.model import SourceRow

    def row(*cells):
        return SourceRow(list(cells), "Biểu!A9", 9)

    assert is_column_numbers(row("1", "2", "3", "4", "6"))  # column 5 hidden
    assert is_column_numbers(row("A", "B", "1", "2", "3=1+2"))
    assert not is_column_numbers(row("1", "5", "10"))  # a row of data: code, quantity, amount
    assert not is_column_numbers(row("1", "Hội nghị", "45"))


QUANTITIES = """UBND TỈNH SƠN LA
SỞ KHOA HỌC VÀ CÔNG NGHỆ
BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN NĂM 2025
STT\tNội dung\tĐVT\tKế hoạch năm 2025\tThực hiện năm 2025
1\tNhiệm vụ KH&CN được nghiệm thu\tnhiệm vụ\t14\t9
2\tHồ sơ được giải quyết\thồ sơ\t30\t21
{money}"""


def test_numbers_whose_unit_column_counts_things_are_never_money(tmp_path):
    """A results table ("ĐVT: nhiệm vụ, hồ sơ") once stored 14 nhiệm vụ as 14.000.000 đ (blind k03)."""
    from loaders.documents import ManifestEntry, read_document

    entry = ManifestEntry(file="kq.txt", province="Sơn La", fiscal_years=[2025], kind="plan")
    path = tmp_path / "kq.txt"
    path.write_text(QUANTITIES.format(money=""), encoding="utf-8")
    result = read_document(path, entry)  # no money: the year's targets and their results
    assert result.budget_lines == []
    assert [(i.name, i.target_value, i.target_unit) for i in result.indicators] == [
        ("Nhiệm vụ KH&CN được nghiệm thu", 14.0, "nhiệm vụ"), ("Hồ sơ được giải quyết", 30.0, "hồ sơ")]
    assert [(a.period, a.value, a.unit) for a in result.actuals] == [("2025", 9.0, "nhiệm vụ"), ("2025", 21.0, "hồ sơ")]
    path.write_text(QUANTITIES.format(money="3\tKinh phí sự nghiệp khoa học\tđồng\t1.200.000\t950.000"), encoding="utf-8")
    result = read_document(path, entry)  # the row's ĐVT says đồng: its own unit, whatever the table's
    assert sorted(b.amount_vnd for b in result.budget_lines) == [950_000, 1_200_000]
    assert any("ghi số lượng" in i.message and "5, 6" in i.message for i in result.issues)


def test_a_line_named_like_a_source_takes_the_source_of_its_section():
    """Under "B. Kinh phí quản lý hành chính", "Kinh phí chuyển đổi số, ứng dụng CNTT" is QLNN money
    (its name reads as "other money" alone); a section's own name still decides for it (blind k04)."""
    from loaders.families.money_table import MoneyContext, read_money_table
    from loaders.tables.cells import read_tsv
    from loaders.tables.plan import guess_plan

    lines = ["TT\tNội dung\tDự toán (đồng)", "A\tKinh phí sự nghiệp khoa học\t100.000.000",
             "1\tNhiệm vụ cấp tỉnh\t100.000.000", "B\tKinh phí quản lý hành chính\t50.000.000",
             "1\tKinh phí chuyển đổi số, ứng dụng công nghệ thông tin\t50.000.000"]
    table = read_tsv(lines, "t.txt")[0]
    read = read_money_table(table, guess_plan(table, "dự toán"), MoneyContext("t.txt", "T", 2025, unit_of_amounts="đồng"))
    assert [(b.code, b.funding_source) for b in read.lines] == [("A", "SNKH"), ("1", "SNKH"), ("B", "QLNN"), ("1", "QLNN")]


def test_last_years_results_beside_the_plan_years_targets_are_never_targets(tmp_path):
    """"Chỉ tiêu | ĐVT | Thực hiện 2024 | Kế hoạch 2025": the 2025 column holds the targets; the
    2024 results were read as targets (blind k02) and before that the table as money."""
    text = ("Phụ lục I\nCÁC CHỈ TIÊU KẾ HOẠCH KHOA HỌC VÀ CÔNG NGHỆ NĂM 2025\n"
            "STT\tChỉ tiêu\tĐVT\tThực hiện 2024\tKế hoạch 2025\n"
            "1\tSố nhiệm vụ KH&CN cấp tỉnh được nghiệm thu\tNhiệm vụ\t11\t14\n"
            "2\tTỷ lệ hồ sơ được giải quyết đúng hạn\t%\t96,4\t≥ 95\n")
    result = read_text_document(tmp_path, "chi_tieu_2025.txt", text, "Gia Lai", 2025, "plan")
    assert not result.budget_lines
    assert [(i.target_value, i.comparator) for i in result.indicators] == [(14.0, "="), (95.0, ">=")]
    # last year's results are 2024's actuals of the same indicators
    assert [(a.name[:6], a.period, a.value, a.unit) for a in result.actuals] == [
        ("Số nhi", "2024", 11.0, "Nhiệm vụ"), ("Tỷ lệ ", "2024", 96.4, "%")]


def test_a_year_column_beside_its_four_quarters_is_their_total_not_a_line(tmp_path):
    """"Thực hiện Quý I | … | Quý IV | Thực hiện cả năm": the year's column is each row's total
    of its quarters, a check; the money is stored once, by quarter (blind p01)."""
    text = ("CÔNG KHAI TÌNH HÌNH THỰC HIỆN DỰ TOÁN NGÂN SÁCH NĂM 2025\nĐơn vị tính: đồng\n"
            "TT\tNội dung\tThực hiện Quý I\tThực hiện Quý II\tThực hiện Quý III\tThực hiện Quý IV\tThực hiện cả năm\n"
            "1\tNhiệm vụ KH&CN cấp tỉnh (Nguồn SNKH)\t200.000.000\t300.000.000\t400.000.000\t500.000.000\t1.400.000.000\n"
            "2\tHoạt động thông tin KH&CN (Nguồn SNKH)\t100.000.000\t100.000.000\t100.000.000\t100.000.000\t500.000.000\n"
            "\tTổng cộng\t300.000.000\t400.000.000\t500.000.000\t600.000.000\t1.900.000.000\n")
    result = read_text_document(tmp_path, "ck_2025.txt", text, "Bắc Ninh", 2025, "disclosure")
    assert sorted((b.code, b.quarters, b.amount_vnd) for b in result.budget_lines) == [
        ("1", (1,), 200_000_000), ("1", (2,), 300_000_000), ("1", (3,), 400_000_000), ("1", (4,), 500_000_000),
        ("2", (1,), 100_000_000), ("2", (2,), 100_000_000), ("2", (3,), 100_000_000), ("2", (4,), 100_000_000)]
    checks = {(t.source_line, t.printed_amount_vnd): t.status for t in result.totals if "cả năm" in t.scope.split("—")[-1]
              or "cả năm" in t.label}
    assert checks[(4, 1_400_000_000)] == "match"
    assert checks[(5, 500_000_000)] == "mismatch"  # 4 × 100.000.000 is 400.000.000: shown, never hidden


def test_an_amount_in_square_brackets_is_a_memo_never_stored(tmp_path):
    """"[50.000.000]" beside "đã bao gồm ở mục 2": a figure recalled, counted in item 2; it is
    named in a warning and not stored (counted twice otherwise); the document is read (blind p03)."""
    text = ("PHỤ LỤC\nDỰ TOÁN KINH PHÍ NĂM 2025\nĐơn vị tính: đồng\nTT\tNội dung\tDự toán\tGhi chú\n"
            "1\tNhiệm vụ A\t200.000.000\tNguồn SNKH\n2\tNhiệm vụ B\t100.000.000\tNguồn SNKH\n"
            "-\tTrong đó: hội thảo\t[50.000.000]\tđã bao gồm ở mục 2\n\tTổng cộng\t300.000.000\t\n")
    result = read_text_document(tmp_path, "dt.txt", text, "Bắc Ninh", 2025, "budget_appendices")
    assert sum(b.amount_vnd or 0 for b in result.budget_lines if not b.is_subtotal) == 300_000_000
    assert 50_000_000 not in [b.amount_vnd for b in result.budget_lines]
    assert any(i.line == 7 and "ghi nhớ" in i.message for i in result.issues)
    assert all(t.status == "match" for t in result.totals)


def test_an_amount_split_by_budget_level_gives_the_central_share_its_source(tmp_path):
    """"Tổng số | Trong đó: Ngân sách tỉnh | Ngân sách Trung ương": one line per level; the
    central share of science money is SNKH_TW; the row's total is checked against its parts
    (blind u04: only the totals were read, all SNKH, and 3.180 ≠ 3.108 went unseen)."""
    text = ("CÔNG KHAI DỰ TOÁN NGÂN SÁCH NĂM 2026\nĐơn vị tính: triệu đồng\n"
            "STT\tNội dung\tTổng số\tTrong đó: Ngân sách tỉnh\tTrong đó: Ngân sách Trung ương\n"
            "I\tKinh phí sự nghiệp khoa học và công nghệ\t14.945\t12.273\t2.600\n"
            "1\tNhiệm vụ KH&CN cấp quốc gia\t2.600\t-\t2.600\n"
            "2\tNhiệm vụ KH&CN cấp tỉnh\t9.165\t9.165\t-\n"
            "3\tNhiệm vụ thường xuyên\t3.180\t3.108\t-\n")
    r = read_text_document(tmp_path, "ck.txt", text, "Tuyên Quang", 2026, "disclosure")
    leaves = sorted((b.code, b.funding_source, b.amount_vnd) for b in r.budget_lines if not b.is_subtotal)
    assert leaves == [("1", "SNKH_TW", 2_600_000_000), ("2", "SNKH", 9_165_000_000), ("3", "SNKH", 3_108_000_000)]
    row_checks = {t.source_line: t.status for t in r.totals if "Tổng số" in t.scope}
    assert row_checks[5] == row_checks[6] == "match"
    assert row_checks[7] == "mismatch"  # 3.180 printed over its part 3.108
