"""Records produced by the document parsers.

Every record carries ``source_line``: the 1-based line number in the document's text
where the figure was printed, so each number shown on a page traces back to its line. A
record read from an uploaded .xlsx/.docx/.pdf also carries ``location``: where a reader of
that file finds the figure ("trang 3, bảng 2, hàng 5, cột 4", "trang tính Dự toán, ô D12",
``loaders.tables.files.location``); ``None`` for a text document (its line is its place).
Parsers return these plain dataclasses; only ``warehouse.store`` writes them to DuckDB.

Vocabulary (Fiscal Data Package where it fits, see ``../shared/GLOSSARY.md``):

* ``phase`` ∈ ``PHASES``: proposed / approved / adjusted / executed, with the Vietnamese
  stage (``phase_vn``) kept beside it because two stages can share one phase (KHTW giao
  and KH UBND giao are both *approved*). Sums are always keyed by ``phase_vn`` too.
* ``funding_source`` ∈ ``FUNDING_SOURCES``.
* ``direction`` ∈ ``DIRECTIONS``.
* ``comparator`` of a target: a symbol of ``loaders.vocab.Comparator`` ("=", ">=" …), as
  printed; the data package exports its code (``eq``, ``ge`` …).
* Names as printed: ``unit`` / ``lead_unit`` hold the unit as the document prints it (NFC,
  white space squeezed, a person's name in parentheses taken out into ``Task.assignees``);
  ``unit_kind`` / ``lead_unit_kind`` hold its kind across provinces, or ``None`` when the
  vocabulary does not know it (``loaders.enrich.apply_unit_kinds``, ``data/vocabulary/units.csv``).

The vocabularies themselves (codes, labels, colours) live in ``loaders.vocab``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from loaders.vocab import Direction, FundingSource, Phase, Stage

PHASES = Phase.values()
FUNDING_SOURCES = FundingSource.values()
DIRECTIONS = Direction.values()

# Vietnamese stage -> Fiscal Data Package phase.
STAGE_PHASE = {stage.value: stage.phase.value for stage in Stage}


#: ``ParseIssue.about`` of the warning "no unit of amounts printed: the family's default taken"
#: (``loaders.reconcile.unit_by_words`` refuses such a document when its amount in words says otherwise).
ASSUMED_UNIT = "assumed_unit"


@dataclass
class ParseIssue:
    """A row the parser could not place, a value it could not read, or a check that failed."""

    line: int | None
    message: str
    severity: str = "warning"  # "warning" (kept, shown on pages) or "error" (document rejected)
    text: str | None = None
    #: what the warning is about, for a later check ("assumed_unit": a table printed no unit of
    #: amounts and the family's default was taken; ``loaders.reconcile.unit_by_words``)
    about: str | None = None


@dataclass
class DocumentMeta:
    """Metadata of one source document (from the text itself, the manifest or the CLI)."""

    file_name: str
    province: str | None = None
    fiscal_years: list[int] = field(default_factory=list)
    kind: str | None = None  # budget_appendices | plan | report
    issuer: str | None = None
    number: str | None = None  # e.g. "68/KH-SKHCN"
    issued_date: date | None = None
    issued_text: str | None = None  # the date as printed, when incomplete ("tháng 7 năm 2021")
    title: str | None = None
    layout: str | None = None  # name of the parser that read it
    sha256: str | None = None


@dataclass
class BudgetLine:
    """One amount of one line of a budget table (long format: one amount per record).

    ``amount_vnd`` is an integer number of đồng, or ``None`` when the line prints no amount
    (a heading, or an item such as "1.1 Quý II, III" listed without money).
    ``is_subtotal`` marks lines whose amount is the sum of child lines: they are reconciled,
    never added to leaf lines.
    """

    line_id: str  # unique within the document, e.g. "PL5/I/1.2" or "T2020/I/KHTW giao"
    fiscal_year: int
    phase: str
    phase_vn: str
    direction: str
    funding_source: str
    source_line: int
    amount_vnd: int | None
    description: str | None = None
    description_line: int | None = None  # where a re-attached description was printed
    funding_note: str | None = None  # the source text as printed ("Nguồn SNKH")
    unit: str | None = None  # Phòng/đơn vị as printed (assignees in parentheses taken out)
    unit_kind: str | None = None  # its kind across provinces (data/vocabulary/units.csv), None if unknown
    appendix: str | None = None  # "Phụ lục 3"
    section: str | None = None  # "II"
    code: str | None = None  # "3.1", "-", "II"
    parent_id: str | None = None
    level: int = 1
    is_subtotal: bool = False
    period: str | None = None  # as printed: "Quý II, III", "Năm 2024"
    quarters: tuple[int, ...] = ()
    amount_text: str | None = None  # as printed: "7.665,99"
    amount_unit: str = "đồng"  # unit the amount was printed in
    note: str | None = None
    task_id: str | None = None  # link to a Task (proposed budgets of tasks / projects)
    cumulative: bool = False  # "lũy kế": the amount covers the year from its start to the end of ``quarters``
    column_label: str | None = None  # the header of the amount's column as printed ("Ước thực hiện Quý I năm 2025")
    source_ref: str | None = None  # the amount's cell, for tables of uploaded files ("PL1!D12", "Bảng 1, hàng 5, cột 4")
    version: str | None = None  # budget version: the decision an adjusted estimate follows (None: as first allocated)
    location: str | None = None  # in an uploaded file: "trang 3, bảng 2, hàng 5, cột 4", "trang tính Dự toán, ô D12"


@dataclass
class PrintedTotal:
    """A total printed in a document, or a subtotal line, and the lines it must equal.

    ``covers`` lists the ``line_id`` of the *leaf* lines the total is made of.
    ``computed_amount_vnd`` and ``status`` are filled by ``loaders.reconcile``.
    """

    scope: str  # "Phụ lục 4", "Phụ lục 3 (II)", "Phụ lục 5 / I", "Bảng 2020–2021 / KHTW giao 2020"
    label: str  # as printed: "TỔNG CỘNG (II)"
    kind: str  # "printed_total" | "subtotal"
    fiscal_year: int
    phase_vn: str
    printed_amount_vnd: int
    source_line: int
    covers: list[str] = field(default_factory=list)
    words_text: str | None = None
    words_amount_vnd: int | None = None
    words_line: int | None = None
    computed_amount_vnd: int | None = None
    #: the amount as the document prints it ("18.865,34" in a table of triệu đồng), for the
    #: officer to find the cell; the mismatch message shows it beside the amount in đồng
    printed_text: str | None = None
    status: str | None = None  # ReconciliationStatus: "match" | "mismatch" | "unchecked"
    detail: str | None = None
    unread_lines: list[int] = field(default_factory=list)  # lines in scope the parser could not read
    formula_only: bool = False  # printed as a formula nobody could compute: no printed figure to check
    location: str | None = None  # in an uploaded file: "trang 3, bảng 2, hàng 5, cột 4", "trang tính Dự toán, ô D12"


@dataclass
class RatioCheck:
    """A percentage printed in a money table ("Tỷ lệ %", "Ước thực hiện/Dự toán năm (%)")
    checked against the amounts it is computed from. Never money.

    ``printed``: the cell as printed ("24", "85,0"); ``computed``: numerator / denominator ×
    100 from the same row, as text with the printed number of decimals (``None`` when it
    cannot be computed: a missing operand, a zero denominator, last year's figure not held);
    ``status``: "match" | "mismatch" | "unchecked" (``loaders.vocab.ReconciliationStatus``).
    """

    scope: str  # "Phụ lục 1 / 2.1"
    code: str | None
    column_label: str  # the header as printed
    printed: str
    source_line: int
    computed: str | None = None
    numerator_line: str | None = None  # line_id of the numerator's budget line
    denominator_line: str | None = None
    status: str = "unchecked"
    detail: str | None = None
    fiscal_year: int | None = None
    source_ref: str | None = None
    location: str | None = None  # in an uploaded file: "trang 3, bảng 2, hàng 5, cột 4", "trang tính Dự toán, ô D12"


@dataclass
class BudgetVersion:
    """A version of a year's estimate made by an adjustment decision (Quyết định điều chỉnh dự
    toán): ``version_id`` is the decision's number, which the lines of the decision carry in
    ``BudgetLine.version``. ``increase_vnd`` / ``decrease_vnd`` / ``net_change_vnd`` are summed
    from the decision's change lines (leaves; a decrease is negative, ``decrease_vnd`` is its
    size); ``printed_*`` are what the decision's text states ("giảm 450.000.000 đồng …, tăng
    …"); ``status`` "match" when they agree, "mismatch" when not, "unchecked" when the text
    states nothing. ``before_vnd`` / ``after_vnd``: the estimate before and after (leaves)."""

    version_id: str
    fiscal_year: int
    source_line: int
    decision_number: str | None = None
    decision_date: date | None = None
    issuer: str | None = None
    title: str | None = None
    before_vnd: int | None = None
    after_vnd: int | None = None
    increase_vnd: int = 0
    decrease_vnd: int = 0
    net_change_vnd: int = 0
    printed_increase_vnd: int | None = None
    printed_decrease_vnd: int | None = None
    printed_net_vnd: int | None = None
    changed_lines: int = 0
    status: str = "unchecked"
    detail: str | None = None
    location: str | None = None  # in an uploaded file: "trang 3, bảng 2, hàng 5, cột 4", "trang tính Dự toán, ô D12"


@dataclass
class IndicatorTarget:
    """A KPI target (chỉ tiêu) as printed in a plan, with the parsed comparator and value."""

    indicator_id: str  # unique within the document, e.g. "PLI/1.2"
    fiscal_year: int
    name: str
    source_line: int
    group: str | None = None
    subgroup: str | None = None
    code: str | None = None  # catalogue code when recognised
    target_text: str | None = None
    comparator: str | None = None  # Comparator symbol "=", ">=", ">", "<=", "<"; None when qualitative
    target_value: float | None = None
    target_unit: str | None = None  # "%", "điểm", "người/1 vạn dân", "ngày", a noun
    qualitative: bool = False
    lead_unit: str | None = None  # as printed
    lead_unit_kind: str | None = None  # its kind across provinces (data/vocabulary/units.csv), None if unknown
    legal_basis: str | None = None
    field: str | None = None  # lĩnh vực
    parsed: bool = True
    sentence: str | None = None
    note: str | None = None
    location: str | None = None  # in an uploaded file: "trang 3, bảng 2, hàng 5, cột 4", "trang tính Dự toán, ô D12"


@dataclass
class IndicatorActual:
    """An actual result (số liệu thực hiện) of an indicator for a period."""

    actual_id: str
    name: str
    period: str  # "Q1/2024", "2020", "H1/2021", "2020–6/2021"
    value: float
    source_line: int
    unit: str | None = None
    code: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    parent_id: str | None = None  # breakdown part -> whole
    sentence: str | None = None
    field: str | None = None
    note: str | None = None
    fiscal_year: int | None = None
    location: str | None = None  # in an uploaded file: "trang 3, bảng 2, hàng 5, cột 4", "trang tính Dự toán, ô D12"
    source_ref: str | None = None  # a results table's cell in an uploaded file ("Kết quả!E7"), for ``location``


@dataclass
class Task:
    """A task (nhiệm vụ) or key project from a plan, with lead unit, deadline and budget."""

    task_id: str
    fiscal_year: int
    name: str
    source_line: int
    kind: str = "task"  # "task" | "project"
    section: str | None = None
    lead_unit: str | None = None  # as printed, without the assignees in parentheses
    lead_unit_kind: str | None = None  # its kind across provinces (data/vocabulary/units.csv), None if unknown
    assignees: str | None = None  # names in parentheses after the lead unit
    partners: str | None = None
    expected_result: str | None = None
    timing_text: str | None = None
    deadline: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    recurring: str | None = None  # "Thường xuyên", "Định kỳ ngày 25 hàng tháng"
    budget_vnd: int | None = None
    budget_text: str | None = None
    budget_note: str | None = None
    field: str | None = None
    note: str | None = None
    location: str | None = None  # in an uploaded file: "trang 3, bảng 2, hàng 5, cột 4", "trang tính Dự toán, ô D12"


@dataclass
class ParseResult:
    """Everything one parser extracted from one document."""

    meta: DocumentMeta
    budget_lines: list[BudgetLine] = field(default_factory=list)
    totals: list[PrintedTotal] = field(default_factory=list)
    indicators: list[IndicatorTarget] = field(default_factory=list)
    actuals: list[IndicatorActual] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    ratios: list[RatioCheck] = field(default_factory=list)
    versions: list[BudgetVersion] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)
