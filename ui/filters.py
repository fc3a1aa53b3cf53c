"""Filter rows shared by the budget pages (values kept in the URL)."""
from __future__ import annotations

import streamlit as st

from charts.theme import DIRECTION_LABELS, PHASE_LABELS
from warehouse.queries import Warehouse

from .state import url_select


def stage_label(phase: str, phase_vn: str) -> str:
    """"dự toán (Được giao / dự toán)" style label of a (phase, stage) pair."""
    return f"{phase_vn[0].upper() + phase_vn[1:]} · {PHASE_LABELS.get(phase, phase)}"


def province_year_stage(wh: Warehouse) -> tuple[str | None, int | None, str | None, str | None]:
    """Province, fiscal year and stage selectors in one row.

    Returns (province, fiscal_year, phase, phase_vn); Nones when the warehouse is empty.
    """
    provinces = wh.provinces()
    if not provinces:
        st.info("Kho dữ liệu chưa có dòng ngân sách nào.")
        return None, None, None, None
    c1, c2, c3 = st.columns([2, 1, 2])
    province = url_select("Tỉnh", provinces, "province", default=wh.busiest_province(), container=c1)
    year = url_select("Năm ngân sách", wh.years(province), "year", default=wh.default_year(province), parse=int, container=c2)
    stages = wh.stages(province, year)
    keys = [f"{p}|{s}" for p, s in zip(stages["phase"], stages["phase_vn"])]
    chosen = url_select(
        "Giai đoạn",
        keys,
        "stage",
        format_func=lambda k: stage_label(*k.split("|", 1)),
        container=c3,
    )
    phase, phase_vn = chosen.split("|", 1) if chosen else (None, None)
    return province, year, phase, phase_vn


def direction_select(container=st) -> str:
    return url_select(
        "Chiều", ["expenditure", "revenue"], "direction", format_func=DIRECTION_LABELS.get, container=container
    )
