"""A summary by funding source printed beside the detailed estimate ("1. Tổng hợp theo nguồn
kinh phí | 2. Chi tiết"): its rows are checks of the detailed lines of each source, never lines
of their own (the same money, counted once); another money table the family does not read is
said, never dropped in silence (blind check g04, 7 December 2026)."""
from loaders.documents import ManifestEntry, read_document

DOC = """UBND TỈNH PHÚ YÊN
SỞ KHOA HỌC VÀ CÔNG NGHỆ

DỰ TOÁN KINH PHÍ HOẠT ĐỘNG KHOA HỌC VÀ CÔNG NGHỆ NĂM 2024

1. Tổng hợp theo nguồn kinh phí
Đơn vị tính: đồng
STT\tNguồn kinh phí\tDự toán năm 2024
1\tKinh phí sự nghiệp khoa học và công nghệ\t{snkh}
2\tKinh phí quản lý nhà nước\t60.000.000
\tTổng cộng\t{total}

2. Chi tiết theo phòng, đơn vị
Đơn vị tính: đồng
TT\tNội dung\tNguồn\tDự toán (đồng)
I\tPhòng Quản lý khoa học\t\t300.000.000
1\tNhiệm vụ KH&CN cấp tỉnh\tSNKH\t250.000.000
2\tHội đồng tư vấn\tSNKH\t50.000.000
II\tThanh tra Sở\t\t60.000.000
1\tThanh tra chuyên ngành\tQLNN\t60.000.000
\tTỔNG CỘNG\t\t360.000.000
{extra}"""


def _read(tmp_path, **fill):
    values = {"snkh": "300.000.000", "total": "360.000.000", "extra": ""} | fill
    path = tmp_path / "phu_yen_2024.txt"
    path.write_text(DOC.format(**values), encoding="utf-8")
    return read_document(path, ManifestEntry(file=path.name, province="Phú Yên", fiscal_years=[2024],
                                             kind="budget_appendices"))


def test_the_summary_checks_the_lines_of_each_source(tmp_path):
    result = _read(tmp_path)
    assert sum(b.amount_vnd for b in result.budget_lines if not b.is_subtotal) == 360_000_000  # counted once
    checks = {t.label: (t.printed_amount_vnd, t.computed_amount_vnd, t.status) for t in result.totals
              if "tổng hợp theo nguồn" in t.scope}
    assert checks == {"1 Kinh phí sự nghiệp khoa học và công nghệ": (300_000_000, 300_000_000, "match"),
                      "2 Kinh phí quản lý nhà nước": (60_000_000, 60_000_000, "match"),
                      "Tổng cộng": (360_000_000, 360_000_000, "match")}


def test_a_summary_that_disagrees_with_the_lines_is_a_mismatch(tmp_path):
    result = _read(tmp_path, snkh="310.000.000", total="370.000.000")
    bad = {t.label: t.status for t in result.totals if "tổng hợp theo nguồn" in t.scope and t.status == "mismatch"}
    assert bad == {"1 Kinh phí sự nghiệp khoa học và công nghệ": "mismatch", "Tổng cộng": "mismatch"}


def test_another_money_table_is_said_not_dropped(tmp_path):
    extra = "\n3. Ước thực hiện năm trước\nTT\tNội dung\tƯớc thực hiện năm 2023\n1\tNhiệm vụ KH&CN cấp tỉnh\t240.000.000\n"
    result = _read(tmp_path, extra=extra)
    assert any("không phải bảng dự toán của văn bản" in i.message for i in result.issues)


UNITS = """SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH LONG AN
TỔNG HỢP DỰ TOÁN CHI NGÂN SÁCH NHÀ NƯỚC NĂM 2024
Đơn vị tính: đồng
STT\tĐơn vị\tDự toán năm 2024
1\tVăn phòng Sở\t{vp}
2\tThanh tra Sở\t60.000.000
\tTổng cộng\t{total}

Đơn vị: Văn phòng Sở
Đơn vị tính: đồng
STT\tNội dung\tNguồn kinh phí\tDự toán năm 2024
1\tHội nghị tổng kết\tQLNN\t100.000.000
2\tNhiệm vụ KH&CN cấp tỉnh\tSNKH\t200.000.000
\tTổng cộng\t\t300.000.000

Đơn vị: Thanh tra Sở
Đơn vị tính: đồng
STT\tNội dung\tNguồn kinh phí\tDự toán năm 2024
1\tThanh tra chuyên ngành\tQLNN\t60.000.000
\tTổng cộng\t\t60.000.000
"""


def _units(tmp_path, vp="300.000.000", total="360.000.000"):
    path = tmp_path / "long_an_2024.txt"
    path.write_text(UNITS.format(vp=vp, total=total), encoding="utf-8")
    return read_document(path, ManifestEntry(file=path.name, province="Long An", fiscal_years=[2024],
                                             kind="budget_appendices"))


def test_a_summary_by_unit_beside_the_unit_tables_is_a_check_not_money(tmp_path):
    result = _units(tmp_path)
    leaves = [b for b in result.budget_lines if not b.is_subtotal]
    assert sum(b.amount_vnd for b in leaves) == 360_000_000  # never 720.000.000: the summary is not money
    assert {b.description: b.unit for b in leaves} == {"Hội nghị tổng kết": "Văn phòng Sở",
                                                       "Nhiệm vụ KH&CN cấp tỉnh": "Văn phòng Sở",
                                                       "Thanh tra chuyên ngành": "Thanh tra Sở"}
    checks = {t.label: t.status for t in result.totals if "tổng hợp theo đơn vị" in t.scope}
    assert set(checks.values()) == {"match"} and len(checks) == 3
    assert sum(1 for t in result.totals if t.label == "Tổng cộng" and t.status == "match") == 2  # each unit's table


def test_a_stale_summary_by_unit_is_a_mismatch(tmp_path):
    result = _units(tmp_path, vp="330.000.000", total="390.000.000")
    assert {t.label.split(" — ")[0] for t in result.totals if t.status == "mismatch"} == {"1 Văn phòng Sở", "Tổng cộng"}
