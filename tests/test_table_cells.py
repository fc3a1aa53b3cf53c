"""Tables of cells among a document's lines (loaders/table_cells.py): which rows belong to a
table, which are text, with the cells' own locations."""
from loaders.tables.model import SourceRow
from loaders.tables.region import read_region

LINES = [
    "PHỤ LỤC",                                          # 1 one cell before the header: text
    "Phòng/đơn vị: Văn phòng Sở",                       # 2
    "\t\t\tĐơn vị tính: triệu đồng",                   # 3 a unit cell: the table's unit
    "TT\tNội dung\tThời gian\tDự toán",                 # 4 header
    "1\tHội thảo khoa học\tQuý II\t45,5",               # 5
    "\tcấp tỉnh",                                       # 6 one cell inside: continues row 5
    "2\tTập huấn\tQuý III\t4,5",                        # 7
    "TỔNG CỘNG\t\t\t50",                                # 8
    "\t(Bằng chữ: Năm mươi triệu đồng)",               # 9 words: text
    "",                                                 # 10
    "\tNgười lập biểu\t\tThủ trưởng",                   # 11 signatures after the table: text
]


def test_rows_inside_a_table_join_it_and_the_rest_is_text():
    (table,), text = read_region(LINES, 1, len(LINES), "a.txt")
    assert table.unit == "triệu đồng" and table.unit_line == 3
    assert [(r.kind, r.code, r.text_of("description"), r.text_of("amount")) for r in table.rows] == [
        ("item", "1", "Hội thảo khoa học cấp tỉnh", "45,5"), ("item", "2", "Tập huấn", "4,5"), ("total", None, None, "50")]
    assert text == [(1, "PHỤ LỤC"), (2, "Phòng/đơn vị: Văn phòng Sở"), (9, "(Bằng chữ: Năm mươi triệu đồng)"), (10, ""),
                    (11, "Người lập biểu"), (11, "Thủ trưởng")]


def test_cells_given_by_the_reader_keep_their_own_location():
    rows = {n: SourceRow(line.split("\t"), f"S, hàng {n}", n, [f"S!{c}{n}" for c in "ABCD"])
            for n, line in enumerate(LINES, start=1) if line}
    (table,), _ = read_region(LINES, 1, len(LINES), "a.xlsx", rows)
    first = table.rows[0]
    assert first.get("amount").where == "S!D5" and first.get("amount").line == 5
    assert table.rows[-1].get("amount").where == "S!D8"
