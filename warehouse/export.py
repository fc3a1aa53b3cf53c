"""Export the warehouse as a Fiscal Data Package (``datapackage.json`` + CSV resources).

Resources: ``budget_lines.csv`` (one amount per row, integer đồng: every phase, "adjusted"
included, with the budget ``version`` — the adjustment decision a line belongs to — and the
period of an execution figure: ``quarters``, ``cumulative`` (lũy kế), ``column_label`` (the
column as printed), ``source_ref`` (the cell of an uploaded file) and ``location`` (where a
reader of that file finds it: "trang 3, bảng 2, hàng 5, cột 4", "trang tính Dự toán, ô D12"; every
resource has it)), ``reconciliation.csv``
(every printed total and subtotal with its check), ``ratio_checks.csv`` (every printed
percentage with the value computed from its amounts: never money), ``budget_versions.csv``
(one row per adjustment decision: its number, date, the moves summed from its lines and as
its text states them) and, when present, ``indicators.csv``, ``indicator_actuals.csv`` and
``tasks.csv``. The descriptor follows the Frictionless Data Package / Fiscal Data Package
conventions (``profile: fiscal-data-package``), with a Table Schema per resource.

Every value is written **verbatim**, as the warehouse holds it: a description printed "- Nhiệm
vụ …", a target text "=100%" or a name starting with "+" or "@" is not rewritten. A data
package is data for programs, not a spreadsheet: the guard against formula injection belongs
to the spreadsheet downloads of the pages (``warehouse.workbook``). Coded fields carry codes
with a Table Schema ``enum`` constraint (``loaders.vocab``): the comparator of a target is
``eq``/``ge``/``gt``/``le``/``lt``/``approx`` (``loaders.vocab.Comparator``), never the symbol
"=" or ">=". Units are the names as printed (``unit``, ``lead_unit``) with their kind across
provinces beside them (``unit_kind``, ``lead_unit_kind``; empty when the vocabulary does not
know the unit).
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from loaders.vocab import Comparator, Direction, FundingSource, Phase, ReconciliationStatus, Stage

from .queries import Warehouse

BUDGET_COLUMNS = [
    ("province", "string", "Tỉnh"),
    ("fiscal_year", "integer", "Năm ngân sách"),
    ("phase", "string", "Giai đoạn (Fiscal Data Package: " + "/".join(Phase.values()) + ")"),
    ("phase_vn", "string", "Giai đoạn theo văn bản (dự toán, KHTW giao, KH UBND giao, thực hiện…)"),
    ("direction", "string", "expenditure (chi) hoặc revenue (thu)"),
    ("funding_source", "string", "Nguồn kinh phí: " + ", ".join(FundingSource.values())),
    ("unit", "string", "Phòng/đơn vị như in trong văn bản (không gồm tên người trong ngoặc)"),
    ("unit_kind", "string", "Loại phòng/đơn vị, chung cho mọi tỉnh (data/vocabulary/units.csv); trống: chưa có trong danh mục"),
    ("appendix", "string", "Phụ lục / bảng"),
    ("code", "string", "Số thứ tự in trong văn bản"),
    ("parent_code", "string", "Số thứ tự của dòng cha"),
    ("is_subtotal", "boolean", "Dòng tổng của các dòng con (không cộng thêm)"),
    ("description", "string", "Nội dung"),
    ("period", "string", "Thời gian thực hiện như in"),
    ("quarters", "string", "Các quý (1–4), phân tách bằng dấu phẩy"),
    ("amount_vnd", "integer", "Số tiền (đồng)"),
    ("document", "string", "Tệp văn bản nguồn"),
    ("source_line", "integer", "Dòng trong văn bản nguồn"),
    ("line_id", "string", "Mã dòng trong văn bản"),
    ("parent_id", "string", "Mã dòng cha"),
    ("funding_note", "string", "Ghi chú nguồn như in"),
    ("field", "string", "Lĩnh vực"),
    ("amount_text", "string", "Số tiền như in"),
    ("amount_unit", "string", "Đơn vị tính như in"),
    ("description_line", "integer", "Dòng in nội dung (khi nội dung bị tách khỏi bảng)"),
    ("task_id", "string", "Nhiệm vụ / dự án liên quan"),
    ("cumulative", "boolean", "Số lũy kế từ đầu năm đến hết các quý của cột quarters"),
    ("column_label", "string", "Tên cột chứa số tiền, như in (ví dụ: Ước thực hiện Quý I năm 2025)"),
    ("source_ref", "string", "Ô chứa số tiền trong tệp tải lên (ví dụ: Bieu 03!D25; Bảng 1, hàng 5, cột 4)"),
    ("version", "string", "Phiên bản dự toán: số quyết định điều chỉnh mà dòng thuộc về (trống: dự toán giao ban đầu)"),
    ("counted", "boolean", "Được cộng khi cộng nhiều văn bản (false: kỳ thực hiện nằm trong một kỳ rộng hơn của cùng giai "
     "đoạn và đơn vị, dự toán in lại trong báo cáo thực hiện, dự toán trước/sau của quyết định không phải đầu/cuối — "
     "warehouse/counting.py)"),
    ("location", "string", "Vị trí số tiền trong tệp tải lên, như người đọc tệp tìm thấy (ví dụ: trang 3, bảng 2, hàng 5, "
     "cột 4; trang tính Dự toán, ô D12); trống với văn bản .txt (dùng source_line)"),
]
# Table Schema "enum" constraints of the coded fields, from loaders.vocab.
FIELD_ENUMS = {
    "phase": Phase.values(),
    "phase_vn": Stage.values(),
    "direction": Direction.values(),
    "funding_source": FundingSource.values(),
    "status": ReconciliationStatus.values(),
    "comparator": Comparator.values(),
}
# The stored symbol ("=", ">=" …) of a target's comparator → its code ("eq", "ge" …).
_COMPARATOR_CODE = "CASE comparator " + " ".join(
    f"WHEN '{c.symbol}' THEN '{c.value}'" for c in Comparator
) + " END"
RECON_COLUMNS = [
    ("document", "string"), ("scope", "string"), ("label", "string"), ("kind", "string"),
    ("province", "string"), ("fiscal_year", "integer"), ("phase_vn", "string"),
    ("printed_amount_vnd", "integer"), ("words_amount_vnd", "integer"),
    ("computed_amount_vnd", "integer"), ("status", "string"), ("detail", "string"),
    ("source_line", "integer"), ("words_line", "integer"), ("location", "string"),
]
RATIO_COLUMNS = [
    ("document", "string"), ("province", "string"), ("fiscal_year", "integer"), ("scope", "string"), ("code", "string"),
    ("column_label", "string"), ("printed", "string"), ("computed", "string"), ("numerator_line", "string"),
    ("denominator_line", "string"), ("status", "string"), ("detail", "string"), ("source_line", "integer"),
    ("source_ref", "string"), ("location", "string"),
]
VERSION_COLUMNS = [
    ("document", "string"), ("province", "string"), ("version_id", "string"), ("fiscal_year", "integer"),
    ("decision_number", "string"), ("decision_date", "date"), ("issuer", "string"), ("title", "string"),
    ("before_vnd", "integer"), ("after_vnd", "integer"), ("increase_vnd", "integer"), ("decrease_vnd", "integer"),
    ("net_change_vnd", "integer"), ("printed_increase_vnd", "integer"), ("printed_decrease_vnd", "integer"),
    ("printed_net_vnd", "integer"), ("changed_lines", "integer"), ("status", "string"), ("detail", "string"),
    ("source_line", "integer"), ("location", "string"),
]
DESCRIPTIONS = {
    "ratio_checks": {
        "printed": "Tỷ lệ % như in (không phải số tiền)",
        "computed": "Tỷ lệ tính từ số tiền của cùng dòng, cùng số chữ số thập phân như in",
        "status": "match: khớp; mismatch: không khớp; unchecked: không tính được",
        "source_ref": "Ô trong tệp tải lên",
    },
    "budget_versions": {
        "version_id": "Số quyết định điều chỉnh dự toán (budget_lines.version)",
        "before_vnd": "Dự toán đã giao trước quyết định (đồng, tổng các dòng chi tiết)",
        "after_vnd": "Dự toán sau điều chỉnh (đồng, tổng các dòng chi tiết)",
        "net_change_vnd": "Tăng trừ giảm (đồng)",
        "printed_increase_vnd": "Số tăng ghi trong văn bản quyết định (đồng)",
        "printed_decrease_vnd": "Số giảm ghi trong văn bản quyết định (đồng)",
        "status": "Số tăng, giảm ghi trong văn bản so với các dòng: match / mismatch / unchecked",
    },
}


def _budget_frame(wh: Warehouse) -> pd.DataFrame:
    df = wh.df(
        """
        SELECT b.province, b.fiscal_year, b.phase, b.phase_vn, b.direction, b.funding_source, b.unit,
               b.unit_kind, b.appendix, b.code, p.code AS parent_code, b.is_subtotal, b.description, b.period,
               array_to_string(b.quarters, ',') AS quarters, b.amount_vnd, b.document, b.source_line,
               b.line_id, b.parent_id, b.funding_note, b.field, b.amount_text, b.amount_unit,
               b.description_line, b.task_id, b.cumulative, b.column_label, b.source_ref, b.version, b.counted,
               b.location
        FROM budget_lines b
        LEFT JOIN budget_lines p ON p.document = b.document AND p.line_id = b.parent_id
        ORDER BY b.province, b.document, b.source_line, b.line_id
        """
    )
    for col in ("amount_vnd", "description_line", "source_line", "fiscal_year"):
        df[col] = df[col].astype("Int64")
    return df


def _frames(wh: Warehouse) -> dict[str, tuple[pd.DataFrame, list[tuple[str, str]]]]:
    frames: dict[str, tuple[pd.DataFrame, list[tuple[str, str]]]] = {}
    frames["budget_lines"] = (_budget_frame(wh), [(n, t) for n, t, _ in BUDGET_COLUMNS])
    recon = wh.df(
        "SELECT " + ", ".join(n for n, _ in RECON_COLUMNS) + " FROM totals ORDER BY document, source_line"
    )
    frames["reconciliation"] = (recon, RECON_COLUMNS)
    for name, cols in (("ratio_checks", RATIO_COLUMNS), ("budget_versions", VERSION_COLUMNS)):
        df = wh.df("SELECT " + ", ".join(n for n, _ in cols) + f" FROM {name} ORDER BY province, fiscal_year, document, source_line")
        for col, typ in cols:
            if typ == "integer":
                df[col] = df[col].astype("Int64")
        frames[name] = (df, cols)
    extra = {
        "indicators": (
            f"""SELECT province, fiscal_year AS year, code, name, "group", {_COMPARATOR_CODE} AS comparator,
                      target_value, target_unit, target_text, lead_unit, lead_unit_kind, document, source_line,
                      indicator_id, subgroup, qualitative, parsed, field, legal_basis, location
               FROM indicators ORDER BY document, source_line""",
            [("province", "string"), ("year", "integer"), ("code", "string"), ("name", "string"),
             ("group", "string"), ("comparator", "string"), ("target_value", "number"),
             ("target_unit", "string"), ("target_text", "string"), ("lead_unit", "string"),
             ("lead_unit_kind", "string"), ("document", "string"), ("source_line", "integer"), ("indicator_id", "string"),
             ("subgroup", "string"), ("qualitative", "boolean"), ("parsed", "boolean"),
             ("field", "string"), ("legal_basis", "string"), ("location", "string")],
        ),
        "indicator_actuals": (
            """SELECT province, code, name, period, value, unit, document, source_line, actual_id,
                      period_start, period_end, parent_id, field, sentence, location
               FROM indicator_actuals ORDER BY document, source_line""",
            [("province", "string"), ("code", "string"), ("name", "string"), ("period", "string"),
             ("value", "number"), ("unit", "string"), ("document", "string"),
             ("source_line", "integer"), ("actual_id", "string"), ("period_start", "date"),
             ("period_end", "date"), ("parent_id", "string"), ("field", "string"), ("sentence", "string"),
             ("location", "string")],
        ),
        "tasks": (
            """SELECT province, fiscal_year AS year, section, name, lead_unit, lead_unit_kind, partners,
                      coalesce(CAST(deadline AS VARCHAR), timing_text) AS deadline, budget_vnd,
                      document, source_line, task_id, kind, assignees, expected_result, timing_text,
                      period_start, period_end, recurring, budget_note, field, location
               FROM tasks ORDER BY document, source_line""",
            [("province", "string"), ("year", "integer"), ("section", "string"), ("name", "string"),
             ("lead_unit", "string"), ("lead_unit_kind", "string"), ("partners", "string"), ("deadline", "string"),
             ("budget_vnd", "integer"), ("document", "string"), ("source_line", "integer"),
             ("task_id", "string"), ("kind", "string"), ("assignees", "string"),
             ("expected_result", "string"), ("timing_text", "string"), ("period_start", "date"),
             ("period_end", "date"), ("recurring", "string"), ("budget_note", "string"), ("field", "string"),
             ("location", "string")],
        ),
    }
    for name, (sql, cols) in extra.items():
        df = wh.df(sql)
        if len(df):
            for col, typ in cols:
                if typ == "integer":
                    df[col] = df[col].astype("Int64")
            frames[name] = (df, cols)
    return frames


def export_package(wh: Warehouse, out_dir: Path) -> dict[str, int]:
    """Write the data package into ``out_dir`` (created if needed).

    Returns ``{resource name: row count}``. Integer columns are written without decimals
    (amounts in whole đồng); text is written verbatim (no spreadsheet guard: see the module
    docstring); coded fields carry an ``enum`` constraint.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    resources = []
    counts: dict[str, int] = {}
    for name, (df, cols) in _frames(wh).items():
        path = out_dir / f"{name}.csv"
        df.to_csv(path, index=False, encoding="utf-8")
        counts[name] = len(df)
        fields = []
        for col, typ in cols:
            entry = {"name": col, "type": typ}
            if col.endswith("amount_vnd") or col == "budget_vnd":
                entry["description"] = "đồng (VND), số nguyên"
            if name == "budget_lines":
                entry["description"] = next(d for n, _, d in BUDGET_COLUMNS if n == col)
            if col == "comparator":
                entry["description"] = "So sánh với mục tiêu: " + ", ".join(
                    f"{c.value} ({c.symbol})" for c in Comparator) + "; trống: chỉ tiêu định tính"
            if col in DESCRIPTIONS.get(name, {}):
                entry["description"] = DESCRIPTIONS[name][col]
            if col in FIELD_ENUMS and (col == "comparator" or name in (
                    "budget_lines", "reconciliation", "ratio_checks", "budget_versions")):
                entry["constraints"] = {"enum": list(FIELD_ENUMS[col])}
            fields.append(entry)
        resource = {
            "name": name,
            "path": path.name,
            "format": "csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": {"fields": fields},
        }
        if name == "budget_lines":
            resource["schema"]["primaryKey"] = ["document", "line_id"]
            resource["model"] = {
                "measures": {"amount": {"source": "amount_vnd", "currency": "VND"}},
                "dimensions": {
                    "fiscal_year": {"attributes": {"fiscal_year": {"source": "fiscal_year"}}, "dimensionType": "datetime"},
                    "phase": {"attributes": {"phase": {"source": "phase"}}, "dimensionType": "other"},
                    "direction": {"attributes": {"direction": {"source": "direction"}}, "dimensionType": "classification"},
                    "funding_source": {"attributes": {"funding_source": {"source": "funding_source"}}, "dimensionType": "classification"},
                    "unit": {"attributes": {"unit": {"source": "unit"}}, "dimensionType": "entity"},
                    "unit_kind": {"attributes": {"unit_kind": {"source": "unit_kind"}}, "dimensionType": "classification"},
                    "province": {"attributes": {"province": {"source": "province"}}, "dimensionType": "location"},
                    "version": {"attributes": {"version": {"source": "version"}}, "dimensionType": "other"},
                },
            }
        elif name == "budget_versions":
            resource["schema"]["primaryKey"] = ["document", "version_id"]
        resources.append(resource)
    package = {
        "name": "so-khcn-budget",
        "title": "Ngân sách và chỉ tiêu của các Sở Khoa học và Công nghệ",
        "profile": "fiscal-data-package",
        "currency": "VND",
        "resources": resources,
    }
    (out_dir / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    return counts
