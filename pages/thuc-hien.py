"""Thực hiện ngân sách: two views, each shown when the province has its data.

* Execution by quarter against the estimate (execution disclosures, Biểu 03): for a year, a
  unit and a money flow (state-budget spending, spending of retained fees, fees collected,
  fees paid over — never mixed), each quarter's figure as a document states it or derived
  from the periods stated ("suy ra từ …"), the year to date, the rate against the year's
  estimate (the latest version: ``Warehouse.budget_versions``), the estimate's own quarter
  schedule beside it where both exist, and every figure's period, column and document.
* Plan vs execution by year (plan tables): the execution rate of each year as the headline,
  central plan vs provincial plan vs execution by year and by line, and the next year's
  estimate of the same document kept apart (a proposal is not a plan)."""
from ui.legacy import leave_legacy_run

leave_legacy_run()  # first of all, before the heavy imports (see ui/legacy.py)

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from charts import budget as charts  # noqa: E402
from charts import execution as execution_charts  # noqa: E402
from charts import format as fmt  # noqa: E402
from charts.theme import SOURCE_LABELS  # noqa: E402
from ui import provenance, tables  # noqa: E402
from ui.i18n import PLOTLY_CONFIG  # noqa: E402
from ui.filters import province_select, unit_label, year_select  # noqa: E402
from ui.state import url_select, warehouse  # noqa: E402
from ui.figures import figure  # noqa: E402
from warehouse.queries import FLOWS, BudgetFilter  # noqa: E402

HALF = "thực hiện 6 tháng đầu năm"
ALL_UNITS = "*"

wh = warehouse()
st.title("Thực hiện ngân sách")
plan_provinces = wh.execution_provinces()
period_provinces = wh.period_execution_provinces()
provinces = sorted(set(plan_provinces) | set(period_provinces))
if not provinces:
    st.info("Chưa có văn bản nào có số thực hiện (báo cáo công khai thực hiện dự toán, hoặc bảng kế hoạch và thực hiện).")
    st.stop()
province = province_select(wh, provinces)


def by_quarter(province: str) -> None:
    """Execution by quarter against the year's estimate (execution disclosures)."""
    st.header("Thực hiện theo quý so với dự toán năm")
    c1, c2, c3 = st.columns([1, 2, 2])
    year = year_select(wh, province, wh.execution_years(province), "Năm", container=c1)
    groups = wh.units(BudgetFilter(province, year, "executed", kind="budget"))
    printed = dict(zip(groups["unit_group"], groups["units_printed"]))
    unit = url_select("Đơn vị", [ALL_UNITS, *groups["unit_group"]], "exunit", container=c2,
                      format_func=lambda u: "Tất cả đơn vị" if u == ALL_UNITS else unit_label(u, printed.get(u)))
    flow = url_select("Khoản", list(FLOWS), "flow", container=c3, format_func=lambda k: FLOWS[k][0])
    unit = None if unit == ALL_UNITS else unit
    data = wh.execution_by_quarter(province, year, unit, flow)
    scope = f"{FLOWS[flow][0]} {year} · {province}" + (f" · {unit}" if unit else "") + " · chỉ các dòng chi tiết"
    if data.empty:
        st.info(f"Không có số thực hiện nào của {FLOWS[flow][0].lower()} năm {year}"
                + (f" của {unit}" if unit else "") + ".")
        return
    stages = list(dict.fromkeys(data["stage"]))
    stage = stages[0]
    if len(stages) > 1:
        labels = dict(zip(data["stage"], data["stage_label"]))
        stage = url_select("Số liệu", stages, "exstage", format_func=labels.get)
        st.caption("Thực hiện và ước thực hiện là hai loại số liệu khác nhau: không cộng, không suy ra lẫn nhau.")
    part = data[data["stage"] == stage].reset_index(drop=True)
    label = part["stage_label"].iloc[0]
    st.markdown(f"**{label} · {scope}**")
    estimate, estimate_label = part["estimate_vnd"].iloc[0], part["estimate_label"].iloc[0]
    known = part[part["to_date_vnd"].notna()]
    m1, m2, m3 = st.columns(3)
    m1.metric(f"Dự toán năm {year}", fmt.vnd(estimate), help=None if pd.isna(estimate) else f"Theo: {estimate_label}")
    if len(known):
        last = known.iloc[-1]
        m2.metric(f"{label} lũy kế đến hết {last['quarter_label']}", fmt.vnd(last["to_date_vnd"]),
                  help=f"{last['to_date_label']}: {last['to_date_how']} — {last['to_date_sources']}")
        m3.metric("Tỷ lệ lũy kế / dự toán năm", fmt.pct(last["to_date_rate_pct"]))
    if pd.isna(estimate):
        st.warning(f"Chưa có dự toán năm {year} cho khoản này: chưa tính được tỷ lệ thực hiện.")
    else:
        st.caption(f"Dự toán năm theo: **{estimate_label}** (phiên bản mới nhất của dự toán). Tỷ lệ = {label.lower()} / "
                   "dự toán năm.")
        if wh.decision_years(province) and year in wh.decision_years(province):
            st.page_link("pages/dieu-chinh.py", label="Xem các lần điều chỉnh dự toán năm này", icon=":material/history:",
                         query_params={"province": province, "year": str(year)})
    st.plotly_chart(figure(execution_charts.quarters, part, f"{label} theo quý và lũy kế — {province} {year} (triệu đồng)"),
                    width="stretch", config=PLOTLY_CONFIG)
    has_schedule = part["schedule_vnd"].notna().any() or part["schedule_to_date_vnd"].notna().any()
    view = pd.DataFrame({
        "Quý": part["quarter_label"],
        "Trong quý": part["amount_vnd"],
        "Số trong quý lấy từ": part["how"].fillna("chưa có số liệu"),
        "Lũy kế từ đầu năm": part["to_date_vnd"],
        "Kỳ lũy kế": part["to_date_label"],
        "Số lũy kế lấy từ": part["to_date_how"].fillna("chưa có số liệu"),
        "Tỷ lệ trong quý": part["rate_pct"],
        "Tỷ lệ lũy kế": part["to_date_rate_pct"],
        **({"Lịch dự kiến trong quý": part["schedule_vnd"], "Lịch dự kiến lũy kế": part["schedule_to_date_vnd"]}
           if has_schedule else {}),
        "Văn bản, cột": [s if isinstance(s, str) else t for s, t in zip(part["sources"], part["to_date_sources"])],
    })
    tables.show(
        tables.decimals(view, {"Tỷ lệ trong quý": fmt.pct, "Tỷ lệ lũy kế": fmt.pct}),
        {
            **{c: tables.amount_column() for c in ("Trong quý", "Lũy kế từ đầu năm", "Lịch dự kiến trong quý",
                                                   "Lịch dự kiến lũy kế")},
            "Số trong quý lấy từ": st.column_config.TextColumn(width="large"),
            "Số lũy kế lấy từ": st.column_config.TextColumn(width="medium"),
            "Văn bản, cột": st.column_config.TextColumn(width="large"),
        },
        key="quarter_table",
    )
    notes = ["Số **văn bản** ghi đúng kỳ đó; số **suy ra** không văn bản nào ghi riêng, được tính từ hai kỳ văn bản "
             "ghi (ví dụ 6 tháng đầu năm − Quý I = Quý II; lũy kế đến hết Quý III − 6 tháng = Quý III) và được ghi rõ."]
    if has_schedule:
        notes.append("**Lịch dự kiến**: dự toán giao đầu năm chia theo thời gian ghi trên từng dòng (dòng nhiều quý hoặc cả "
                     "năm chia đều, đến từng đồng); chỉ hiện bên cạnh quý có số thực hiện. Đây là kế hoạch, không phải số "
                     "thực hiện.")
    st.caption(" ".join(notes))

    periods = wh.execution_periods(province, year, unit, flow)
    with st.expander(f"Các số thực hiện văn bản ghi ({len(periods)} kỳ, cột)"):
        tables.show(
            pd.DataFrame({
                "Số liệu": periods["stage"].map(lambda s: s[:1].upper() + s[1:]),
                "Kỳ": periods["period_label"],
                "Lũy kế": periods["cumulative"].map({True: "có", False: "không"}),
                "Số tiền": periods["amount_vnd"],
                "Số dòng": periods["lines"],
                "Cột (như in)": periods["columns"],
                "Văn bản": periods["document"],
            }),
            {"Số tiền": tables.amount_column(), "Số dòng": tables.count_column(),
             "Cột (như in)": st.column_config.TextColumn(width="large")},
        )
    lines = wh.execution_lines(province, year, unit, flow)
    with st.expander(f"Các dòng chi tiết ({len(lines)} dòng) và dòng gốc trong văn bản"):
        tables.show(
            pd.DataFrame({
                "Kỳ": lines["period_label"],
                "TT": lines["code"],
                "Nội dung": lines["description"],
                "Nguồn": lines["funding_source"].map(SOURCE_LABELS),
                "Số tiền": lines["amount_vnd"],
                "Cột (như in)": lines["column_label"],
                "Văn bản": lines["document"],
                "Dòng": lines["source_line"],
                "Vị trí trong tệp": lines["location"],
            }),
            {"Số tiền": tables.amount_column(), "Nội dung": st.column_config.TextColumn(width="large")},
        )
        if len(lines):
            pick = st.selectbox("Xem dòng gốc", list(lines.index), key="exline",
                                format_func=lambda i: f"{lines.loc[i, 'document']} · {provenance.place(lines.loc[i, 'source_line'], lines.loc[i, 'location'])} · "
                                                      f"{lines.loc[i, 'period_label']} · {lines.loc[i, 'description']}")
            provenance.show(lines.loc[pick, "document"], int(lines.loc[pick, "source_line"]), location=lines.loc[pick, "location"])


def by_year(province: str) -> None:
    """Plan vs execution by year (plan tables with KHTW giao / KH UBND giao / thực hiện)."""
    rates = wh.execution_rates(province)
    table = wh.execution(province)
    years = [int(y) for y in rates["fiscal_year"]]

    st.markdown(
        f"**Kế hoạch và thực hiện {years[0]}–{years[-1]} · {province} · chỉ các dòng chi tiết (không cộng dòng tổng mục)**"
        if len(years) > 1
        else f"**Kế hoạch và thực hiện {years[0]} · {province} · chỉ các dòng chi tiết (không cộng dòng tổng mục)**"
    )
    cols = st.columns(max(len(rates), 2))
    for col, r in zip(cols, rates.itertuples()):
        half = r.executed_stage == HALF
        col.metric(
            f"Tỷ lệ thực hiện {r.fiscal_year}" + (" (6 tháng đầu năm)" if half else ""),
            fmt.pct(r.rate_pct),
            help=f"Thực hiện {fmt.vnd(r.executed_vnd)} / KH UBND giao {fmt.vnd(r.ubnd_vnd)} ({r.documents})",
        )
        col.caption(f"{fmt.vnd_short(r.executed_vnd)} / {fmt.vnd_short(r.ubnd_vnd)} KH UBND giao")
    st.caption("Tỷ lệ thực hiện = thực hiện / kế hoạch UBND tỉnh giao (KH UBND giao). KHTW giao: kế hoạch Trung ương giao.")
    if (rates["executed_stage"] == HALF).any():
        half_years = ", ".join(str(y) for y in rates.loc[rates["executed_stage"] == HALF, "fiscal_year"])
        st.warning(f"Số thực hiện năm {half_years} chỉ gồm 6 tháng đầu năm: tỷ lệ của năm đó không so được với tỷ lệ cả năm.")

    totals = wh.execution_totals(province)
    totals = totals[totals["fiscal_year"].isin(years)]
    st.plotly_chart(figure(charts.execution, totals, f"Kế hoạch và thực hiện — {province} (triệu đồng)"), width="stretch", config=PLOTLY_CONFIG)

    for year in years:
        part = table[table["fiscal_year"] == year]
        half = (part["executed_stage"] == HALF).any()
        st.subheader(f"Năm {year}" + (" — thực hiện 6 tháng đầu năm" if half else ""))
        executed = "Thực hiện 6 tháng" if half else "Thực hiện"
        view = pd.DataFrame(
            {
                "TT": part["code"],
                "Nội dung": part["description"] + part["is_subtotal"].map({True: " (tổng mục)", False: ""}),
                "Tỷ lệ": part["rate_pct"].astype("Float64"),
                "KH UBND giao": part["ubnd_vnd"],
                executed: part["executed_vnd"],
                "KHTW giao": part["khtw_vnd"],
                "Văn bản": part["document"],
                "Dòng": part["source_line"],
            }
        )
        tables.show(
            tables.decimals(view, {"Tỷ lệ": fmt.pct}),
            {
                "TT": st.column_config.TextColumn(width="small"),
                "Tỷ lệ": st.column_config.Column(width="small", help="Thực hiện / KH UBND giao"),
                **{c: tables.amount_column() for c in ("KHTW giao", "KH UBND giao", executed)},
            },
        )
        st.plotly_chart(
            figure(
                charts.rate_bars,
                part[~part["is_subtotal"]],
                f"Tỷ lệ thực hiện {year} theo dòng (%)" + (" — chỉ 6 tháng đầu năm" if half else ""),
            ),
            width="stretch",
            config=PLOTLY_CONFIG,
        )

    estimate = wh.proposed_beside_execution(province)
    if len(estimate):
        year = int(estimate["fiscal_year"].max())
        leaves = estimate[~estimate["is_subtotal"]]
        st.subheader(f"Dự toán đề xuất năm {year} (cùng văn bản)")
        st.caption("Số đề xuất cho năm sau, in cùng văn bản: không phải kế hoạch được giao, không cộng vào tỷ lệ thực hiện.")
        st.metric(f"Tổng dự toán đề xuất {year}", fmt.vnd(int(leaves["amount_vnd"].sum())))
        by_source = leaves.groupby("funding_source")["amount_vnd"].sum().sort_values(ascending=False)
        st.caption("Gồm: " + "; ".join(f"{SOURCE_LABELS[s]} {fmt.vnd_short(a)}" for s, a in by_source.items()))
        tables.show(
            pd.DataFrame(
                {
                    "Nội dung": estimate["description"] + estimate["is_subtotal"].map({True: " (tổng mục)", False: ""}),
                    "Nguồn": estimate["funding_source"].map(SOURCE_LABELS),
                    "Số tiền": estimate["amount_vnd"],
                    "Ghi chú": estimate["note"],
                    "Văn bản": estimate["document"],
                    "Dòng": estimate["source_line"],
                }
            ),
            {"Nội dung": st.column_config.TextColumn(width="large"), "Số tiền": tables.amount_column()},
        )
        with st.expander("Dòng gốc trong văn bản"):
            first = estimate.iloc[0]
            provenance.show(first["document"], int(first["source_line"]))


if province in period_provinces:
    by_quarter(province)
if province in plan_provinces:
    if province in period_provinces:
        st.header("Kế hoạch và thực hiện theo năm")
    by_year(province)
