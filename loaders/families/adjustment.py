"""Decisions adjusting an estimate during the year (Quyết định điều chỉnh dự toán), by the
People's Committee or the Department of Finance (``../shared/reference/PUBLIC_FORMS.md``).

Profile ``data/profiles/adjustment.toml``. The table: STT | Nội dung | Dự toán đã giao |
Điều chỉnh tăng (+), giảm (−) | Dự toán sau điều chỉnh | Ghi chú, often with a row of column
numbers "A | B | 1 | 2 | 3=1+2 | 4"; decreases in parentheses "(420.000.000)" or with a minus;
unchanged lines "-"; sometimes separate "Tăng" and "Giảm" columns (the decreases printed
without their sign).

Each decision is a **budget version** (:class:`~loaders.model.BudgetVersion`, id = the
decision's number): its lines carry the version; the estimate before it is stage "dự toán đã
giao", the signed change "điều chỉnh", the estimate after it "dự toán điều chỉnh" (phase
``adjusted``) — every sum is taken per stage and version, so nothing is counted twice. Checks:
after = before + change on every row (warned), the changes summed against what the decision's
text states ("giảm 450.000.000 đồng của 02 nội dung, tăng … cho 04 nội dung"; often net 0),
and the printed totals per column (:func:`loaders.families.money_table.read_money_table`).
"""
from __future__ import annotations

import re
from typing import Mapping

from loaders.families.money_table import MoneyContext, read_money_table
from loaders.families.plan_doc import read_meta
from loaders.model import ASSUMED_UNIT, BudgetVersion, DocumentMeta, ParseIssue, ParseResult
from loaders.tables.model import SourceRow, TableError
from loaders.tables.plan import guess_plan
from loaders.tables.profiles import load_profile
from loaders.tables.region import read_region
from loaders.text.normal import clean
from loaders.text.numbers import NumberFormatError, canonical_unit, to_vnd
from loaders.text.sources import classify_source

LAYOUT = "adjustment"
PROFILE = load_profile(LAYOUT)
HEAD_LINES = 60
BEFORE, CHANGE, AFTER = "dự toán đã giao", "điều chỉnh", "dự toán điều chỉnh"
ESTIMATE = "dự toán"


def _phrases(key: str) -> re.Pattern[str]:
    return re.compile("|".join(r"\s*".join(re.escape(w) for w in p.split()) for p in PROFILE.list(key)), re.I)


TITLE_RE = _phrases("titles")
DECISION_RE = _phrases("decision_words")
_MOVE_RE = re.compile(
    r"(?P<dir>tăng|giảm)\s+(?:dự toán\s+|kinh phí\s+|số tiền\s+|là\s+|:\s*)*(?P<num>\d{1,3}(?:[.]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
    r"\s*(?P<unit>tỷ đồng|triệu đồng|nghìn đồng|đồng)", re.I)


def detect(lines: list[str], rows: Mapping[int, SourceRow] | None = None) -> bool:
    """True for an adjustment decision: "QUYẾT ĐỊNH" and the words of an adjustment of the
    estimate in its first lines (cheap: no table is read)."""
    head = " ".join(clean(raw.replace("\t", " ")) for raw in lines[:HEAD_LINES])
    return bool(DECISION_RE.search(head) and TITLE_RE.search(head))


def stated_moves(lines: list[str], upto: int) -> tuple[int | None, int | None, int | None, int | None]:
    """(increase, decrease, net, line) the decision's text states before its table
    ("điều chỉnh giảm 450.000.000 đồng …, tăng 450.000.000 đồng …; tổng dự toán … tăng
    300.000.000 đồng"), in đồng; ``None`` when not stated. A move in a clause about the total
    ("tổng dự toán …") is the net change; several statements of one direction add up."""
    inc = dec = net = None
    where = None
    for n, raw in enumerate(lines[:upto], start=1):
        for clause in re.split(r"[;.](?=\s)", clean(raw)):
            for m in _MOVE_RE.finditer(clause):
                try:
                    value = to_vnd(m.group("num"), m.group("unit").lower())
                except NumberFormatError:
                    continue
                where = where or n
                signed = value if m.group("dir").lower() == "tăng" else -value
                if re.search(r"\btổng\b", clause[: m.start()], re.I):
                    net = (net or 0) + signed
                elif signed > 0:
                    inc = (inc or 0) + value
                else:
                    dec = (dec or 0) + value
    return inc, dec, net, where


def parse(lines: list[str], meta: DocumentMeta, rows: Mapping[int, SourceRow] | None = None) -> ParseResult:
    """Read an adjustment decision into budget lines of the three stages (each carrying the
    decision as its version), its printed totals and one :class:`BudgetVersion`.

    Amounts are integers in đồng, a decrease negative. The fiscal year: the manifest's, else
    the title's ("… dự toán ngân sách năm 2025"). A money column whose stage nobody can tell is
    an error (the officer maps the columns on the upload page).
    """
    result = ParseResult(meta=meta)
    read_meta(lines, meta, min(len(lines), HEAD_LINES), result.issues)
    year = (meta.fiscal_years[0] if meta.fiscal_years else None) or _title_year(lines)
    if year is None:
        result.issues.append(ParseIssue(None, "Không xác định được năm ngân sách (cần --year)", severity="error"))
        return result
    meta.fiscal_years = meta.fiscal_years or [year]
    meta.layout, meta.kind = LAYOUT, meta.kind or "decision"
    version = meta.number or meta.file_name
    meta.title = meta.title or f"Quyết định điều chỉnh dự toán năm {year}" + (f" (số {meta.number})" if meta.number else "")
    try:
        tables, text = read_region(lines, 1, len(lines), meta.file_name, rows)
    except TableError as exc:
        result.issues.append(ParseIssue(exc.line, str(exc), severity="error"))
        return result
    tables = [t for t in tables if any(c.role == "amount" for c in t.header.columns)]
    if not tables:
        result.issues.append(ParseIssue(None, "không thấy bảng điều chỉnh (Dự toán đã giao | Điều chỉnh | Dự toán sau "
                                        "điều chỉnh)", severity="error"))
        return result
    label = f"Điều chỉnh {version}"
    others: list[str] = []  # earlier decisions whose rounds the table prints beside this one
    for k, table in enumerate(tables, start=1):
        plan = guess_plan(table, None)
        if any(c.stage in (CHANGE, AFTER) for c in plan.of("amount")):
            for c in plan.of("amount"):  # "Dự toán năm 2022" over "Đã giao | Điều chỉnh | Sau điều chỉnh"
                if c.stage == ESTIMATE:
                    c.stage, c.why = BEFORE, c.why + "; bên cạnh cột điều chỉnh: dự toán đã giao trước quyết định"
        for doubt in plan.doubts():
            result.issues.append(ParseIssue(table.header.line, f"{label}: {doubt} — cần xác nhận các cột (trang Nhập dữ "
                                            "liệu) hoặc một mẫu bố cục (--profile)", severity="error"))
        unit = table.unit or next((c.unit for c in plan.of("amount") if c.unit), None)
        if unit is None:
            result.issues.append(ParseIssue(table.header.line, f"{label}: không in đơn vị tính; số tiền được hiểu theo "
                                            f"{PROFILE.unit}", about=ASSUMED_UNIT))
        ctx = MoneyContext(meta.file_name, "DC" if len(tables) == 1 else f"DC{k}", year,
                           unit_of_amounts=unit or canonical_unit(PROFILE.unit), appendix=label, version=version,
                           headings=_source_titles(text, table.header.line))
        for n, message in _own_round(plan, version, label):
            result.issues.append(ParseIssue(table.header.line, message, text=n))
            others.append(n)
        read = read_money_table(table, plan, ctx)
        result.budget_lines.extend(read.lines)
        result.totals.extend(read.totals)
        result.ratios.extend(read.ratios)
        result.issues.extend(read.issues)
    _row_checks(result, label)
    first_table = min(t.header.line or len(lines) for t in tables)
    result.versions.append(_version(result, lines, first_table, version, year, meta, others=others))
    return result


def _own_round(plan, version: str, label: str) -> list[tuple[str, str]]:
    """A table printing several rounds of adjustment side by side ("Dự toán giao đầu năm |
    Điều chỉnh lần 1 (QĐ số 1987/QĐ-UBND) | Dự toán sau điều chỉnh lần 1 | Điều chỉnh lần 2 |
    Dự toán sau điều chỉnh lần 2"; PUBLIC_FORMS.md: "One year can have several rounds") is read
    as this decision's round: its change and its estimate after, and the estimate after the
    round before as this decision's "dự toán đã giao". The earlier rounds belong to their own
    decisions (read from their own documents: stored here they would be counted beside them):
    their columns are set aside, each named in a warning. This decision's round is the one
    whose columns name its number, else the last. Returns ``[(the earlier decision, warning)]``
    (the decision as its columns name it, else "lần N"); empty for a table of one round."""
    amounts = [c for c in plan.of("amount") if c.stage in (BEFORE, CHANGE, AFTER)]
    numbers = sorted({c.round for c in amounts if c.round and c.stage != BEFORE})
    if len(numbers) < 2:
        return []
    own = next((c.round for c in amounts if c.round and c.decision == version), numbers[-1])
    previous = max((r for r in numbers if r < own), default=None)
    out: list[tuple[str, str]] = []
    for c in amounts:
        if c.round == own and c.stage != BEFORE:
            continue
        if c.round == previous and c.stage == AFTER:
            c.stage, c.why = BEFORE, c.why + "; dự toán trước quyết định này (sau lần điều chỉnh trước)"
            continue
        name = next((a.decision for a in amounts if a.round == c.round and a.decision), None) or \
            (f"lần {c.round}" if c.round else "dự toán ban đầu")
        c.role, c.why = "ignore", c.why + f"; thuộc {name}, không phải quyết định này"
        out.append((name, f"{label}: cột '{c.label}' thuộc {name if c.round else 'trước các lần điều chỉnh'}, "
                          "không phải quyết định này — không lưu (số liệu của quyết định đó lấy từ văn bản của nó)"))
    return out


def _source_titles(text: list[tuple[int, str]], header_line: int | None) -> list[str]:
    """The titles above a table that name one funding source for all of it ("ĐIỀU CHỈNH DỰ
    TOÁN KINH PHÍ SỰ NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ NĂM 2025"), nearest first: lines that print
    neither a source of their own nor one in a heading inherit it (GLOSSARY "Nguồn": a header
    carrying a source is inherited; ``loaders.text.sources.resolve_source``). A title naming
    several sources or none is no heading of the lines."""
    above = [t for n, t in text if header_line is None or (n or 0) < header_line]
    return [t for t in reversed(above) if TITLE_RE.search(t) and classify_source(t) not in (None, "MIXED", "UNSPECIFIED")]


def _title_year(lines: list[str]) -> int | None:
    for raw in lines[:HEAD_LINES]:
        if TITLE_RE.search(raw):
            m = re.search(r"năm\s+((?:19|20)\d{2})", raw, re.I)
            if m:
                return int(m.group(1))
    return None


def _row_checks(result: ParseResult, label: str) -> None:
    """after = before + change on every row that prints the three (warned when not)."""
    by_row: dict[tuple[str | None, int], dict[str, int]] = {}
    for b in result.budget_lines:
        if b.amount_vnd is not None and b.phase_vn in (BEFORE, CHANGE, AFTER):
            by_row.setdefault((b.code, b.source_line), {}).setdefault(b.phase_vn, 0)
            by_row[(b.code, b.source_line)][b.phase_vn] += b.amount_vnd
    for (code, line), v in by_row.items():
        if BEFORE in v and AFTER in v and v[BEFORE] + v.get(CHANGE, 0) != v[AFTER]:
            result.issues.append(ParseIssue(line, f"{label}: dòng {code}: dự toán đã giao {_vnd(v[BEFORE])} + điều chỉnh "
                                            f"{_vnd(v.get(CHANGE, 0))} ≠ dự toán sau điều chỉnh {_vnd(v[AFTER])}"))


def _vnd(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _version(result: ParseResult, lines: list[str], upto: int, version: str, year: int, meta: DocumentMeta,
             others: list[str] = ()) -> BudgetVersion:
    """The :class:`BudgetVersion` of this decision: its lines' before / change / after sums
    and the moves its text states. ``others``: earlier decisions whose rounds the table prints
    too (:func:`_own_round`): a sentence naming one of them states that decision's moves
    ("Căn cứ Quyết định số 1987/QĐ-UBND … điều chỉnh giảm 450.000.000 đồng …"), not this one's."""
    leaves = [b for b in result.budget_lines if not b.is_subtotal and b.amount_vnd is not None]
    changes = [b.amount_vnd for b in leaves if b.phase_vn == CHANGE]
    v = BudgetVersion(
        version_id=version, fiscal_year=year, source_line=min((b.source_line for b in leaves), default=1),
        decision_number=meta.number, decision_date=meta.issued_date, issuer=meta.issuer, title=meta.title,
        before_vnd=sum(b.amount_vnd for b in leaves if b.phase_vn == BEFORE) if any(b.phase_vn == BEFORE for b in leaves) else None,
        after_vnd=sum(b.amount_vnd for b in leaves if b.phase_vn == AFTER) if any(b.phase_vn == AFTER for b in leaves) else None,
        increase_vnd=sum(c for c in changes if c > 0), decrease_vnd=-sum(c for c in changes if c < 0),
        net_change_vnd=sum(changes), changed_lines=sum(1 for c in changes if c),
    )
    named = [o for o in others if "/" in o]  # decision numbers ("1987/QĐ-UBND")
    told = [raw if not any(o in raw for o in named) else "" for raw in lines[:upto]]
    inc, dec, net, where = stated_moves(told, upto)
    v.printed_increase_vnd, v.printed_decrease_vnd = inc, dec
    if inc is not None or dec is not None or net is not None:
        v.printed_net_vnd = net if net is not None else (inc or 0) - (dec or 0)
        problems = []
        if net is not None and net != v.net_change_vnd:
            problems.append(f"văn bản ghi tổng thay đổi {_vnd(net)} đ, các dòng cộng lại {_vnd(v.net_change_vnd)} đ")
        if inc is not None and inc != v.increase_vnd:
            problems.append(f"văn bản ghi tăng {_vnd(inc)} đ, các dòng tăng {_vnd(v.increase_vnd)} đ")
        if dec is not None and dec != v.decrease_vnd:
            problems.append(f"văn bản ghi giảm {_vnd(dec)} đ, các dòng giảm {_vnd(v.decrease_vnd)} đ")
        v.status = "mismatch" if problems else "match"
        v.detail = "; ".join(problems) or None
        if problems:
            result.issues.append(ParseIssue(where, f"Quyết định {version}: " + "; ".join(problems)))
    else:
        v.detail = "văn bản không ghi tổng số tăng, giảm"
    if v.before_vnd is not None and v.after_vnd is not None and v.before_vnd + v.net_change_vnd != v.after_vnd:
        result.issues.append(ParseIssue(v.source_line, f"Quyết định {version}: dự toán đã giao {_vnd(v.before_vnd)} + điều "
                                        f"chỉnh {_vnd(v.net_change_vnd)} ≠ sau điều chỉnh {_vnd(v.after_vnd)}"))
    return v
