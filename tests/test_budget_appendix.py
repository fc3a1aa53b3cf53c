"""The Điện Biên 2024 budget appendices (000_…): every printed total reproduced to the đồng."""
import re
from collections import Counter

import pytest

from loaders.families import budget_appendix
from loaders.model import DocumentMeta
from loaders.reconcile import reconcile

BUDGET_2024 = "000_3dbcd40b8eb90139.txt"


@pytest.fixture(scope="module")
def result(parsed):
    return parsed(BUDGET_2024)


def leaves(result):
    return [b for b in result.budget_lines if not b.is_subtotal and b.amount_vnd is not None]


def test_printed_totals_are_reproduced_by_their_lines(result):
    printed = {t.scope: t for t in result.totals if t.kind == "printed_total"}
    expected = {
        "Phụ lục 1": 730_000_000,
        "Phụ lục 2": 6_536_000_000,
        "Phụ lục 3 (II)": 1_015_000_000,
        "Phụ lục 4": 32_500_000,
        "Phụ lục 5 (I+II+III+IV+V)": 600_000_000,
        "Phụ lục 6 (I+II+III)": 1_336_000_000,
        "Phụ lục 7": 1_254_000_000,
    }
    assert {k: t.printed_amount_vnd for k, t in printed.items()} == expected
    for scope, total in printed.items():
        assert total.computed_amount_vnd == total.printed_amount_vnd, scope
        assert total.words_amount_vnd == total.printed_amount_vnd, scope
        assert total.status == "match"


def test_every_subtotal_line_equals_its_children(result):
    subtotals = [t for t in result.totals if t.kind == "subtotal"]
    assert len(subtotals) >= 10
    assert all(t.status == "match" for t in subtotals), [t.detail for t in subtotals if t.status != "match"]


def test_leaf_lines_add_to_spending_and_fee_revenue(result):
    spend = sum(b.amount_vnd for b in leaves(result) if b.direction == "expenditure")
    revenue = sum(b.amount_vnd for b in leaves(result) if b.direction == "revenue")
    assert spend == 11_523_500_000
    assert revenue == 41_000_000
    (fee,) = [b for b in result.budget_lines if b.direction == "revenue"]
    assert fee.appendix == "Phụ lục 3" and fee.funding_source == "THU_PHI"
    assert fee.description.startswith("Thu phí, lệ phí thẩm định")


def test_subtotals_are_marked_not_summed(result):
    by_id = {b.line_id: b for b in result.budget_lines}
    assert by_id["PL3/II"].is_subtotal and by_id["PL3/II"].amount_vnd == 1_015_000_000
    assert by_id["PL3/I/2"].is_subtotal  # "Phục vụ công tác thu" = its two "-" lines
    assert by_id["PL5/I/1.2"].is_subtotal
    assert not by_id["PL5/I/1.2/-"].is_subtotal
    assert by_id["PL5/I/1.2/-"].parent_id == "PL5/I/1.2"
    every = sum(b.amount_vnd or 0 for b in result.budget_lines if b.direction == "expenditure")
    assert every > 11_523_500_000  # adding subtotals would count money twice


def test_sources_inline_inherited_mixed_and_unspecified(result):
    spend = Counter()
    for b in leaves(result):
        if b.direction == "expenditure":
            spend[b.funding_source] += b.amount_vnd
    assert spend["SNKH"] == 7_636_000_000
    assert spend["QLNN"] == 307_500_000
    assert spend["MIXED"] == 370_000_000  # "Nguồn QLNN và Nguồn SNKH", printed after the table
    assert spend["THU_PHI"] == 20_000_000
    by_id = {b.line_id: b for b in result.budget_lines}
    assert by_id["PL5/II/2.1"].funding_source == "SNKH"  # inherited from "II … Nguồn SNKH"
    assert by_id["PL4/1"].funding_source == "QLNN"  # note block "Nguồn \n QLNN" after the table
    assert by_id["PL7/1"].funding_source == "UNSPECIFIED"


def test_units_follow_their_tables(result):
    units = {b.appendix: b.unit for b in result.budget_lines}
    assert units["Phụ lục 1"] == "Văn phòng Sở"
    assert units["Phụ lục 4"] == "Thanh tra Sở"
    # the name as printed, its kind (data/vocabulary/units.csv) beside it
    assert units["Phụ lục 7"] == "Trung tâm Kỹ thuật tiêu chuẩn - Đo lường - Chất lượng"
    assert units["Phụ lục 2"] == "Kế hoạch - Quản lý khoa học"
    kinds = {b.appendix: b.unit_kind for b in result.budget_lines}
    assert kinds["Phụ lục 7"] == "Trung tâm Kỹ thuật TĐC"
    assert kinds["Phụ lục 1"] == "Văn phòng Sở"


def test_descriptions_printed_after_the_table_are_reattached(result, raw_lines):
    by_id = {b.line_id: b for b in result.budget_lines}
    assert by_id["PL1/3"].description.startswith("Duy trì chuyên mục “Khoa học công nghệ và Đời sống”")
    assert by_id["PL2/1"].description.endswith("(đợt 1/2024)")
    assert by_id["PL2/4"].description.endswith("(đợt 2/2024)")
    assert by_id["PL3/II/3.7"].description == "Quản lý nhiệm vụ khoa học công nghệ theo đề án SHTT"
    # two descriptions extracted without a blank line between them are split apart
    assert by_id["PL6/III/5"].description.endswith("(Nấm xanh)")
    assert by_id["PL6/III/6"].description.startswith("Sửa chữa phòng nuôi")
    lines = raw_lines(BUDGET_2024)
    for b in result.budget_lines:
        if b.description_line:
            assert b.description.split()[0] in lines[b.description_line - 1]
    assert all(b.description for b in result.budget_lines if b.amount_vnd is not None)


def test_timing(result):
    by_id = {b.line_id: b for b in result.budget_lines}
    assert by_id["PL4/4"].period == "Qúy IV" and by_id["PL4/4"].quarters == (4,)
    assert by_id["PL6/II/3"].quarters == (1, 2)  # "Quý I,II"
    assert by_id["PL1/4"].quarters == (1, 2, 3, 4)  # "Năm 2024"
    assert by_id["PL5/I/1.1"].amount_vnd is None  # listed without an amount


def test_every_line_points_to_its_source_line(result, raw_lines):
    lines = raw_lines(BUDGET_2024)
    for b in result.budget_lines:
        assert b.source_line >= 1
        if b.amount_text:
            assert b.amount_text in lines[b.source_line - 1]
    for t in result.totals:
        assert t.label.split()[0] in lines[t.source_line - 1]


def test_the_only_warnings_name_the_lines_without_a_source(result):
    # every warning is "no source printed or inherited", one per appendix, naming its lines
    assert result.issues and all("không ghi nguồn" in i.message for i in result.issues)
    named = {int(n) for i in result.issues for n in re.findall(r"\b(\d+)\b", i.message.split("dòng", 1)[1])}
    unspecified = {b.source_line for b in leaves(result) if b.funding_source == "UNSPECIFIED"}
    assert named == unspecified and 488 in named


def test_document_metadata(result):
    assert result.meta.number == "68/KH-SKHCN"
    assert result.meta.issued_date.isoformat() == "2024-01-18"
    assert result.meta.fiscal_years == [2024]


def _doc(total: str, words: str) -> list[str]:
    text = f"""Phụ lục 1

(Kèm theo Kế hoạch số 12/KH-SKHCN ngày 5 tháng 2 năm 2025 của Sở Khoa học và Công nghệ)

Đơn vị tính: Đồng

TT Nội dung thực hiện Thời gian thực hiện Dự toán kinh phí Ghi chú

I Nguồn thu phí, lệ phí

1 Thu phí thẩm định Năm 2025 12.000.000

II Hỗ trợ doanh nghiệp 150.000.000 Nguồn SNKH

1 Quý I, II 100.000.000

2 Tuyên truyền Qúy IV 50.000.000

III Chi khác 30.000.000

3.1 Quý III 30.000.000

{total}

(Bằng chữ: {words})

DỰ TOÁN KINH PHÍ HOẠT ĐỘNG KHOA HỌC NĂM 2025

Phòng/đơn vị: Phòng Quản lý chuyên ngành

Thời gian
thực hiện

Hội thảo chuyển đổi số cho doanh nghiệp
tại tỉnh

Mua sắm thiết bị

Nguồn
QLNN
"""
    return text.split("\n")


def test_same_layout_from_another_province_needs_no_code_change():
    lines = _doc("TỔNG CỘNG (II+III) 180.000.000", "Một trăm tám mươi triệu đồng./.")
    assert budget_appendix.detect(lines)
    r = budget_appendix.parse(lines, DocumentMeta(file_name="x.txt", province="Sơn La"))
    reconcile(r)
    by_id = {b.line_id: b for b in r.budget_lines}
    assert r.meta.fiscal_years == [2025] and r.meta.number == "12/KH-SKHCN"
    assert by_id["PL1/II/1"].description == "Hội thảo chuyển đổi số cho doanh nghiệp tại tỉnh"
    assert by_id["PL1/II/1"].funding_source == "SNKH"  # inherited from section II
    assert by_id["PL1/III/3.1"].description == "Mua sắm thiết bị"
    assert by_id["PL1/III/3.1"].funding_source == "QLNN"
    assert by_id["PL1/I/1"].direction == "revenue"
    assert by_id["PL1/II/2"].quarters == (4,)
    assert {b.unit for b in r.budget_lines} == {"Phòng Quản lý chuyên ngành"}
    assert [t.status for t in r.totals] == ["match"] * len(r.totals)


def test_a_total_that_disagrees_is_reported_not_fixed():
    lines = _doc("TỔNG CỘNG (II+III) 190.000.000", "Một trăm chín mươi triệu đồng./.")
    r = budget_appendix.parse(lines, DocumentMeta(file_name="x.txt", province="Sơn La"))
    reconcile(r)
    (total,) = [t for t in r.totals if t.kind == "printed_total"]
    assert total.printed_amount_vnd == 190_000_000
    assert total.computed_amount_vnd == 180_000_000
    assert total.status == "mismatch" and "10.000.000" in total.detail
    assert total.source_line == 23


def test_words_that_disagree_with_the_figure_are_a_mismatch():
    lines = _doc("TỔNG CỘNG (II+III) 180.000.000", "Một trăm tám mươi lăm triệu đồng./.")
    r = budget_appendix.parse(lines, DocumentMeta(file_name="x.txt", province="Sơn La"))
    reconcile(r)
    (total,) = [t for t in r.totals if t.kind == "printed_total"]
    assert total.status == "mismatch" and "bằng chữ" in total.detail


def test_a_row_whose_number_is_not_read_is_reported_and_its_total_is_not_blamed_on_the_document():
    text = """Phụ lục 1

Đơn vị tính: Đồng

TT Nội dung thực hiện Thời gian thực hiện Dự toán kinh phí Ghi chú

1 Hội thảo chuyên đề Quý II 40.000.000 Nguồn SNKH

2 Mua vật tư Quý III 25.000.000 bộ

TỔNG CỘNG 65.000.000

Phòng/đơn vị: Văn phòng Sở
"""
    r = budget_appendix.parse(text.split("\n"), DocumentMeta(file_name="x.txt", province="Sơn La", fiscal_years=[2025]))
    reconcile(r)
    (unread,) = [i for i in r.issues if "không đọc được dòng" in i.message]
    assert unread.line == 9 and "25.000.000" in unread.text
    (total,) = r.totals
    assert total.computed_amount_vnd == 40_000_000 and total.status == "unchecked"
    assert "dòng 9" in total.detail


def test_cong_under_each_section_closes_that_section_only() -> None:
    """"Cộng" printed under a section, before more rows or another total, adds up that
    section; the last total ("TỔNG CỘNG") adds up the appendix; a total printed above every
    row is still the appendix's."""
    from loaders.families import budget_appendix
    from loaders.model import DocumentMeta
    from loaders.reconcile import reconcile

    body = [
        "I Nguồn sự nghiệp khoa học",
        "1 Hội đồng xác định nhiệm vụ Quý I 45,5",
        "Cộng 45,5",
        "II Nguồn quản lý nhà nước",
        "1 Văn phòng phẩm Năm 2024 12,5",
        "Cộng 12,5",
        "TỔNG CỘNG 58",
    ]
    head = ["Đơn vị tính: triệu đồng", "TT Nội dung Thời gian Kinh phí Ghi chú"]
    r = budget_appendix.parse(head + body, DocumentMeta(file_name="x.txt", province="Kiên Giang", fiscal_years=[2024]))
    reconcile(r)
    assert [(t.scope, t.printed_amount_vnd, t.status) for t in r.totals] == [
        ("Bảng 1 (I)", 45_500_000, "match"), ("Bảng 1 (II)", 12_500_000, "match"), ("Bảng 1", 58_000_000, "match")]
    top = head + ["TỔNG CỘNG 58"] + [ln for ln in body if not ln.startswith(("Cộng", "TỔNG"))]
    r = budget_appendix.parse(top, DocumentMeta(file_name="x.txt", province="Kiên Giang", fiscal_years=[2024]))
    reconcile(r)
    assert [(t.scope, t.status) for t in r.totals] == [("Bảng 1", "match")]


def test_spending_total_label_and_an_unread_line_with_an_amount() -> None:
    """"Tổng cộng chi (I+II)" is a printed total of sections I and II, and so is a total label
    with words before its scope ("Tổng cộng kinh phí (I)"); a line printing an amount that no
    rule reads, between the table and the unit line, is reported, never taken for a title."""
    from loaders.families import budget_appendix
    from loaders.model import DocumentMeta
    from loaders.reconcile import reconcile

    body = [
        "Đơn vị tính: đồng", "TT Nội dung Thời gian Dự toán Ghi chú",
        "I Nguồn sự nghiệp khoa học", "1 Kiểm định Quý II 90.000.000",
        "II Thu phí, lệ phí", "1 Thu phí kiểm định Năm 2024 120.000.000 Nguồn thu phí", "",
    ]
    tail = ["", "Phòng/đơn vị: Trung tâm Kỹ thuật TĐC"]
    meta = DocumentMeta(file_name="x.txt", province="Phú Yên", fiscal_years=[2024])
    for label in ("Tổng cộng chi (I)", "Tổng cộng kinh phí (I)"):
        r = budget_appendix.parse(body + [f"{label} 90.000.000"] + tail, meta)
        reconcile(r)
        assert [(t.scope, t.printed_amount_vnd, t.status) for t in r.totals] == [("Bảng 1 (I)", 90_000_000, "match")]
    r = budget_appendix.parse(body + ["Kinh phí còn lại chưa phân bổ 90.000.000"] + tail, meta)
    assert not r.totals
    assert any(i.line == 8 and "không đọc được dòng 8" in i.message for i in r.issues)


def test_amount_split_by_source_columns_names_the_source() -> None:
    """"Tổng kinh phí | Chia ra: Nguồn SNKH | Nguồn QLNN": one line per source printed, each
    with the row's code (issue 14); the row's total is checked against its parts (10 + 10 ≠
    25 is a mismatch of that row) and "không ghi nguồn" is never claimed."""
    from loaders.families import budget_appendix
    from loaders.model import DocumentMeta
    from loaders.reconcile import reconcile

    lines = [
        "Đơn vị tính: triệu đồng",
        "TT\tNội dung\tTổng kinh phí\tChia ra\t",
        "\t\t\tNguồn SNKH\tNguồn QLNN",
        "1\tHội nghị\t30\t10\t20",
        "2\tKiểm tra\t50\t\t50",
        "3\tChuyên gia\t25\t10\t10",
    ]
    r = budget_appendix.parse(lines, DocumentMeta(file_name="x.txt", province="Hải Dương", fiscal_years=[2025]))
    reconcile(r)
    assert sorted((b.code, b.amount_vnd, b.funding_source) for b in r.budget_lines) == [
        ("1", 10_000_000, "SNKH"), ("1", 20_000_000, "QLNN"), ("2", 50_000_000, "QLNN"),
        ("3", 10_000_000, "QLNN"), ("3", 10_000_000, "SNKH")]
    rows = {t.source_line: (t.printed_amount_vnd, t.computed_amount_vnd, t.status) for t in r.totals}
    assert rows == {4: (30_000_000, 30_000_000, "match"), 5: (50_000_000, 50_000_000, "match"),
                    6: (25_000_000, 20_000_000, "mismatch")}
    assert not any("không ghi nguồn" in i.message for i in r.issues)

# --- amounts the parser cannot read (issue 19, item 3) ------------------------------------
# A line whose description holds a number ("2 Hội nghị") and whose amount cell cannot be read
# used to be stored as 2 đ, and silently when the appendix prints no total.
_LINE_9 = "1 Tuyên truyền ngày KHCNVN 18/5 Quý II 40.000.000 Nguồn SNKH"
_TOTAL_1 = "TỔNG CỘNG 730.000.000\n\n(Bằng chữ: Bảy trăm ba mươi triệu đồng./.)\n"


def _variant(tmp_path, manifest, cell: str, with_total: bool):
    from loaders.documents import read_document
    from tests.helpers import RAW

    text = (RAW / BUDGET_2024).read_text(encoding="utf-8")
    assert _LINE_9 in text and _TOTAL_1 in text
    text = text.replace(_LINE_9, f"1 Tổ chức 2 Hội nghị Quý II {cell} Nguồn SNKH")
    if not with_total:
        text = text.replace(_TOTAL_1, "")
    path = tmp_path / "dien_bien_2024_bien_the.txt"
    path.write_text(text, encoding="utf-8")
    return lambda: read_document(path, manifest[BUDGET_2024].model_copy(update={"file": path.name}))


@pytest.mark.parametrize("with_total", [True, False])
@pytest.mark.parametrize("cell", ["5.000.00", "5.000.00O", "—5.000.000"])
def test_an_amount_that_cannot_be_read_is_refused_with_file_and_line(tmp_path, manifest, cell, with_total):
    from loaders.documents import DocumentError

    with pytest.raises(DocumentError) as err:
        _variant(tmp_path, manifest, cell, with_total)()
    assert err.value.file == "dien_bien_2024_bien_the.txt" and err.value.line == 9
    assert str(err.value).startswith("dien_bien_2024_bien_the.txt:9: Không đọc được số tiền")
    assert repr(cell) in str(err.value)


def test_an_amount_with_its_own_unit_is_read_in_that_unit_and_said(tmp_path, manifest):
    """"5 triệu" in an appendix of đồng is 5.000.000 đồng as printed (never 5 đ, never the "2"
    of "2 Hội nghị"), and a warning says the cell's unit was used."""
    result = _variant(tmp_path, manifest, "5 triệu", True)()
    line = next(b for b in result.budget_lines if b.source_line == 9)
    assert (line.amount_vnd, line.amount_unit) == (5_000_000, "triệu đồng")
    assert any("ghi đơn vị riêng" in i.message and i.line == 9 for i in result.issues)


def test_thousands_grouped_with_spaces_are_read(tmp_path, manifest):
    """"5 000 000" (a typist's thousands grouped with spaces) is 5.000.000 đồng; the line's
    own "2" of "2 Hội nghị" is never taken for it; the printed total then disagrees and says so."""
    result = _variant(tmp_path, manifest, "5 000 000", True)()
    line = next(b for b in result.budget_lines if b.source_line == 9)
    assert (line.amount_vnd, line.description) == (5_000_000, "Tổ chức 2 Hội nghị")
    total = next(t for t in result.totals if t.printed_amount_vnd == 730_000_000)
    assert total.status == "mismatch" and total.computed_amount_vnd == 730_000_000 - 40_000_000 + 5_000_000


@pytest.mark.parametrize("with_total", [True, False])
@pytest.mark.parametrize("cell", ["-", "–", "—"])
def test_a_dash_alone_is_no_amount(tmp_path, manifest, cell, with_total):
    result = _variant(tmp_path, manifest, cell, with_total)()
    line = next(b for b in result.budget_lines if b.source_line == 9)
    assert line.amount_vnd is None and line.amount_text is None  # NULL: neither 0 nor the 2 of "2 Hội nghị"
    assert line.description == "Tổ chức 2 Hội nghị" and line.period == "Quý II" and line.funding_source == "SNKH"
    assert not [i for i in result.issues if i.line == 9]
    assert sum(b.amount_vnd for b in result.budget_lines if b.appendix == "Phụ lục 1" and b.amount_vnd) == 690_000_000


def test_space_separated_cells_take_the_amount_cell_as_printed():
    from loaders.tables.spaced import split_spaced

    assert split_spaced("Tổ chức 2 Hội nghị Quý II 5 000 000 Nguồn SNKH")["amount"] == "5 000 000"
    assert split_spaced("Tổ chức 2 Hội nghị Quý II 5 triệu Nguồn SNKH")["amount"] == "5 triệu"
    assert split_spaced("Tổ chức 2 Hội nghị Quý II 5tr")["amount"] == "5tr"
    assert split_spaced("Tổ chức 2 Hội nghị Quý II —5.000.000 Nguồn SNKH")["amount"] == "—5.000.000"
    assert split_spaced("Tổ chức 2 Hội nghị Quý II - Nguồn SNKH") == {
        "description": "Tổ chức 2 Hội nghị", "period": "Quý II", "amount": "-", "note": "Nguồn SNKH"}
    # what was read before stays read so
    assert split_spaced("Hỗ trợ 5 doanh nghiệp Quý II 40.000.000 đồng Nguồn SNKH")["amount"] == "40.000.000"
    assert split_spaced("Hỗ trợ 2 triệu đồng/người Quý II 40.000.000")["amount"] == "40.000.000"
    assert split_spaced("Mở 02 lớp tập huấn Quý II − 5.000.000")["amount"] == "− 5.000.000"
    assert "amount" not in split_spaced("Hỗ trợ 5 trường học")


def test_cells_of_a_word_table_dash_is_no_amount_and_a_unit_word_is_read_and_said(tmp_path, parsed, raw_lines):
    from loaders.documents import DocumentError, ManifestEntry, read_document
    from tests import docgen

    blocks = docgen.appendix_blocks(parsed(BUDGET_2024), raw_lines(BUDGET_2024))
    table = next(c for kind, c in blocks if kind == "table")  # Phụ lục 1
    row = next(r for r in table if r[0] == "1")
    entry = ManifestEntry(file="x.docx", province="Điện Biên", fiscal_years=[2024], kind="budget_appendices")
    row[1], row[3] = "Tổ chức 2 Hội nghị", "-"
    result = read_document(docgen.write_docx(blocks, tmp_path / "dash.docx"), entry.model_copy(update={"file": "dash.docx"}))
    line = next(b for b in result.budget_lines if b.appendix == "Phụ lục 1" and b.code == "1")
    assert line.amount_vnd is None
    row[3] = "5 triệu"  # the unit the cell prints wins, and a warning says so (never 5 đ, never the "2")
    result = read_document(docgen.write_docx(blocks, tmp_path / "trieu.docx"), entry.model_copy(update={"file": "trieu.docx"}))
    line = next(b for b in result.budget_lines if b.appendix == "Phụ lục 1" and b.code == "1")
    assert (line.amount_vnd, line.amount_unit) == (5_000_000, "triệu đồng")
    assert any("ghi đơn vị riêng" in i.message and "'5 triệu'" in i.message for i in result.issues)
    row[3] = "5.000.00"
    with pytest.raises(DocumentError) as err:
        read_document(docgen.write_docx(blocks, tmp_path / "sai.docx"), entry.model_copy(update={"file": "sai.docx"}))
    assert str(err.value).startswith("sai.docx:") and err.value.line and "'5.000.00'" in str(err.value)
