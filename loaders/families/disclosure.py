"""Public budget disclosures of a budget-using unit: the estimate disclosure (Biểu 02 "công
khai dự toán") and the execution disclosures of a quarter, six months, nine months or the year
(Biểu 03 "đánh giá thực hiện dự toán thu – chi ngân sách …"), on the forms of Thông tư
61/2017/TT-BTC as amended by Thông tư 90/2018/TT-BTC (``../shared/reference/PUBLIC_FORMS.md``).

Profile ``data/profiles/disclosure.toml`` (title words, the labels of the unit line). The form
number varies between circulars and units: the family is recognised by its title and its
table, never by "Biểu số 03".

* The period the document reports on comes from its title ("(Quý I Năm 2025)", "6 THÁNG ĐẦU
  NĂM 2025", "NĂM 2025"); each money column says its own stage and period ("Dự toán năm" →
  the year's estimate; "Ước thực hiện Quý I năm 2025" → estimated execution of quarter 1;
  "Thực hiện 6 tháng" → execution of quarters 1–2; "Lũy kế từ đầu năm" → quarters 1 to the
  document's, cumulative) — :func:`loaders.tables.plan.guess_plan`.
* Lines, subtotals, printed totals and percentages are read by
  :func:`loaders.families.money_table.read_money_table`: every printed percentage ("Ước thực
  hiện/Dự toán năm (%)") is checked against the amounts and never stored as money; "so với
  cùng kỳ năm trước (%)" is kept for a check against last year's document.
* Part I (fees: số thu phí, lệ phí / chi từ nguồn thu phí được để lại / số phí, lệ phí nộp
  NSNN) is stored as revenue, spending of retained fees (source THU_PHI) and fees paid over —
  never as state-budget spending (``data/vocabulary/flows.csv``).
* Rows the unit left empty (the whole form is printed) give no figure.
"""
from __future__ import annotations

import re
from typing import Mapping

from loaders.families.money_table import MoneyContext, plan_money_table, read_money_table
from loaders.families.plan_doc import read_meta
from loaders.model import ASSUMED_UNIT, DocumentMeta, ParseIssue, ParseResult
from loaders.tables.model import SourceRow, Table, TableError, unit_line
from loaders.tables.plan import guess_plan, header_periods
from loaders.tables.profiles import load_profile
from loaders.tables.region import read_region
from loaders.tables.spaced import read_spaced
from loaders.text.normal import clean
from loaders.text.numbers import canonical_unit
from loaders.text.periods import find_periods, quarters_label

LAYOUT = "disclosure"
PROFILE = load_profile(LAYOUT)
HEAD_LINES = 60  # detect() looks at the first lines only


def _phrases(key: str) -> re.Pattern[str]:
    return re.compile("|".join(r"\s*".join(re.escape(w) for w in p.split()) for p in PROFILE.list(key)), re.I)


EXECUTION_RE = _phrases("execution_titles")
ESTIMATE_RE = _phrases("estimate_titles")
ADJUSTMENT_RE = re.compile(r"điều\s*chỉnh\s*(?:,\s*bổ sung\s*)?dự\s*toán", re.I)
ORG_UNIT_RE = re.compile(rf"^\s*(?:{'|'.join(re.escape(p) for p in PROFILE.list('org_unit_labels'))})\s*:\s*(?P<unit>\S.*?)\s*$", re.I)


def _head(lines: list[str]) -> str:
    return " ".join(clean(raw.replace("\t", " ")) for raw in lines[:HEAD_LINES])


def _titles(lines: list[str]) -> list[str]:
    """The title lines of the first lines: in capitals, or starting with a title's words (a
    phrase quoted in a sentence — "Căn cứ Quyết định … giao dự toán thu, chi ngân sách …" —
    is no title)."""
    out = []
    for raw in lines[:HEAD_LINES]:
        for text in (clean(t) for t in raw.split("\t")):
            letters = [ch for ch in text if ch.isalpha()]
            if len(letters) >= 8 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters):
                out.append(text)
            elif EXECUTION_RE.match(text) or ESTIMATE_RE.match(text):
                out.append(text)
    return out


def kind_of(lines: list[str]) -> str | None:
    """"execution", "estimate" or ``None`` from the document's title (its first lines)."""
    titles = " ".join(_titles(lines))
    if ADJUSTMENT_RE.search(titles):
        return None
    if EXECUTION_RE.search(titles):
        return "execution"
    if ESTIMATE_RE.search(titles):
        return "estimate"
    return None


def detect(lines: list[str], rows: Mapping[int, SourceRow] | None = None) -> bool:
    """True for a disclosure: its title words in the first lines (cheap: no table is read)."""
    return kind_of(lines) is not None


def document_period(lines: list[str]) -> tuple[tuple[int, ...], int | None, str | None]:
    """(quarters, year, label) of the period an execution disclosure reports on, from its
    title: "(Quý I Năm 2025)" → ((1,), 2025); "6 THÁNG ĐẦU NĂM 2025" → ((1, 2), 2025);
    "NĂM 2025" → ((1, 2, 3, 4), 2025). Dates ("ngày 12 tháng 7 năm 2023", "12/7/2023") and
    the grounds ("Căn cứ …") name no period; the first line naming part of a year decides, else
    the first naming a whole year."""
    whole_year = None
    for raw in lines[:HEAD_LINES]:
        text = _DATE_RE.sub(" ", clean(raw.replace("\t", " ")))
        if text.lower().startswith("căn cứ") or not (
                EXECUTION_RE.search(text) or re.search(r"quý|tháng|năm\s+20\d\d", text, re.I)):
            continue
        quarters, _, label = header_periods(text)
        years = [f.time.year for f in find_periods(text) if f.time.year]
        if quarters and years:
            if quarters != (1, 2, 3, 4):
                return quarters, years[0], label
            whole_year = whole_year or (quarters, years[0], label)
    return whole_year or ((), None, None)


_DATE_RE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\b\d{1,2}/\d{1,2}/\d{4}\b", re.IGNORECASE)


def parse(lines: list[str], meta: DocumentMeta, rows: Mapping[int, SourceRow] | None = None) -> ParseResult:
    """Read a disclosure into budget lines (one per row and money column, each in its own
    stage and period), printed totals, subtotals and percentage checks.

    ``lines``: the document's text lines (1-based line numbers); ``rows``: the cells of an
    uploaded file's tables. Amounts are integers in đồng, signed. The fiscal year is the
    title's (or the manifest's). Errors (a money column whose stage nobody can tell, an
    amount that is not one) are issues of severity "error": the document is refused and the
    upload page shows its columns to the officer.
    """
    result = ParseResult(meta=meta)
    kind = kind_of(lines) or "estimate"
    doc_quarters, doc_year, period_label = document_period(lines) if kind == "execution" else ((), None, None)
    read_meta(lines, meta, min(len(lines), HEAD_LINES), result.issues)
    year = (meta.fiscal_years[0] if meta.fiscal_years else None) or doc_year or _title_year(lines)
    if year is None:
        result.issues.append(ParseIssue(None, "Không xác định được năm ngân sách (cần --year)", severity="error"))
        return result
    meta.fiscal_years = meta.fiscal_years or [year]
    meta.layout, meta.kind = LAYOUT, meta.kind or "disclosure"
    if kind == "execution" and not meta.title:
        meta.title = f"Công khai thực hiện dự toán {period_label or ''} năm {year}".replace("  ", " ")
    elif not meta.title:
        meta.title = f"Công khai dự toán năm {year}"
    try:
        tables, text = read_region(lines, 1, len(lines), meta.file_name, rows)
    except TableError as exc:
        result.issues.append(ParseIssue(exc.line, str(exc), severity="error"))
        return result
    org_unit = next((m.group("unit") for _, t in text if (m := ORG_UNIT_RE.match(t)) and not _is_unit_of_amount(t)), None)
    # an estimate disclosure (Biểu 02) states one stage, the estimate: a column headed only "Tổng số"
    # (or, space-separated, whose header's words are not kept) is the estimate
    default_stage = "dự toán" if kind == "estimate" else None
    tables = [t for t in tables if _is_money_table(t, default_stage, doc_quarters)]
    if not tables:  # text extracted from a PDF in layout mode: space-separated columns
        try:
            tables = [t for t in read_spaced(lines, meta.file_name) if "amount" in t.header.roles()]
        except TableError as exc:
            result.issues.append(ParseIssue(exc.line, str(exc), severity="error"))
            return result
    if not tables:
        result.issues.append(ParseIssue(None, "không thấy bảng số liệu (TT | Nội dung | Dự toán …)", severity="error"))
        return result
    label = (f"Thực hiện {quarters_label(doc_quarters).lower()} {year}" if kind == "execution" else f"Dự toán {year}")
    for k, table in enumerate(tables, start=1):
        _read(table, k, len(tables), label, year, doc_quarters, org_unit, meta, result, default_stage)
    if kind == "execution" and not any(b.phase == "executed" for b in result.budget_lines):
        result.issues.append(ParseIssue(tables[0].header.line, "văn bản đánh giá thực hiện nhưng không có cột thực hiện "
                                        "nào đọc được"))
    return result


def _is_money_table(table: Table, default_stage: str | None, doc_quarters: tuple[int, ...]) -> bool:
    """True when a table holds money: a header cell naming an amount, or columns the column
    plan reads as money ("Tổng số | Trong đó: Kinh phí SNKH | Kinh phí QLHC", every money
    header under "Trong đó" — :func:`loaders.tables.plan.guess_plan`)."""
    return any(c.role == "amount" for c in table.header.columns) or bool(
        guess_plan(table, default_stage, doc_quarters).of("amount"))


def _is_unit_of_amount(text: str) -> bool:
    try:
        return bool(unit_line(text, ""))
    except TableError:
        return True


def _title_year(lines: list[str]) -> int | None:
    for raw in lines[:HEAD_LINES]:
        m = re.search(r"\bNĂM\s+((?:19|20)\d{2})\b", raw.upper())
        if m:
            return int(m.group(1))
    return None


def _read(table: Table, k: int, n: int, label: str, year: int, doc_quarters: tuple[int, ...], org_unit: str | None,
          meta: DocumentMeta, result: ParseResult, default_stage: str | None = None) -> None:
    plan, unit, doubts = plan_money_table(table, label, default_stage, doc_quarters)
    result.issues.extend(doubts)
    if unit is None:
        result.issues.append(ParseIssue(table.header.line, f"{label}: không in đơn vị tính; số tiền được hiểu theo {PROFILE.unit}",
                                  about=ASSUMED_UNIT))
    ctx = MoneyContext(meta.file_name, "CK" if n == 1 else f"CK{k}", year,
                       unit_of_amounts=unit or canonical_unit(PROFILE.unit), org_unit=org_unit,
                       appendix=label if n == 1 else f"{label} (bảng {k})")
    read = read_money_table(table, plan, ctx)
    result.budget_lines.extend(read.lines)
    result.totals.extend(read.totals)
    result.ratios.extend(read.ratios)
    result.issues.extend(read.issues)
