"""When the parser is not sure, the officer decides (issue 14): a table whose money column is
headed in words nobody listed is refused with its columns shown; the officer's decision reads
it, changes the lines and the reconciliation before saving, and — saved as a layout profile —
reads the next document with that header without asking; the command line's --profile forces
one."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders.documents import DocumentError, ManifestEntry, Overrides, read_document
from loaders.mapping import inspect, layout_for, save_decision
from loaders.tables import layouts
from tests.helpers import unknown_header_workbook as _workbook


def _entry(path: Path) -> ManifestEntry:
    return ManifestEntry(file=path.name, province="Nghệ An", fiscal_years=[2025], kind="budget_appendices")


@pytest.fixture()
def profiles(tmp_path, monkeypatch):
    folder = tmp_path / "layouts"
    monkeypatch.setattr(layouts, "LAYOUTS_DIR", folder)
    return folder


def test_an_unknown_money_column_is_shown_to_the_officer_and_the_decision_reads_it(tmp_path, profiles):
    path = _workbook(tmp_path / "pl.xlsx")
    seen = inspect(path, _entry(path))
    assert seen.result is None and seen.error is not None  # never stored wrong: nobody knows what "Số liệu phân bổ" is
    (table,) = seen.tables
    roles = {c.label: c.role for c in table.columns}
    assert roles["TT"] == "code" and roles["Nội dung"] == "description" and roles["Số liệu phân bổ"] is None
    assert table.unit == "triệu đồng"

    decision = layout_for(table, {2: {"role": "amount", "stage": "dự toán", "quarters": [1, 2, 3, 4]}})
    again = inspect(path, _entry(path), decisions=[decision])
    assert again.error is None, again.error
    lines = {(b.code, b.amount_vnd, b.funding_source) for b in again.result.budget_lines}
    assert lines == {("1", 100_000_000, "SNKH"), ("2", 200_000_000, "QLNN")}
    (total,) = [t for t in again.result.totals if t.kind == "printed_total"]
    assert (total.printed_amount_vnd, total.status) == (300_000_000, "match")
    assert again.tables[0].profile == "xem-truoc"


def test_a_saved_decision_reads_the_next_document_with_that_header(tmp_path, profiles):
    first = _workbook(tmp_path / "a.xlsx")
    (table,) = inspect(first, _entry(first)).tables
    decision = layout_for(table, {2: {"role": "amount", "stage": "dự toán"}})
    saved = save_decision(decision, "pl-so-lieu-phan-bo", "can.bo.ke.toan", first.name)
    assert saved.parent == profiles and "author = \"can.bo.ke.toan\"" in saved.read_text(encoding="utf-8")
    second = _workbook(tmp_path / "b.xlsx", total=301)  # same header, a total that does not add up
    result = read_document(second, _entry(second))
    (total,) = [t for t in result.totals if t.kind == "printed_total"]
    assert (total.printed_amount_vnd, total.computed_amount_vnd, total.status) == (301_000_000, 300_000_000, "mismatch")


def test_the_command_line_profile_is_forced_and_an_unknown_one_refused(tmp_path, profiles):
    path = _workbook(tmp_path / "c.xlsx", header="Cột 3")
    (table,) = inspect(path, _entry(path)).tables
    save_decision(layout_for(table, {2: {"role": "amount", "stage": "dự toán"}}), "cot-3", "admin", path.name)
    other = _workbook(tmp_path / "d.xlsx", header="Số tiền bố trí lần 2")  # another header: only --profile applies it
    result = read_document(other, _entry(other), Overrides(profile="cot-3"))
    assert sum(b.amount_vnd for b in result.budget_lines) == 300_000_000
    with pytest.raises(DocumentError, match="không có mẫu bố cục 'khong-co'"):
        read_document(other, _entry(other), Overrides(profile="khong-co"))


def test_a_layout_with_an_unknown_role_or_stage_is_refused(tmp_path, profiles):
    bad = layouts.Layout("x", "tt | nội dung", {2: {"role": "money"}})
    with pytest.raises(layouts.LayoutError, match="vai trò 'money'"):
        layouts.save(bad)
    with pytest.raises(layouts.LayoutError, match="tên mẫu"):
        layouts.save(layouts.Layout("Tên Có Dấu", "tt", {}))


def test_a_forced_layout_fits_its_own_form_only():
    """One profile named on the command line reads a table of the same form whose header words
    differ ("quý ii" for "quý i"), never a table of another width on the same upload."""
    from loaders.tables import layouts

    decided = layouts.Layout("q", "tt | nội dung | dự toán năm | ước thực hiện quý i", {3: {"role": "amount"}})
    with layouts.using(decided):
        assert layouts.mapping_for("tt | nội dung | dự toán năm | ước thực hiện quý i", 4) is decided
        assert layouts.mapping_for("tt | nội dung | dự toán năm | ước thực hiện quý ii", 4) is decided
        assert layouts.mapping_for("tt | nội dung | số tiền | ghi chú | nguồn", 5) is None
