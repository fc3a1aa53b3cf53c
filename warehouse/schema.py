"""DuckDB schema of the warehouse (long format: one amount per budget-line row).

Amounts are ``BIGINT`` đồng. Every fact row carries ``document`` and ``source_line``.
"""
from __future__ import annotations

from loaders.vocab import Comparator, Direction, FundingSource, Phase, ReconciliationStatus, sql_in_list

SCHEMA_VERSION = "13"  # 4: reconciliation status "unchecked"; 5: documents.content_key;
# 6: units as printed with their kind beside them (unit_kind, lead_unit_kind); 7: indicators.comparator
# CHECK (a symbol of loaders.vocab.Comparator); 8: periods, cells and versions of budget lines, ratio checks,
# budget versions; 9: excluded_documents (duplicates left out by the build); 10: budget_lines.counted
# (warehouse.counting: one figure per scope across documents); 11: documents.folder (shipped or uploads),
# excluded_documents kind 'name' (a file named like one of an earlier folder); 12: location of every figure of
# an uploaded file (page, table, row / sheet and cell: loaders.tables.files.location). A warehouse of another
# version is stale (warehouse.freshness) and rebuilt from the documents: the rebuild is the migration.
# 13: budget_lines.kind (budget / task / project, from the line's task, set at build: one GROUP BY)

DDL = f"""
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE provinces (
    code_gso VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    name_ascii VARCHAR,
    region VARCHAR,
    population_2023 BIGINT,
    successor_2025 VARCHAR,
    successor_code_gso VARCHAR
);

CREATE TABLE documents (
    document VARCHAR PRIMARY KEY,       -- file name (unique across the documents folders)
    sha256 VARCHAR NOT NULL UNIQUE,
    content_key VARCHAR,                -- SHA-256 of the text without layout noise (warehouse.duplicates)
    province VARCHAR NOT NULL,
    province_code VARCHAR,
    fiscal_years INTEGER[],
    kind VARCHAR,
    issuer VARCHAR,
    number VARCHAR,
    issued_date DATE,
    issued_text VARCHAR,
    title VARCHAR,
    layout VARCHAR,
    n_lines INTEGER,
    loaded_at TIMESTAMP,
    folder VARCHAR                      -- the documents folder it was read from (shipped data/raw or the uploads)
);

-- Documents of data/raw the build left out because they duplicate one read before them
-- (warehouse.duplicates.refused: same text, same number, or a shared scope not allowed).
CREATE TABLE excluded_documents (
    document VARCHAR PRIMARY KEY,       -- file name in data/raw, not in the warehouse
    kept_document VARCHAR NOT NULL,     -- the earlier document it duplicates, kept
    kind VARCHAR NOT NULL CHECK (kind IN ('content', 'number', 'scope', 'name')),
    detail VARCHAR,                     -- the shared number or scope; for 'name', the folder of the file left out
    message VARCHAR NOT NULL,           -- why, in Vietnamese, naming both files
    province VARCHAR,
    fiscal_years INTEGER[],
    sha256 VARCHAR
);

CREATE TABLE budget_lines (
    document VARCHAR NOT NULL,
    line_id VARCHAR NOT NULL,
    province VARCHAR NOT NULL,
    province_code VARCHAR,
    fiscal_year INTEGER NOT NULL,
    phase VARCHAR NOT NULL CHECK (phase IN ({sql_in_list(Phase)})),
    phase_vn VARCHAR NOT NULL,
    direction VARCHAR NOT NULL CHECK (direction IN ({sql_in_list(Direction)})),
    funding_source VARCHAR NOT NULL CHECK (funding_source IN
        ({sql_in_list(FundingSource)})),
    funding_note VARCHAR,
    unit VARCHAR,                       -- Phòng/đơn vị as printed (assignees in parentheses taken out)
    unit_kind VARCHAR,                  -- its kind across provinces (data/vocabulary/units.csv); NULL: unknown
    field VARCHAR,
    appendix VARCHAR,
    section VARCHAR,
    code VARCHAR,
    parent_id VARCHAR,
    level INTEGER,
    is_subtotal BOOLEAN NOT NULL,
    description VARCHAR,
    description_line INTEGER,
    period VARCHAR,
    quarters INTEGER[],
    amount_vnd BIGINT,
    amount_text VARCHAR,
    amount_unit VARCHAR,
    source_line INTEGER NOT NULL,
    note VARCHAR,
    task_id VARCHAR,
    cumulative BOOLEAN NOT NULL DEFAULT false, -- "lũy kế": quarters 1…n of the year
    column_label VARCHAR,                      -- the amount's column as printed
    source_ref VARCHAR,                        -- the amount's cell in an uploaded file ("PL1!D12")
    version VARCHAR,                           -- the adjustment decision the line belongs to
    counted BOOLEAN NOT NULL DEFAULT true,     -- part of a sum across documents (warehouse.counting)
    location VARCHAR,                          -- in an uploaded file: "trang 3, bảng 2, hàng 5, cột 4", "trang tính Dự toán, ô D12"
    kind VARCHAR NOT NULL DEFAULT 'budget' CHECK (kind IN ('budget', 'task', 'project')),  -- what the figure is (queries.KINDS): set at build from its task
    PRIMARY KEY (document, line_id)
);

CREATE TABLE ratio_checks (
    document VARCHAR NOT NULL,
    province VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    code VARCHAR,
    column_label VARCHAR NOT NULL,
    printed VARCHAR NOT NULL,           -- the percentage as printed: never money
    computed VARCHAR,                   -- numerator / denominator × 100 from the same row
    numerator_line VARCHAR,
    denominator_line VARCHAR,
    status VARCHAR NOT NULL CHECK (status IN ({sql_in_list(ReconciliationStatus)})),
    detail VARCHAR,
    fiscal_year INTEGER,
    source_line INTEGER NOT NULL,
    source_ref VARCHAR,
    location VARCHAR
);

CREATE TABLE budget_versions (
    document VARCHAR NOT NULL,
    province VARCHAR NOT NULL,
    version_id VARCHAR NOT NULL,        -- the decision's number; budget_lines.version
    fiscal_year INTEGER NOT NULL,
    decision_number VARCHAR,
    decision_date DATE,
    issuer VARCHAR,
    title VARCHAR,
    before_vnd BIGINT,
    after_vnd BIGINT,
    increase_vnd BIGINT NOT NULL,
    decrease_vnd BIGINT NOT NULL,
    net_change_vnd BIGINT NOT NULL,
    printed_increase_vnd BIGINT,
    printed_decrease_vnd BIGINT,
    printed_net_vnd BIGINT,
    changed_lines INTEGER,
    status VARCHAR NOT NULL CHECK (status IN ({sql_in_list(ReconciliationStatus)})),
    detail VARCHAR,
    source_line INTEGER NOT NULL,
    location VARCHAR,
    PRIMARY KEY (document, version_id)
);

CREATE TABLE totals (
    document VARCHAR NOT NULL,
    province VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    label VARCHAR,
    kind VARCHAR NOT NULL,
    fiscal_year INTEGER,
    phase_vn VARCHAR,
    printed_amount_vnd BIGINT NOT NULL,
    words_text VARCHAR,
    words_amount_vnd BIGINT,
    computed_amount_vnd BIGINT,
    status VARCHAR NOT NULL CHECK (status IN ({sql_in_list(ReconciliationStatus)})),
    detail VARCHAR,
    source_line INTEGER NOT NULL,
    words_line INTEGER,
    covers VARCHAR[],
    location VARCHAR
);

CREATE TABLE parse_issues (
    document VARCHAR NOT NULL,
    line INTEGER,
    severity VARCHAR,
    message VARCHAR,
    text VARCHAR
);

CREATE TABLE indicators (
    document VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL,
    province VARCHAR NOT NULL,
    fiscal_year INTEGER,
    code VARCHAR,
    name VARCHAR,
    "group" VARCHAR,
    subgroup VARCHAR,
    comparator VARCHAR CHECK (comparator IN ({sql_in_list(Comparator, "symbol")})),  -- as printed: "=", ">=" …
    target_value DOUBLE,
    target_unit VARCHAR,
    target_text VARCHAR,
    qualitative BOOLEAN,
    lead_unit VARCHAR,                  -- as printed
    lead_unit_kind VARCHAR,             -- its kind across provinces; NULL: unknown
    legal_basis VARCHAR,
    field VARCHAR,
    parsed BOOLEAN,
    source_line INTEGER NOT NULL,
    sentence VARCHAR,
    note VARCHAR,
    location VARCHAR,
    PRIMARY KEY (document, indicator_id)
);

CREATE TABLE indicator_actuals (
    document VARCHAR NOT NULL,
    actual_id VARCHAR NOT NULL,
    province VARCHAR NOT NULL,
    fiscal_year INTEGER,
    code VARCHAR,
    name VARCHAR,
    period VARCHAR,
    period_start DATE,
    period_end DATE,
    value DOUBLE,
    unit VARCHAR,
    parent_id VARCHAR,
    field VARCHAR,
    source_line INTEGER NOT NULL,
    sentence VARCHAR,
    note VARCHAR,
    location VARCHAR,
    PRIMARY KEY (document, actual_id)
);

CREATE TABLE tasks (
    document VARCHAR NOT NULL,
    task_id VARCHAR NOT NULL,
    province VARCHAR NOT NULL,
    fiscal_year INTEGER,
    kind VARCHAR,
    section VARCHAR,
    name VARCHAR,
    lead_unit VARCHAR,                  -- as printed, without the assignees in parentheses
    lead_unit_kind VARCHAR,             -- its kind across provinces; NULL: unknown
    assignees VARCHAR,
    partners VARCHAR,
    expected_result VARCHAR,
    timing_text VARCHAR,
    deadline DATE,
    period_start DATE,
    period_end DATE,
    recurring VARCHAR,
    budget_vnd BIGINT,
    budget_text VARCHAR,
    budget_note VARCHAR,
    field VARCHAR,
    source_line INTEGER NOT NULL,
    note VARCHAR,
    location VARCHAR,
    PRIMARY KEY (document, task_id)
);
"""

# Columns of each fact table in insertion order (used to build Arrow tables).
TABLE_COLUMNS = {
    "budget_lines": [
        "document", "line_id", "province", "province_code", "fiscal_year", "phase", "phase_vn",
        "direction", "funding_source", "funding_note", "unit", "unit_kind", "field", "appendix", "section",
        "code", "parent_id", "level", "is_subtotal", "description", "description_line", "period",
        "quarters", "amount_vnd", "amount_text", "amount_unit", "source_line", "note", "task_id",
        "cumulative", "column_label", "source_ref", "version", "location", "kind",
    ],
    "ratio_checks": [
        "document", "province", "scope", "code", "column_label", "printed", "computed", "numerator_line",
        "denominator_line", "status", "detail", "fiscal_year", "source_line", "source_ref", "location",
    ],
    "budget_versions": [
        "document", "province", "version_id", "fiscal_year", "decision_number", "decision_date", "issuer", "title",
        "before_vnd", "after_vnd", "increase_vnd", "decrease_vnd", "net_change_vnd", "printed_increase_vnd",
        "printed_decrease_vnd", "printed_net_vnd", "changed_lines", "status", "detail", "source_line", "location",
    ],
    "totals": [
        "document", "province", "scope", "label", "kind", "fiscal_year", "phase_vn",
        "printed_amount_vnd", "words_text", "words_amount_vnd", "computed_amount_vnd", "status",
        "detail", "source_line", "words_line", "covers", "location",
    ],
    "parse_issues": ["document", "line", "severity", "message", "text"],
    "indicators": [
        "document", "indicator_id", "province", "fiscal_year", "code", "name", "group", "subgroup",
        "comparator", "target_value", "target_unit", "target_text", "qualitative", "lead_unit",
        "lead_unit_kind", "legal_basis", "field", "parsed", "source_line", "sentence", "note", "location",
    ],
    "indicator_actuals": [
        "document", "actual_id", "province", "fiscal_year", "code", "name", "period",
        "period_start", "period_end", "value", "unit", "parent_id", "field", "source_line",
        "sentence", "note", "location",
    ],
    "tasks": [
        "document", "task_id", "province", "fiscal_year", "kind", "section", "name", "lead_unit",
        "lead_unit_kind", "assignees", "partners", "expected_result", "timing_text", "deadline", "period_start",
        "period_end", "recurring", "budget_vnd", "budget_text", "budget_note", "field",
        "source_line", "note", "location",
    ],
}
