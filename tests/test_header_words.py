"""Header words of hand-typed tables (blind check of 7 December 2026): an amount column named
by its source, the year's whole estimate beside its parts, "Trong đó" merged over the last
columns of a sheet, and "Lũy kế ước thực hiện …" in one cell."""
from openpyxl import Workbook

from loaders.tables.files import xlsx
from loaders.tables.plan import _stage_after_cumulative
from loaders.text.columns import vocabulary


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
