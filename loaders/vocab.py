"""The project's closed vocabularies, one place: codes, Vietnamese labels and chart colours.

Every enum is a ``StrEnum``: a member *is* its stored value (``FundingSource.SNKH == "SNKH"``),
so records, SQL and CSV keep plain strings. ``loaders.model`` (constants), the DDL ``CHECK``
lists of ``warehouse.schema``, the labels and colours of ``charts.theme`` and the field
constraints of ``warehouse.export`` are all derived from here.

Terms from ``../shared/GLOSSARY.md`` ("Money": Nguồn, Dự toán, KHTW giao, …) and the Fiscal
Data Package (``phase``: proposed / approved / adjusted / executed).
"""
from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    """A code with a Vietnamese label (and, for charted vocabularies, a colour)."""

    @property
    def label(self) -> str:
        return _LABELS[type(self).__name__][self.value]

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The stored values, in declaration order."""
        return tuple(m.value for m in cls)

    @classmethod
    def labels(cls) -> dict[str, str]:
        """``{value: Vietnamese label}`` in declaration order."""
        return {m.value: m.label for m in cls}


class FundingSource(_Labelled):
    """Nguồn kinh phí (GLOSSARY "Nguồn")."""

    SNKH = "SNKH"  # sự nghiệp khoa học
    QLNN = "QLNN"  # quản lý nhà nước
    THU_PHI = "THU_PHI"  # thu phí, lệ phí
    DTPT = "DTPT"  # đầu tư phát triển
    SNKH_TW = "SNKH_TW"  # SNKH Trung ương
    MIXED = "MIXED"  # "Nguồn QLNN và Nguồn SNKH"
    OTHER = "OTHER"  # pháp chế, nông thôn mới, nguồn khác
    UNSPECIFIED = "UNSPECIFIED"  # nothing printed, nothing inherited

    @property
    def color(self) -> str:
        return _SOURCE_COLORS[self.value]


class Phase(_Labelled):
    """Fiscal Data Package phase of an amount."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    ADJUSTED = "adjusted"
    EXECUTED = "executed"


class Stage(_Labelled):
    """The Vietnamese stage as printed (``phase_vn``); two stages may share a phase
    (KHTW giao and KH UBND giao are both *approved*), so sums are keyed by stage."""

    DU_TOAN = "dự toán"
    KHTW_GIAO = "KHTW giao"
    KH_UBND_GIAO = "KH UBND giao"
    DA_GIAO = "dự toán đã giao"  # in an adjustment decision: the estimate before it
    DIEU_CHINH = "điều chỉnh"  # in an adjustment decision: the signed change (tăng +, giảm −)
    DU_TOAN_DIEU_CHINH = "dự toán điều chỉnh"  # the estimate after an adjustment decision (a budget version)
    THUC_HIEN = "thực hiện"
    THUC_HIEN_6T = "thực hiện 6 tháng đầu năm"
    UOC_THUC_HIEN = "ước thực hiện"
    QUYET_TOAN = "quyết toán"
    DE_XUAT = "đề xuất"

    @property
    def phase(self) -> Phase:
        return _STAGE_PHASE[self]

    @property
    def color(self) -> str | None:
        return _STAGE_COLORS.get(self.value)


class Direction(_Labelled):
    """Chi (expenditure), thu (revenue, e.g. fees collected) or nộp ngân sách (fees paid over
    to the state budget). Spending financed by retained fees is expenditure with source
    THU_PHI, never state-budget spending (PUBLIC_FORMS.md, Biểu 03 part I)."""

    EXPENDITURE = "expenditure"
    REVENUE = "revenue"
    REMITTANCE = "remittance"  # fees and charges paid over to the state budget (nộp NSNN): neither


class DocumentKind(_Labelled):
    """What a document is (manifest column ``kind``)."""

    BUDGET_APPENDICES = "budget_appendices"
    PLAN = "plan"
    REPORT = "report"
    DISCLOSURE = "disclosure"  # public estimate / execution disclosure (Biểu 02, 03 of TT 61/2017, TT 90/2018)
    DECISION = "decision"  # a decision adjusting an estimate


class Comparator(_Labelled):
    """How a target (chỉ tiêu) is to be reached: a code, the symbol the records and the
    warehouse keep (as printed, "≥" written ">="), and a Vietnamese label.

    The codes are what the Fiscal Data Package carries (``warehouse.export``): a symbol such
    as "=" or ">=" starts a formula in a spreadsheet. Symbols come from
    ``loaders.families.plan_cells.COMPARATOR_WORDS`` ("≥", "tối thiểu" → ">=", "khoảng" → "~")
    and the app's template (``loaders.families.templates.spec.COMPARATORS``); ``parse_target``
    turns "~" into "<=" (a duration) or "=" before a record is made, so "~" (``approx``) is
    in the vocabulary for completeness and is not stored by today's parsers.
    """

    EQ = "eq"
    GE = "ge"
    GT = "gt"
    LE = "le"
    LT = "lt"
    APPROX = "approx"

    @property
    def symbol(self) -> str:
        """The symbol as records keep it: "=", ">=", ">", "<=", "<", "~"."""
        return _COMPARATOR_SYMBOLS[self.value]

    @classmethod
    def symbols(cls) -> tuple[str, ...]:
        """Every symbol, in declaration order."""
        return tuple(m.symbol for m in cls)

    @classmethod
    def of_symbol(cls, symbol: str) -> Comparator:
        """The comparator of a stored symbol (">=" → ``Comparator.GE``). Raises
        ``ValueError`` for a symbol that is none of :meth:`symbols`."""
        for m in cls:
            if m.symbol == symbol:
                return m
        raise ValueError(f"unknown comparator symbol {symbol!r}")


class ReconciliationStatus(_Labelled):
    """Outcome of checking a printed total against its lines (``loaders.reconcile``).
    ``unchecked``: a line under the total could not be read, so a difference is not the
    document's fault and is not reported as a mismatch."""

    MATCH = "match"
    MISMATCH = "mismatch"
    UNCHECKED = "unchecked"


_LABELS: dict[str, dict[str, str]] = {
    "FundingSource": {
        "SNKH": "Sự nghiệp KH&CN (SNKH)",
        "QLNN": "Quản lý nhà nước (QLNN)",
        "THU_PHI": "Thu phí, lệ phí",
        "DTPT": "Đầu tư phát triển (ĐTPT)",
        "SNKH_TW": "SNKH Trung ương",
        "MIXED": "Hỗn hợp (nhiều nguồn)",
        "OTHER": "Nguồn khác",
        "UNSPECIFIED": "Chưa ghi nguồn",
    },
    "Phase": {
        "proposed": "Đề xuất",
        "approved": "Được giao / dự toán",
        "adjusted": "Điều chỉnh",
        "executed": "Thực hiện",
    },
    "Stage": {
        "dự toán": "Dự toán",
        "KHTW giao": "KHTW giao",
        "KH UBND giao": "KH UBND giao",
        "dự toán đã giao": "Dự toán đã giao (trước điều chỉnh)",
        "điều chỉnh": "Điều chỉnh tăng (+), giảm (−)",
        "dự toán điều chỉnh": "Dự toán sau điều chỉnh",
        "thực hiện": "Thực hiện",
        "thực hiện 6 tháng đầu năm": "Thực hiện 6 tháng đầu năm",
        "ước thực hiện": "Ước thực hiện",
        "quyết toán": "Quyết toán",
        "đề xuất": "Đề xuất",
    },
    "Direction": {"expenditure": "Chi", "revenue": "Thu", "remittance": "Nộp ngân sách"},
    "DocumentKind": {
        "budget_appendices": "Phụ lục dự toán",
        "plan": "Kế hoạch",
        "report": "Báo cáo",
        "disclosure": "Công khai ngân sách",
        "decision": "Quyết định điều chỉnh dự toán",
    },
    "Comparator": {"eq": "bằng", "ge": "tối thiểu (≥)", "gt": "trên (>)", "le": "tối đa (≤)", "lt": "dưới (<)",
                   "approx": "khoảng (~)"},
    "ReconciliationStatus": {"match": "khớp", "mismatch": "KHÔNG KHỚP", "unchecked": "chưa đối chiếu được"},
}

# One colour scale per meaning (charts.theme): sources take D3 "category10" without its red
# and green (status colours); stages an indigo (plans) / teal (execution) / magenta (proposals)
# scale of their own.
_SOURCE_COLORS = {
    "SNKH": "#1f77b4",
    "QLNN": "#ff7f0e",
    "THU_PHI": "#bcbd22",
    "DTPT": "#9467bd",
    "SNKH_TW": "#17becf",
    "MIXED": "#8c564b",
    "OTHER": "#7f7f7f",
    "UNSPECIFIED": "#c7c7c7",
}
_STAGE_COLORS = {
    "KHTW giao": "#9fa8da",
    "KH UBND giao": "#3949ab",
    "dự toán": "#1a237e",
    "dự toán đã giao": "#7986cb",
    "dự toán điều chỉnh": "#5c6bc0",
    "thực hiện": "#00897b",
    "thực hiện 6 tháng đầu năm": "#80cbc4",
    "ước thực hiện": "#4db6ac",
    "quyết toán": "#004d40",
    "đề xuất": "#ad1457",
}
_COMPARATOR_SYMBOLS = {"eq": "=", "ge": ">=", "gt": ">", "le": "<=", "lt": "<", "approx": "~"}
_STAGE_PHASE = {
    Stage.DU_TOAN: Phase.APPROVED,
    Stage.KHTW_GIAO: Phase.APPROVED,
    Stage.KH_UBND_GIAO: Phase.APPROVED,
    Stage.DA_GIAO: Phase.APPROVED,
    Stage.DIEU_CHINH: Phase.ADJUSTED,
    Stage.DU_TOAN_DIEU_CHINH: Phase.ADJUSTED,
    Stage.THUC_HIEN: Phase.EXECUTED,
    Stage.THUC_HIEN_6T: Phase.EXECUTED,
    Stage.UOC_THUC_HIEN: Phase.EXECUTED,
    Stage.QUYET_TOAN: Phase.EXECUTED,
    Stage.DE_XUAT: Phase.PROPOSED,
}


def sql_in_list(enum: type[StrEnum], attribute: str = "value") -> str:
    """``'a', 'b', …`` for a DDL ``CHECK (x IN (…))`` built from an enum's values (or from
    another string ``attribute`` of its members, e.g. ``Comparator``'s ``"symbol"``)."""
    return ", ".join("'" + getattr(m, attribute).replace("'", "''") + "'" for m in enum)
