"""Xu hướng 2020–2026: a province's budget over the years, one line per scope (stage and
kind of figure; a line never crosses a year without data), year-over-year change within a
scope, the sources, indicator series, and the changes of scope (2025 mergers) marked.

The estimate of each year is its latest version (``Warehouse.latest_versions``: the most
recent adjustment decision, else the estimate as first allocated), never the sum of its
versions; the page says which version each year follows.

The budget and the indicators are two tabs; only the open one runs and is drawn."""
from ui.legacy import leave_legacy_run

leave_legacy_run()  # first of all, before the heavy imports (see ui/legacy.py)

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from charts import format as fmt  # noqa: E402
from charts import plans as charts  # noqa: E402
from charts.theme import SOURCE_LABELS, scope_name  # noqa: E402
from ui import tables  # noqa: E402
from ui.i18n import PLOTLY_CONFIG  # noqa: E402
from ui.filters import province_select  # noqa: E402
from ui.state import url_multiselect, url_select, warehouse  # noqa: E402
from ui.figures import figure  # noqa: E402
from warehouse.queries import ESTIMATE, VERSION_STAGES, span_label  # noqa: E402

wh = warehouse()
st.title("Xu hướng 2020–2026")
provinces = sorted(set(wh.provinces()) | set(wh.indicator_provinces()) | set(wh.actual_provinces()))  # reported results too
province = province_select(wh, provinces)
ref = wh.province_table().set_index("name")


def yearly_budget(province: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``Warehouse.budget_by_province_year`` of ``province`` (amounts in đồng) where the
    estimate stages (held several times: estimate documents, the estimate column of each
    execution report, before / change / after of each decision) give way to the latest
    version of each year's estimate, ``Warehouse.latest_versions`` of ``province``)."""
    budget = wh.budget_by_province_year([province])
    latest = wh.latest_versions(province)
    if len(latest):
        budget = budget[~((budget["kind"] == "budget") & budget["phase_vn"].isin(VERSION_STAGES))]
        versioned = latest.assign(province=province, phase="approved", phase_vn=ESTIMATE, kind="budget", lines=0,
                                  population=None, spans=None)
        budget = pd.concat([budget, versioned[budget.columns]], ignore_index=True)
    return budget, latest


#: The page's tabs: the budget over the years, the indicators by period.
VIEWS = ["Ngân sách theo năm", "Chỉ tiêu theo kỳ"]

markers = [(2024.5, "2025: Sở TT&TT hợp nhất vào Sở KH&CN")]
if province in ref.index and ref.loc[province, "successor_2025"] != province:
    markers.append((2025.5, f"1/7/2025: sáp nhập vào {ref.loc[province, 'successor_2025']}"))

# Two views, one run and drawn at a time (a tab that is not open runs nothing: issue 17, the
# time a filter change takes in the browser): the budget over the years, the indicators by period.
money, indicators = st.tabs(VIEWS, key="trend_view", on_change="rerun")
if money.open:
    with money:
        budget, latest = yearly_budget(province)  # only when its tab is open
        if len(budget):
            by_scope = budget.groupby(["fiscal_year", "phase", "phase_vn", "kind"], as_index=False).agg(
                amount_vnd=("amount_vnd", "sum"), documents=("documents", lambda d: ", ".join(sorted(set(", ".join(d).split(", "))))),
                spans=("spans", lambda x: ",".join(sorted({c for v in x if isinstance(v, str) for c in v.split(",")}))),
            )
            by_scope["period"] = [" + ".join(span_label(int(c)) for c in x.split(",")) if x else None for x in by_scope["spans"]]
            by_scope["scope"] = [f"{s}:{k}" for s, k in zip(by_scope["phase_vn"], by_scope["kind"])]
            scopes = list(dict.fromkeys(by_scope.sort_values(["kind", "phase", "fiscal_year"])["scope"]))
            budget_lines = [k for k in scopes if k.endswith(":budget")]
            chosen = url_multiselect(
                "Đường trên biểu đồ (giai đoạn · loại số liệu)", scopes, "scopes", format_func=lambda k: scope_name(*k.split(":")),
                placeholder="Các giai đoạn của dòng ngân sách (mặc định)" if budget_lines else "Tất cả",
            ) or budget_lines or scopes
            shown = by_scope[by_scope["scope"].isin(chosen)]
            st.markdown(f"**Ngân sách {province} theo năm · mỗi đường một giai đoạn · chỉ các dòng chi tiết**")
            st.plotly_chart(figure(charts.trend, shown, markers, f"Ngân sách {province} theo năm và giai đoạn (triệu đồng)"), width="stretch", config=PLOTLY_CONFIG)
            hidden = by_scope[~by_scope["scope"].isin(chosen)]
            st.caption(
                "Một đường chỉ nối các năm liền nhau của cùng một giai đoạn và loại số liệu; năm không có số liệu để trống. "
                + (
                    "Không vẽ (chọn ở ô trên để thêm): "
                    + "; ".join(f"{scope_name(r.phase_vn, r.kind)} {r.fiscal_year}: {fmt.vnd_short(r.amount_vnd)}" for r in hidden.itertuples())
                    + "."
                    if len(hidden)
                    else ""
                )
            )
            if len(latest):
                which = latest.drop_duplicates("fiscal_year").sort_values("fiscal_year")
                st.caption("Dự toán của mỗi năm theo phiên bản mới nhất (không cộng các lần điều chỉnh): "
                           + "; ".join(f"{r.fiscal_year}: {r.trend_label} ({r.documents})" for r in which.itertuples()) + ".")
            if (budget["phase_vn"] == "thực hiện 6 tháng đầu năm").any():
                st.warning("Số thực hiện năm 2021 chỉ gồm 6 tháng đầu năm: không so với số cả năm.")

            version_of = dict(zip(latest["fiscal_year"], latest["trend_label"]))
            rows = []
            for scope, part in by_scope.groupby("scope", sort=False):
                part = part.sort_values("fiscal_year")
                prev = None
                for r in part.itertuples():
                    consecutive = prev is not None and prev.fiscal_year == r.fiscal_year - 1 and prev.amount_vnd and prev.period == r.period
                    rows.append(
                        {
                            "Giai đoạn · loại số liệu": scope_name(r.phase_vn, r.kind),
                            "Năm": r.fiscal_year,
                            "Số tiền": r.amount_vnd,
                            "So với năm trước": (r.amount_vnd - prev.amount_vnd) * 100 / prev.amount_vnd if consecutive else None,
                            "Phiên bản dự toán": version_of.get(r.fiscal_year) if (r.phase_vn, r.kind) == (ESTIMATE, "budget") else None,
                            "Kỳ số liệu (thực hiện)": r.period,
                            "Văn bản": r.documents,
                        }
                    )
                    prev = r
            st.subheader("Thay đổi so với năm trước (cùng giai đoạn và loại số liệu)")
            tables.show(
                tables.decimals(pd.DataFrame(rows), {"So với năm trước": lambda v: fmt.pct(v)}),
                {"Số tiền": tables.amount_column()},
            )
            st.caption("— : không có số liệu của năm liền trước trong cùng giai đoạn, loại số liệu và kỳ số liệu. Số thực hiện của "
                       "một năm là của kỳ rộng nhất văn bản ghi (các kỳ nằm trong kỳ đó không cộng thêm).")
            by_source = budget.groupby(["fiscal_year", "phase_vn", "kind", "funding_source"], as_index=False)["amount_vnd"].sum()
            st.subheader("Theo nguồn kinh phí")
            tables.show(
                pd.DataFrame(
                    {
                        "Năm": by_source["fiscal_year"],
                        "Giai đoạn · loại số liệu": [scope_name(s, k) for s, k in zip(by_source["phase_vn"], by_source["kind"])],
                        "Nguồn": by_source["funding_source"].map(SOURCE_LABELS),
                        "Số tiền": by_source["amount_vnd"],
                    }
                ),
                {"Số tiền": tables.amount_column()},
            )
        else:
            st.info(f"{province} chưa có dòng ngân sách nào.")

if indicators.open:
    with indicators:
        actuals = wh.actuals_by_code([province])
        if len(actuals):
            names = actuals.groupby("code")["name"].first()
            code = url_select("Chỉ tiêu", list(names.index), "code", format_func=lambda c: names[c])
            part = actuals[actuals["code"] == code]
            unit = part["unit"].iloc[0] or ""
            if part["period"].nunique() > 1:
                st.plotly_chart(figure(charts.series, part, f"{names[code]} ({unit})" if unit else names[code]), width="stretch", config=PLOTLY_CONFIG)
            else:
                st.caption(f"Chỉ có số liệu của một kỳ ({part['period'].iloc[0]}): chưa vẽ được xu hướng.")
            tables.show(
                tables.decimals(
                    pd.DataFrame({"Kỳ": part["period"], "Giá trị": part["value"], "Đơn vị": part["unit"], "Văn bản: dòng": part["sources"]}),
                    {"Giá trị": lambda v: fmt.number(v, 2)},
                )
            )
        else:
            st.info(f"Chưa có số liệu thực hiện chỉ tiêu cho {province}.")
for _, text in markers:
    st.caption(f"Thay đổi phạm vi — {text}")
