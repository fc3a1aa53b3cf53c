"""A table of proposals alone: a department's proposed budget for next year split by funding
source ("Kinh phí đề xuất năm 2020" over "Tổng số | Nguồn SNKH | Vốn ĐTPT"), printed in a plan
that no other family reads (a plan letter to the Sở Tài chính with its table, blind round 19's
``z5``).

It is read exactly like an estimate appendix (:mod:`loaders.families.budget_appendix`: codes,
sections, subtotals, the split by source checked against its "Tổng số", printed totals), its
lines keeping the proposal stage ("đề xuất", phase ``proposed``), never the estimate's. This
family comes last: a table any other family knows is read by it.
"""
from __future__ import annotations

from typing import Mapping

from loaders.families import budget_appendix
from loaders.model import DocumentMeta, ParseResult
from loaders.tables.cells import read_tsv
from loaders.tables.model import SourceRow, TableError
from loaders.tables.plan import guess_plan

LAYOUT = "proposal_table"

#: The stage of the columns this family reads besides the estimate's (``data/vocabulary/columns.csv``).
PROPOSAL = "đề xuất"


def detect(lines: list[str], rows: Mapping[int, SourceRow] | None = None) -> bool:
    """True when a table of cells proposes a year's money ("Kinh phí đề xuất năm 2020": a
    proposal column naming its fiscal year) and the document is an appendix table
    (:func:`budget_appendix.detect`) once its amount columns may be proposals. A request
    without a year ("Số tiền đề nghị cấp" in a letter asking for a round of money) is not one."""
    if not rows:
        return False
    try:
        tables = read_tsv(lines, "detect", rows=rows)
    except TableError:
        return False
    if not any(c.stage == PROPOSAL and c.year for t in tables for c in guess_plan(t, PROPOSAL).of("amount")):
        return False
    with budget_appendix.reading_stages(PROPOSAL):
        return budget_appendix.detect(lines, rows)


def parse(lines: list[str], meta: DocumentMeta, rows: Mapping[int, SourceRow] | None = None) -> ParseResult:
    """Read the document as :func:`budget_appendix.parse` does, proposal columns included (each
    line keeps its column's stage). Raises what that function raises."""
    with budget_appendix.reading_stages(PROPOSAL):
        result = budget_appendix.parse(lines, meta, rows=rows)
    result.meta.layout = LAYOUT
    return result
