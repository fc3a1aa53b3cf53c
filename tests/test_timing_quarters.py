"""Which quarters of the plan year a task's money covers, from its timing cell (blind round 22,
documents ``m4`` and ``m5``; GLOSSARY "Time"): one rule for task tables and money tables,
:meth:`loaders.text.periods.Schedule.quarters_in`.

* "Quý II, IV/2026" lists two quarters: (2, 4), never the window II–IV;
* "Trước 30/6/2026" (a deadline without a start) covers the plan year up to it: (1, 2);
* "2026-2027" (several years) covers the whole of the plan year: (1, 2, 3, 4), and so does
  "2026" alone;
* a window outside the plan year covers none of it: ().
"""
from __future__ import annotations

from datetime import date

import pytest

from loaders.text.periods import read_schedule
from tests.helpers import read_text_document


@pytest.mark.parametrize("text, quarters", [
    ("Quý II, IV/2026", (2, 4)),
    ("Quý I và Quý III/2026", (1, 3)),
    ("Quý II-III/2026", (2, 3)),
    ("Trước 30/6/2026", (1, 2)),
    ("trước 31/10", (1, 2, 3, 4)),
    ("2026-2027", (1, 2, 3, 4)),
    ("Năm 2026 - 2027", (1, 2, 3, 4)),
    ("Giai đoạn 2025-2026", (1, 2, 3, 4)),
    ("2026", (1, 2, 3, 4)),
    ("Quý IV/2025", ()),
    ("Trước 30/6/2027", ()),
    ("Thường xuyên", ()),
])
def test_quarters_of_the_plan_year(text, quarters):
    assert read_schedule(text, 2026).quarters_in(2026) == quarters


def test_a_list_of_quarters_keeps_its_window_and_deadline():
    s = read_schedule("Quý II, IV/2026", 2026)
    assert (s.period_start, s.period_end, s.deadline) == (date(2026, 4, 1), date(2026, 12, 31), date(2026, 12, 31))
    assert s.quarters == (2, 4)
    # several steps are a window from the first to the last, not a list
    assert read_schedule("Tháng 3: khởi động; Tháng 11: nghiệm thu", 2026).quarters == (1, 2, 3, 4)


TASKS = """KẾ HOẠCH NHIỆM VỤ NĂM 2026
Đơn vị tính: nghìn đồng
STT\tNội dung công việc\tThời gian thực hiện\tĐơn vị chủ trì\tKinh phí\tNguồn
1\tKiểm tra đo lường\tQuý II, IV/2026\tPhòng TĐC\t120.000\tQLNN
2\tĐiều tra thống kê\tTrước 30/6/2026\tTrung tâm ĐMST\t95.000\tSNKH
3\tChọn tạo giống lúa\t2026-2027\tTrường Đại học\t2.800.000\tSNKH
4\tTrung tâm dữ liệu\t2026\tSở KH&CN\t3.250.000\tSNKH
\tTỔNG CỘNG\t\t\t6.265.000\t
"""


def test_task_money_covers_the_quarters_its_timing_gives(tmp_path):
    result = read_text_document(tmp_path, "nv.txt", TASKS, "Tuyên Quang", 2026, "plan")
    assert [(b.amount_vnd, b.quarters) for b in result.budget_lines] == [
        (120_000_000, (2, 4)), (95_000_000, (1, 2)), (2_800_000_000, (1, 2, 3, 4)), (3_250_000_000, (1, 2, 3, 4))]
    assert not [i for i in result.issues if "thời gian" in i.message]
    assert [t.status for t in result.totals] == ["match"]
