"""Filters shared by the pages (values kept in the URL) and the scope line of a headline.

Every page opens on the same province and year: the province with the most budget lines and
its newest year with an allocated or executed budget (``Warehouse.busiest_province`` /
``default_year``), or — on a page whose data has other years — the newest year it has. The
URL keys are the same on every page (``province``, ``year``), so a choice made on one page is
kept on the next.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from charts.theme import DIRECTION_LABELS, KIND_LABELS, scope_name
from warehouse.queries import BudgetFilter, Warehouse

from .state import url_select


@dataclass(frozen=True)
class Scope:
    """One province, fiscal year, stage and kind of figure: what a headline adds up."""

    province: str
    fiscal_year: int
    phase: str
    phase_vn: str
    kind: str

    def filter(self, **more) -> BudgetFilter:
        """The ``BudgetFilter`` of this scope (``more``: sources, units, direction…)."""
        return BudgetFilter(self.province, self.fiscal_year, self.phase, self.phase_vn, kind=self.kind, **more)

    @property
    def name(self) -> str:
        """"Dự toán", "Đề xuất · kinh phí dự kiến của dự án"…"""
        return scope_name(self.phase_vn, self.kind)

    def caption(self, what: str | None = None) -> str:
        """The scope line of a headline: "Dự toán 2024 · Điện Biên · chỉ các dòng chi tiết
        (không cộng dòng tổng mục)"; ``what`` replaces the last part."""
        tail = what or ("chỉ các dòng chi tiết (không cộng dòng tổng mục)" if self.kind == "budget" else KIND_LABELS[self.kind])
        return f"{scope_name(self.phase_vn)} {self.fiscal_year} · {self.province} · {tail}"


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
        st.info("Kho dữ liệu chưa có dòng ngân sách nào. Thêm văn bản vào thư mục data/raw để bắt đầu.")
        return None
    c1, c2, c3 = st.columns([2, 1, 2])
    province = province_select(wh, provinces, container=c1)
    year = year_select(wh, province, wh.years(province), "Năm ngân sách", container=c2)
    stages = wh.stages(province, year)
    keys = [f"{p}|{s}|{k}" for p, s, k in zip(stages["phase"], stages["phase_vn"], stages["kind"])]
    chosen = url_select(
        "Giai đoạn và loại số liệu", keys, "stage", format_func=lambda k: scope_name(*k.split("|")[1:]), container=c3
    )
    phase, phase_vn, kind = chosen.split("|")
    return Scope(province, year, phase, phase_vn, kind)


def direction_select(container=st) -> str:
    return url_select(
        "Chiều", ["expenditure", "revenue"], "direction", format_func=DIRECTION_LABELS.get, container=container
    )


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
        format_func=lambda g: f"{g} (như in: {shown[g]})" if shown.get(g) and shown[g] != g else g,
    )
