"""What each column of a money table holds: the column plan.

A table's header says, column by column, what is printed below it. The plan turns the header
of a table (:class:`~loaders.tables.model.Header`, roles from ``data/vocabulary/columns.csv``)
and the row of column numbers under it ("1 | 2 | 3 | 4 | 5=6+7 | 6 | 7") into one
:class:`ColumnRole` per column:

* ``code``, ``description``, ``lead`` (the unit in charge), ``period`` (a timing cell),
  ``source`` (a funding-source note), ``note`` — text columns;
* ``amount`` — money, with what the header says of it: the stage (``phase_vn``: dự toán,
  ước thực hiện …), the year, the quarters it covers and whether it is cumulative
  ("Ước thực hiện Quý I năm 2025" → quarters (1,); "6 tháng" → (1, 2); "Lũy kế đến hết quý
  III" → (1, 2, 3), cumulative), the funding source of a column that splits an amount by
  source ("Trong đó: SNKH | QLNN") and the split group it belongs to (the group's "Tổng số"
  column is the row's total, checked against its parts);
* ``ratio`` — a percentage ("Tỷ lệ %", "Ước thực hiện/Dự toán năm (%)", "so với cùng kỳ năm
  trước (%)"): never money; its numerator and denominator columns when the header or the
  column numbers say them ("4=3/1");
* ``ignore`` — nothing to read.

The plan is a guess (:func:`guess_plan`, each column says ``why``); when it is unsure
(:meth:`ColumnPlan.doubts`) the officer decides, and a layout profile
(:mod:`loaders.tables.layouts`) saves the decision for the next document with that header.
Source: the forms of Thông tư 61/2017/TT-BTC and 90/2018/TT-BTC (``../shared/reference/
PUBLIC_FORMS.md``) and the departments' own tables (GLOSSARY "Money", "Time").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from loaders.tables import layouts
from loaders.tables.layouts import ROLES, STAGES  # noqa: F401 - the roles and stages of a plan
from loaders.tables.model import Header, Table
from loaders.text.columns import vocabulary
from loaders.text.normal import clean, norm
from loaders.text.periods import find_periods
from loaders.text.sources import classify_source
from loaders.text.units import names_a_unit

#: Stages that plan money, in the order an execution rate is taken against them (the rate of
#: the dashboard is thực hiện ÷ KH UBND giao, README "Decisions"; then the estimate, adjusted first).
PLAN_STAGES = ("KH UBND giao", "dự toán điều chỉnh", "dự toán", "dự toán đã giao", "KHTW giao")

_SPLIT_RE = re.compile(r"\b(?:trong đó|chia ra|bao gồm|gồm)\s*:?", re.I)
_LEADING_YEAR_RE = re.compile(r"^\s*(?:năm\s+)?(?:19|20)\d{2}(?!\d)\s*", re.I)
_CUMULATIVE_RE = re.compile(r"lũy kế|luỹ kế|cộng dồn", re.I)
_MONTHS_RE = re.compile(r"(?<![\w/])(?P<n>\d{1,2}|sáu|chín|ba)\s+tháng(?!\s+(?:cuối))", re.I)
_YEAR_WORD_RE = re.compile(r"(?<!\w)(?:cả\s+)?năm(?!\s+(?:19|20)\d{2})(?!\w)", re.I)
_PERCENT_RE = re.compile(r"%|tỷ lệ|tỉ lệ|so sánh|so với", re.I)
_LAST_YEAR_RE = re.compile(r"cùng kỳ|năm trước", re.I)
#: Ratios that are not "the money column before it over the plan": disbursement, shares, growth.
_OTHER_RATIO_RE = re.compile(r"giải ngân|cơ cấu|tỷ trọng|tăng trưởng|tăng\s*,?\s*giảm", re.I)
_DECREASE_RE = re.compile(r"\bgiảm\b", re.I)
_INCREASE_RE = re.compile(r"\btăng\b", re.I)
#: "Điều chỉnh lần 2", "Dự toán sau điều chỉnh đợt 1", "lần thứ hai": the round of an adjustment column.
_ROUND_RE = re.compile(r"\b(?:lần|đợt)\s*(?:thứ\s*)?(?P<n>\d{1,2}|I{1,3}|IV|V|một|hai|ba|bốn)(?!\w)", re.I)
_ROUND_WORDS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "một": 1, "hai": 2, "ba": 3, "bốn": 4}  # never "năm" (a year)
#: "(QĐ số 1987/QĐ-UBND)", "Quyết định 512/QĐ-STC": the decision a column names.
DECISION_NUMBER_RE = re.compile(r"(?:QĐ|Quyết\s+định)\s*(?:số\s*)?:?\s*(?P<number>\d+/[\wĐđ]+(?:-[\wĐđ]+)*)", re.I)


def _round_of(label: str) -> int | None:
    """The round an adjustment column names ("lần 2" → 2, "đợt I" → 1), else ``None``."""
    m = _ROUND_RE.search(label)
    if not m:
        return None
    n = m.group("n").lower()
    return int(n) if n.isdigit() else _ROUND_WORDS.get(n)


def _decision_of(label: str) -> str | None:
    """The decision number a column's header names ("Điều chỉnh (QĐ số 1987/QĐ-UBND)" →
    "1987/QĐ-UBND"), else ``None``."""
    m = DECISION_NUMBER_RE.search(label)
    return m.group("number") if m else None


_NUMBER_FORMULA_RE = re.compile(r"^\(?(?P<lhs>\w{1,3})\)?\s*=\s*(?P<rhs>.+)$")


@dataclass
class ColumnRole:
    """What one column holds (see the module docstring). ``index``: the column's position;
    ``label``: its header as printed; ``number``: its label in the row of column numbers
    ("5=6+7" gives number "5" and ``formula`` "6+7"); ``why``: how the guess was made."""

    index: int
    label: str
    role: str | None
    stage: str | None = None
    year: int | None = None
    quarters: tuple[int, ...] = ()
    cumulative: bool = False
    period_label: str | None = None
    source: str | None = None
    source_label: str | None = None
    org_unit: str | None = None  # the unit the column's amounts belong to ("Chia ra: Văn phòng Sở | …")
    level: str | None = None  # the budget level a split column names: "TW" (Ngân sách Trung ương), "DP" (Ngân sách tỉnh)
    group: int | None = None
    group_total: bool = False
    unit: str | None = None
    numerator: int | None = None
    denominator: int | None = None
    vs_last_year: bool = False
    number: str | None = None
    formula: str | None = None
    sign: int = 1  # -1 for a column of decreases printed without their sign ("Điều chỉnh giảm")
    round: int | None = None  # the round a column names ("Điều chỉnh lần 2", "Dự toán phân bổ đợt 1")
    decision: str | None = None  # the decision a column names ("(QĐ số 1987/QĐ-UBND)"), as printed
    why: str = ""

    def key(self) -> str:
        """A short id of an amount column for line ids: stage, year, period, source."""
        parts = [self.stage or "?"]
        if self.year:
            parts.append(str(self.year))
        if self.quarters and self.quarters != (1, 2, 3, 4):
            parts.append("Q" + "".join(str(q) for q in self.quarters) + ("lk" if self.cumulative else ""))
        if self.source and self.group is not None:
            parts.append(self.source)
        if self.org_unit:
            parts.append(self.org_unit)
        if self.level:
            parts.append(self.level)
        if self.sign < 0:
            parts.append("giam")
        if self.round:  # one of several rounds printed side by side ("Đợt 1 | Đợt 2", "lần 1 | lần 2")
            parts.append(f"lan{self.round}")
        return ":".join(parts)


@dataclass
class ColumnPlan:
    """The roles of a table's columns (:class:`ColumnRole`, one per column, in order)."""

    columns: list[ColumnRole] = field(default_factory=list)
    from_profile: str | None = None  # the layout profile that decided, when one did

    def of(self, role: str) -> list[ColumnRole]:
        return [c for c in self.columns if c.role == role]

    def first(self, role: str) -> ColumnRole | None:
        return next((c for c in self.columns if c.role == role), None)

    def by_number(self, number: str) -> ColumnRole | None:
        return next((c for c in self.columns if c.number == number), None)

    def group_parts(self, group: int) -> list[ColumnRole]:
        return [c for c in self.columns if c.group == group and not c.group_total and c.role == "amount"]

    def group_total(self, group: int) -> ColumnRole | None:
        return next((c for c in self.columns if c.group == group and c.group_total), None)

    def doubts(self) -> list[str]:
        """What the guess cannot decide alone (Vietnamese, one sentence each): two money
        columns that would hold the same figures, a money column whose stage is unknown, no
        money column. Empty when the plan can be read without asking."""
        out = []
        amounts = self.of("amount")
        if not amounts:
            out.append("không thấy cột số tiền")
        seen: dict[tuple, ColumnRole] = {}
        for c in amounts:
            if c.stage is None:
                out.append(f"cột '{c.label}': không rõ là dự toán, kế hoạch, thực hiện hay đề xuất")
            key = (c.stage, c.year, c.quarters, c.cumulative, c.source, c.org_unit, c.level, c.group_total, c.sign, c.round)
            if key in seen:
                out.append(f"hai cột '{seen[key].label}' và '{c.label}' cùng là {c.stage or 'số tiền'}"
                           + (f" năm {c.year}" if c.year else "") + ": không rõ cột nào là gì")
            seen[key] = c
        return out

    def signature(self) -> str:
        """The header as a key of layout profiles: every column's label, normalised."""
        return " | ".join(norm(c.label) for c in self.columns)


_RATE_HEAD_RE = re.compile(r"(?:tỷ|tỉ)\s+lệ\b", re.IGNORECASE)
_UNTIL_DAY_RE = re.compile(r"(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?![\d/])", re.IGNORECASE)


def header_periods(label: str, doc_quarters: tuple[int, ...] = ()) -> tuple[tuple[int, ...], bool, str | None]:
    """What a money column's header says of the period it covers: ``(quarters, cumulative,
    period words as printed)``. "Ước thực hiện Quý I năm 2025" → ((1,), False, "Quý I năm
    2025"); "Ước thực hiện 6 tháng" → ((1, 2), False, "6 tháng"); "Lũy kế đến hết quý III" →
    ((1, 2, 3), True, …); "Lũy kế từ đầu năm" → the quarters up to the document's own period
    (``doc_quarters``), cumulative; "Dự toán năm" → ((1, 2, 3, 4), False, "năm");
    nothing said → ((), False, None). Source: the column names of the execution disclosures
    (Biểu 03 of TT 61/2017 and TT 90/2018)."""
    text = clean(label)
    cumulative = bool(_CUMULATIVE_RE.search(text))
    found = [f for f in find_periods(text) if f.time.kind in ("quarters", "part_of_year", "months", "as_of", "year")]
    for f in found:
        t = f.time
        if t.quarters and t.kind != "year":
            qs = tuple(range(1, max(t.quarters) + 1)) if (cumulative or t.as_of) else t.quarters
            return qs, cumulative or t.as_of, text[f.start:f.end]
    m = _UNTIL_DAY_RE.search(text)  # "Giải ngân đến 30/9": from 1 January to that day, cumulative
    if m and 1 <= int(m.group("m")) <= 12:
        return tuple(range(1, (int(m.group("m")) - 1) // 3 + 2)), True, m.group(0)
    m = _MONTHS_RE.search(text)
    if m:
        n = {"sáu": 6, "chín": 9, "ba": 3}.get(m.group("n").lower()) or int(m.group("n"))
        if 1 <= n <= 12:
            return tuple(range(1, (n - 1) // 3 + 2)), cumulative, m.group(0)
    if cumulative:
        return (tuple(range(1, max(doc_quarters) + 1)) if doc_quarters else ()), True, _CUMULATIVE_RE.search(text).group(0)
    year = next((f for f in found if f.time.kind == "year"), None)
    if year is not None:
        return (1, 2, 3, 4), False, text[year.start:year.end]
    m = _YEAR_WORD_RE.search(text)
    if m:
        return (1, 2, 3, 4), False, m.group(0)
    return (), False, None


def _amount_phrase_end(label: str) -> int:
    """Where the amount words of a header end ("Dự toán | Trong đó SNKH"), so the rest can be
    read for a source."""
    found = vocabulary().matches(label)
    return max((b for a, b, spec in found if spec.role == "amount"), default=0)


def _numbers(table: Table) -> list[tuple[str | None, str | None]]:
    """(number, formula) of each column from the row of column numbers ("5=6+7" → ("5",
    "6+7")); (None, None) where there is none."""
    out: list[tuple[str | None, str | None]] = []
    for text in table.column_numbers or []:
        t = clean(text).strip("()")
        m = _NUMBER_FORMULA_RE.match(t)
        if m:
            out.append((m.group("lhs").strip("()"), m.group("rhs").replace("(", "").replace(")", "").replace(" ", "")))
        else:
            out.append((t or None, None))
    width = len(table.header.columns)
    return (out + [(None, None)] * width)[:width]


def guess_plan(table: Table, default_stage: str | None = None, doc_quarters: tuple[int, ...] = ()) -> ColumnPlan:
    """The column plan of ``table`` guessed from its header (vocabulary roles and stages,
    years, period words, source words) and its row of column numbers.

    ``default_stage``: the stage of money columns whose header names none ("Kinh phí",
    "Số tiền"), from the document family (an estimate appendix: "dự toán"); ``None`` leaves
    them undecided (:meth:`ColumnPlan.doubts`). ``doc_quarters``: the quarters the document
    reports on (a Q3 disclosure: (1, 2, 3)), for "Lũy kế từ đầu năm".
    """
    header: Header = table.header
    numbers = _numbers(table)
    cols: list[ColumnRole] = []
    for col, (number, formula) in zip(header.columns, numbers):
        label = clean(col.text)
        role = col.role
        why = f"tiêu đề '{label}'" if role else "tiêu đề không có trong danh mục"
        if role in ("amount", None) and label and _PERCENT_RE.search(label) and ("%" in label or _RATE_HEAD_RE.match(label)) \
                or role == "ratio":  # "Tỷ lệ (%)", "So sánh (%)", a bare "Tỷ lệ"
            role, why = "ratio", f"tiêu đề '{label}' là tỷ lệ (%)"
        if formula and "/" in formula:
            role, why = "ratio", f"số cột {number}={formula}"
        c = ColumnRole(col.index, label, role, number=number, formula=formula, why=why, unit=col.unit)
        if role == "amount":
            c.stage = _specific_stage(col) or _stage_after_cumulative(label) or col.stage or default_stage
            if col.stage is None and default_stage:
                c.why += f"; giai đoạn theo loại văn bản ({default_stage})"
            c.year = col.year
            c.quarters, c.cumulative, c.period_label = header_periods(label, doc_quarters)
            if not c.quarters and c.stage == HALF_YEAR_STAGE:  # "TH 6T": the stage itself says the first half
                c.quarters, c.period_label = (1, 2), "6 tháng đầu năm"
            # the year printed with the amount words ("Dự toán năm 2024 | Quản lý nhà nước") is theirs:
            # the rest, read alone, may be a source only as a whole ("Quản lý nhà nước")
            rest = _LEADING_YEAR_RE.sub("", label[_amount_phrase_end(label):])
            src = classify_source(_SPLIT_RE.sub(" ", rest)) if rest.strip() else None
            if src:
                c.source, c.source_label = src, clean(_SPLIT_RE.sub(" ", rest))
            if c.stage == "điều chỉnh" and _DECREASE_RE.search(label) and not _INCREASE_RE.search(label):
                c.sign, c.why = -1, c.why + "; cột giảm: số in là số giảm"
            c.decision = _decision_of(label)
            c.round = _round_of(label)  # "Điều chỉnh lần 2", "Dự toán phân bổ Đợt 1 | Đợt 2": columns of their own
            if c.round:
                c.why += f"; lần/đợt {c.round}"
        if role == "ratio":
            c.vs_last_year = bool(_LAST_YEAR_RE.search(label))
        cols.append(c)
    _year_columns(cols, table)
    _split_columns(cols, table, default_stage)
    plan = ColumnPlan(cols)
    _group_splits(plan, header)
    _ratio_operands(plan)
    layout = layouts.mapping_for(plan.signature(), len(plan.columns))
    if layout is not None:  # the officer decided for this header (a saved layout profile, or the preview)
        plan = with_mapping(plan, layout.columns, profile=layout.name, unit=layout.unit)
    layouts.record(table, plan)
    return plan


_CUMULATIVE_ONLY_RE = re.compile(r"(?:lũy|luỹ)\s*kế(?:\s+\d{1,2}\s+tháng(?:\s+đầu\s+năm)?)?(?:\s+từ\s+đầu\s+năm)?"
                                 r"(?:\s+(?:đến|tới)\s+(?:hết\s+)?.*|\s+năm)?", re.IGNORECASE)


def _specific_stage(col) -> str | None:
    """The stage the most specific header row names ("Điều chỉnh" over "Dự toán sau điều
    chỉnh": the lower row decides), ``None`` when no row names one. A row that says only
    "Lũy kế (từ đầu năm)" names a period, not a stage: under "Ước thực hiện" it is an
    estimated execution (Biểu 03 of TT 61/2017: "Ước thực hiện | Quý II | Lũy kế từ đầu
    năm"); the vocabulary's "thực hiện" for it counts only when no row above names a stage."""
    for part in reversed(col.parts[1:] if len(col.parts) > 1 else ()):
        spec = vocabulary().classify(part)
        if spec is not None and spec.role == "amount" and spec.stage:
            if _CUMULATIVE_ONLY_RE.fullmatch(clean(part)):
                continue
            return spec.stage
    return None  # "Lũy kế …" alone below: the whole label decides ("Ước thực hiện Lũy kế …")


HALF_YEAR_STAGE = "thực hiện 6 tháng đầu năm"
_CUMULATIVE_LEAD_RE = re.compile(r"^(?:lũy|luỹ)\s*kế\s+", re.IGNORECASE)


def _stage_after_cumulative(label: str) -> str | None:
    """The stage named after a leading "Lũy kế" in one header cell ("Lũy kế ước thực hiện từ
    đầu năm đến hết Quý III": estimated execution, cumulative — Biểu 03 of TT 61/2017 /
    TT 90/2018); ``None`` when the words after it name no stage ("Lũy kế từ đầu năm": the
    vocabulary's "thực hiện" of "Lũy kế" stands), or when "Lũy kế …" is itself a phrase of
    the vocabulary ("Lũy kế thực hiện")."""
    m = _CUMULATIVE_LEAD_RE.match(label)
    whole = vocabulary().classify(label)
    if not m or whole is None or not _CUMULATIVE_ONLY_RE.fullmatch(whole.phrase):
        return None  # "Lũy kế thực hiện …" is a phrase of its own: its stage stands
    spec = vocabulary().classify(label[m.end():])
    return spec.stage if spec is not None and spec.role == "amount" and spec.stage else None


_NUMBER_CELL_RE = re.compile(r"[-−(]?\d[\d.,]*\)?")


def number_rows(table: Table, index: int) -> list:
    """The item and total rows of ``table`` whose cell in column ``index`` is a number alone
    ("1.250", "(30,5)"): what makes a column hold figures, whatever its header says."""
    return [r for r in table.rows if r.kind in ("item", "total") and index < len(r.cells) and r.cells[index] is not None
            and _NUMBER_CELL_RE.fullmatch(r.cells[index].text.strip())]


def _holds_numbers(table: Table, index: int) -> bool:
    return bool(number_rows(table, index))


_TOTAL_COLUMN_RE = re.compile(r"(?:tổng số|tổng cộng|cộng|tổng)", re.IGNORECASE)


_CENTRAL_RE = re.compile(r"^(?:ngân sách|ns|nguồn|vốn|kinh phí)\s+(?:trung ương|tw)$", re.IGNORECASE)
_LOCAL_RE = re.compile(r"^(?:ngân sách|ns|nguồn|vốn|kinh phí)\s+(?:tỉnh|địa phương|đp)$|^nsđp$", re.IGNORECASE)


def _budget_level(text: str) -> str | None:
    """The budget level a split column's header names alone: "Ngân sách Trung ương", "NS TW" →
    "TW"; "Ngân sách tỉnh", "Ngân sách địa phương", "NSĐP" → "DP"; ``None`` otherwise (a level
    is no nature of money: the row's own source says which, the level only makes central
    science money "SNKH_TW")."""
    t = clean(text).strip(" :")
    if re.fullmatch(r"nstw", t, re.IGNORECASE) or _CENTRAL_RE.match(t):
        return "TW"
    if _LOCAL_RE.match(t):
        return "DP"
    return None


_YEAR_COLUMN_RE = re.compile(r"(?:tổng\s+)?(?:cộng\s+)?(?:cả\s+năm|năm)|tổng\s+số|tổng\s+cộng", re.I)


def _year_columns(cols: list[ColumnRole], table: Table) -> None:
    """A column headed "Cả năm" (or "Tổng cộng", "Tổng số") beside quarter columns of one stage
    and year ("Dự toán phân bổ: Quý I | Quý II | Quý III | Quý IV" then "Cả năm" under a header
    of its own) and printing numbers is the year's column of that stage: the quarters rule
    (:func:`_group_splits`) makes it each row's total of its quarters, a check."""
    for k, c in enumerate(cols):
        if c.role is not None or not c.label or not _YEAR_COLUMN_RE.fullmatch(clean(c.label)):
            continue
        quarters = [a for a in cols[:k] if a.role == "amount" and len(a.quarters) == 1 and not a.cumulative]
        if len(quarters) < 2 or len({(a.stage, a.year) for a in quarters}) != 1 or not _holds_numbers(table, c.index):
            continue
        base = quarters[-1]
        c.role, c.stage, c.year, c.unit = "amount", base.stage, base.year, c.unit or base.unit
        c.quarters, c.period_label = (1, 2, 3, 4), "cả năm"
        c.why = f"tiêu đề '{c.label}' sau các cột quý của '{base.stage}': cột cả năm của các quý"


def _last_part(table: Table, index: int) -> str | None:
    """The lowest header row's text over column ``index`` ("Ngân sách trung ương …"), if any."""
    columns = table.header.columns
    parts = columns[index].parts if index < len(columns) else ()
    return clean(parts[-1]) if parts else None


def _after_split(label: str) -> str:
    """What a split column's header names after its last "Trong đó" / "Chia ra": "Dự toán được
    giao năm 2022 Chia ra Ngân sách trung ương" (three header rows joined) → "Ngân sách trung
    ương"; the whole label when it has no such word."""
    found = list(_SPLIT_RE.finditer(label))
    return clean(label[found[-1].end():] if found else label)


def _split_columns(cols: list[ColumnRole], table: Table, default_stage: str | None = None) -> None:
    """Columns headed only by a source, right of a money column ("Tổng kinh phí | Chia ra:
    Nguồn SNKH | Nguồn QLNN", "Trong đó: NSTW | NSĐP") and printing numbers: money columns of
    the same stage, split by source. A "Nguồn kinh phí" column of source notes names no
    source, so it stays a text column. A column headed only "Tổng số" before such a split, in
    a document whose family knows its one stage (``default_stage``: the estimate of Biểu 02),
    is the money column they split ("Tổng số | Trong đó: Kinh phí SNKH | Kinh phí QLHC"); a
    money column naming a source but no stage right after a split column is one more part."""
    for k, c in enumerate(cols):
        if (c.role is None and default_stage and _TOTAL_COLUMN_RE.fullmatch(c.label or "")
                and k + 1 < len(cols) and _SPLIT_RE.match(cols[k + 1].label or "")
                and _holds_numbers(table, c.index)):
            c.role, c.stage = "amount", default_stage
            c.why = f"tiêu đề '{c.label}' trước các cột 'Trong đó': số tiền của văn bản ({default_stage})"
    for c in cols:
        after_split = c.role == "amount" and c.stage is None and any(
            a.index == c.index - 1 and a.role == "amount" and _SPLIT_RE.search(a.label or "") for a in cols)
        # "Trong đó: Ngân sách Trung ương": a money phrase of the vocabulary, but under a split it
        # only names a budget level
        level_split = bool(c.label) and bool(_SPLIT_RE.search(c.label)) and _budget_level(_after_split(c.label))
        rest = _after_split(c.label)
        if not level_split and c.index > 0 and cols[c.index - 1].level:
            # "Chia ra: Ngân sách địa phương | Ngân sách trung ương bổ sung có mục tiêu": "Chia ra"
            # printed over the first part only; the next column naming a level is the next part
            own = _last_part(table, c.index)
            level = _budget_level(own) or _budget_level(" ".join(own.split()[:4])) if own else None
            if level:  # "Ngân sách trung ương bổ sung có mục tiêu": its first words name the level
                level_split, rest = level, " ".join(own.split()[:4])
        if (c.role not in (None, "source") and not after_split and not level_split) or not c.label:
            continue
        src = classify_source(rest)
        left = [a for a in cols if a.role == "amount" and a.index < c.index]
        by_unit = not src and c.role is None and names_a_unit(rest) and bool(_SPLIT_RE.search(c.label))
        level = None if src or by_unit or (c.role is not None and not level_split) else _budget_level(rest)
        if not (src or by_unit or level) or not left or not _holds_numbers(table, c.index):
            continue
        base = left[-1]
        c.role, c.stage, c.year, c.unit = "amount", base.stage, base.year, c.unit or base.unit
        c.quarters, c.cumulative, c.period_label = base.quarters, base.cumulative, base.period_label
        if by_unit:  # "Tổng số | Chia ra: Văn phòng Sở | Chi cục TĐC | …": the amount split by unit
            c.org_unit = rest
            c.why = f"tiêu đề '{c.label}' ghi một đơn vị, sau cột '{base.label}': số tiền chia theo đơn vị"
            continue
        if level:  # "Tổng số | Trong đó: Ngân sách tỉnh | Ngân sách Trung ương": split by budget level
            c.level = level
            c.why = f"tiêu đề '{c.label}' ghi cấp ngân sách ({level}), sau cột '{base.label}': số tiền chia theo cấp"
            continue
        c.source, c.source_label = src, rest
        c.why = f"tiêu đề '{c.label}' chỉ ghi nguồn, sau cột '{base.label}': số tiền chia theo nguồn"


def _group_splits(plan: ColumnPlan, header: Header) -> None:
    """Money columns splitting one amount by source: two or more columns of the same stage,
    year and period naming different sources (with the column of their total, if printed,
    "Tổng số") form a group. A single money column naming a source is a column heading
    that names the source of every amount in it (kept as ``source``; no group)."""
    amounts = plan.of("amount")
    keys: dict[tuple, list[ColumnRole]] = {}
    for c in amounts:
        keys.setdefault((c.stage, c.year, c.quarters, c.cumulative, c.sign), []).append(c)
    group = 0
    for members in keys.values():
        split = [c for c in members if _SPLIT_RE.search(c.label)]  # "Trong đó: NSNN | Nguồn phí được để lại"
        parts = [c for c in members if c.source] if len({c.source for c in members if c.source}) >= 2 else []
        parts += [c for c in members if c.level] if len({c.level for c in members if c.level}) >= 2 else []
        parts = list({id(c): c for c in parts + split}.values())
        if len(parts) < 2 and not (parts and len(members) > len(parts)):
            continue
        totals = [c for c in members if c not in parts]
        group += 1
        for c in parts:
            c.group = group
            c.why += f"; cột chia theo nguồn ({c.source_label})"
        for c in totals[:1]:
            c.group, c.group_total = group, True
            c.why += "; tổng của các cột chia theo nguồn"
    # "Quý I | Quý II | Quý III | Quý IV | Cả năm" of one stage and year: the year's column is the
    # row's total of its quarters (a check, never a line beside them: the money is stored once)
    by_stage: dict[tuple, list[ColumnRole]] = {}
    for c in amounts:
        if c.group is None and not c.cumulative:
            by_stage.setdefault((c.stage, c.year, c.sign, c.source), []).append(c)
    for members in by_stage.values():
        quarters = [c for c in members if len(c.quarters) == 1]
        years = [c for c in members if tuple(c.quarters) == (1, 2, 3, 4)]
        if sorted(c.quarters[0] for c in quarters) != [1, 2, 3, 4] or len(years) != 1:
            continue
        group += 1
        for c in quarters:
            c.group = group
            c.why += "; cột theo quý"
        years[0].group, years[0].group_total = group, True
        years[0].why += "; tổng của bốn quý: đối chiếu, không phải dòng"


def _ratio_operands(plan: ColumnPlan) -> None:
    """Numerator and denominator of each ratio column: from the column numbers ("4=3/1"),
    else from a header naming both ("Ước thực hiện/Dự toán năm (%)"), else the money column
    just before it over the plan money of the same year ("Tỷ lệ %" after "KH | TH")."""
    amounts = plan.of("amount")
    for r in plan.of("ratio"):
        if r.formula and "/" in r.formula:
            a, _, b = r.formula.partition("/")
            num, den = plan.by_number(a.strip()), plan.by_number(b.strip())
            if num is not None and den is not None:
                r.numerator, r.denominator = num.index, den.index
                continue
        left = [c for c in amounts if c.index < r.index]
        if r.vs_last_year:
            r.numerator = left[-1].index if left else None  # last year's figure is in last year's document
            continue
        if "/" in r.label:
            top, _, bottom = r.label.partition("/")
            num = _by_words(top, left)
            den = _by_words(bottom, [c for c in amounts if c is not num])
            if num is not None and den is not None:
                r.numerator, r.denominator = num.index, den.index
                continue
        if left and not _OTHER_RATIO_RE.search(r.label):
            num = left[-1]
            # the plan money of the same year (a column printing no year is of the document's year)
            plans = [c for c in left if c.stage in PLAN_STAGES and c is not num
                     and (c.year == num.year or c.year is None or num.year is None)]
            den = min(plans, key=lambda c: PLAN_STAGES.index(c.stage), default=None)
            if den is not None:
                r.numerator, r.denominator = num.index, den.index


def _by_words(text: str, candidates: list[ColumnRole]) -> ColumnRole | None:
    """The money column a part of a ratio's header names ("Ước thực hiện" in "So sánh (%)
    Ước thực hiện/Dự toán năm"): the last of the candidates with the stage of the last money
    phrase in the text."""
    found = [spec for _, _, spec in vocabulary().matches(re.sub(r"\(.*?\)|%", " ", text)) if spec.stage]
    spec = found[-1] if found else None
    if spec is None:
        return None
    same = [c for c in candidates if c.stage == spec.stage]
    return same[-1] if same else None


def with_mapping(plan: ColumnPlan, mapping: dict[int, dict], profile: str | None = None,
                 unit: str | None = None) -> ColumnPlan:
    """The plan with the officer's decisions applied: ``mapping`` gives, by column index, the
    fields to set (``role``, ``stage``, ``year``, ``quarters``, ``cumulative``, ``source``,
    ``unit``); a column whose role becomes ``amount`` keeps or gets its period and stage from
    the mapping. Split groups and ratio operands are worked out again."""
    cols = []
    for c in plan.columns:
        change = mapping.get(c.index)
        if change:
            fields = {k: (tuple(v) if k == "quarters" else v) for k, v in change.items() if k in ColumnRole.__dataclass_fields__}
            c = replace(c, **fields, why=f"theo mẫu đã xác nhận{' ' + profile if profile else ''}", group=None,
                        group_total=False)
        cols.append(c)
    out = ColumnPlan(cols, from_profile=profile)
    for c in out.columns:
        c.group, c.group_total = None, False
        if unit and c.role == "amount" and not c.unit:
            c.unit = unit  # the unit of amounts the officer confirmed (the table prints none)
    _group_splits(out, None)
    _ratio_operands(out)
    return out
