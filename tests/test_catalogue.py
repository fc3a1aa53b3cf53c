"""Tests of the indicator catalogue and field rules (``loaders/catalogue.py``,
``data/catalogue/*.csv``).

Texts below are copied from the documents in ``data/raw`` (wrapped lines joined):
000 Điện Biên 2024 budget appendices, 001 Điện Biên 2022 plan (2020–2021 results),
002 Sơn La Q1/2024 report, 003 Điện Biên 2026 plan, 004 Sóc Trăng 2024 task plan.
"""
from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest

from loaders.enrich import enrich
from loaders.model import (
    BudgetLine,
    DocumentMeta,
    IndicatorActual,
    IndicatorTarget,
    ParseResult,
    Task,
)
from loaders.text.catalogue import (
    FIELD_LABELS_VN,
    FIELDS,
    CatalogueError,
    assign_field,
    field_of_line,
    load_field_rules,
    load_indicator_catalogue,
    match_indicator,
    matching_fields,
)
from loaders.text.normal import normalize_text
from loaders.text.vocabulary import split_phrases

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def entries():
    return load_indicator_catalogue()


@pytest.fixture(scope="module")
def rules():
    return load_field_rules()


# ----------------------------------------------------------------------------- loading


def test_catalogue_loads_and_is_consistent(entries):
    assert len(entries) >= 60
    codes = [e.code for e in entries]
    assert len(codes) == len(set(codes))
    assert all(e.field in FIELDS for e in entries)
    assert all(e.good_direction in ("up", "down", "target") for e in entries)
    assert all(e.phrases and all(e.phrases) for e in entries)
    # the codes named in the brief exist
    for code in (
        "instruments_verified", "radiation_licences", "inspections", "st_tasks_in_progress",
        "trademark_applications", "iso_adopting_agencies", "samples_tested",
        "fines_collected_vnd", "pii_score", "online_public_services_share",
    ):
        assert code in codes
    by_code = {e.code: e for e in entries}
    assert by_code["st_task_approval_days"].good_direction == "down"
    assert by_code["instruments_verified"].field == "tdc"
    assert by_code["radiation_licences"].field == "atbx"


def test_default_paths_resolve_from_repo_root(entries):
    assert load_indicator_catalogue(REPO / "data" / "catalogue" / "indicators.csv") == entries


def test_field_rules_load_sorted_and_labels_match(rules):
    assert {r.field for r in rules} == set(FIELDS)
    assert [r.priority for r in rules] == sorted(r.priority for r in rules)
    with (REPO / "data" / "catalogue" / "fields.csv").open(encoding="utf-8") as fh:
        labels = {row["field"]: row["name_vn"] for row in csv.DictReader(fh)}
    assert labels == FIELD_LABELS_VN


# ----------------------------------------------------------------------------- validation

HEADER = "code,name_vn,unit,good_direction,field,phrases\n"
GOOD_ROW = 'samples_tested,Số mẫu thử nghiệm,mẫu,up,tdc,"mẫu thử nghiệm|thử nghiệm [\\d.,]+ mẫu"\n'


def _write(tmp_path, text, name="indicators.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "bad_row, words",
    [
        ("x_code,Tên,cái,up,khoa_hoc,abc\n", "unknown field"),
        ("x_code,Tên,cái,sideways,tdc,abc\n", "good_direction"),
        ("x_code,Tên,cái,up,tdc,\n", "phrases is empty"),
        ("x_code,Tên,cái,up,tdc,abc||def\n", "empty phrase"),
        ("samples_tested,Khác,mẫu,up,tdc,khác hẳn\n", "duplicate code"),
        ("x_code,Tên,cái,up,tdc,abc (def\n", "not a valid regular expression"),
        ("x_code,Tên,cái,up,tdc,Phương tiện đo\n", "lower case"),
        ("x_code,Tên,cái,up,tdc,chuẩn hoá\n", "normal form"),
        ("x_code,Tên,cái,up,tdc,nhiệm vụ khoa học và công nghệ\n", "kh&cn"),
        ("XCode,Tên,cái,up,tdc,abc\n", "snake_case"),
        ("x_code,Tên,cái,up,tdc\n", "columns"),
        ("x_code,Tên,cái,up,tdc,mẫu thử nghiệm\n", "already listed"),
    ],
)
def test_bad_indicator_row_names_file_and_line(tmp_path, bad_row, words):
    path = _write(tmp_path, HEADER + GOOD_ROW + "\n" + bad_row)  # blank line 3: bad row is line 4
    with pytest.raises(CatalogueError) as exc:
        load_indicator_catalogue(path)
    assert exc.value.line == 4
    assert f"{path}:4:" in str(exc.value)
    assert words in str(exc.value)


def test_bad_header_and_missing_file(tmp_path):
    path = _write(tmp_path, "code,name,unit,direction,field,phrases\n" + GOOD_ROW)
    with pytest.raises(CatalogueError, match=r":1: header must be"):
        load_indicator_catalogue(path)
    with pytest.raises(CatalogueError, match="cannot open"):
        load_indicator_catalogue(tmp_path / "missing.csv")


def test_bad_field_rules(tmp_path):
    good = (REPO / "data" / "catalogue" / "fields.csv").read_text(encoding="utf-8")
    lines = good.splitlines(keepends=True)
    # unknown field code on line 3
    bad = lines[0] + lines[1] + "khoa_hoc,Khoa học,99,nghiên cứu\n" + "".join(lines[2:])
    with pytest.raises(CatalogueError) as exc:
        load_field_rules(_write(tmp_path, bad, "fields.csv"))
    assert exc.value.line == 3 and "unknown field" in str(exc.value)
    # duplicate priority on line 3 (line 2 has priority 1)
    dup = lines[0] + lines[1] + lines[2].replace(",2,", ",1,", 1) + "".join(lines[3:])
    with pytest.raises(CatalogueError) as exc:
        load_field_rules(_write(tmp_path, dup, "fields.csv"))
    assert exc.value.line == 3 and "priority 1 already used" in str(exc.value)
    # a field without a row
    missing = "".join(l for l in lines if not l.startswith("van_phong,"))
    with pytest.raises(CatalogueError, match="no row for field"):
        load_field_rules(_write(tmp_path, missing, "fields.csv"))


# ----------------------------------------------------------------------------- normal form


def test_normalize_text():
    assert normalize_text("Sở Khoa học và Công nghệ") == "sở kh&cn"
    assert normalize_text("nhiệm vụ KH & CN  (đợt 1)") == "nhiệm vụ kh&cn (đợt 1)"
    assert normalize_text("khoa học, công nghệ, đổi mới sáng tạo") == "kh&cn, đổi mới sáng tạo"
    assert normalize_text("chuẩn hoá, số hoá, thuỷ sản") == "chuẩn hóa, số hóa, thủy sản"
    assert normalize_text("Quý II") == "quý ii"  # "qu" + "ý": not an old-style tone
    assert normalize_text("Tỉ trọng") == "tỷ trọng"
    assert normalize_text("Chi cục Tiêu chuẩn – Đo lường – Chất lượng") == "chi cục tiêu chuẩn - đo lường - chất lượng"
    decomposed = unicodedata.normalize("NFD", "Phương tiện đo được kiểm định")
    assert normalize_text(decomposed) == "phương tiện đo được kiểm định"
    assert normalize_text(None) == ""


def test_split_phrases_keeps_alternation_in_groups():
    assert split_phrases("a|b (c|d)|[|]x") == ["a", "b (c|d)", "[|]x"]
    assert split_phrases("a||b") == ["a", "", "b"]


# ----------------------------------------------------------------------------- indicators

#: Phụ lục I of the Điện Biên 2026 plan (003): the 60 target names, wrapped lines joined.
TARGETS_2026 = [
    "Tỉ trọng giá trị tăng thêm của kinh tế số trong GRDP",
    "Ti trọng đóng góp của KHCN, ĐMST, CĐS trong GRDP",
    "Tỉ trọng đóng góp của năng suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế",
    "Chỉ số chuyển đổi số cấp tỉnh",
    "Tỷ lệ phủ sóng 5G trên địa bàn",
    "Tỷ lệ người sử dụng có khả năng truy cập băng rộng cố định với tốc độ trên 01 Gbps/s",
    "Tỷ lệ cán bộ cấp xã có trang thiết bị đáp ứng yêu cầu công việc",
    "Tỷ lệ cán bộ cấp xã có chữ ký số cá nhân để giải quyết công việc trên môi trường điện tử",
    "Tỷ lệ hồ sơ công việc tại cấp tỉnh và cấp xã được xử lý trên môi trường điện tử (đối với hồ sơ thuộc phạm vi bí mật nhà nước thì thúc đẩy việc xử lý trên hệ thống/mạng phù hợp theo quy định pháp luật về bảo vệ bí mật nhà nước) và sử dụng chữ ký số chuyên dùng công vụ để giải quyết công việc",
    "Tỷ lệ văn bản, hồ sơ công việc tại cơ quan hành chính nhà nước được xử lý toàn trình trên môi trường điện tử",
    "Các quy trình nghiệp vụ nền tảng (lõi) trong khối UBND được tái cấu trúc, chuẩn hoá, số hoá và được đưa lên môi trường số",
    "Hoàn thành xây dựng và đưa vào vận hành, khai thác thực chất, hiệu quả các cơ sở dữ liệu chuyên ngành; các nền tảng số dùng chung của ngành, lĩnh vực bảo đảm dữ liệu “đúng, đủ, sạch, sống, thống nhất, dùng chung”",
    "Tỷ lệ cơ quan nhà nước hoạt động trên môi trường số",
    "Tỷ lệ dữ liệu của tỉnh được chuẩn hóa, kết nối và chia sẻ qua nền tảng tích hợp dữ liệu tỉnh",
    "Số lượng bộ dữ liệu mở được công bố phục vụ người dân, doanh nghiệp và đổi mới sáng tạo",
    "Tỷ lệ cơ sở dữ liệu của tỉnh được số hóa và liên thông với Trung ương",
    "Tỷ lệ hệ thống thông tin của tỉnh được vận hành trên nền tảng điện toán đám mây",
    "Tỷ lệ dữ liệu của ban, sở, ngành được tích hợp với trục liên thông dữ liệu cấp tỉnh",
    "Tỷ lệ đảng ủy, chính quyền xã, phường sử dụng phần mềm quản trị điều hành thống nhất",
    "Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình trên tổng số TTHC đặc thù của Sở (nếu có)",
    "Tỷ lệ hồ sơ TTHC của Sở được xử lý trực tuyến toàn trình",
    "Tỷ lệ người dân, doanh nghiệp thường xuyên sử dụng dịch vụ công trực tuyến của Sở",
    "Tỷ lệ thông tin, giấy tờ, tài liệu trong các TTHC liên quan sản xuất, kinh doanh thuộc thẩm quyền giải quyết của Sở chỉ phải cung cấp một lần",
    "Tỷ lệ TTHC thuộc thẩm quyền giải quyết của Sở được thực hiện không phụ thuộc vào địa giới hành chính",
    "Chỉ duy trì các TTHC và DVCTT thực sự cần thiết, không yêu cầu người dân, doanh nghiệp nộp thêm giấy tờ trong trường hợp hệ thống thông tin phục vụ giải quyết TTHC đã kết nối, khai thác, sử dụng được dữ liệu từ cơ sở dữ liệu quốc gia, chuyên ngành",
    "Tỷ lệ hồ sơ, kết quả giải quyết TTHC thuộc thẩm quyền giải quyết của Sở được số hóa",
    "Tỷ lệ thanh toán trực tuyến trong giải quyết TTHC, DVC",
    "Tỷ lệ cán bộ, công chức, viên chức đảm nhiệm vị trí việc làm chuyên trách về quản lý công nghệ thông tin hoặc công nghệ thông tin, chuyển đổi số của Sở được đào tạo, bồi dưỡng về quản trị dữ liệu",
    "Tỷ lệ cán bộ, công chức, viên chức có kỹ năng số cơ bản",
    "Tỷ lệ dân số trưởng thành có kỹ năng số cơ bản",
    "Tỷ lệ TTHC đủ điều kiện liên quan đến doanh nghiệp thuộc thẩm quyền giải quyết của Sở được cung cấp dịch vụ công trực tuyến",
    "Chuyển đổi số thực chất các ngành, lĩnh vực có tác động lớn đến tăng trưởng, năng suất và năng lực cạnh tranh: mô hình kinh tế không gian tầm thấp",
    "Tỷ lệ người dân, doanh nghiệp đánh giá hài lòng khi sử dụng dịch vụ công trực tuyến thuộc thẩm quyền giải quyết của Sở",
    "Nâng cao kỹ năng số và văn hóa đổi mới sáng tạo; lan tỏa nhận thức về KHCN, ĐMST, CĐS, tạo sự đồng thuận xã hội và chuyển đổi hành vi số của người dân, doanh nghiệp",
    "Tỷ lệ dân số trưởng thành có chữ ký số",
    "Nhân lực thực hiện công tác nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo và chuyển đổi số",
    "Số cán bộ nghiên cứu khoa học và công nghệ toàn tỉnh",
    "Tỷ lệ nhiệm vụ KHCN, ĐMST được quản lý, theo dõi trên Nền tảng số (đặt hàng, tuyển chọn/giao trực tiếp, hợp đồng, giải ngân, nghiệm thu, chuyển giao, theo dõi sau nghiệm thu)",
    "Thời gian phê duyệt nhiệm vụ KHCN, ĐMST",
    "Thương mại hóa thành công sản phẩm thuộc Danh mục công nghệ chiến lược (Chip bán dẫn, thiết bị mạng 5G, robot công nghiệp, trí tuệ nhân tạo, UAV...)",
    "Triển khai các nhiệm vụ, đề tài nghiên cứu, ứng dụng khoa học công nghệ",
    "Số nhiệm vụ khoa học và công nghệ cấp tỉnh triển khai",
    "Tỷ lệ kết quả nghiên cứu được ứng dụng vào thực tiễn sản xuất, quản lý và đời sống",
    "Số lượng tổ chức khoa học và công nghệ công lập trực thuộc tỉnh",
    "Số công trình khoa học và công nghệ cấp tỉnh được nghiệm thu",
    "Số doanh nghiệp sử dụng kết quả nghiên cứu từ viện, trường trong sản xuất/kinh doanh",
    "Số công trình đạt giải thưởng khoa học và công nghệ quốc gia/khu vực",
    "Chỉ số về đổi mới sáng tạo (PII)",
    "Đưa Trung tâm Đổi mới sáng tạo tỉnh Điện Biên hoạt động hiệu quả. Hình thành hạ tầng dùng chung (phòng thí nghiệm, trung tâm nghiên cứu - phát triển, cơ sở kiểm thử đánh giá/chứng nhận)",
    "Phát triển doanh nghiệp khởi nghiệp sáng tạo (startups) trong các lĩnh vực: Nông nghiệp, du lịch, công nghệ,...",
    "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo",
    "Hình thành vườn ươm/trung tâm đổi mới sáng tạo",
    "Doanh nghiệp khởi nghiệp, Doanh nghiêp khoa học và công nghệ",
    "Số lượng nhãn hiệu tập thể, nhãn hiệu chứng nhận cho sản phẩm/dịch vụ chủ lực, đặc trưng gắn với phát triển xanh và kinh tế tuần hoàn",
    "Số lượng đơn đăng ký sáng chế, giải pháp hữu ích",
    "Số sản phẩm đổi mới sáng tạo được thương mại hóa",
    "Số dự án đổi mới sáng tạo được hỗ trợ tự ngân sách tỉnh",
    "Số sáng chế, giải pháp hữu ích có địa chỉ tại tỉnh",
    "Số bài báo khoa học ứng dụng liên quan đổi mới sáng tạo",
    "Số sáng kiến trong khu vực công được công nhận",
]


def test_all_2026_targets_get_distinct_codes(entries):
    assert len(TARGETS_2026) == 60
    codes = [match_indicator(name, entries) for name in TARGETS_2026]
    missing = [name for name, code in zip(TARGETS_2026, codes) if code is None]
    assert not missing
    assert len(set(codes)) == 60, "two 2026 targets share a code"


@pytest.mark.parametrize(
    "code, texts",
    [
        # instruments verified: Sơn La 2024 (002, parser name and sentence), Điện Biên 2021 (001)
        ("instruments_verified", [
            "Phương tiện đo được kiểm định",
            "kiểm định 5.759 phương tiện đo",
            "Phương tiện đo được kiểm định – dung tích",
            "Trung tâm đã tiến hành thực hiện việc kiểm định, hiệu chuẩn, phương tiện đo được 2.559 phương tiện đo (PTĐ) các loại",
        ]),
        # radiation licences: Điện Biên 2020–2021 (001) and Sơn La Q1/2024 (002)
        ("radiation_licences", [
            "17 giấy phép tiến hành công việc bức xạ",
            "Hồ sơ đề nghị cấp giấy phép tiến hành công việc bức xạ",
            "Tiếp nhận và xử lý 06 hồ sơ đề nghị cấp giấy phép tiến hành công việc bức xạ",
        ]),
        ("radiation_worker_certificates", [
            "6 nhân viên phụ trách an toàn được cấp chứng chỉ nhân viên bức xạ",
            "Hồ sơ cấp chứng chỉ nhân viên bức xạ",
        ]),
        # provincial S&T tasks under way: 001, 002, target of 003
        ("st_tasks_in_progress", [
            "tỉnh Điện Biên đang triển khai 23 nhiệm vụ nghiên cứu khoa học và phát triển công nghệ",
            "kiểm tra, nghiệm thu định kỳ 6 tháng đầu năm 2024 đối với 29 nhiệm vụ KH&CN đang triển khai thực hiện",
            "Số nhiệm vụ khoa học và công nghệ cấp tỉnh triển khai",
        ]),
        ("national_st_tasks", ["trên địa bàn tỉnh đang triển khai thực hiện 05 nhiệm vụ KH&CN cấp quốc gia"]),
        # inspections: 001 (thanh tra and kiểm tra), 004 expected result
        ("inspections", [
            "đã tiến hành 04 cuộc thanh tra chuyên ngành",
            "đã tiến hành 06 cuộc kiểm tra về tiêu chuẩn, đo lường, chất lượng",
            "Phối hợp thanh tra, kiểm tra 02 cuộc",
            "Triển khai 15 cuộc thanh tra",
        ]),
        ("trademark_applications", ["18 đơn đăng ký bảo hộ nhãn hiệu được nộp tại Cục Sở hữu trí tuệ"]),
        ("trademark_registrations", ["05 văn bằng bảo hộ nhãn hiệu được cấp"]),
        ("collective_certification_marks", [
            "Số lượng nhãn hiệu tập thể, nhãn hiệu chứng nhận cho sản phẩm/dịch vụ chủ lực",
            "Đăng ký bảo hộ, xây dựng và triển khai hệ thống quản lý nhãn hiệu chứng nhận “Mắc ca Sơn La”",
        ]),
        ("iso_adopting_agencies", [
            "tổng số 172 cơ quan công bố áp dụng Hệ thống quản lý chất lượng phù hợp tiêu chuẩn quốc gia TCVN ISO 9001",
            "129/129 UBND xã áp dụng tiêu chuẩn ISO 9001:2015 (đạt 100%)",
        ]),
        ("iso_checked_agencies", [
            "Tiến hành kiểm tra việc triển khai áp dụng HTQLCL theo tiêu chuẩn quốc gia TCVN ISO tại 03 huyện",
        ]),
        ("samples_tested", ["Mẫu thử nghiệm", "Thử nghiệm 222 mẫu", "Mẫu thử nghiệm – dây điện"]),
        ("fines_collected_vnd", [
            "Tiền xử phạt VPHC đã nộp",
            "07/08 đơn vị đã nộp 74.000.000đ tiền xử phạt vi phạm hành chính",
        ]),
        ("fines_outstanding_vnd", ["Tiền xử phạt VPHC chưa nộp", "01/08 đơn vị chưa nộp 11.000.000đ tiền xử phạt"]),
        ("pii_score", [
            "Chỉ số về đổi mới sáng tạo (PII)",
            "Tổ chức Hội thảo khoa học phân tích, đánh giá “Chỉ số đổi mới sáng tạo - PII tỉnh Sóc Trăng”",
        ]),
        ("st_results_registered", [
            "Tổ chức thực hiện đăng ký và lưu giữ kết quả thực hiện nhiệm vụ KH&CN cho 09 đề tài/dự án",
            "Hồ sơ đăng ký cấp giấy chứng nhận nhiệm vụ KH&CN",
        ]),
        ("public_st_organisations", [
            "Trên địa bàn tỉnh có 02 tổ chức KH&CN công lập trực thuộc sở Khoa học và Công nghệ",
            "Số lượng tổ chức khoa học và công nghệ công lập trực thuộc tỉnh",
        ]),
        ("web_articles", ["Tin, bài đăng trên Trang TTĐT của Sở", "Trang thông tin điện tử của Sở đăng tải 23 tin, bài"]),
        ("applications_on_time_share", ["100% hồ sơ được giải quyết đúng hoặc trước hạn"]),
        ("technology_appraisals", ["Dự án đầu tư được góp ý về công nghệ", "Tham gia ý kiến về công nghệ đối với 13 dự án đầu tư"]),
    ],
)
def test_same_measure_recognised_across_documents(entries, code, texts):
    assert [match_indicator(t, entries) for t in texts] == [code] * len(texts)


#: Result names of 002 and 001 as a reviewer would type them (once printed by the phrase tables
#: of loaders/report.py and loaders/narrative.py, now replaced by the catalogue), copied here so
#: this test checks the catalogue only.
PARSER_RESULT_NAMES = [
    ("Phương tiện đo được kiểm định", "instruments_verified"),
    ("Phương tiện đo được kiểm định – điện/điện tử", "instruments_verified"),
    ("Phương tiện đo được kiểm định, hiệu chuẩn", "instruments_verified"),
    ("Phương tiện đo được kiểm định, hiệu chuẩn – đạt", "instruments_passed"),
    ("Phương tiện đo được kiểm định, hiệu chuẩn – không đạt", "instruments_failed"),
    ("Mẫu thử nghiệm – vật liệu xây dựng", "samples_tested"),
    ("Hồ sơ đề nghị cấp giấy phép tiến hành công việc bức xạ", "radiation_licences"),
    ("Giấy phép tiến hành công việc bức xạ được cấp", "radiation_licences"),
    ("Cơ sở X-quang chẩn đoán y tế được cấp giấy phép", "radiation_facilities_licensed"),
    ("Cơ sở bức xạ được phê duyệt Kế hoạch ứng phó sự cố cấp cơ sở", "radiation_emergency_plans"),
    ("Nhiệm vụ KH&CN cấp tỉnh đang triển khai", "st_tasks_in_progress"),
    ("Nhiệm vụ KH&CN cấp tỉnh đang triển khai – lĩnh vực nông nghiệp", "st_tasks_in_progress"),
    ("Tỷ trọng nhiệm vụ KH&CN cấp tỉnh đang triển khai – lĩnh vực nông nghiệp", "st_tasks_in_progress_share"),
    ("Nhiệm vụ KH&CN cấp quốc gia đang triển khai trên địa bàn", "national_st_tasks"),
    ("Dự án Chương trình Nông thôn miền núi – Trung ương quản lý", "national_st_tasks"),
    ("Nhiệm vụ KH&CN đang tiến hành được cập nhật thông tin", "st_task_records_updated"),
    ("Số tạp chí Thông tin KH&CN phát hành", "st_publication_issues"),
    ("Ấn phẩm tạp chí Thông tin KH&CN phát hành", "st_publication_copies"),
    ("UBND cấp huyện áp dụng ISO 9001", "iso_adopting_agencies"),
    ("Huyện được kiểm tra việc áp dụng HTQLCL theo TCVN ISO", "iso_checked_agencies"),
    ("Cuộc thanh tra chuyên ngành – cơ sở tiến hành công việc bức xạ", "inspections"),
    ("Cuộc kiểm tra về phòng, chống tham nhũng", "inspections"),
    ("Cơ quan được kiểm tra công tác CCHC", "par_checked_agencies"),
    ("Đơn đăng ký bảo hộ nhãn hiệu nộp tại Cục SHTT", "trademark_applications"),
    ("Dự án thuộc Chương trình phát triển tài sản trí tuệ đang triển khai", "ip_development_projects"),
    ("Dự án phát triển thương hiệu sản phẩm chủ lực đang triển khai", "brand_development_projects"),
    ("Hội đồng tư vấn nghiệm thu dự án phát triển thương hiệu", "st_councils_held"),
    ("Dự án phát triển thương hiệu được nghiệm thu", "st_tasks_accepted"),
    ("Hồ sơ đề nghị xử phạt VPHC tiếp nhận", "penalty_cases"),
    ("Đơn thư khiếu nại, tố cáo", "complaints_received"),
    ("Tin gửi lên Trang TTĐT của tỉnh", "web_articles"),
    ("Nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao đã tham mưu thực hiện", "assigned_tasks_completed"),
    ("Dự án sử dụng vốn đầu tư phát triển KH&CN đang triển khai", "investment_projects"),
]


@pytest.mark.parametrize("name, code", PARSER_RESULT_NAMES)
def test_result_names_printed_by_parsers(entries, name, code):
    assert match_indicator(name, entries) == code


def test_more_specific_phrase_wins(entries):
    # 001: "… 2.559 phương tiện đo (PTĐ) các loại, trong đó đạt 2.506 (PTĐ) và ko đạt 53 (PTĐ)"
    assert match_indicator("trong đó đạt 2.506 (PTĐ)", entries) == "instruments_passed"
    assert match_indicator("và ko đạt 53 (PTĐ)", entries) == "instruments_failed"
    assert match_indicator("Phương tiện đo kiểm định không đạt", entries) == "instruments_failed"
    # 001: "cập nhật thông tin về 17 nhiệm vụ KH&CN đang tiến hành" is an information record
    assert match_indicator("Thu nhập, xử lý và cập nhật thông tin về 17 nhiệm vụ KH&CN đang tiến hành", entries) == "st_task_records_updated"
    # 002: units that paid a fine are not the fine
    assert match_indicator("Đơn vị đã nộp tiền xử phạt VPHC", entries) == "sanctioned_units_paid"


def test_unknown_text_gives_none(entries):
    assert match_indicator("Chỉnh lý tài liệu", entries) is None
    assert match_indicator("", entries) is None
    assert match_indicator(None, entries) is None
    assert match_indicator("phương tiện đo", []) is None


# ----------------------------------------------------------------------------- fields

#: (description or task name, lead unit as printed, expected field), copied from the documents.
FIELD_SAMPLES = [
    # 000 Điện Biên 2024 budget appendices (description, unit as printed under the table)
    ("Thẩm định điều kiện an toàn bức xạ cơ sở tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán trong y tế (07 cơ sở)",
     "Quản lý Công nghệ - ATBX,HN và Sở hữu trí tuệ", "atbx"),
    ("Tập huấn kiến thức về SHTT, quản trị tài sản trí tuệ cho các doanh nghiệp, các tổ chức, cá nhân kinh doanh tại huyện (2 lớp)",
     "Quản lý Công nghệ - ATBX,HN và Sở hữu trí tuệ", "shtt"),
    ("Quản lý nhiệm vụ khoa học công nghệ theo đề án SHTT", "Quản lý Công nghệ - ATBX,HN và Sở hữu trí tuệ", "shtt"),
    ("Truy xuất nguồn gốc theo kế hoạch được UBND tỉnh phê duyệt (Thực hiện Kế hoạch số 4632/KH-UBND ngày 15/12/2020)",
     "Quản lý Tiêu chuẩn - Đo lường - Chất lượng", "tdc"),
    ("Tham gia lớp tập huấn nghiệp vụ về hàng rào kỹ thuật trong thương mại (TBT)", "Quản lý Tiêu chuẩn - Đo lường - Chất lượng", "tdc"),
    ("Triển khai ISO (Thực hiện Quyết định 19/2014/QĐ-TTg)", "Quản lý Tiêu chuẩn - Đo lường - Chất lượng", "tdc"),
    ("Dán tem niêm phong công tơ cột đo xăng dầu", "Quản lý Tiêu chuẩn - Đo lường - Chất lượng", "tdc"),
    ("Thanh tra việc chấp hành các quy định của pháp luật về an toàn bức xạ (Bệnh viện Phổi tỉnh Điện Biên, Trung tâm Y tế huyện Điện Biên)",
     "Thanh tra Sở", "thanh_tra"),
    ("Thanh tra việc chấp hành các quy định của pháp luật về tiêu chuẩn, đo lường, chất lượng trong kinh doanh xăng, dầu",
     "Thanh tra Sở", "thanh_tra"),
    ("Theo yêu cầu của cấp trên, giải quyết khiếu nại - tố cáo", "Thanh tra Sở", "thanh_tra"),
    ("Xây dựng kế hoạch cấp phát kinh phí các nhiệm vụ KH & CN (đợt 1/2024)", "Kế hoạch - Quản lý khoa học", "quan_ly_khoa_hoc"),
    ("Kiểm tra tiến độ; tham gia chứng kiến cấp phát giống, vật tư; nghiệm thu, đánh giá mô hình…", "Kế hoạch - Quản lý khoa học", "quan_ly_khoa_hoc"),
    ("Tổ chức 01 Hội nghị tập huấn về khởi nghiệp đổi mới sáng tạo", "Kế hoạch - Quản lý khoa học", "dmst"),
    ("Tiếp nhận chuyển giao quy trình công nghệ chăm sóc Nho Hạ Đen, Nho Mẫu Đơn",
     "Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ", "ung_dung_chuyen_giao"),
    ("Ứng dụng công nghệ sinh học và Phân tích kiểm nghiệm", "Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ", "ung_dung_chuyen_giao"),
    ("Biên tập, xuất bản và phát hành ấn phẩm Thông tin Khoa học & Công nghệ; Duy trì hoạt động trang thông tin điện tử Sở KH&CN Điện Biên",
     "Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ", "thong_tin_thong_ke"),
    ("Chỉnh lý tài liệu", "Văn phòng Sở", "van_phong"),
    ("Đánh giá công nhận Phòng thử nghiệm theo ISO/IEC 17025 2017", "Trung tâm Kỹ thuật tiêu chuẩn - Đo lường - Chất lượng", "tdc"),
    # 004 Sóc Trăng 2024 task plan
    ("Thanh tra về An toàn bức xạ hạt nhân", "Thanh tra Sở", "thanh_tra"),
    ("Kê khai tài sản", "Thanh tra Sở", "thanh_tra"),
    ("Tham mưu ban hành Quyết định giao biên chế và số lượng người làm việc cho các phòng, đơn vị trong năm 2024",
     "Văn phòng Sở (Thuận)", "van_phong"),
    ("Theo dõi, thực hiện chấm điểm chỉ số cải cách hành chính năm 2024.", "Văn phòng", "van_phong"),
    ("Tổ chức 01 lớp “Hướng dẫn áp dụng Hệ thống truy xuất nguồn gốc trong bối cảnh Chuyển đổi số nhằm nâng cao hiệu quả quản lý chuỗi cung ứng”",
     "Chi cục TĐC (Huỳnh Thị Thanh Liễu)", "tdc"),
    ("Triển khai Kế hoạch số 110/KH-UBND thực hiện Chiến lược Sở hữu trí tuệ và Chương trình phát triển tài sản trí tuệ tỉnh Sóc Trăng",
     "Phòng Nghiệp vụ", "shtt"),
    ("Rà soát doanh nghiệp KH&CN đã được cấp giấy chứng nhận (trình thu hồi)", "Phòng Nghiệp vụ", "dmst"),
    ("Nghiên cứu hoàn chỉnh hồ sơ và đăng ký sản phẩm OCOP của Trung tâm Ứng dụng Tiên bộ KH&CN (Sản phẩm Nấm linh chi nguyên tai)",
     "Trung tâm Ứng dụng Tiên bộ KH&CN (Vũ Quan và Huỳnh Phước Thành)", "ung_dung_chuyen_giao"),
    ("Duy tu bảo dưỡng Thiết bị đo độ Brix; Thiết bị đo độ khúc xạ", "Chi cục TĐC (Bùi Minh Hoàng)", "tdc"),
    # 002 Sơn La Q2/2024 focus tasks (no unit printed)
    ("Thực hiện quy trình đặt hàng nhiệm vụ KH&CN cấp tỉnh thực hiện năm 2024 đối với đề tài “Nghiên cứu xây dựng mô hình trồng thử nghiệm Sâm Việt Nam”",
     None, "quan_ly_khoa_hoc"),
    ("Chuẩn bị các điều kiện phối hợp công bố văn bằng bảo hộ “Rượu Hang Chú Bắc Yên”.", None, "shtt"),
    ("Thực hiện tiếp công dân, giải quyết đơn thư (nếu có).", None, "thanh_tra"),
    ("Duy trì vận hành hiệu quả hoạt động của Cổng khởi nghiệp đổi mới sáng tạo theo quy định.", None, "dmst"),
    ("Trình UBND tỉnh ban hành Quy định tiêu chí, tiêu chuẩn chất lượng; cơ chế giám sát, đánh giá và nghiệm thu sản phẩm, dịch vụ công thuộc lĩnh vực thông tin, thống kê, thư viện khoa học và công nghệ",
     None, "thong_tin_thong_ke"),
    ("Tiếp tục thực hiện các bước kiện toàn sắp xếp tổ chức bộ máy bên trong Sở Khoa học và Công nghệ theo Nghị định số 03/2024/NĐ-CP ngày 11/01/2024 của Chính phủ quy định về cơ quan thực hiện chức năng thanh tra chuyên ngành",
     None, "van_phong"),
    # 003 Điện Biên 2026 plan, Phụ lục II and III
    ("Kết nối Trung tâm giám sát và điều hành thông minh của tỉnh với Cơ sở dữ liệu quốc gia về dân cư (Nhiệm vụ Đề án 06)",
     "Trung tâm ĐMST", "cds"),
    ("Tổ chức tập huấn, nâng cao kỹ năng số cho cán bộ, công chức, viên chức, người lao động, nhất là tại cấp xã",
     "Phòng KĐC, Trung tâm ĐMST", "cds"),
    ("Đầu tư trang thiết bị Trung tâm Phục vụ hành chính công cấp xã, cấp tỉnh trên địa bàn tỉnh Điện Biên", "Văn phòng Sở", "cds"),
    ("Chương trình hỗ trợ hình thành, phát triển doanh nghiệp khoa học và công nghệ, doanh nghiệp khởi nghiệp đổi mới sáng tạo theo chuỗi",
     "Phòng KĐC", "dmst"),
    ("Triển khai các nhiệm vụ, đề tài nghiên cứu, ứng dụng khoa học công nghệ, đổi mới sáng tạo và chuyển đổi số",
     "Văn phòng Sở, Phòng KĐC, TĐC, HTS theo chức năng nhiệm vụ", "quan_ly_khoa_hoc"),
    ("Tổ chức đánh giá trình độ công nghệ đối với doanh nghiệp của tỉnh, xây dựng kế hoạch nâng cao năng suất, chất lượng sản phẩm, dịch vụ",
     "Phòng KĐC", "ung_dung_chuyen_giao"),
    ("Nghiên cứu, thử nghiệm UAV phục vụ phát triển kinh tế tầm thấp", "Phòng HTS", "cds"),
    ("Xây dựng hạ tầng kỹ thuật Trung tâm đổi mới sáng tạo tỉnh Điện Biên", "Văn phòng Sở", "dmst"),
]


@pytest.mark.parametrize("text, unit, expected", FIELD_SAMPLES)
def test_field_of_descriptions_from_documents(rules, text, unit, expected):
    assert assign_field(text, unit, rules) == expected


def test_copied_descriptions_cover_every_field_and_none_is_left_out(rules):
    """Coverage over the sample: every field is reached, nothing falls through to None,
    and the descriptions alone (without the unit) already decide most of them."""
    got = [assign_field(t, u, rules) for t, u, _ in FIELD_SAMPLES]
    assert None not in got
    assert set(got) == set(FIELDS)
    by_description = [assign_field(t, None, rules) for t, _, _ in FIELD_SAMPLES]
    assert sum(f is not None for f in by_description) >= len(FIELD_SAMPLES) - 2


@pytest.mark.parametrize(
    "unit, expected",
    [
        ("Thanh tra Sở", "thanh_tra"),
        ("Văn phòng Sở (Thuận)", "van_phong"),
        ("Văn phòng (Thuận, Cuộc, Kiều)", "van_phong"),
        ("Kế hoạch - Quản lý khoa học", "quan_ly_khoa_hoc"),
        ("Phòng Kế hoạch – Quản lý khoa học", "quan_ly_khoa_hoc"),
        ("Quản lý Công nghệ - ATBX,HN và Sở hữu trí tuệ", "atbx"),
        ("Quản lý Tiêu chuẩn - Đo lường - Chất lượng", "tdc"),
        ("Chi cục TĐC (Lâm Thị Phú Nguyên)", "tdc"),
        ("Trung tâm Kỹ thuật tiêu chuẩn - Đo lường - Chất lượng", "tdc"),
        ("Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ", "ung_dung_chuyen_giao"),
        ("Trung tâm Ứng dụng Tiến bộ KH&CN", "ung_dung_chuyen_giao"),
        ("Phòng Nghiệp vụ", "quan_ly_khoa_hoc"),
        ("Phòng KĐC", "quan_ly_khoa_hoc"),
        ("Phòng HTS", "cds"),
        ("Trung tâm ĐMST", "dmst"),
        ("Phòng KĐC, TT ĐMST", "quan_ly_khoa_hoc"),
    ],
)
def test_unit_name_is_the_fallback(rules, unit, expected):
    assert assign_field("Đào tạo, tập huấn", unit, rules) == expected  # the description names no field
    assert assign_field(None, unit, rules) == expected


def test_description_wins_over_unit(rules):
    # 000, Phụ lục 2 (unit Kế hoạch - Quản lý khoa học): a start-up training is ĐMST work
    assert assign_field("Tổ chức 01 Hội nghị tập huấn về khởi nghiệp đổi mới sáng tạo", "Kế hoạch - Quản lý khoa học", rules) == "dmst"
    assert assign_field("", None, rules) is None
    assert assign_field("Mua Tủ lạnh 200L", None, rules) is None


def test_slogans_do_not_make_a_field(rules):
    # 003: "khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số" is the plan's slogan
    assert matching_fields("Tổng hợp báo cáo kinh phí khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số", rules) == []
    assert matching_fields("hoàn thiện thể chế, chính sách cho KHCN, ĐMST, CĐS", rules) == []
    assert matching_fields("Trung tâm Đổi mới sáng tạo", rules) == ["dmst"]
    # "đo lường mức độ hài lòng" is not metrology
    assert "tdc" not in matching_fields("nhằm đo lường mức độ hài lòng đối với những cơ chế, chính sách", rules)


# ----------------------------------------------------------------------------- budget lines


def _line(description, unit=None, line_id="PL/1", parent_id=None):
    return BudgetLine(
        line_id=line_id, fiscal_year=2024, phase="approved", phase_vn="dự toán", direction="expenditure",
        funding_source="SNKH", source_line=1, amount_vnd=1_000_000, description=description, unit=unit,
        parent_id=parent_id,
    )


def test_field_of_line(rules):
    # 000, Phụ lục 6: description decides
    assert field_of_line(_line("Giá thể ra ngôi cây mô KLASMAN", "Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ"), rules) == "ung_dung_chuyen_giao"
    # 000, Phụ lục 5: a "-" line under "Hoạt động điểm TBT"
    child = _line("Biên tập và phát hành Bản tin (06 số/năm)", "Quản lý Tiêu chuẩn - Đo lường - Chất lượng")
    assert field_of_line(child, rules, parent_description="Hoạt động điểm TBT") == "tdc"
    # 000, Phụ lục 4: a line without description, unit Thanh tra Sở
    assert field_of_line(_line(None, "Thanh tra Sở"), rules) == "thanh_tra"
    # 001, 2020–2021 table: an aggregate over fields, no unit → no field
    aggregate = _line("Chi cho các nhiệm vụ quản lý nhà nước (TĐC, SHTT, TT, CN, ATBX...)")
    assert len(matching_fields(aggregate.description, rules)) >= 3
    assert field_of_line(aggregate, rules) is None
    assert field_of_line(_line("Chi nghiên cứu khoa học và phát triển công nghệ"), rules) == "quan_ly_khoa_hoc"
    assert field_of_line(_line("Kinh phí SNKH"), rules) is None
    # a long description listing one unit's activities is not an aggregate
    bundle = _line(
        "- Biên tập, xuất bản và phát hành ấn phẩm Thông tin Khoa học & Công nghệ; - Duy trì mạng nội bộ Sở KH&CN, "
        "đáp ứng kịp thời công tác điều hành và quản lý qua mạng eOffice trong toàn ngành; - Giải quyết, cấp giấy "
        "chứng nhận kết quả thực hiện nhiệm vụ khoa học và công nghệ sử dụng ngân sách nhà nước khi có hồ sơ phát sinh",
        "Trung tâm Thông tin và Ứng dụng tiến bộ khoa học công nghệ",
    )
    assert field_of_line(bundle, rules) == "thong_tin_thong_ke"


# ----------------------------------------------------------------------------- enrich


def test_enrich_fills_codes_and_fields(entries, rules):
    result = ParseResult(meta=DocumentMeta(file_name="x.txt"))
    result.indicators = [
        IndicatorTarget("PLI/3.2/1", 2026, "Chỉ số về đổi mới sáng tạo (PII)", 780, lead_unit="Phòng KĐC"),
        IndicatorTarget("PLI/3.1/4", 2026, "Thời gian phê duyệt nhiệm vụ KHCN, ĐMST", 700, lead_unit="Phòng KĐC", field="cds"),
        IndicatorTarget("PLI/x", 2026, "Một chỉ tiêu chưa có trong danh mục về truy xuất nguồn gốc", 1),
    ]
    result.actuals = [
        IndicatorActual("BC/65/1", "Hồ sơ đề nghị cấp giấy phép tiến hành công việc bức xạ", "Q1/2024", 6, 65, unit="hồ sơ", field="ATBX, HN"),
        IndicatorActual("BC/226/1", "Thử nghiệm", "Q1/2024", 222, 226, unit="mẫu"),
        IndicatorActual("BC/457/1", "Nhiệm vụ khác", "Q1/2024", 1, 457, field="Tổng hợp"),
        IndicatorActual("BC/1/1", "Phương tiện đo được kiểm định", "Q1/2024", 1, 1, code="custom_code"),
        IndicatorActual("BC/2/1", "Kiểm định", "Q1/2024", 5759, 2, unit="phương tiện đo"),
    ]
    result.tasks = [
        Task("ST/46", 2024, "Thanh tra tiêu chuẩn, đo lường, chất lượng xăng dầu", 46, lead_unit="Thanh tra Sở"),
        Task("BC/Q2/20", 2024, "Hoàn thiện các thủ tục còn lại", 500, section="Công tác Quản lý tiêu chuẩn đo lường chất lượng"),
        Task("ST/1", 2024, "Dự thảo chương trình thực hiện Nghị quyết số 45-NQ/TW", 10, lead_unit="Phòng Nghiệp vụ", field="SHTT"),
    ]
    result.budget_lines = [_line("Chỉnh lý tài liệu", "Văn phòng Sở")]
    assert enrich(result, entries, rules) is None

    pii, days, other = result.indicators
    assert (pii.code, pii.field) == ("pii_score", "dmst")
    assert (days.code, days.field) == ("st_task_approval_days", "cds")  # a valid field set by the parser is kept
    assert (other.code, other.field) == (None, "tdc")

    licence, samples, misc, custom, verified = result.actuals
    assert (licence.code, licence.field) == ("radiation_licences", "atbx")  # label "ATBX, HN" replaced by the code
    assert (samples.code, samples.field) == ("samples_tested", "tdc")  # matched on "Thử nghiệm mẫu"
    assert (misc.code, misc.field) == (None, None)  # label "Tổng hợp" is no field
    assert (custom.code, custom.field) == ("custom_code", "tdc")  # existing code kept; unknown code → field by name
    assert (verified.code, verified.field) == ("instruments_verified", "tdc")  # matched on "Kiểm định phương tiện đo"

    inspect, focus, draft = result.tasks
    assert inspect.field == "thanh_tra"
    assert focus.field == "tdc"  # from the section heading
    assert draft.field == "shtt"  # label "SHTT" converted
    assert not hasattr(result.budget_lines[0], "field")
