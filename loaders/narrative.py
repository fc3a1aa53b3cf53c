"""Narrative results of the Điện Biên 2022 S&T plan (section A), as indicator actuals.

Document: ``data/raw/001_3dc3e512645fa543.txt`` ("KẾ HOẠCH Khoa học, công nghệ và đổi mới
sáng tạo và dự toán ngân sách KH&CN năm 2022"), part "A. Đánh giá tình hình thực hiện kế
hoạch khoa học và công nghệ năm 2020 và 6 tháng đầu năm 2021": one paragraph per printed
line (a line starting in lower case continues the one above), headings "II.", "1.", "a)",
"*", bullets "-" and "+", and a small tab-separated list of fields ("Lĩnh vực nông nghiệp:
⇥ 11 nhiệm vụ chiếm 47,8%"). The budget table inside the same section (from "Đơn vị tính"
/ "TT ⇥ NỘI DUNG") is left to the parser of the tables, which calls
:func:`extract_actuals`.

Period: the section covers 2020 and the first half of 2021; its sentences say "Tính đến
tháng 6 năm 2021", "Tính từ năm 2020 đến nay", "đến nay", "hiện tại": all get the section
period ("2020–6/2021", 2020-01-01..2021-06-30, fiscal_year None as it spans two years).
A paragraph that names exactly one year of its own ("Tết Nguyên đán Canh Tý năm 2020",
"công tác CCHC năm 2020") and none of those phrases gets that year ("2020",
2020-01-01..2020-12-31); the second year of the section gets its first half ("H1/2021").
"""
from __future__ import annotations

import re
from datetime import date

from loaders.model import DocumentMeta, IndicatorActual, ParseIssue
from loaders.report import (
    NUMBER,
    Hit,
    Measure,
    Paragraph,
    check_breakdowns,
    emitted,
    find_measures,
    hits_to_actuals,
    unread_numbers,
    vn_number,
)

ID_PREFIX = "DB"

_SECTION_A_RE = re.compile(
    r"^A\.\s.*?năm\s+(?P<y1>(?:19|20)\d{2})\s+và\s+6 tháng đầu năm\s+(?P<y2>(?:19|20)\d{2})", re.I
)
_SECTION_END_RE = re.compile(r"^(?:B\.\s|Đơn vị tính|TT\tNỘI DUNG)")
_HEAD_RE = re.compile(r"^(?:[IVX]+\.|\d+\.|[a-zđ]\)|\*)\s")
_AS_OF_RE = re.compile(r"đến nay|tính đến|tính từ|đến hết tháng|hiện tại|hiện nay", re.I)
_YEAR_RE = re.compile(r"\bnăm\s+(?P<y>(?:19|20)\d{2})\b(?!\s*[-–]\s*\d{4})", re.I)

_N = rf"(?P<n>{NUMBER})"
_PCT = r"(?P<n>\d+(?:,\d+)?)"
F_QLKH = "Quản lý khoa học"
F_UD = "Ứng dụng, chuyển giao công nghệ"
F_TC = "Tổ chức KH&CN"
F_ATBX = "ATBX, HN"
F_INFO = "Thông tin, thống kê KH&CN"
F_CCHC = "CCHC"
F_CDS = "CĐS"
F_TDC = "TĐC"
F_DTPT = "ĐTPT"
F_SHTT = "SHTT"
F_TT = "Thanh tra"

#: Phrases of section A that print a counted result (order matters only for readability).
NARRATIVE_MEASURES: tuple[Measure, ...] = (
    # 1 a) national tasks: 05 = 04 (Chương trình Nông thôn miền núi: 03 + 01) + 01
    Measure("nat", rf"đang triển khai thực hiện {_N} nhiệm vụ KH&CN cấp quốc gia",
            "Nhiệm vụ KH&CN cấp quốc gia đang triển khai trên địa bàn", "nhiệm vụ", F_QLKH),
    Measure("ntmn", rf"\(Chương trình Nông thôn miền núi\): {_N} dự án",
            "Nhiệm vụ cấp quốc gia – dự án thuộc Chương trình Nông thôn miền núi", "nhiệm vụ", F_QLKH,
            parent="nat", note="{n} dự án"),
    Measure("ntmn_tw", rf"Dự án Trung ương quản lý: {_N} dự án",
            "Dự án Chương trình Nông thôn miền núi – Trung ương quản lý", "nhiệm vụ", F_QLKH,
            parent="ntmn", note="{n} dự án"),
    Measure("ntmn_dp", rf"Dự án Trung ương ủy quyền cho địa phương quản lý: {_N} dự án",
            "Dự án Chương trình Nông thôn miền núi – Trung ương ủy quyền cho địa phương quản lý", "nhiệm vụ",
            F_QLKH, parent="ntmn", note="{n} dự án"),
    Measure("nat_ct", rf"Nhiệm vụ cấp thiết địa phương: {_N} nhiệm vụ",
            "Nhiệm vụ cấp quốc gia – nhiệm vụ cấp thiết địa phương (Trung ương quản lý)", "nhiệm vụ", F_QLKH,
            parent="nat"),
    Measure("ntmn_hd", rf"hợp đồng thực hiện {_N} dự án do Trung ương quản lý",
            "Dự án Nông thôn miền núi (Trung ương quản lý) bắt đầu từ năm 2021 đang hoàn thiện thủ tục ký hợp đồng",
            "dự án", F_QLKH),
    Measure("skip_vande", rf"giải quyết {_N} vấn đề chính", "", "", skip=True),
    # 1 b) provincial tasks: 23 by field, with shares
    Measure("prov", rf"đang triển khai {_N} nhiệm vụ nghiên cứu khoa học và phát triển công nghệ",
            "Nhiệm vụ KH&CN cấp tỉnh đang triển khai", "nhiệm vụ", F_QLKH),
    Measure("prov_field", rf"Lĩnh vực (?P<what>[^:]+): {_N} nhiệm vụ chiếm",
            "Nhiệm vụ KH&CN cấp tỉnh đang triển khai – lĩnh vực {what}", "nhiệm vụ", "{what}", parent="prov"),
    Measure("prov_share", rf"Lĩnh vực (?P<what>[^:]+): {NUMBER} nhiệm vụ chiếm {_PCT}\s?%",
            "Tỷ trọng nhiệm vụ KH&CN cấp tỉnh đang triển khai – lĩnh vực {what}", "%", "{what}",
            note="tỷ trọng trong tổng số nhiệm vụ cấp tỉnh đang triển khai"),
    Measure("huyen_mh", rf"đã triển khai xây dựng {_N} mô hình ứng dụng",
            "Mô hình ứng dụng KH&CN cấp huyện đã triển khai", "mô hình", F_UD),
    Measure("skip_quymo", rf"quy mô {NUMBER}(?:,\d+)?\s?(?:ha|con)\b", "", "", skip=True),
    # 2 a) S&T organisations
    Measure("tc_cl", rf"có {_N} tổ chức KH&CN công lập", "Tổ chức KH&CN công lập trực thuộc Sở", "tổ chức", F_TC),
    Measure("tc_ncl", r"Chưa có tổ chức khoa học và công nghệ ngoài công lập", "Tổ chức KH&CN ngoài công lập",
            "tổ chức", F_TC, value=0, note="chưa có"),
    # 4 a) radiation licences
    Measure("xq_coso", rf"có {_N} cơ sở sử dụng thiết bị X-quang chẩn đoán trong y tế được cấp giấy phép",
            "Cơ sở X-quang chẩn đoán y tế được cấp giấy phép", "cơ sở", F_ATBX),
    Measure("gp_bx", rf"với {_N} giấy phép tiến hành công việc bức xạ",
            "Giấy phép tiến hành công việc bức xạ được cấp", "giấy phép", F_ATBX),
    Measure("cc_bx", rf"{_N} nhân viên phụ trách an toàn được cấp chứng chỉ nhân viên bức xạ",
            "Nhân viên phụ trách an toàn được cấp chứng chỉ nhân viên bức xạ", "nhân viên", F_ATBX),
    Measure("kh_ung_pho", rf"Kế hoạch ứng phó sự cố bức xạ cấp cơ sở cho {_N} cơ sở bức xạ",
            "Cơ sở bức xạ được phê duyệt Kế hoạch ứng phó sự cố cấp cơ sở", "cơ sở", F_ATBX),
    # 5 information and statistics
    Measure("tc_so", rf"phát hành {_N} số, số lượng phát hành", "Số tạp chí Thông tin KH&CN phát hành", "số", F_INFO),
    Measure("tc_an_pham", rf"số lượng phát hành {_N} ấn phẩm", "Ấn phẩm tạp chí Thông tin KH&CN phát hành",
            "ấn phẩm", F_INFO),
    Measure("tbt", rf"phát hành {_N} Bản tin TBT", "Bản tin TBT biên tập và phát hành", "bản tin", F_INFO),
    Measure("dang_ky_kq", rf"kết quả thực hiện nhiệm vụ KH&CN cho {_N} đề tài/dự án",
            "Đề tài/dự án được đăng ký và lưu giữ kết quả thực hiện", "đề tài/dự án", F_INFO),
    Measure("cap_nhat_nv", rf"cập nhật thông tin về {_N} nhiệm vụ KH&CN đang tiến hành",
            "Nhiệm vụ KH&CN đang tiến hành được cập nhật thông tin", "nhiệm vụ", F_INFO),
    # 6 administrative reform, e-government, ISO 9001
    Measure("hs_dung_han", rf"^{_PCT}\s?% hồ sơ được giải quyết đúng hoặc trước hạn",
            "Tỷ lệ hồ sơ TTHC được giải quyết đúng hoặc trước hạn", "%", F_CCHC),
    Measure("lien_thong", rf"{_PCT}\s?% cơ quan nhà nước từ tỉnh đến cơ sở đã kết nối liên thông",
            "Tỷ lệ cơ quan nhà nước kết nối liên thông hệ thống quản lý văn bản", "%", F_CDS),
    Measure("dvc", rf"cập nhật {_N} TTHC đang thử nghiệm DVC", "TTHC thử nghiệm dịch vụ công trực tuyến mức độ 3, 4",
            "TTHC", F_CDS),
    Measure("iso", rf"tổng số {_N} cơ quan công bố áp dụng Hệ thống quản lý chất lượng",
            "Cơ quan công bố áp dụng HTQLCL theo TCVN ISO 9001", "cơ quan", F_TDC),
    Measure("iso_bb", rf"bắt buộc áp dụng: {_N}/(?P<of>\d+)",
            "Cơ quan thuộc đối tượng bắt buộc áp dụng ISO 9001 đã áp dụng", "cơ quan", F_TDC,
            parent="iso", note="{n}/{of} ({pct})"),
    Measure("iso_tinh", rf"Cơ quan hành chính cấp tỉnh: {_N} sở, ban, ngành",
            "Cơ quan hành chính cấp tỉnh (sở, ban, ngành) áp dụng ISO 9001", "cơ quan", F_TDC, parent="iso_bb"),
    Measure("iso_huyen", rf"UBND cấp huyện: {_N} UBND", "UBND cấp huyện áp dụng ISO 9001", "cơ quan", F_TDC,
            parent="iso_bb"),
    Measure("iso_chicuc", rf"Chi cục và tương đương thuộc cơ quan chuyên môn cấp tỉnh: {_N}",
            "Chi cục và tương đương thuộc cơ quan chuyên môn cấp tỉnh áp dụng ISO 9001", "cơ quan", F_TDC,
            parent="iso_bb"),
    Measure("iso_xa", rf"khuyến khích xây dựng, áp dụng: {_N}/(?P<of>\d+) UBND xã",
            "UBND xã (đối tượng khuyến khích) áp dụng ISO 9001", "cơ quan", F_TDC,
            parent="iso", note="{n}/{of} ({pct})"),
    # 7 development-investment projects (their investment totals are plans, not results)
    Measure("dtpt", rf"đang triển khai {_N} dự án sử dụng vốn đầu tư phát triển",
            "Dự án sử dụng vốn đầu tư phát triển KH&CN đang triển khai", "dự án", F_DTPT),
    Measure("skip_dtpt", rf"báo cáo kinh tế kỹ thuật của {NUMBER} dự án trên", "", "", skip=True),
    # 8 b) industrial property: 18 applications, of which 05 certificates granted
    Measure("nh_don", rf"có {_N} đơn đăng ký bảo hộ nhãn hiệu", "Đơn đăng ký bảo hộ nhãn hiệu nộp tại Cục SHTT",
            "đơn", F_SHTT),
    Measure("nh_vb", rf"trong đó có {_N} văn bằng bảo hộ nhãn hiệu được cấp", "Văn bằng bảo hộ nhãn hiệu được cấp",
            "văn bằng", F_SHTT, parent="nh_don", partial=True, note="văn bằng được cấp cho các đơn đăng ký"),
    # 8 c) standards, metrology, quality
    Measure("kt_tdc", rf"đã tiến hành {_N} cuộc kiểm tra về tiêu chuẩn, đo lường, chất lượng",
            "Cuộc kiểm tra về tiêu chuẩn, đo lường, chất lượng", "cuộc", F_TDC),
    Measure("tap_huan", rf"Tổ chức {_N} hội nghị tập huấn", "Hội nghị tập huấn TCVN ISO 9001:2015", "hội nghị", F_TDC),
    Measure("hoc_vien", rf"cho hơn {_N} học viên", "Học viên được tập huấn TCVN ISO 9001:2015", "học viên", F_TDC,
            note="hơn {n}"),
    Measure("ptd", rf"phương tiện đo được {_N} phương tiện đo", "Phương tiện đo được kiểm định, hiệu chuẩn",
            "phương tiện đo", F_TDC),
    Measure("ptd_dat", rf"trong đó đạt {_N}", "Phương tiện đo được kiểm định, hiệu chuẩn – đạt", "phương tiện đo",
            F_TDC, parent="ptd"),
    Measure("ptd_kdat", rf"(?:ko|không) đạt {_N}", "Phương tiện đo được kiểm định, hiệu chuẩn – không đạt",
            "phương tiện đo", F_TDC, parent="ptd"),
    # 9 inspections
    Measure("tt_cn", rf"đã tiến hành {_N} cuộc thanh tra chuyên ngành", "Cuộc thanh tra chuyên ngành", "cuộc", F_TT),
    Measure("tt_cn_nv", rf"trong đó {_N} nhiệm vụ KH&CN", "Cuộc thanh tra chuyên ngành – nhiệm vụ KH&CN", "cuộc", F_TT,
            parent="tt_cn", note="{n} nhiệm vụ KH&CN"),
    Measure("tt_cn_bx", rf"và {_N} cơ sở tiến hành công việc bức xạ",
            "Cuộc thanh tra chuyên ngành – cơ sở tiến hành công việc bức xạ", "cuộc", F_TT,
            parent="tt_cn", note="{n} cơ sở"),
    Measure("ph_tt", rf"Phối hợp thanh tra, kiểm tra {_N} cuộc", "Cuộc phối hợp thanh tra, kiểm tra", "cuộc", F_TT),
    Measure("attp_tp", rf"thanh tra được {_N} cơ sở kinh doanh thực phẩm",
            "Cơ sở kinh doanh thực phẩm được thanh tra an toàn thực phẩm (TP Điện Biên Phủ)", "cơ sở", F_TT),
    Measure("attp_pt", rf"huyện (?P<what>[^;,]+?) tiến hành kiểm tra[^;]*?phúc tra {_N} cơ sở",
            "Cơ sở kinh doanh dịch vụ ăn uống, thực phẩm được phúc tra an toàn thực phẩm (huyện {what})", "cơ sở",
            F_TT),
    Measure("attp_vp", r"Qua thanh tra tại các huyện không phát hiện vi phạm",
            "Vi phạm phát hiện qua thanh tra an toàn thực phẩm", "vi phạm", F_TT, value=0,
            note="không phát hiện vi phạm"),
    Measure("cchc_cq", rf"tại {_N} cơ quan và {NUMBER} UBND huyện", "Cơ quan được kiểm tra công tác CCHC", "cơ quan",
            F_TT),
    Measure("cchc_huyen", rf"cơ quan và {_N} UBND huyện", "UBND huyện được kiểm tra công tác CCHC", "UBND huyện", F_TT),
    Measure("kt_iso", rf"TCVN ISO tại {_N} huyện", "Huyện được kiểm tra việc áp dụng HTQLCL theo TCVN ISO",
            "huyện", F_TT),
    Measure("kt_pctn", rf"Kiểm tra {_N} cuộc về việc chấp hành các quy định của pháp luật về phòng, chống tham nhũng",
            "Cuộc kiểm tra về phòng, chống tham nhũng", "cuộc", F_TT),
    Measure("kt_pctn_vp", r"Kết quả: Không phát hiện vi phạm", "Vi phạm phát hiện qua kiểm tra phòng, chống tham nhũng",
            "vi phạm", F_TT, value=0, note="không phát hiện vi phạm"),
)

# Tolerance of a printed share against count / whole, in percentage points (shares are
# printed with one decimal and forced to add up to 100: 7/23 = 30,43% is printed 30,5%).
SHARE_TOLERANCE_PP = 0.1
_INVESTMENT_RE = re.compile(rf"tổng mức đầu tư (?:là )?(?P<n>{NUMBER}(?:,\d+)?) (?P<u>triệu đồng|tỷ đồng|đồng)", re.I)


def section_a_paragraphs(lines: list[str]) -> tuple[list[Paragraph], tuple[int, int] | None]:
    """Paragraphs of section A (heading "A. Đánh giá tình hình thực hiện … năm 2020 và 6
    tháng đầu năm 2021") up to the budget table or section B, and the two years named in
    its heading (``None`` when the heading is not found: then no paragraph is returned).
    Each printed line is a paragraph; a line starting in lower case continues the one
    above; tabs become spaces. Headings ("II.", "1.", "a)", "*") get ``kind="heading"``.
    """
    start = years = None
    for i, line in enumerate(lines):
        m = _SECTION_A_RE.match(line.strip())
        if m:
            start, years = i, (int(m.group("y1")), int(m.group("y2")))
            break
    if start is None:
        return [], None
    paragraphs: list[Paragraph] = []
    heading: str | None = None
    for i in range(start + 1, len(lines)):
        raw = lines[i].strip()
        if not raw:
            continue
        if _SECTION_END_RE.match(raw):
            break
        s = " ".join(raw.replace("*", " ").split()) if raw.startswith("*") else " ".join(raw.split())
        if paragraphs and s[0].islower() and not _HEAD_RE.match(s):
            para = paragraphs[-1]
            joined = para.text + " "
            para.starts.append((len(joined), i + 1))
            para.text = joined + s
            continue
        if _HEAD_RE.match(raw) and len(s) < 250:
            heading = s
            paragraphs.append(Paragraph(s, [(0, i + 1)], heading, "A", kind="heading"))
            continue
        paragraphs.append(Paragraph(s, [(0, i + 1)], heading, "A"))
    return paragraphs, years


def _period_for(years: tuple[int, int]):
    y1, y2 = years
    label = f"{y1}–6/{y2}"
    default = (label, date(y1, 1, 1), date(y2, 6, 30), None)

    def period_of(hit: Hit):
        text = hit.paragraph.text
        if _AS_OF_RE.search(text):
            return default
        found = set()
        for m in _YEAR_RE.finditer(text):
            before = text[max(0, m.start() - 12):m.start()].lower()
            if before.rstrip().endswith(("từ", "đến")) or "tháng" in before:
                continue
            found.add(int(m.group("y")))
        found = {y for y in found if y1 <= y <= y2}
        if len(found) == 1:
            y = found.pop()
            if y == y2:
                return (f"H1/{y}", date(y, 1, 1), date(y, 6, 30), y)
            return (str(y), date(y, 1, 1), date(y, 12, 31), y)
        return default

    return period_of, default


def _check_shares(hits: list[Hit]) -> list[ParseIssue]:
    """A printed share must equal count / whole × 100 within :data:`SHARE_TOLERANCE_PP`."""
    issues = []
    counts = {(id(h.paragraph), h.field): h for h in hits if h.measure.key == "prov_field"}
    shares = [h for h in hits if h.measure.key == "prov_share"]
    total = 0.0
    for s in shares:
        total += float(s.value)
        c = counts.get((id(s.paragraph), s.field))
        if c is None or c.parent is None:
            issues.append(ParseIssue(s.line, f"{s.name}: không tìm thấy số nhiệm vụ tương ứng", text=s.sentence))
            continue
        expected = 100 * float(c.value) / float(c.parent.value)
        if abs(expected - float(s.value)) > SHARE_TOLERANCE_PP + 1e-9:
            issues.append(
                ParseIssue(
                    s.line,
                    f"{s.name}: in {vn_number(s.value)}% nhưng {vn_number(c.value)}/{vn_number(c.parent.value)} = "
                    f"{vn_number(round(expected, 2))}%",
                    text=s.sentence,
                )
            )
    if shares and abs(total - 100) > SHARE_TOLERANCE_PP + 1e-9:
        issues.append(ParseIssue(shares[0].line, f"tổng tỷ trọng các lĩnh vực = {vn_number(round(total, 2))}% (khác 100%)"))
    return issues


def _check_announced_lists(paragraphs: list[Paragraph], hits: list[Hit]) -> list[ParseIssue]:
    """A count announcing a list ("… 02 cuộc, cụ thể:") must match the number of "+"
    items printed after it."""
    issues = []
    index = {id(p): k for k, p in enumerate(paragraphs)}
    for h in hits:
        if h.measure.skip or not h.paragraph.text.rstrip().endswith("cụ thể:"):
            continue
        k = index[id(h.paragraph)] + 1
        items = 0
        while k < len(paragraphs) and paragraphs[k].text.startswith("+"):
            items += 1
            k += 1
        if items and items != h.value:
            issues.append(
                ParseIssue(
                    h.line,
                    f"{h.name}: in {vn_number(h.value)} {h.unit} nhưng liệt kê {items} mục (+)",
                    text=h.sentence,
                )
            )
    return issues


def extract_actuals(lines: list[str], meta: DocumentMeta) -> tuple[list[IndicatorActual], list[ParseIssue]]:
    """Read the counted results of section A of the Điện Biên 2022 plan.

    ``lines``: the whole document (``Path(f).read_text(encoding="utf-8").splitlines()``);
    ``meta`` is not modified. Returns ``(actuals, issues)``:

    * actuals with ids ``DB/<line>/<k>``, ``source_line`` = line of the figure, ``sentence``,
      ``unit`` the counted noun ("nhiệm vụ", "giấy phép", "cuộc", "%" for printed rates and
      field shares), period as described in the module docstring. Breakdown parts carry the
      whole's unit and ``parent_id``; "43/43" is stored as 43 with note "43/43 (100%)";
    * issues: :func:`loaders.report.check_breakdowns` failures, shares that do not match
      their counts, counts that announce a different number of listed items, investment
      totals left out (plans, not results), numbers no phrase read, and an "error" when
      section A is not found. Never raises on content.
    """
    paragraphs, years = section_a_paragraphs(lines)
    if years is None:
        return [], [ParseIssue(None, "không tìm thấy phần A (đánh giá năm … và 6 tháng đầu năm …)", severity="error")]
    hits, issues = find_measures(paragraphs, NARRATIVE_MEASURES)
    period_of, (label, start, end, fy) = _period_for(years)
    records = emitted(hits)
    actuals = hits_to_actuals(records, ID_PREFIX, label, start, end, fy, period_of=period_of)
    issues.extend(_check_shares(records))
    issues.extend(_check_announced_lists(paragraphs, records))
    for para in paragraphs:
        for m in _INVESTMENT_RE.finditer(para.text):
            issues.append(
                ParseIssue(
                    para.line_at(m.start("n")),
                    f"tổng mức đầu tư {m.group('n')} {m.group('u')}: số kế hoạch của dự án, không phải kết quả; "
                    "không đưa vào số liệu thực hiện",
                    text=para.sentence_at(m.start("n")),
                )
            )
    issues.extend(unread_numbers(paragraphs, hits))
    issues.extend(check_breakdowns(actuals))
    return actuals, issues
