"""So sánh tỉnh: provinces and years side by side — budgets within one scope (a stage and a
kind of figure, never mixed), the same budgets by kind of unit, tasks by field and by kind of
lead unit, indicator values with their periods — and the caveats of the comparison in one
place.

Units are compared by kind (``data/vocabulary/units.csv``), never by printed name: one
province's "Trung tâm Ứng dụng" is another's "Trung tâm Thông tin và Ứng dụng KH&CN". The names
as printed are listed beside each kind; units the vocabulary does not know are named in a note,
not compared."""
from ui.legacy import leave_legacy_run

leave_legacy_run()  # first of all, before the heavy imports (see ui/legacy.py)

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from charts import format as fmt  # noqa: E402
from charts import plans as charts  # noqa: E402
from charts.theme import FIELD_OTHER_LABEL, scope_name  # noqa: E402
from loaders.text.catalogue import FIELD_LABELS_VN
from ui import tables  # noqa: E402
from ui.i18n import PLOTLY_CONFIG  # noqa: E402
from ui.state import url_multiselect, url_select, url_toggle, warehouse  # noqa: E402
from ui.figures import figure  # noqa: E402

PHASE_ORDER = {"approved": 0, "adjusted": 1, "executed": 2, "proposed": 3}
KIND_ORDER = {"budget": 0, "task": 1, "project": 2}
HALF = "thực hiện 6 tháng đầu năm"


def printed_by_kind(kinds, provinces, printed) -> dict[str, str]:
    """``{kind: "Province: name; name · Province: name"}``: the names each province prints
    for a kind of unit (``printed`` holds "; "-joined names per row, or NaN)."""
    names: dict[str, dict[str, set[str]]] = {}
    for k, p, n in zip(kinds, provinces, printed):
        names.setdefault(k, {}).setdefault(p, set()).update(n.split("; ") if isinstance(n, str) else [])
    return {k: " · ".join(f"{p}: {'; '.join(sorted(n))}" for p, n in sorted(by.items()) if n) for k, by in names.items()}


wh = warehouse()
st.title("So sánh tỉnh")
all_provinces = sorted(set(wh.provinces()) | set(wh.task_provinces()) | set(wh.indicator_provinces()) | set(wh.actual_provinces()))
c1, c2 = st.columns(2)
chosen_provinces = url_multiselect("Tỉnh", all_provinces, "provinces", container=c1)
provinces = chosen_provinces or all_provinces
years_all = wh.years_of(provinces)
chosen_years = url_multiselect("Năm", years_all, "years", container=c2)
years = chosen_years or years_all
# the queries read "nothing chosen" as all (no condition at all: the cheapest plan)
ask_provinces, ask_years = chosen_provinces or None, chosen_years or None
ref = wh.province_table().set_index("name")

st.subheader("Ngân sách — cùng một phạm vi")
budget = wh.budget_by_province_year(ask_provinces, ask_years, with_documents=False)
notes: list[str] = []
if len(budget):
    cover = budget.groupby(["phase", "phase_vn", "kind"], as_index=False).agg(
        provinces=("province", "nunique"), pairs=("fiscal_year", "nunique"), amount_vnd=("amount_vnd", "sum")
    )
    cover["rank"] = [(-p, PHASE_ORDER.get(ph, 9), KIND_ORDER.get(k, 9), -n) for p, ph, k, n in zip(cover["provinces"], cover["phase"], cover["kind"], cover["pairs"])]
    cover = cover.sort_values("rank").reset_index(drop=True)
    keys = [f"{s}:{k}" for s, k in zip(cover["phase_vn"], cover["kind"])]
    where = {
        key: ", ".join(f"{p} {', '.join(str(y) for y in sorted(g['fiscal_year'].unique()))}" for p, g in part.groupby("province"))
        for key, part in budget.assign(key=budget["phase_vn"] + ":" + budget["kind"]).groupby("key")
    }
    s1, s2 = st.columns([3, 2])
    chosen = url_select(
        "Phạm vi so sánh (giai đoạn và loại số liệu)", keys, "scope",
        format_func=lambda k: f"{scope_name(*k.split(':'))} — {where[k]}", container=s1,
    )
    per_capita = url_toggle("Tính bình quân đầu người (dân số 2023)", "percap", container=s2)
    stage, kind = chosen.split(":")
    part = budget[(budget["phase_vn"] == stage) & (budget["kind"] == kind)]
    shown = sorted(part["province"].unique())
    span = sorted(part["fiscal_year"].unique())
    tail = "chỉ các dòng chi tiết" if kind == "budget" else "không cộng với dòng ngân sách"
    st.markdown(f"**{scope_name(stage, kind)} · {', '.join(shown)} · {', '.join(str(y) for y in span)} · {tail}**")
    st.plotly_chart(
        figure(
            charts.compare_budget,
            part, per_capita,
            f"{scope_name(stage, kind)} theo nguồn kinh phí ({'đồng/người' if per_capita else 'triệu đồng'})",
        ),
        width="stretch",
        config=PLOTLY_CONFIG,
    )
    summary = part.groupby(["province", "fiscal_year"], as_index=False).agg(
        amount_vnd=("amount_vnd", "sum"), lines=("lines", "sum"), population=("population", "first")
    ).merge(wh.scope_documents(ask_provinces, ask_years, stage, kind), on=["province", "fiscal_year"], how="left")
    tables.show(
        pd.DataFrame(
            {
                "Tỉnh": summary["province"],
                "Năm": summary["fiscal_year"],
                "Số tiền": summary["amount_vnd"],
                "Bình quân đầu người": [
                    round(a / p) if pd.notna(p) and p else None for a, p in zip(summary["amount_vnd"], summary["population"])
                ],
                "Số dòng": summary["lines"],
                "Văn bản": summary["documents"],
            }
            | ({"Kỳ số liệu": summary["periods"]} if summary["periods"].notna().any() else {})
        ),
        {
            "Số tiền": tables.amount_column(),
            "Bình quân đầu người": st.column_config.NumberColumn(format="%'.,d đ/người"),
            "Số dòng": tables.count_column(),
        },
    )
    by_unit = wh.budget_by_unit_kind(ask_provinces, ask_years, stage, kind)
    known = by_unit[by_unit["unit_kind"].notna()]
    if len(known):
        st.markdown(f"**{scope_name(stage, kind)} theo loại phòng/đơn vị** (cùng loại đơn vị ở mọi tỉnh; tên như in ở cột cuối)")
        known = known.assign(col=[f"{p} {y}" for p, y in zip(known["province"], known["fiscal_year"])])
        wide = known.pivot_table(index="unit_kind", columns="col", values="amount_vnd", aggfunc="sum")
        wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index]
        wide.columns.name = None
        names = printed_by_kind(known["unit_kind"], known["province"], known["units_printed"])
        cols = list(wide.columns)
        table = wide.reset_index().rename(columns={"unit_kind": "Loại đơn vị"})
        for c in cols:
            table[c] = table[c].astype("Int64")
        table["Tên như in"] = table["Loại đơn vị"].map(names)
        tables.show(
            table,
            {**{c: tables.amount_column() for c in cols}, "Tên như in": st.column_config.TextColumn(width="large")},
        )
    unknown = by_unit[by_unit["unit_kind"].isna() & by_unit["units_printed"].notna()]
    if len(unknown):
        notes.append(
            "Không so theo loại đơn vị (chưa có trong danh mục loại đơn vị data/vocabulary/units.csv): "
            + "; ".join(f"{r.province} {r.fiscal_year}: {r.units_printed} ({fmt.vnd_short(r.amount_vnd)})" for r in unknown.itertuples())
            + "."
        )
    if len(shown) < 2:
        notes.append(
            f"Phạm vi này chỉ có số liệu của {shown[0]}: chưa có tỉnh nào khác cùng giai đoạn và loại số liệu để so; "
            "chọn phạm vi khác hoặc thêm văn bản của tỉnh khác."
        )
    others = [k for k in keys if k != chosen]
    if others:
        notes.append("Không cộng vào biểu đồ trên: " + "; ".join(f"{scope_name(*k.split(':'))} ({where[k]})" for k in others) + ".")
    if summary["periods"].notna().any():
        notes.append("Số thực hiện của mỗi tỉnh là của kỳ ghi ở cột «Kỳ số liệu» (kỳ rộng nhất văn bản ghi; các kỳ nằm trong kỳ đó "
                     "không cộng thêm): các tỉnh có kỳ khác nhau không so trực tiếp được.")
    if stage == HALF:
        notes.append("Số thực hiện chỉ gồm 6 tháng đầu năm: không so với số cả năm.")
    unspecified = part.loc[part["funding_source"] == "UNSPECIFIED", "amount_vnd"].sum()
    if unspecified:
        notes.append(f"{fmt.pct(unspecified * 100 / part['amount_vnd'].sum())} số tiền của phạm vi này không ghi nguồn trong văn bản (Chưa ghi nguồn).")
    if per_capita:
        missing = [p for p in shown if p not in ref.index or pd.isna(ref.loc[p, "population_2023"])]
        if missing:
            notes.append(f"{', '.join(missing)}: chưa có số dân 2023 trong bảng tham chiếu, không tính bình quân đầu người.")
else:
    st.info("Các tỉnh và năm đã chọn chưa có dòng ngân sách nào.")
for p in provinces:
    if p in ref.index:
        succ = ref.loc[p, "successor_2025"]
        if succ and succ != p:
            notes.append(f"{p} sáp nhập vào {succ} từ 1/7/2025: số liệu từ 2025 thuộc đơn vị mới.")
if any(y >= 2025 for y in years):
    notes.append("Từ 2025 Sở Thông tin và Truyền thông hợp nhất vào Sở KH&CN: phạm vi nhiệm vụ (chuyển đổi số) rộng hơn trước.")
if notes:
    st.info("**Lưu ý khi so sánh**\n\n" + "\n".join(f"- {n}" for n in notes))

st.subheader("Nhiệm vụ theo lĩnh vực")
by_field = wh.tasks_by_field(ask_provinces, ask_years)
if len(by_field):
    st.markdown("**Số nhiệm vụ theo lĩnh vực · nhiệm vụ trong văn bản của từng tỉnh (không gồm dự án)**")
    pivot = by_field.assign(field=by_field["field"].map(lambda f: FIELD_LABELS_VN.get(f, FIELD_OTHER_LABEL))).pivot_table(
        index="field", columns=["province", "fiscal_year"], values="tasks", aggfunc="sum", fill_value=0
    )
    pivot.columns = [f"{p} {y}" for p, y in pivot.columns]
    pivot = pivot.reset_index().rename(columns={"field": "Lĩnh vực"})
    tables.show(pivot)
    docs = wh.documents().set_index("document")
    sources = by_field.drop_duplicates(["province", "fiscal_year"])
    st.caption(
        "Các văn bản có phạm vi khác nhau, số nhiệm vụ chỉ so được khi cùng loại kế hoạch: "
        + "; ".join(
            f"{r.province} {r.fiscal_year}: " + ", ".join(f"{docs.loc[d, 'title'] or d}" if d in docs.index else d for d in r.documents.split(", "))
            for r in sources.itertuples()
        )
    )
    by_lead = wh.tasks_by_lead_unit_kind(ask_provinces, ask_years)
    known = by_lead[by_lead["lead_unit_kind"].notna()]
    if len(known):
        st.markdown("**Số nhiệm vụ theo loại đơn vị chủ trì** (cùng loại đơn vị ở mọi tỉnh; tên như in ở cột cuối)")
        known = known.assign(col=[f"{p} {y}" for p, y in zip(known["province"], known["fiscal_year"])])
        wide = known.pivot_table(index="lead_unit_kind", columns="col", values="tasks", aggfunc="sum", fill_value=0)
        wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index]
        wide.columns.name = None
        names = printed_by_kind(known["lead_unit_kind"], known["province"], known["lead_units_printed"])
        table = wide.reset_index().rename(columns={"lead_unit_kind": "Loại đơn vị chủ trì"})
        table["Tên như in"] = table["Loại đơn vị chủ trì"].map(names)
        tables.show(table, {"Tên như in": st.column_config.TextColumn(width="large")})
        notes_tasks = []
        shared = sorted(set(known.loc[known["shared"] > 0, "col"]))
        if shared:
            notes_tasks.append(
                f"Nhiệm vụ do nhiều đơn vị cùng chủ trì ({', '.join(shared)}) được đếm ở mỗi loại đơn vị chủ trì của nó, "
                "nên tổng một cột có thể lớn hơn số nhiệm vụ."
            )
        unknown = by_lead[by_lead["lead_unit_kind"].isna()]
        if len(unknown):
            notes_tasks.append(
                "Không xếp loại: "
                + "; ".join(
                    f"{r.province} {r.fiscal_year}: {r.tasks} nhiệm vụ "
                    + (f"({r.lead_units_printed})" if isinstance(r.lead_units_printed, str) else "(không ghi đơn vị chủ trì)")
                    for r in unknown.itertuples()
                )
                + "."
            )
        if notes_tasks:
            st.caption(" ".join(notes_tasks))
else:
    st.info("Các tỉnh và năm đã chọn chưa có kế hoạch nhiệm vụ nào.")

st.subheader("Số liệu thực hiện theo chỉ tiêu (kỳ ghi rõ)")
actuals = wh.actuals_by_code(provinces)
if len(actuals):
    actuals["shown"] = [f"{fmt.number(v, 2)} {u or ''} ({p})".replace("  ", " ") for v, u, p in zip(actuals["value"], actuals["unit"], actuals["period"])]
    names = actuals.groupby("code")["name"].first()
    wide = actuals.pivot_table(index="code", columns="province", values="shown", aggfunc=lambda s: "; ".join(s))
    wide.insert(0, "Chỉ tiêu", names.reindex(wide.index))
    wide.columns.name = None
    tables.show(wide.reset_index(drop=True), {"Chỉ tiêu": st.column_config.TextColumn(width="large")})
    mixed = actuals.groupby("code")["period"].nunique()
    if (mixed > 1).any():
        st.caption(
            f"{int((mixed > 1).sum())} chỉ tiêu có số liệu ở các kỳ khác nhau (ví dụ quý và nửa năm): "
            "kỳ được ghi cạnh từng số, không cộng hay so trực tiếp."
        )
else:
    st.info("Các tỉnh đã chọn chưa có số liệu thực hiện chỉ tiêu nào.")
