"""The one table model (loaders/table.py): headers by synonyms, rows with codes, wrapped and
continued cells, cells typed from the right in PDF text, cells given with their provenance."""
import pytest

from loaders.tables.cells import is_column_numbers, read_cells, read_tsv
from loaders.tables.model import SourceRow, TableError, unit_of
from loaders.tables.profiles import load_profile
from loaders.tables.spaced import read_spaced, split_spaced
from loaders.text.columns import vocabulary
from loaders.text.outline import cell_code, parse_code


@pytest.mark.parametrize(
    "text, role, stage",
    [
        ("TT", "code", None),
        ("STT", "code", None),
        ("Nội dung thực hiện", "description", None),
        ("Thời gian thực hiện", "period", None),
        ("Đơn vị chủ trì", "lead", None),
        ("Đơn vị phối hợp", "partners", None),
        ("Dự toán kinh phí", "amount", "dự toán"),
        ("Số tiền (triệu đồng)", "amount", None),
        ("KHTW giao", "amount", "KHTW giao"),
        ("KH UBND giao", "amount", "KH UBND giao"),
        ("Tình hình thực hiện 6 tháng đầu năm 2021", "amount", "thực hiện 6 tháng đầu năm"),
        ("Ước thực hiện", "amount", "ước thực hiện"),
        ("Đề xuất kinh phí ngân sách sự nghiệp KH&CN cấp (đồng)", "amount", "đề xuất"),
        ("Dự kiến kết quả đạt được", "result", None),
        ("Ghi chú", "note", None),
        ("Chỉ tiêu", "target", None),
        ("Đơn vị tính", "measure", None),
        ("Chi cho các đơn vị sự nghiệp", None, None),
    ],
)
def test_header_cells_are_classified_by_the_reviewed_synonyms(text, role, stage):
    spec = vocabulary().classify(text)
    assert (spec.role if spec else None) == role
    assert (spec.stage if spec else None) == stage


@pytest.mark.parametrize(
    "text, code",
    [("II Chi hoạt động", "II"), ("1. Hội thảo", "1"), ("3.1 Quý II", "3.1"), ("a) Kinh phí", "a"),
     ("- Quý III 13.000.000", "-"), ("+ Dự án", "+"), ("Vật tư", None), ("12số", None), ("-5.000.000", None)],
)
def test_row_codes(text, code):
    assert parse_code(text) == code


def test_code_cells_hold_only_a_code():
    assert cell_code("1.") == "1" and cell_code("a") == "a" and cell_code("IV") == "IV"
    assert cell_code("<b>Công tác tham mưu</b>") is None and cell_code("1 số nội dung") is None


TSV = """Đơn vị tính: triệu đồng

TT\tNội dung\tNăm 2022\t\tNăm 2023\t
\t\tKH UBND giao\tThực hiện\tKH UBND giao\tƯớc thực hiện
I\tKinh phí SNKH\t1.000\t950,5\t1.100\t
1\tChi nghiên cứu khoa học\t600\t600\t700\t

TT\tNội dung\tNăm 2022\t\tNăm 2023\t
\t\tKH UBND giao\tThực hiện\tKH UBND giao\tƯớc thực hiện
\tvà phát triển công nghệ\t\t\t\t
2\tChi quản lý nhà nước\t400\t350,5\t400\t380
\tTỔNG SỐ\t1.000\t950,5\t1.100\t380
"""


def test_tab_separated_table_with_a_two_row_header_repeated_after_a_page_break():
    lines = TSV.split("\n")
    (table,) = read_tsv(lines, file="x.txt")
    assert table.unit == "triệu đồng" and table.unit_line == 1
    cols = [(c.role, c.stage, c.year) for c in table.header.columns]
    assert cols == [
        ("code", None, None), ("description", None, None),
        ("amount", "KH UBND giao", 2022), ("amount", "thực hiện", 2022),
        ("amount", "KH UBND giao", 2023), ("amount", "ước thực hiện", 2023),
    ]
    assert [(r.kind, r.code, r.line) for r in table.rows] == [
        ("item", "I", 5), ("item", "1", 6), ("item", "2", 11), ("total", None, 12)]
    row1 = table.rows[1]
    # the row continued after the page break (empty first cell) is merged into row 1
    assert row1.text_of("description") == "Chi nghiên cứu khoa học và phát triển công nghệ"
    assert row1.continued and row1.get("description").lines == (6, 10)
    amounts = [c.text if c else None for _, c in table.rows[0].cells_of("amount")]
    assert amounts == ["1.000", "950,5", "1.100", None]  # an empty cell is no amount, not 0
    assert table.rows[3].text_of("description") == "TỔNG SỐ"
    assert table.rows[2].get("amount").where == "x.txt:11"


def test_cells_given_with_their_provenance_use_the_same_model():
    sheet = [
        ["DỰ TOÁN KINH PHÍ NĂM 2025", None, None, None],
        ["STT", "Nội dung", "Ghi chú", "Dự toán (triệu đồng)"],
        ["1", "Hội thảo khoa học", "Nguồn SNKH", "45,5"],
        [None, "cấp tỉnh", None, None],
        ["2", "Tập huấn", None, "(5)"],
        ["", "Cộng", "", "40,5"],
    ]
    rows = [
        SourceRow(cells, where=f"Ngân sách!A{r + 1}", cell_where=[f"Ngân sách!{c}{r + 1}" for c in "ABCD"])
        for r, cells in enumerate(sheet)
    ]
    (table,) = read_cells(rows)
    assert [c.role for c in table.header.columns] == ["code", "description", "note", "amount"]
    amount_col = table.header.columns[3]
    assert amount_col.unit == "triệu đồng" and amount_col.stage == "dự toán"
    assert unit_of(table, amount_col, "đồng") == "triệu đồng"
    first, second, total = table.rows
    assert first.text_of("description") == "Hội thảo khoa học cấp tỉnh"
    assert first.get("amount").where == "Ngân sách!D3" and first.get("amount").line is None
    assert first.get("note").text == "Nguồn SNKH"
    assert second.text_of("amount") == "(5)"
    assert total.kind == "total" and total.text_of("amount") == "40,5"


@pytest.mark.parametrize("cells,expected", [
    (["(1)", "(2)", "(3)", "(4)"], True),
    (["1", "2", "3", "4", "5"], True),
    (["A", "B", "1", "2", "3=1+2"], True),
    (["1", "Hội nghị", "40"], False),
    (["1", None, "45"], False),  # a row with code 1 and amount 45, no description
    (["2", "1"], False),
    (["(1)"], False),
])
def test_a_row_of_column_numbers(cells, expected):
    assert is_column_numbers(SourceRow(cells, "x")) is expected


def test_the_row_of_column_numbers_under_a_header_is_not_a_row():
    rows = [SourceRow(c, f"S!A{i}") for i, c in enumerate([
        ["TT", "Nội dung chi", "Số tiền"], ["(1)", "(2)", "(3)"], ["1", "Hội thảo", "45"], ["2", "3", "4"]], start=1)]
    (table,) = read_cells(rows)
    assert [(r.code, r.text_of("amount")) for r in table.rows] == [("1", "45"), ("2", "4")]


def test_a_unit_that_is_not_a_unit_of_amount_is_refused_with_its_line():
    lines = ["Đơn vị tính: USD", "TT\tNội dung\tSố tiền", "1\tA\t5"]
    with pytest.raises(TableError) as info:
        read_tsv(lines, file="x.txt")
    assert info.value.line == 1 and "USD" in str(info.value)


@pytest.mark.parametrize(
    "text, order, expected",
    [
        ("Tuyên truyền Quý II 40.000.000 Nguồn SNKH", None,
         {"description": "Tuyên truyền", "period": "Quý II", "amount": "40.000.000", "note": "Nguồn SNKH"}),
        ("Năm 2024 600.000.000 (02 nhiệm vụ)", None,
         {"period": "Năm 2024", "amount": "600.000.000", "note": "(02 nhiệm vụ)"}),
        # period printed after the amount
        ("Hội thảo 45,5 Quý II Nguồn SNKH", None,
         {"description": "Hội thảo", "amount": "45,5", "period": "Quý II", "note": "Nguồn SNKH"}),
        # note column before the amount column (header order)
        ("Hội thảo Quý II Nguồn QLNN 1.234,5", ("code", "description", "period", "note", "amount"),
         {"description": "Hội thảo", "period": "Quý II", "note": "Nguồn QLNN", "amount": "1.234,5"}),
        # counts inside the description are not amounts
        ("Tổ chức 02 lớp tập huấn Quý II", None, {"description": "Tổ chức 02 lớp tập huấn", "period": "Quý II"}),
        ("Hỗ trợ 5 doanh nghiệp", None, {"description": "Hỗ trợ 5 doanh nghiệp"}),
        ("Nhà màng đơn giản 700m² Quý III, IV 175.000.000", None,
         {"description": "Nhà màng đơn giản 700m²", "period": "Quý III, IV", "amount": "175.000.000"}),
        # signs: attached, separated (U+2212), parentheses
        ("Điều chỉnh giảm Quý IV -5.000.000", None,
         {"description": "Điều chỉnh giảm", "period": "Quý IV", "amount": "-5.000.000"}),
        ("Điều chỉnh giảm − 5.000.000", None, {"description": "Điều chỉnh giảm", "amount": "− 5.000.000"}),
        ("Thu hồi (5.000.000) Nguồn SNKH", None,
         {"description": "Thu hồi", "amount": "(5.000.000)", "note": "Nguồn SNKH"}),
        # malformed numbers are still found as the amount (to be refused by to_vnd)
        ("Mua vật tư Quý I 40.000.00O", None, {"description": "Mua vật tư", "period": "Quý I", "amount": "40.000.00O"}),
        ("Quý II, III", None, {"period": "Quý II, III"}),
    ],
)
def test_space_separated_cells_are_typed_from_the_right(text, order, expected):
    assert split_spaced(text, order or ("code", "description", "period", "amount", "note")) == expected


SPACED = """ Phụ lục 1
Đơn vị tính: Đồng

TT Nội dung thực hiện Thời gian thực hiện Dự toán kinh phí Ghi chú

I Hoạt động chung 55.000.000 Nguồn SNKH

1 Hội nghị tổng kết hoạt động khoa học
và công nghệ năm 2024 Quý IV 45.000.000

- Quý I 10.000.000

- 5.000.000 Nguồn QLNN

2 Thu hồi kinh phí Năm 2025 (5.000.000)

TỔNG CỘNG (I) 50.000.000
(Bằng chữ: Năm mươi triệu đồng)

Thời gian
thực hiện

In tài liệu
tuyên truyền
"""


def test_space_separated_table_rows_totals_and_text_after_it():
    (table,) = read_spaced(SPACED.split("\n"), file="v.txt")
    assert table.unit == "đồng" and table.unit_line == 2
    assert [c.role for c in table.header.columns] == ["code", "description", "period", "amount", "note"]
    rows = table.rows
    assert [(r.kind, r.code, r.line) for r in rows] == [
        ("item", "I", 6), ("item", "1", 8), ("item", "-", 11), ("item", "-", 13), ("item", "2", 15), ("total", None, 17)]
    wrapped = rows[1]
    assert wrapped.text_of("description") == "Hội nghị tổng kết hoạt động khoa học và công nghệ năm 2024"
    assert wrapped.get("description").lines == (8, 9)
    assert wrapped.text_of("period") == "Quý IV" and wrapped.get("amount").line == 9
    # "- " at the start of a row is a bullet: the amount stays positive
    assert rows[3].text_of("amount") == "5.000.000" and rows[3].text_of("note") == "Nguồn QLNN"
    assert rows[4].text_of("amount") == "(5.000.000)"
    total = rows[5]
    assert total.text_of("description") == "TỔNG CỘNG (I)" and total.text_of("amount") == "50.000.000"
    assert total.text_of("words") == "(Bằng chữ: Năm mươi triệu đồng)" and total.get("words").line == 18
    # pieces of the wrapped header ("Thời gian" / "thực hiện") are skipped, text after the table kept
    assert [(b.line, b.text) for b in table.after] == [(23, "In tài liệu tuyên truyền")]


def test_profiles_are_data():
    profile = load_profile("budget_appendix")
    assert profile.stage == "dự toán" and profile.unit == "đồng"
    assert "Phòng/đơn vị" in profile.list("org_unit_labels")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hội thảo Quý II 40.000.000đ Nguồn SNKH",
         {"description": "Hội thảo", "period": "Quý II", "amount": "40.000.000", "note": "Nguồn SNKH"}),
        ("Hội thảo Quý II 40.000.000 đồng Nguồn SNKH",
         {"description": "Hội thảo", "period": "Quý II", "amount": "40.000.000", "note": "Nguồn SNKH"}),
    ],
)
def test_an_amount_printed_with_its_unit(text, expected):
    assert split_spaced(text) == expected


def test_total_labels():
    vocab = vocabulary()
    assert vocab.total("Tổng cộng: 1.000.000").group("rest") == "1.000.000"
    assert vocab.total("TỔNG CỘNG (I+II) 5.000").group("scope") == "I+II"
    assert vocab.total("Cộng tác viên thông tin") is None
    assert vocab.total("Tổng hợp kết quả 2024") is None


def test_a_header_wrapped_onto_a_second_line():
    lines = ["TT Nội dung", "Thời gian thực hiện Dự toán (triệu đồng) Ghi chú", "1 Hội thảo Quý II 45,5 Nguồn SNKH"]
    (table,) = read_spaced(lines, file="x.txt")
    assert [c.role for c in table.header.columns] == ["code", "description", "period", "amount", "note"]
    assert table.unit == "triệu đồng" and table.header.lines == (1, 2)
    (row,) = table.rows
    assert row.text_of("amount") == "45,5" and row.text_of("description") == "Hội thảo"


def test_part_letters_open_parts_above_roman_sections() -> None:
    """Parts "A", "B" (Vietnamese administrative numbering) are codes; Roman sections and
    numbered lines under a part belong to it, numbering restarts under each part."""
    from loaders.text.outline import code_parents

    assert parse_code("A Kinh phí sự nghiệp khoa học 450.000") == "A"
    assert parse_code("B. Kinh phí quản lý nhà nước") == "B"
    assert parse_code("An toàn bức xạ") is None
    assert code_parents(["A", "I", "1", "II", "1", "B", "1", "2"]) == [None, 0, 1, 0, 3, None, 5, 5]


def test_page_number_above_repeated_header_is_no_row() -> None:
    lines = [
        "TT Nội dung Thời gian Dự toán Ghi chú",
        "1 Đề tài mở mới Quý III 1.250.000 Nguồn SNKH",
        "",
        "2",
        "",
        "TT Nội dung Thời gian Dự toán Ghi chú",
        "2 Giải thưởng sáng tạo Quý IV 200.000 Nguồn SNKH",
    ]
    tables = read_spaced(lines, file="x.txt")
    codes = [r.code for t in tables for r in t.rows]
    assert codes == ["1", "2"]
    assert [r.line for t in tables for r in t.rows] == [2, 7]


def test_unit_line_and_header_unit_that_disagree_are_refused() -> None:
    lines = ["Đơn vị tính: đồng", "TT Nội dung Thời gian Kinh phí (triệu đồng) Ghi chú", "1 Hội nghị Quý I 25 Nguồn QLNN"]
    with pytest.raises(TableError) as info:
        read_spaced(lines, file="x.txt")
    assert info.value.line == 2 and "khác đơn vị" in str(info.value)
    same = ["Đơn vị tính: triệu đồng"] + lines[1:]
    (table,) = read_spaced(same, file="x.txt")
    assert table.unit == "triệu đồng"


PRINTED_FORM = """Đơn vị tính: triệu đồng
 STT Nội dung                                        Dự toán năm
                                                    2023 được giao
2.2  Chi quản lý hành chính                                  202,5
a    Kinh phí thực hiện chế độ tự chủ
b    Kinh phí không thực hiện chế độ tự chủ                  202,5
2.3  Kinh phí thực hiện nhiệm vụ khoa học công              19.500
     nghệ
     - Nhiệm vụ khoa học công nghệ cấp quốc gia
     - Nhiệm vụ khoa học công nghệ cấp tỉnh                 18.600

                                                            2
\f
 STT Nội dung                                        Dự toán năm
                                                    2023 được giao
     - Nhiệm vụ khoa học công nghệ cấp cơ sở                   900
3    Chi sự nghiệp đào tạo                                     150
                                                 Quảng Ninh, ngày 12 tháng 01 năm 2023
           NGƯỜI LẬP BIỂU                      KẾ TOÁN TRƯỞNG"""


def test_a_form_printed_as_text_across_a_page_break() -> None:
    """Biểu 02 as pdftotext prints it: letters alone in the code cell, an empty bullet row among
    bullets with amounts, the header repeated after the page break, the signatures right below
    the last row."""
    (table,) = read_spaced(PRINTED_FORM.split("\n"), file="f.txt")
    rows = [(r.code, r.text_of("description"), r.text_of("amount")) for r in table.rows]
    assert rows == [
        ("2.2", "Chi quản lý hành chính", "202,5"),
        ("a", "Kinh phí thực hiện chế độ tự chủ", None),
        ("b", "Kinh phí không thực hiện chế độ tự chủ", "202,5"),
        ("2.3", "Kinh phí thực hiện nhiệm vụ khoa học công nghệ", "19.500"),
        ("-", "Nhiệm vụ khoa học công nghệ cấp quốc gia", None),
        ("-", "Nhiệm vụ khoa học công nghệ cấp tỉnh", "18.600"),
        ("-", "Nhiệm vụ khoa học công nghệ cấp cơ sở", "900"),
        ("3", "Chi sự nghiệp đào tạo", "150"),
    ]
    assert table.header.lines[-1] == 14 and table.end_line == 17


def test_bullets_with_no_amount_at_all_continue_the_description() -> None:
    lines = ["TT Nội dung Thời gian Dự toán (đồng) Ghi chú",
             "1 Hội thảo chuyên đề Quý II 45.000.000 Nguồn SNKH",
             "- Nội dung 1: đánh giá hiện trạng",
             "- Nội dung 2: đề xuất giải pháp",
             "2 Tập huấn Quý III 20.000.000 Nguồn SNKH"]
    (table,) = read_spaced(lines, file="x.txt")
    assert [r.code for r in table.rows] == ["1", "2"]
    assert table.rows[0].text_of("description").endswith("Nội dung 2: đề xuất giải pháp")


def test_place_and_date_line() -> None:
    from loaders.text.periods import is_place_date_line

    assert is_place_date_line("   Quảng Ninh, ngày 12 tháng 01 năm 2023")
    assert is_place_date_line("TP. Hồ Chí Minh, ngày 3 tháng 5")
    assert is_place_date_line("Hà Nội, ngày … tháng … năm …")
    assert not is_place_date_line("Kinh phí nhiệm vụ, ngày 12 tháng 3")
    assert not is_place_date_line("- Hội thảo ngày 12 tháng 3 năm 2024")


def test_a_description_centred_above_its_code_opens_the_row():
    """A Word cell centred vertically, extracted from PDF: the first line of the description is
    printed above the line with the code and the amount, after a blank line; it opens that row
    (the table once ended there and its later rows were unread)."""
    lines = ["TT Nội dung Thời gian Dự toán Ghi chú", "",
             "1 Hội nghị tổng kết năm Quý I 40.000.000 Nguồn SNKH", "",
             "   Tuyên truyền Ngày Khoa học và Công nghệ",
             "2  Việt Nam 18/5 trên Báo và Đài Phát thanh Quý II 45.000.000 Nguồn SNKH",
             "   - Truyền hình tỉnh", "",
             "3 Kiểm tra chất lượng hàng hóa Quý III 30.000.000 Nguồn QLNN", "", "TỔNG CỘNG 115.000.000"]
    (table,) = read_spaced(lines, "t.txt")
    items = [r for r in table.rows if r.kind == "item"]
    assert [r.code for r in items] == ["1", "2", "3"]
    assert items[1].get("description").text == ("Tuyên truyền Ngày Khoa học và Công nghệ Việt Nam 18/5 trên Báo và "
                                                 "Đài Phát thanh - Truyền hình tỉnh")
    assert items[1].get("description").line == 5 and items[1].get("amount").text == "45.000.000"
    assert [r.kind for r in table.rows][-1] == "total"
