"""Filters shared by the pages (values kept in the URL) and the scope line of a headline.

Every page opens on the same province and year: the province with the most budget lines and
its newest year with an allocated or executed budget (``Warehouse.busiest_province`` /
``default_year``), or — on a page whose data has other years — the newest year it has. The
URL keys are the same on every page (``province``, ``year``), so a choice made on one page is
kept on the next.

Budget versions: a year's estimate can be held several times — the estimate documents, the
"Dự toán năm" column of each execution disclosure, and before/after each adjustment decision.
Adding them up would count the estimate several times, so the estimate scope ("Dự toán")
always follows ONE version (``Warehouse.budget_versions``): the latest by default, another
one chosen in "Theo phiên bản dự toán" (URL key ``version``) when the year has decisions;
the changes of a decision ("Điều chỉnh") follow one decision.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from charts.theme import DIRECTION_LABELS, KIND_LABELS, scope_name
from warehouse.queries import AFTER, BEFORE, CHANGE, ESTIMATE, BudgetFilter, Warehouse

from .state import url_select


@dataclass(frozen=True)
class Scope:
    """One province, fiscal year, stage and kind of figure: what a headline adds up."""

    province: str
    fiscal_year: int
    phase: str
    phase_vn: str
    kind: str
    documents: tuple[str, ...] = ()  # the version's documents (empty: every document of the stage)
    version_label: str | None = None  # "Theo QĐ số …, ngày …", "Dự toán giao đầu năm"
    version_source: str | None = None  # the version's documents as the page names them
    versions: int = 0  # how many versions the year's estimate has (0: the scope follows none)
    periods: tuple[int, ...] = ()  # execution periods (``SPAN`` codes); empty: what is counted
    period_label: str | None = None  # "9 tháng đầu năm (lũy kế)", "Quý I + Quý II"

    def filter(self, **more) -> BudgetFilter:
        """The ``BudgetFilter`` of this scope (``more``: sources, units, direction…)."""
        return BudgetFilter(self.province, self.fiscal_year, self.phase, self.phase_vn, kind=self.kind,
                            documents=self.documents, periods=self.periods, **more)

    def version_caption(self) -> str | None:
        """"Số liệu theo phiên bản dự toán: Theo QĐ số 2874/QĐ-UBND, ngày 18/09/2025 — adj_….xlsx",
        or ``None`` when the scope follows no version."""
        if not self.version_label:
            return None
        what = "Số liệu theo quyết định" if self.phase_vn == CHANGE else "Số liệu theo phiên bản dự toán"
        return f"{what}: **{self.version_label}** — {self.version_source}"

    @property
    def name(self) -> str:
        """"Dự toán", "Đề xuất · kinh phí dự kiến của dự án"…"""
        return scope_name(self.phase_vn, self.kind)

    def caption(self, what: str | None = None) -> str:
        """The scope line of a headline: "Dự toán 2024 · Điện Biên · chỉ các dòng chi tiết
        (không cộng dòng tổng mục)"; ``what`` replaces the last part."""
        tail = what or ("chỉ các dòng chi tiết (không cộng dòng tổng mục)" if self.kind == "budget" else KIND_LABELS[self.kind])
        period = f" · kỳ: {self.period_label}" if self.period_label else ""
        return f"{scope_name(self.phase_vn)} {self.fiscal_year}{period} · {self.province} · {tail}"


MAX_LISTED = 12  # values listed in a notice of a missing request; more are counted


def _shown(format_func, value) -> str:
    """``value`` as its selector shows it (the raw value when the page cannot name it)."""
    try:
        text = format_func(value)
    except Exception:  # noqa: BLE001 - a value this page does not know: shown as asked
        text = None
    return str(value) if text is None else str(text)


def say_missing(label: str, wanted, shown, options, format_func=str, how: str = "url") -> None:
    """The notice of a request this page cannot honour (``ui.state.url_select``'s
    ``missing``): "Tỉnh «Sơn La» (theo đường dẫn) không có dữ liệu cho trang này. Trang
    đang hiện Điện Biên; có dữ liệu: Điện Biên, Sóc Trăng." — the value asked for, where the
    request came from (``how``: "url", or "earlier": a choice made before, on this page or an earlier one), the
    value shown instead and what exists (``options``, at most ``MAX_LISTED`` named, the rest
    counted). One place for every page and selector: no page replaces a request silently."""
    where = " (theo đường dẫn)" if how == "url" else " (đã chọn trước đó)"
    names = [_shown(format_func, o) for o in options]
    listed = ", ".join(names[:MAX_LISTED]) + (f" và {len(names) - MAX_LISTED} lựa chọn khác" if len(names) > MAX_LISTED else "")
    st.info(
        f"{label} «{_shown(format_func, wanted)}»{where} không có dữ liệu cho trang này. "
        f"Trang đang hiện **{_shown(format_func, shown)}**; có dữ liệu: {listed}. Chọn ở ô «{label}» để xem giá trị khác."
    )


def say_dropped(label: str, dropped: list, kept: list, options, format_func=str, how: str = "url") -> None:
    """The notice of a multiselect's values a page cannot honour (``ui.state.url_multiselect``):
    "Đơn vị chủ trì «Phòng HTS» (đã chọn trước đó) không có dữ liệu cho trang này. Bộ lọc
    đang gồm: tất cả; có dữ liệu: …" — the values asked for and dropped, what the filter
    keeps and what exists (at most ``MAX_LISTED`` named)."""
    where = " (theo đường dẫn)" if how == "url" else " (đã chọn trước đó)"
    names = [_shown(format_func, o) for o in options]
    listed = (", ".join(names[:MAX_LISTED]) + (f" và {len(names) - MAX_LISTED} lựa chọn khác" if len(names) > MAX_LISTED else "")
              if names else "không có lựa chọn nào")
    what = ", ".join(f"«{_shown(format_func, v)}»" for v in dropped)
    now = ", ".join(_shown(format_func, v) for v in kept) or "tất cả"
    st.info(f"{label} {what}{where} không có dữ liệu cho trang này. Bộ lọc đang gồm: **{now}**; có dữ liệu: {listed}.")


def province_select(wh: Warehouse, options: list[str], container=st) -> str | None:
    """"Tỉnh" selectbox over ``options``, the default province first choice."""
    return url_select("Tỉnh", options, "province", default=wh.busiest_province(), container=container)


def year_select(wh: Warehouse, province: str, options: list[int], label: str = "Năm", container=st) -> int | None:
    """Year selectbox (URL key ``year``) over ``options`` (newest first): the default year
    when the page has it, else the newest."""
    return url_select(label, options, "year", default=wh.default_year(province), parse=int, container=container)


def scope_select(wh: Warehouse) -> Scope | None:
    """Province, fiscal year and scope (stage · kind) selectors in one row; ``None`` (with a
    Vietnamese note) when the warehouse has no budget line."""
    provinces = wh.provinces()
    if not provinces:
        st.info("Kho dữ liệu chưa có dòng ngân sách nào. Tải văn bản lên ở trang Nhập dữ liệu (biên tập viên) để bắt đầu.")
        return None
    c1, c2, c3 = st.columns([2, 1, 2])
    province = province_select(wh, provinces, container=c1)
    year = year_select(wh, province, wh.years(province), "Năm ngân sách", container=c2)
    stages = wh.stages(province, year)
    keys = [f"{p}|{s}|{k}" for p, s, k in zip(stages["phase"], stages["phase_vn"], stages["kind"])]
    versions = wh.budget_versions(province, year) if any(k.endswith("|budget") and k.split("|")[1] in VERSIONED
                                                         for k in keys) else None
    decided = versions is not None and (versions["kind"] == "decision").any()
    if decided:  # before / after a decision are versions of the estimate: one scope "Dự toán"
        keys = [k for k in keys if k not in (f"approved|{BEFORE}|budget", f"adjusted|{AFTER}|budget")]
        if ESTIMATE_KEY not in keys:
            keys.insert(0, ESTIMATE_KEY)
    chosen = url_select(
        "Giai đoạn và loại số liệu", keys, "stage", container=c3,
        format_func=lambda k: "Dự toán (theo phiên bản)" if decided and k == ESTIMATE_KEY else scope_name(*k.split("|")[1:]),
    )
    phase, phase_vn, kind = chosen.split("|")
    if phase == "executed":
        return _period_scope(wh, Scope(province, year, phase, phase_vn, kind))
    if versions is None or not len(versions) or kind != "budget" or phase_vn not in VERSIONED \
            or (phase_vn == CHANGE and not decided):  # changes printed outside any decision: as they are
        return Scope(province, year, phase, phase_vn, kind)
    return _versioned(versions, province, year, phase_vn)


VERSIONED = (ESTIMATE, BEFORE, AFTER, CHANGE)
ESTIMATE_KEY = f"approved|{ESTIMATE}|budget"


def _versioned(versions, province: str, year: int, phase_vn: str) -> Scope:
    """The scope of the version chosen in "Theo phiên bản dự toán" (the latest by default;
    no box when there is one version); for the changes of a decision ("điều chỉnh"), the
    decision chosen in "Theo quyết định"."""
    if phase_vn == CHANGE:
        versions = versions[versions["kind"] == "decision"]
        label = "Theo quyết định điều chỉnh"
    else:
        label = "Theo phiên bản dự toán"
    rows = {r["key"]: r for r in versions.to_dict("records")}
    keys = list(rows)
    key = keys[-1]
    if len(keys) > 1:
        key = url_select(label, keys, "version", default=keys[-1], format_func=lambda k: rows[k]["label"] +
                         (" (mới nhất)" if k == keys[-1] else ""))
    v = rows[key]
    stage = CHANGE if phase_vn == CHANGE else v["phase_vn"]
    return Scope(province, year, "adjusted" if stage in (CHANGE, AFTER) else v["phase"], stage, "budget",
                 tuple(v["documents"]), v["label"], v["source"], len(rows))


COUNTED = "counted"


def _period_scope(wh: Warehouse, scope: Scope) -> Scope:
    """An executed stage held for several periods (Biểu 03 of Quý I, of 6 tháng, lũy kế 9
    tháng…): "Kỳ số liệu" (URL key ``period``) chooses one period, or — the default — the
    periods a sum counts (``warehouse.queries.superseded``: the widest year-to-date figure;
    periods that do not contain each other add up). Never the sum of overlapping periods.
    No box when the stage has one period."""
    spans = wh.execution_spans(scope.province, scope.fiscal_year, scope.phase_vn)
    if not len(spans):
        return scope
    rows = {str(int(r["span"])): r for r in spans.to_dict("records")}
    kept = [r for r in rows.values() if r["counted"]]
    kept_label = " + ".join(_span_label(r) for r in sorted(kept, key=lambda r: r["span"]))
    if len(rows) == 1:
        return replace(scope, period_label=kept_label)
    how = "cộng các kỳ không chồng nhau" if len(kept) > 1 else "không cộng thêm các kỳ nằm trong kỳ này"
    names = {COUNTED: f"{kept_label} — {how}"} | {k: _span_label(r) + " · " + r["documents"]
                                                                                for k, r in rows.items()}
    chosen = url_select("Kỳ số liệu", list(names), "period", default=COUNTED, format_func=names.get)
    if chosen == COUNTED:
        return replace(scope, period_label=kept_label)
    return replace(scope, periods=(int(chosen),), period_label=_span_label(rows[chosen]))


def _span_label(row: dict) -> str:
    """"9 tháng đầu năm (lũy kế)", "Quý II"."""
    return row["label"] + (" (lũy kế)" if row["cumulative"] else "")


def direction_select(container=st) -> str:
    return url_select(
        "Chiều", ["expenditure", "revenue"], "direction", format_func=DIRECTION_LABELS.get, container=container
    )


def unit_label(group: str, printed: str | None) -> str:
    """A unit group as shown: "Trung tâm Ứng dụng KH&CN (như in: Trung tâm Ứng dụng)" when the
    names as printed (``printed``, "; "-joined) differ from the group, else the group."""
    return f"{group} (như in: {printed})" if printed and printed != group else group


def unit_select(label: str, groups, printed, key: str, container=st) -> list[str]:
    """A multiselect of unit groups bound to the URL key ``key``: ``groups`` are the values
    (the unit's kind, else its name as printed: ``warehouse.queries.UNIT_GROUP``), shown with
    the names as printed behind them when those differ ("Trung tâm Ứng dụng KH&CN (như in:
    Trung tâm Ứng dụng)"). ``printed`` runs beside ``groups``: one printed name per row, or
    names already joined by "; " (rows of the same group are merged). Returns the chosen
    groups (empty: all)."""
    from .state import url_multiselect

    names: dict[str, set[str]] = {}
    for g, p in zip(groups, printed):
        if isinstance(g, str) and g:
            names.setdefault(g, set()).update(x for x in (p.split("; ") if isinstance(p, str) else []) if x)
    shown = {g: "; ".join(sorted(n)) for g, n in names.items()}
    return url_multiselect(
        label, sorted(names), key, container=container,
        format_func=lambda g: unit_label(g, shown.get(g)),
    )
