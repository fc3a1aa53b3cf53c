"""Funding-source notes in the wordings departments use (``loaders/sources.py``,
``data/vocabulary/funding_sources.csv``)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.text.sources import (
    FUNDING_SOURCES_CSV,
    classify_source,
    is_source_note,
    load_source_vocabulary,
    read_source,
    source_issue,
)
from loaders.text.vocabulary import VocabularyError, fold


@pytest.mark.parametrize(
    "text, code",
    [
        # SNKH
        ("Nguồn SNKH", "SNKH"), ("KP SNKH", "SNKH"), ("sự nghiệp khoa học", "SNKH"), ("SN KH&CN", "SNKH"),
        ("SNKHCN", "SNKH"), ("kinh phí sự nghiệp KH&CN", "SNKH"), ("NS sự nghiệp KHCN", "SNKH"),
        ("Chi thường xuyên cho hoạt động khoa học và công nghệ", "SNKH"), ("NS tỉnh (SNKH)", "SNKH"),
        # QLNN
        ("Nguồn QLNN", "QLNN"), ("quản lý nhà nước", "QLNN"), ("QLHC", "QLNN"), ("Kinh phí quản lý hành chính", "QLNN"),
        ("chi thường xuyên QLNN", "QLNN"), ("Q.L.N.N", "QLNN"),
        # fees
        ("Nguồn thu phí", "THU_PHI"), ("Nguồn thu phí, lệ phí", "THU_PHI"), ("phí để lại", "THU_PHI"),
        ("Nguồn thu sự nghiệp", "THU_PHI"), ("phí được để lại theo quy định", "THU_PHI"),
        # investment
        ("Kinh phí đầu tư phát triển KH&CN", "DTPT"), ("vốn đầu tư công", "DTPT"), ("XDCB", "DTPT"),
        ("Vốn ĐTPT ngân sách Trung ương", "DTPT"),
        # central S&T budget
        ("SNKH TW", "SNKH_TW"), ("sự nghiệp khoa học Trung ương", "SNKH_TW"),
        ("Các nhiệm vụ KH&CN được cấp kinh phí từ ngân sách SNKH Trung ương", "SNKH_TW"),
        # other
        ("kinh phí pháp chế", "OTHER"), ("Kinh phí nông thôn mới", "OTHER"), ("xã hội hóa", "OTHER"),
        ("nguồn kinh phí khác", "OTHER"), ("Nguồn vốn ODA", "OTHER"),
        # mixed
        ("Nguồn QLNN và Nguồn SNKH", "MIXED"), ("dự kiến kinh phí sự nghiệp KH&CN và nguồn kinh phí khác", "MIXED"),
        ("QLNN, SNKH", "MIXED"), ("Lồng ghép các nguồn", "MIXED"), ("SNKH TW và đối ứng ngân sách tỉnh", "MIXED"),
        ("Nguồn thu phí và lệ phí", "THU_PHI"),
        # not sources
        ("(02 nhiệm vụ)", None), (None, None), ("", None), ("Truy xuất nguồn gốc", None),
        ("Chi cho các đơn vị sự nghiệp", None), ("Chi cho các nhiệm vụ quản lý nhà nước (TĐC, SHTT, TT, CN, ATBX...)", None),
        # a level without a nature is not coded (documented decision)
        ("Ngân sách Trung ương", None), ("NSTW hỗ trợ", None), ("ngân sách tỉnh", None), ("NSĐP", None),
        ("nguồn chi thường xuyên, Trung ương giao", None),
    ],
)
def test_classify(text, code):
    assert classify_source(text) == code


@pytest.mark.parametrize(
    "text",
    ["Ngân sách Trung ương", "NSTW hỗ trợ", "Ngân sách địa phương", "Nguồn kinh phí cấp bù", "KP tiết kiệm 10%"],
)
def test_unrecognised_notes_are_reported(text):
    reading = read_source(text)
    assert reading.code is None and reading.unrecognised and reading.problem
    issue = source_issue(text, 17, where="Phụ lục 2")
    assert issue is not None and issue.line == 17 and issue.severity == "warning"
    assert issue.text == text and "Phụ lục 2" in issue.message and "không nhận ra nguồn" in issue.message


@pytest.mark.parametrize("text", ["(02 nhiệm vụ)", "Nguồn SNKH", "Truy xuất nguồn gốc", "Chuyển tiếp", "Nguồn nhân lực"])
def test_recognised_or_unrelated_texts_give_no_warning(text):
    assert source_issue(text, 3) is None


def test_level_only_note_says_which_level():
    assert "Trung ương" in read_source("NSTW hỗ trợ").problem
    assert "tỉnh" in read_source("Ngân sách tỉnh").problem


def test_source_note_blocks():
    assert is_source_note("Nguồn QLNN và Nguồn SNKH")
    assert is_source_note("Nguồn QLNN")
    assert is_source_note("KP SNKH")
    assert is_source_note("Nguồn kinh phí cấp bù")  # a note, not recognised: the parser warns
    assert not is_source_note("Thanh tra việc chấp hành các quy định của pháp luật")
    assert not is_source_note("Truy xuất nguồn gốc sản phẩm, hàng hóa")
    assert not is_source_note("Thu phí, lệ phí thẩm định An toàn bức xạ, hạt nhân")


# ----------------------------------------------------------------------------- normalisation

_KHCN = st.sampled_from(["KH&CN", "KH & CN", "KHCN", "KH-CN", "KH - CN", "KH/CN", "khoa học và công nghệ",
                         "Khoa học, công nghệ", "khoa học công nghệ", "KH và CN"])
_SPACE = st.sampled_from([" ", "  ", "\t", " \u00a0"])


@settings(max_examples=150, deadline=None)
@given(prefix=st.sampled_from(["Kinh phí sự nghiệp", "KP sự nghiệp", "NS sự nghiệp", "Nguồn sự nghiệp", "sự nghiệp"]),
       khcn=_KHCN, space=_SPACE, upper=st.booleans())
def test_every_spelling_of_khcn_is_one_word(prefix, khcn, space, upper):
    text = f"{prefix}{space}{khcn}"
    if upper:
        text = text.upper()
    assert classify_source(text) == "SNKH"
    assert fold(text).endswith("khcn")


def _strip(text: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFD", text)
    return "".join(c for c in s if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D")


@settings(max_examples=150, deadline=None)
@given(note=st.sampled_from(["Nguồn SNKH", "Nguồn QLNN", "Nguồn thu phí, lệ phí", "Vốn đầu tư phát triển",
                             "SNKH Trung ương", "Kinh phí pháp chế", "Nguồn QLNN và Nguồn SNKH", "Ngân sách tỉnh"]),
       space=_SPACE, case=st.sampled_from(["keep", "upper", "lower", "title"]), marks=st.booleans(),
       dots=st.booleans())
def test_case_spacing_diacritics_and_dots_do_not_change_the_code(note, space, case, marks, dots):
    want = classify_source(note)
    text = note.replace(" ", space)
    text = {"keep": text, "upper": text.upper(), "lower": text.lower(), "title": text.title()}[case]
    if marks:
        text = _strip(text)
    if dots:
        text = text.replace("SNKH", "S.N.K.H").replace("QLNN", "Q.L.N.N")
    assert classify_source(text) == want


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_and_codes_are_known(text):
    reading = read_source(text)
    assert reading.code in (None, "SNKH", "QLNN", "THU_PHI", "DTPT", "SNKH_TW", "OTHER", "MIXED")
    assert not (reading.code and not reading.looks_like_source)


# ----------------------------------------------------------------------------- the file


def test_vocabulary_loads():
    vocab = load_source_vocabulary()
    assert {v.code for v in vocab} >= {"SNKH", "QLNN", "THU_PHI", "DTPT", "OTHER", "MIXED", "@central", "@marker"}
    assert FUNDING_SOURCES_CSV.exists()


@pytest.mark.parametrize(
    "content, where, words",
    [
        ("code,phrases,comment\nSNKH,snkh,ok\nSNKHX,abc,bad code\n", 3, "SNKHX"),
        ("code,phrases,comment\nSNKH,snkh|,empty\n", 2, "rỗng"),
        ("code,phrases,comment\nQLNN,(qlnn,unbalanced\n", 2, "không hợp lệ"),
        ("code,phrase,comment\n", 1, "header"),
    ],
)
def test_bad_vocabulary_names_file_and_line(tmp_path, content, where, words):
    path = tmp_path / "funding_sources.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(VocabularyError) as info:
        load_source_vocabulary(path)
    assert info.value.line == where and words in str(info.value) and str(path) in str(info.value)


def _line(n: int, source: str, subtotal: bool = False):
    from loaders.model import BudgetLine

    return BudgetLine(line_id=f"L{n}", fiscal_year=2025, phase="proposed", phase_vn="đề xuất", direction="expenditure",
                      funding_source=source, source_line=n, amount_vnd=1_000_000, is_subtotal=subtotal)


def test_money_without_a_printed_source_is_warned_once_for_any_parser():
    from loaders.enrich import warn_unspecified_sources
    from loaders.model import DocumentMeta, ParseIssue, ParseResult

    result = ParseResult(DocumentMeta("ke_hoach.txt"), budget_lines=[
        _line(12, "UNSPECIFIED"), _line(14, "SNKH"), _line(15, "UNSPECIFIED", subtotal=True), _line(19, "UNSPECIFIED")])
    warn_unspecified_sources(result)
    assert [(i.line, i.message.split(": dòng ")[-1]) for i in result.issues] == [(12, "12, 19")]
    assert result.issues[0].message.startswith("2 dòng tiền không ghi nguồn")

    # lines a parser already named in its own warning about sources are not warned twice
    said = ParseResult(DocumentMeta("phu_luc.txt"), budget_lines=[_line(12, "UNSPECIFIED"), _line(19, "UNSPECIFIED")],
                       issues=[ParseIssue(12, "Phụ lục 1: không ghi nguồn kinh phí ở các dòng 12, 19")])
    warn_unspecified_sources(said)
    assert len(said.issues) == 1
