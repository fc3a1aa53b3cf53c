"""Build speed (issue 17, item 4): each shortcut gives what the long way gave — a row's
cells split once, ``detect`` stopping early, the per-document set of line numbers, the
vocabularies read by the fork server, the memoised ``clean`` and header phrases — and the
benchmark's warehouse comparison finds a changed đồng."""
import random
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from loaders import enrich
from loaders.families import budget_appendix
from loaders.tables.spaced import _split_squeezed, split_spaced
from loaders.text.columns import vocabulary
from loaders.text.normal import clean

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import compare_warehouses  # noqa: E402
from benchmarks.synthetic import document, write_corpus  # noqa: E402

ROWS = [
    "Tuyên truyền Quý II 40.000.000 Nguồn SNKH",
    "Tuyên truyền Nguồn SNKH 40.000.000",
    "Tổ chức 2 Hội nghị Quý II 5 triệu",
    "Mua sắm 5 000 000 (vốn đối ứng)",
    "Hỗ trợ 02 lớp 40.000.000đ Nguồn QLNN",
    "Hội thảo — Nguồn SNKH",
    "Khảo sát Năm 2024 -",
    "Nhiệm vụ 1.3 Qúy IV 12.000.000",
]
NOTE_FIRST = ("code", "description", "note", "amount")


@pytest.mark.parametrize("text", ROWS)
def test_split_once_gives_what_splitting_again_gives(text):
    squeezed = " ".join(text.split())
    for order, note_first in ((None, False), (NOTE_FIRST, True)):
        got = split_spaced("  " + text.replace(" ", "   ") + " ", *(order,) if order else ())
        assert got == dict(_split_squeezed.__wrapped__(squeezed, note_first))  # the unmemoised reading
        got["amount"] = "XX"  # a caller's dict must not leak into the next answer
        assert split_spaced(text, *(order,) if order else ()).get("amount") != "XX"


def test_the_header_order_still_decides_where_the_note_is():
    plain = split_spaced("Tuyên truyền Nguồn SNKH 40.000.000")
    note_first = split_spaced("Tuyên truyền Nguồn SNKH 40.000.000", NOTE_FIRST)
    assert plain == {"description": "Tuyên truyền Nguồn SNKH", "amount": "40.000.000"}
    assert note_first == {"description": "Tuyên truyền", "note": "Nguồn SNKH", "amount": "40.000.000"}


class _Counted(list):
    """A list that remembers how many of its lines were iterated."""

    seen = 0

    def __iter__(self):
        for line in super().__iter__():
            self.seen += 1
            yield line


def test_detect_stops_at_the_first_line_that_decides():
    lines = _Counted(document(2024, 500, random.Random(1)).split("\n"))
    assert budget_appendix.detect(lines)
    assert lines.seen < 30 < len(lines)  # header, a section, an item: not the 1 000 lines
    # the answer is the one of the whole document: no header, no row with an amount → False
    no_amount = [ln for ln in document(2024, 50, random.Random(1)).split("\n") if not re.search(r"\d\.\d{3}", ln)]
    assert not budget_appendix.detect(no_amount)


def _old_missing(result) -> list:
    """The rule as it was: a line is named when its number is printed as a whole number."""
    said = " ".join(i.message for i in result.issues if "nguồn" in i.message)
    lines = [bl for bl in result.budget_lines
             if bl.funding_source == "UNSPECIFIED" and not bl.is_subtotal and bl.amount_vnd is not None]
    return [bl for bl in lines if not re.search(rf"(?<!\d){bl.source_line}(?!\d)", said)]


def test_unspecified_lines_named_by_whole_numbers_only():
    said = "Phụ lục 1: không ghi nguồn kinh phí ở các dòng 12, 130, 7 — để 'Chưa ghi nguồn' (dòng 1045)"
    lines = [SimpleNamespace(funding_source="UNSPECIFIED", is_subtotal=False, amount_vnd=1, source_line=n, code=None,
                             description=None)
             for n in (12, 13, 130, 1, 7, 104, 1045, 45, None)]
    result = SimpleNamespace(issues=[SimpleNamespace(message=said, line=12)], budget_lines=lines)
    expected = {bl.source_line for bl in _old_missing(result)}
    assert expected == {13, 104, 45, None}  # 1: "Phụ lục 1"
    enrich.warn_unspecified_sources(result)
    added = result.issues[-1].message
    assert added.startswith(f"{len(expected)} dòng tiền không ghi nguồn")
    assert added.endswith("dòng 13, 45, 104")


def test_fork_server_preload_reads_every_vocabulary():
    from loaders import preload
    from loaders.text import units

    assert preload.FAILED == []
    before = units.default_units()
    assert preload.warm() == []
    assert units.default_units() is before  # an unchanged file: the object the server read


def test_clean_and_header_phrases_are_memoised_but_fresh():
    assert clean("  Dự <b>toán</b>   kinh phí ") == "Dự toán kinh phí"
    assert clean(None) == clean("") == ""
    vocab = vocabulary()
    first = vocab.matches("TT Nội dung Dự toán kinh phí Ghi chú", loose=True)
    first.clear()
    again = vocab.matches("TT Nội dung Dự toán kinh phí Ghi chú", loose=True)
    assert [spec.role for _, _, spec in again][:2] == ["code", "description"]


def test_compare_warehouses_finds_a_changed_amount(tmp_path):
    from warehouse import store

    raw = tmp_path / "raw"
    write_corpus(raw, 40, provinces=1, years=2)
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    store.build(raw, a)
    store.build(raw, b)  # another build: other load times, same rows
    assert compare_warehouses.compare(str(a), str(b)) == []
    con = duckdb.connect(str(b))
    con.execute("UPDATE budget_lines SET amount_vnd = amount_vnd + 1 WHERE (document, line_id) = "
                "(SELECT (document, line_id) FROM budget_lines WHERE amount_vnd IS NOT NULL "
                "ORDER BY document, line_id LIMIT 1)")
    con.close()
    problems = compare_warehouses.compare(str(a), str(b))
    assert problems and problems[0].startswith("table budget_lines: ") and "1 only in old, 1 only in new" in problems[0]
    assert compare_warehouses.main([str(a), str(b)]) == 1
