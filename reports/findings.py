"""Findings of a province-year as data, from explicit rules (the meeting pack, issue 16).

A finding is one Vietnamese sentence, the figures it cites (each with its value, unit, the
text it is written as in the sentence, and where it comes from: a document and line, or the
query of ``warehouse.queries`` that computed it), a severity and a link to the page and
filters that show its figures. The rules (one function each, ``RULES``):

* ``totals``: each scope of the year (stage · kind, as Tổng quan's "Giai đoạn và loại số
  liệu"; the estimate follows ONE version, the latest unless ``version`` names another):
  total spending and its split by funding source with shares.
* ``execution``: execution against the plan per stage — plan tables: thực hiện / KH UBND giao
  (``Warehouse.execution_rates``); execution disclosures: the year to date of state-budget
  spending against the estimate (``Warehouse.execution_by_quarter``, flow "state" as the
  Thực hiện page shows by default), at ``quarter`` when given. The band is the
  PEFA PI-1 band of the rate (A: 95–105%, B: 90–110%, C: 85–115%, else D), only for a whole
  year: a part of the year gets no band (PI-1 measures the year's outturn).
* ``year_on_year``: each scope against the same stage and kind of the previous year.
* ``units``: the largest unit groups of the main scope with their shares, and the unit group
  whose amount moved most against the previous year (same scope).
* ``reconciliation``: printed totals that do not reconcile (the largest gap with its
  document and line), totals not checked, or all of them matching.
* ``unspecified``: the share of spending with no printed funding source.
* ``indicators``: targets met / not met / without data, and the one furthest off.
* ``tasks``: tasks overdue (an editor recorded them not completed), due with no result
  recorded, and due in the next quarter, as of the reference day (the end of ``quarter``,
  else ``warehouse.tasks.default_reference``).
* ``rank``: the province's rank per inhabitant (population 2023 of ``provinces``) among the
  provinces with the same scope (stage and kind) that year; left out below two provinces.

Numbers are written in Vietnamese form (``charts.format``: "11,52 tỷ đồng", "tăng 12,3%",
"99,9%"). A finding whose data is missing is left out, never guessed: every rule returns
nothing when the query it reads has no rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from charts import format as fmt
from charts.theme import SOURCE_LABELS, scope_name
from warehouse import kpi
from warehouse import tasks as task_rules
from warehouse.queries import AFTER, BEFORE, CHANGE, ESTIMATE, NO_UNIT, BudgetFilter, Warehouse

# severities, mildest first
INFO, GOOD, ATTENTION, PROBLEM = "info", "good", "attention", "problem"
SEVERITY_VN = {INFO: "Thông tin", GOOD: "Kết quả tốt", ATTENTION: "Cần lưu ý", PROBLEM: "Tồn tại cần xử lý"}

# PEFA PI-1 (aggregate expenditure outturn): the outturn as a share of the approved budget
PEFA_BANDS = (("A", 95.0, 105.0), ("B", 90.0, 110.0), ("C", 85.0, 115.0))


def pefa_band(rate_pct: float) -> str:
    """The PEFA PI-1 band of an execution rate (%): "A" within 95–105, "B" within 90–110,
    "C" within 85–115, else "D" (bounds included)."""
    for band, low, high in PEFA_BANDS:
        if low <= rate_pct <= high:
            return band
    return "D"


@dataclass(frozen=True)
class Figure:
    """One number a sentence cites.

    ``value``: the exact value (``int`` đồng for money, ``float`` for a rate or a share,
    ``int`` for a count); ``unit``: "đồng", "%", "đồng/người", or what is counted ("chỉ
    tiêu", "nhiệm vụ", "tổng cộng", "dòng", "tỉnh"); ``text``: how it is written in the
    sentence (a substring of it); ``document``/``line``: where it is printed, when it is one
    printed figure; ``query``: the ``warehouse.queries`` call that computed it, otherwise;
    ``filter``: the ``BudgetFilter`` a money figure sums (leaf lines), when it is such a sum."""

    value: int | float
    unit: str
    text: str
    document: str | None = None
    line: int | None = None
    query: str | None = None
    filter: BudgetFilter | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Finding:
    """One sentence of the summary: ``rule`` (a key of ``RULES``), ``sentence`` (Vietnamese),
    ``figures`` (every number of the sentence), ``severity`` (``INFO``, ``GOOD``,
    ``ATTENTION``, ``PROBLEM``), ``page`` (the script path under ``pages/``) and ``params``
    (its URL query parameters) that show the figures, and ``action`` (the recommendation the
    finding calls for in the report's "Kiến nghị", or ``None``)."""

    rule: str
    sentence: str
    figures: tuple[Figure, ...]
    severity: str = INFO
    page: str = "pages/tong-quan.py"
    params: dict = field(default_factory=dict)
    action: str | None = None

    @property
    def severity_vn(self) -> str:
        return SEVERITY_VN[self.severity]


@dataclass(frozen=True)
class Scope:
    """One scope of the year (what a headline adds): stage, kind, the documents of the
    estimate version it follows (empty: every document of the stage) and its label."""

    province: str
    fiscal_year: int
    phase: str
    phase_vn: str
    kind: str
    documents: tuple[str, ...] = ()
    version_key: str | None = None
    version_label: str | None = None

    def filter(self, **more) -> BudgetFilter:
        return BudgetFilter(self.province, self.fiscal_year, self.phase, self.phase_vn, kind=self.kind,
                            documents=self.documents, **more)

    @property
    def name(self) -> str:
        return scope_name(self.phase_vn, self.kind)

    @property
    def stage_key(self) -> str:
        """The page's URL value of "Giai đoạn và loại số liệu" (``stage``)."""
        return f"{self.phase}|{self.phase_vn}|{self.kind}"

    def params(self, **more) -> dict:
        p = {"province": self.province, "year": str(self.fiscal_year), "stage": self.stage_key}
        if self.version_key:
            p["version"] = self.version_key
        return p | {k: v for k, v in more.items() if v is not None}


def scopes(wh: Warehouse, province: str, year: int, version: str | None = None) -> list[Scope]:
    """The scopes of ``province`` and ``year`` as Tổng quan lists them (``Warehouse.stages``
    order: allocated first, budget lines before task and project figures). When the year's
    estimate has adjustment decisions, "before" and "after" are versions of the estimate and
    the estimate scope follows one version: ``version`` (a key of
    ``Warehouse.budget_versions``) or the latest. Raises ``KeyError`` for an unknown
    ``version``."""
    stages = wh.stages(province, year)
    out: list[Scope] = []
    versions = None
    if any(k == "budget" and s in (ESTIMATE, BEFORE, AFTER, CHANGE) for s, k in zip(stages["phase_vn"], stages["kind"])):
        versions = wh.budget_versions(province, year)
    decided = versions is not None and bool((versions["kind"] == "decision").any())
    rows = [(r.phase, r.phase_vn, r.kind) for r in stages.itertuples()]
    if decided:
        rows = [r for r in rows if (r[1], r[2]) not in ((BEFORE, "budget"), (AFTER, "budget"))]
        if ("approved", ESTIMATE, "budget") not in rows:
            rows.insert(0, ("approved", ESTIMATE, "budget"))
    chosen = None
    if versions is not None and len(versions):
        keyed = {r["key"]: r for r in versions.to_dict("records")}
        if version is not None and version not in keyed:
            raise KeyError(f"no budget version {version!r} for {province} {year}")
        chosen = keyed[version] if version else list(keyed.values())[-1]
    for phase, phase_vn, kind in rows:
        if chosen is not None and kind == "budget" and phase_vn in (ESTIMATE, BEFORE, AFTER) and (decided or phase_vn == ESTIMATE):
            stage = chosen["phase_vn"]
            out.append(Scope(province, year, "adjusted" if stage == AFTER else chosen["phase"], stage, "budget",
                             tuple(chosen["documents"]), chosen["key"] if len(versions) > 1 else None, chosen["label"]))
        elif chosen is not None and decided and kind == "budget" and phase_vn == CHANGE:
            decisions = versions[versions["kind"] == "decision"].to_dict("records")
            d = next((v for v in decisions if v["key"] == chosen["key"]), decisions[-1])
            out.append(Scope(province, year, "adjusted", CHANGE, "budget", tuple(d["documents"]), d["key"], d["label"]))
        else:
            out.append(Scope(province, year, phase, phase_vn, kind))
    return list(dict.fromkeys(out))


# --- the rules ------------------------------------------------------------------------------
def _money(amount: int, f: BudgetFilter, query: str) -> Figure:
    return Figure(int(amount), "đồng", fmt.vnd_phrase(int(amount)), query=query, filter=f)


def _pct(value: float, query: str, decimals: int = 1) -> Figure:
    return Figure(float(value), "%", fmt.pct(value, decimals), query=query)


def _count(n: int, unit: str, query: str, document: str | None = None, line: int | None = None) -> Figure:
    return Figure(int(n), unit, fmt.number(int(n)), document, line, query)


def _sentence(parts: list[tuple[str, Figure | None]]) -> tuple[str, tuple[Figure, ...]]:
    """Join text pieces and figures into a sentence; the figures in the order cited."""
    text, figs = "", []
    for piece, fig in parts:
        text += piece
        if fig is not None:
            text += fig.text
            figs.append(fig)
    return text, tuple(figs)


def _where(f: BudgetFilter) -> str:
    bits = [f.province, str(f.fiscal_year), f.phase_vn]
    if f.documents:
        bits.append("+".join(f.documents))
    if f.sources:
        bits.append("+".join(f.sources))
    return ", ".join(b for b in bits if b)


def rule_totals(ctx: "Context") -> list[Finding]:
    out = []
    for s in ctx.scopes:
        f = s.filter(direction="expenditure")
        total = ctx.total(f)
        if not total:
            continue
        by_source = ctx.wh.totals_by(f, "funding_source")
        label = (s.version_label or "")[:1].lower() + (s.version_label or "")[1:]
        version = (f", {label}" if label.startswith("theo ") else f", theo {label}") if label else ""
        parts: list[tuple[str, Figure | None]] = [
            (f"{s.name} {s.fiscal_year}{version}: tổng chi ", _money(total, f, f"total({_where(f)})"))]
        if len(by_source) > 1:
            parts.append((", trong đó ", None))
            for i, r in enumerate(by_source.itertuples()):
                sf = s.filter(direction="expenditure", sources=(r.funding_source,))
                parts.append(("; " if i else "", None))
                parts.append((f"{SOURCE_LABELS.get(r.funding_source, r.funding_source)} ",
                              _money(int(r.amount_vnd), sf, f"totals_by({_where(f)}, funding_source)")))
                parts.append((" (", _pct(r.amount_vnd * 100 / total, f"totals_by({_where(f)}, funding_source) / total")))
                parts.append((")", None))
        elif len(by_source) == 1:
            src = by_source["funding_source"].iloc[0]
            parts.append((", toàn bộ không ghi nguồn kinh phí" if src == "UNSPECIFIED"
                          else f", toàn bộ từ nguồn {SOURCE_LABELS.get(src, src)}", None))
        parts.append((".", None))
        text, figs = _sentence(parts)
        out.append(Finding("totals", text, figs, INFO, "pages/tong-quan.py", s.params()))
    return out


def rule_execution(ctx: "Context") -> list[Finding]:
    out = []
    rates = ctx.wh.execution_rates(ctx.province)
    rates = rates[rates["fiscal_year"] == ctx.year]
    for r in rates.itertuples():
        f_plan = BudgetFilter(ctx.province, ctx.year, "approved", "KH UBND giao", kind="budget")
        f_exec = BudgetFilter(ctx.province, ctx.year, "executed", r.executed_stage, kind="budget")
        whole = r.executed_stage == "thực hiện"
        period = "năm" if whole else "6 tháng đầu năm"
        q = f"execution_rates({ctx.province})"
        rate = float(r.rate_pct)
        parts = [(f"Thực hiện {period} {ctx.year}: ", _money(int(r.executed_vnd), f_exec, q)),
                 (", bằng ", _pct(rate, q)), (" kế hoạch UBND giao (", _money(int(r.ubnd_vnd), f_plan, q))]
        if whole:
            band = pefa_band(rate)
            parts.append((f") — mức {band} theo PEFA PI-1 (tỷ lệ chi thực tế so với dự toán).", None))
            severity = GOOD if band == "A" else ATTENTION if band in ("B", "C") else PROBLEM
            action = None if band == "A" else (
                f"Làm rõ nguyên nhân chênh lệch giữa thực hiện và kế hoạch năm {ctx.year} (mức {band} theo PEFA PI-1).")
        else:
            parts.append(("); số liệu một phần năm, chưa xếp mức PEFA (chỉ áp dụng cho cả năm).", None))
            severity, action = INFO, None
        text, figs = _sentence(parts)
        out.append(Finding("execution", text, figs, severity, "pages/thuc-hien.py",
                           {"province": ctx.province, "year": str(ctx.year)}, action))
    if ctx.year in ctx.wh.execution_years(ctx.province):
        q = ctx.wh.execution_by_quarter(ctx.province, ctx.year)
        for stage, part in q.groupby("stage", sort=False):
            part = part[part["to_date_vnd"].notna() & part["estimate_vnd"].notna()]
            if ctx.quarter is not None:
                part = part[part["quarter"] == ctx.quarter]
            if part.empty:
                continue
            row = part.iloc[-1]
            query = f"execution_by_quarter({ctx.province}, {ctx.year})"
            rate = float(row["to_date_rate_pct"])
            whole = int(row["quarter"]) == 4
            parts = [(f"{str(row['stage_label'])[:1].upper()}{str(row['stage_label'])[1:]} "
                      f"{str(row['to_date_label'])[:1].lower()}{str(row['to_date_label'])[1:]} {ctx.year} "
                      f"(chi ngân sách nhà nước, không gồm chi từ nguồn phí được để lại): ",
                      Figure(int(row["to_date_vnd"]), "đồng", fmt.vnd_phrase(int(row["to_date_vnd"])), query=query)),
                     (", bằng ", _pct(rate, query)),
                     (" dự toán năm (", Figure(int(row["estimate_vnd"]), "đồng", fmt.vnd_phrase(int(row["estimate_vnd"])),
                                               query=query))]
            if whole:
                band = pefa_band(rate)
                parts.append((f") — mức {band} theo PEFA PI-1.", None))
                severity = GOOD if band == "A" else ATTENTION if band in ("B", "C") else PROBLEM
            else:
                parts.append((").", None))
                severity = INFO
            text, figs = _sentence(parts)
            out.append(Finding("execution", text, figs, severity, "pages/thuc-hien.py",
                               {"province": ctx.province, "year": str(ctx.year)}))
    return out


def _previous(ctx: "Context", s: Scope) -> Scope | None:
    """The same stage and kind in the previous year (its estimate: the latest version)."""
    for p in ctx.scopes_of(ctx.year - 1):
        if p.phase_vn == s.phase_vn and p.kind == s.kind:
            return p
    return None


def rule_year_on_year(ctx: "Context") -> list[Finding]:
    out = []
    for s in ctx.scopes:
        p = _previous(ctx, s)
        if p is None:
            continue
        f, g = s.filter(direction="expenditure"), p.filter(direction="expenditure")
        now, before = ctx.total(f), ctx.total(g)
        if not now or not before:
            continue
        change = fmt.change(before, now)
        delta = now - before
        if change == "không đổi":
            parts = [(f"{s.name} {s.fiscal_year} ", _money(now, f, f"total({_where(f)})")),
                     (f" không đổi so với năm {p.fiscal_year} (", _money(before, g, f"total({_where(g)})")),
                     (", cùng phạm vi).", None)]
        else:
            rate = abs(delta) * 100 / before
            parts = [(f"{s.name} {s.fiscal_year} ", _money(now, f, f"total({_where(f)})")),
                     (f", {change.split(' ')[0]} ", _pct(rate, f"(total {s.fiscal_year} − total {p.fiscal_year}) / total {p.fiscal_year}")),
                     (" (", Figure(abs(delta), "đồng", fmt.vnd_phrase(abs(delta)),
                                   query=f"total({_where(f)}) − total({_where(g)})")),
                     (f") so với năm {p.fiscal_year} (", _money(before, g, f"total({_where(g)})")),
                     (", cùng phạm vi).", None)]
        text, figs = _sentence(parts)
        out.append(Finding("year_on_year", text, figs, INFO, "pages/xu-huong.py", {"province": ctx.province}))
    return out


def rule_units(ctx: "Context") -> list[Finding]:
    s = ctx.main
    if s is None:
        return []
    f = s.filter(direction="expenditure")
    total = ctx.total(f)
    units = ctx.wh.totals_by(f, "unit_group")
    out = []
    if total and len(units) > 1:
        q = f"totals_by({_where(f)}, unit_group)"
        parts: list[tuple[str, Figure | None]] = [(f"Đơn vị chi nhiều nhất ({s.name.lower()} {s.fiscal_year}): ", None)]
        for i, r in enumerate(units.head(3).itertuples()):
            uf = s.filter(direction="expenditure", units=(r.unit_group,))
            parts += [("; " if i else "", None), (f"{r.unit_group} ", _money(int(r.amount_vnd), uf, q)),
                      (" (", _pct(r.amount_vnd * 100 / total, f"{q} / total")), (")", None)]
        parts.append((".", None))
        text, figs = _sentence(parts)
        out.append(Finding("units", text, figs, INFO, "pages/ngan-sach.py", s.params()))
    p = _previous(ctx, s)
    if p is not None and len(units):
        g = p.filter(direction="expenditure")
        before = ctx.wh.totals_by(g, "unit_group")
        both = units.merge(before, on="unit_group", suffixes=("", "_before"))
        both = both[both["unit_group"] != NO_UNIT]
        if len(both) and len(units) > 1 and len(before) > 1:
            both["delta"] = both["amount_vnd"] - both["amount_vnd_before"]
            both = both.reindex(both["delta"].abs().sort_values(ascending=False, kind="stable").index)
            r = both.iloc[0]
            if int(r["delta"]) != 0 and int(r["amount_vnd_before"]) != 0:
                uf = s.filter(direction="expenditure", units=(r["unit_group"],))
                ug = p.filter(direction="expenditure", units=(r["unit_group"],))
                change = fmt.change(int(r["amount_vnd_before"]), int(r["amount_vnd"]))
                word, _, _ = change.partition(" ")
                parts = [(f"Đơn vị thay đổi nhiều nhất so với năm {p.fiscal_year}: {r['unit_group']}, từ ",
                          _money(int(r["amount_vnd_before"]), ug, f"totals_by({_where(g)}, unit_group)")),
                         (" lên " if word == "tăng" else " xuống ", _money(int(r["amount_vnd"]), uf,
                                                                          f"totals_by({_where(f)}, unit_group)")),
                         (f" ({word} ", _pct(abs(int(r["delta"])) * 100 / int(r["amount_vnd_before"]),
                                            "(after − before) / before")), (").", None)]
                text, figs = _sentence(parts)
                out.append(Finding("units", text, figs, INFO, "pages/ngan-sach.py", s.params()))
    return out


def rule_reconciliation(ctx: "Context") -> list[Finding]:
    recon = ctx.recon
    if recon.empty:
        return []
    q = f"reconciliation({ctx.province}, {ctx.year})"
    mism = recon[recon["status"] == "mismatch"]
    unchecked = recon[recon["status"] == "unchecked"]
    out = []
    if len(mism):
        gaps = (mism["printed_amount_vnd"] - mism["computed_amount_vnd"]).abs()
        worst = mism.loc[gaps.fillna(-1).idxmax()]
        gap = gaps.loc[gaps.fillna(-1).idxmax()]
        parts = [("", _count(len(mism), "tổng cộng", q)),
                 (" tổng cộng in trong văn bản KHÔNG khớp với các dòng chi tiết", None)]
        if pd.notna(gap):
            parts += [("; lệch lớn nhất ", Figure(int(gap), "đồng", fmt.vnd(int(gap)), str(worst["document"]),
                                                  int(worst["source_line"]), q)),
                      (f" ở tổng \u201c{worst['scope']}\u201d.", None)]
        else:
            parts.append((".", None))
        text, figs = _sentence(parts)
        out.append(Finding("reconciliation", text, figs, PROBLEM, "pages/tong-quan.py",
                           {"province": ctx.province, "year": str(ctx.year)},
                           "Rà soát và chỉnh lại các tổng cộng không khớp với dòng chi tiết trong văn bản gốc."))
    if len(unchecked):
        text, figs = _sentence([("", _count(len(unchecked), "tổng cộng", q)),
                                (" tổng cộng chưa đối chiếu được (có dòng không đọc được bên dưới).", None)])
        out.append(Finding("reconciliation", text, figs, ATTENTION, "pages/tong-quan.py",
                           {"province": ctx.province, "year": str(ctx.year)},
                           "Kiểm tra lại các dòng không đọc được để đối chiếu đủ các tổng cộng."))
    if mism.empty and unchecked.empty:
        text, figs = _sentence([("Tất cả ", _count(len(recon), "tổng cộng", q)),
                                (" tổng cộng và tổng mục in trong văn bản khớp đến từng đồng với các dòng chi tiết.", None)])
        out.append(Finding("reconciliation", text, figs, GOOD, "pages/tong-quan.py",
                           {"province": ctx.province, "year": str(ctx.year)}))
    return out


def rule_unspecified(ctx: "Context") -> list[Finding]:
    out = []
    for s in ctx.scopes:
        f = s.filter(direction="expenditure")
        total = ctx.total(f)
        by_source = ctx.wh.totals_by(f, "funding_source")
        part = by_source[by_source["funding_source"] == "UNSPECIFIED"]
        if not total or part.empty:
            continue
        amount, n = int(part["amount_vnd"].iloc[0]), int(part["lines"].iloc[0])
        uf = s.filter(direction="expenditure", sources=("UNSPECIFIED",))
        q = f"totals_by({_where(f)}, funding_source)"
        text, figs = _sentence([(f"{s.name} {s.fiscal_year}: ", _count(n, "dòng", q)),
                                (" dòng chưa ghi nguồn kinh phí, ", _money(amount, uf, q)),
                                (" (", _pct(amount * 100 / total, f"{q} / total")),
                                (" tổng chi) — văn bản không ghi nguồn ở dòng, mục hay dòng cha.", None)])
        out.append(Finding("unspecified", text, figs, ATTENTION, "pages/ngan-sach.py", s.params(source="UNSPECIFIED"),
                           "Đề nghị các đơn vị ghi rõ nguồn kinh phí (SNKH, QLNN, …) cho từng dòng dự toán."))
    return out


def rule_indicators(ctx: "Context") -> list[Finding]:
    t = ctx.targets
    if t is None or t.empty:
        return []
    q = f"targets({ctx.province}, {ctx.year})"
    counts = t["status"].value_counts()
    met, not_met, no_data = (int(counts.get(k, 0)) for k in (kpi.ACHIEVED, kpi.NOT_ACHIEVED, kpi.NO_DATA))
    running = int(counts.get(kpi.IN_PROGRESS, 0))
    parts = [("", _count(len(t), "chỉ tiêu", q)), (f" chỉ tiêu kế hoạch năm {ctx.year}: ", _count(met, "chỉ tiêu", q)),
             (" đạt, ", _count(not_met, "chỉ tiêu", q)), (" chưa đạt, ", _count(no_data, "chỉ tiêu", q)),
             (" chưa có số liệu", None)]
    if running:  # judged on a figure of part of the year: the year is not over
        parts += [(", ", _count(running, "chỉ tiêu", q)), (" đang thực hiện (số liệu chưa hết năm)", None)]
    unparsed = int(counts.get(kpi.UNPARSED, 0))
    if unparsed:
        parts += [(", ", _count(unparsed, "chỉ tiêu", q)), (" chưa đọc được chỉ tiêu", None)]
    off = t[(t["status"] == kpi.NOT_ACHIEVED) & t["progress_pct"].notna()]
    if len(off):
        worst = off.loc[off["progress_pct"].astype(float).idxmin()]
        parts += [(f"; xa nhất: \u201c{worst['name']}\u201d mới đạt ",
                   Figure(float(worst["progress_pct"]), "%", fmt.pct(float(worst["progress_pct"])),
                          str(worst["document"]), int(worst["source_line"]), q)),
                  (" chỉ tiêu", None)]
    parts.append((".", None))
    text, figs = _sentence(parts)
    severity = PROBLEM if not_met else ATTENTION if no_data else GOOD
    action = None
    if no_data:
        action = "Đề nghị các đơn vị chủ trì cập nhật số liệu thực hiện các chỉ tiêu chưa có số liệu (trang Chỉ tiêu)."
    elif not_met:
        action = "Đề nghị các đơn vị chủ trì có giải pháp cho các chỉ tiêu chưa đạt."
    return [Finding("indicators", text, figs, severity, "pages/chi-tieu.py",
                    {"province": ctx.province, "year": str(ctx.year)}, action)]


def next_quarter(day: date) -> tuple[date, date]:
    """The first and last day of the quarter after the one holding ``day``."""
    q = (day.month - 1) // 3 + 1
    year, nq = (day.year + 1, 1) if q == 4 else (day.year, q + 1)
    start = date(year, 3 * nq - 2, 1)
    end = (date(year + 1, 1, 1) if nq == 4 else date(year, 3 * nq + 1, 1)) - timedelta(days=1)
    return start, end


def rule_tasks(ctx: "Context") -> list[Finding]:
    t = ctx.tasks
    if t is None or t.empty:
        return []
    t = t[t["kind"] != "project"]
    if t.empty:
        return []
    ref = ctx.reference
    q = f"tasks({ctx.province}, {ctx.year}) + warehouse.tasks.task_status(ref={ref:%d/%m/%Y})"
    late = int((t["status"] == task_rules.LATE).sum())
    due = int((t["status"] == task_rules.DUE).sum())
    start, end = next_quarter(ref)
    soon = int(sum(1 for d in t["due"] if d is not None and start <= d <= end))
    nq = (start.month - 1) // 3 + 1
    parts = [("", _count(len(t), "nhiệm vụ", q)),
             (f" nhiệm vụ kế hoạch {ctx.year}, tính đến {ref:%d/%m/%Y}: ", _count(late, "nhiệm vụ", q)),
             (" quá hạn (đã ghi nhận chưa hoàn thành), ", _count(due, "nhiệm vụ", q)),
             (" đến hạn chưa ghi nhận kết quả; ", _count(soon, "nhiệm vụ", q)),
             (f" đến hạn trong quý {['I', 'II', 'III', 'IV'][nq - 1]}/{start.year}.", None)]
    text, figs = _sentence(parts)
    severity = PROBLEM if late else ATTENTION if due else INFO
    action = None
    if late or due:
        action = ("Đề nghị các đơn vị chủ trì báo cáo kết quả các nhiệm vụ đến hạn và có giải pháp cho các nhiệm vụ "
                  "quá hạn.")
    return [Finding("tasks", text, figs, severity, "pages/nhiem-vu.py",
                    {"province": ctx.province, "year": str(ctx.year), "ref": ref.isoformat()}, action)]


def rule_rank(ctx: "Context") -> list[Finding]:
    s = ctx.main
    if s is None:
        return []
    budget = ctx.wh.budget_by_province_year(None, [ctx.year], with_documents=False)
    budget = budget[(budget["phase_vn"] == s.phase_vn) & (budget["kind"] == s.kind)]
    if budget.empty:
        return []
    per = budget.groupby("province", as_index=False).agg(amount_vnd=("amount_vnd", "sum"),
                                                         population=("population", "first"))
    per = per[per["population"].notna() & (per["population"] > 0)]
    if len(per) < 2 or ctx.province not in set(per["province"]):
        return []
    per["per_capita"] = [round(int(a) / int(p)) for a, p in zip(per["amount_vnd"], per["population"])]
    per = per.sort_values(["per_capita", "province"], ascending=[False, True]).reset_index(drop=True)
    rank = int(per.index[per["province"] == ctx.province][0]) + 1
    mine = per.loc[rank - 1]
    q = f"budget_by_province_year(all, {ctx.year}) {s.phase_vn}/{s.kind} ÷ population_2023"
    text, figs = _sentence([
        (f"Bình quân đầu người ({s.name.lower()} {ctx.year}): ",
         Figure(int(mine["per_capita"]), "đồng/người", f"{fmt.number(int(mine['per_capita']))} đồng/người", query=q)),
        (", xếp thứ ", _count(rank, "hạng", q)), ("/", _count(len(per), "tỉnh", q)),
        (" tỉnh có cùng phạm vi số liệu (dân số 2023).", None)])
    params = {"provinces": "|".join(per["province"]), "years": str(ctx.year), "scope": f"{s.phase_vn}:{s.kind}",
              "percap": "1"}
    return [Finding("rank", text, figs, INFO, "pages/so-sanh.py", params)]


RULES = {
    "totals": rule_totals,
    "execution": rule_execution,
    "year_on_year": rule_year_on_year,
    "units": rule_units,
    "reconciliation": rule_reconciliation,
    "unspecified": rule_unspecified,
    "indicators": rule_indicators,
    "tasks": rule_tasks,
    "rank": rule_rank,
}


@dataclass
class Context:
    """What the rules read, each query run once: the warehouse, the scopes of the year, the
    reference day of tasks, the printed totals, targets and tasks."""

    wh: Warehouse
    province: str
    year: int
    quarter: int | None = None
    version: str | None = None
    entries: Path | None = None
    today: date | None = None
    _totals: dict = field(default_factory=dict)
    _scopes: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.quarter is not None and self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1–4, not {self.quarter!r}")
        self.scopes = self.scopes_of(self.year, self.version)
        budget = [s for s in self.scopes if s.kind == "budget"]
        self.main = (budget or self.scopes or [None])[0]
        if self.quarter is not None:
            self.reference = next_quarter(date(self.year, 3 * self.quarter - 2, 1))[0] - timedelta(days=1)
        else:
            self.reference = task_rules.default_reference(self.year, self.today or date.today())
        self.recon = self.wh.reconciliation(self.province, self.year)
        self.targets = self.wh.targets(self.province, self.year, self.entries) \
            if self.year in self.wh.indicator_years(self.province) else None
        tasks = self.wh.tasks(self.province, self.year)
        if len(tasks):
            tasks = tasks.assign(status=[task_rules.task_status(d, s, e, r, self.reference, c) for d, s, e, r, c in zip(
                tasks["deadline"], tasks["period_start"], tasks["period_end"], tasks["recurring"], tasks["recorded"])])
            tasks["due"] = [task_rules._day(d) or task_rules._day(e) for d, e in zip(tasks["deadline"], tasks["period_end"])]
        self.tasks = tasks

    def scopes_of(self, year: int, version: str | None = None) -> list[Scope]:
        if (year, version) not in self._scopes:
            self._scopes[(year, version)] = scopes(self.wh, self.province, year, version)
        return self._scopes[(year, version)]

    def total(self, f: BudgetFilter) -> int:
        if f not in self._totals:
            self._totals[f] = self.wh.total(f)
        return self._totals[f]


def findings(wh: Warehouse, province: str, year: int, quarter: int | None = None, version: str | None = None,
             entries: Path | None = None, today: date | None = None, context: Context | None = None) -> list[Finding]:
    """The findings of ``province`` and ``year`` (``RULES`` in order; each rule may give none,
    one or several). ``quarter`` (1–4): execution to the end of that quarter and tasks as of
    its last day; ``version``: the estimate version followed (a key of
    ``Warehouse.budget_versions``; the latest by default); ``entries``: the store of typed
    actuals (``warehouse.entries``); ``today``: the day a current year's tasks are judged
    on (default: today). Raises ``ValueError`` for a quarter outside 1–4 and ``KeyError``
    for an unknown version."""
    ctx = context or Context(wh, province, year, quarter, version, entries, today)
    out: list[Finding] = []
    for rule in RULES.values():
        out.extend(rule(ctx))
    return out
