"""What kind of money a line is: state-budget spending, revenue collected, spending of retained
fees, or fees paid over to the state budget — read from the line's wording and its headings
with the reviewed vocabulary ``data/vocabulary/flows.csv``.

Source: the execution and estimate disclosures of Thông tư 61/2017/TT-BTC as amended by
Thông tư 90/2018/TT-BTC (``../shared/reference/PUBLIC_FORMS.md``, Biểu 03 part I: số thu phí,
lệ phí / chi từ nguồn thu phí được để lại / số phí, lệ phí nộp NSNN; part II: dự toán chi
ngân sách nhà nước). The three fee flows are three different things, none of them
state-budget spending.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from loaders.text.vocabulary import (
    VOCABULARY_DIR,
    FileCache,
    VocabularyError,
    compile_phrase,
    fold,
    read_rows,
    split_phrases,
)

FLOWS_CSV = VOCABULARY_DIR / "flows.csv"
FLOWS = ("spending", "revenue", "fee_spending", "remittance")
COLUMNS = ("flow", "phrases", "comment")
#: The record fields a flow gives: (direction, funding source or None to keep the line's own).
FLOW_FIELDS = {
    "spending": ("expenditure", None),
    "revenue": ("revenue", "THU_PHI"),
    "fee_spending": ("expenditure", "THU_PHI"),
    "remittance": ("remittance", "THU_PHI"),
}


@dataclass(frozen=True)
class FlowPhrase:
    flow: str
    phrase: str
    line: int
    pattern: re.Pattern[str]


def load_flows(path: Path | str | None = None) -> list[FlowPhrase]:
    """Read and check ``flows.csv``. Raises :class:`VocabularyError` ("file:line: problem")
    for an unknown flow, an empty phrase or an invalid regular expression."""
    path = Path(path) if path is not None else FLOWS_CSV
    out = []
    for line, row in read_rows(path, COLUMNS):
        if row["flow"] not in FLOWS:
            raise VocabularyError(path, line, f"flow {row['flow']!r} không hợp lệ (dùng {', '.join(FLOWS)})")
        for phrase in split_phrases(row["phrases"]):
            if not phrase:
                raise VocabularyError(path, line, "cụm từ rỗng (thừa dấu '|'?)")
            try:
                out.append(FlowPhrase(row["flow"], phrase, line, compile_phrase(phrase)))
            except re.error as exc:
                raise VocabularyError(path, line, f"biểu thức {phrase!r} không hợp lệ: {exc}") from None
    return out


_cache = FileCache()


def flow_of(text: str | None) -> str | None:
    """The flow a line's wording names ("Số thu phí, lệ phí" → "revenue"; "Chi từ nguồn thu
    phí được để lại" → "fee_spending"; "Số phí, lệ phí nộp NSNN" → "remittance"; "Dự toán chi
    ngân sách nhà nước" → "spending"), or ``None`` when it names none. The longest phrase
    found wins (so "phí nộp NSNN" is remittance, not revenue)."""
    if not text:
        return None
    s = fold(text)
    best: tuple[int, str] | None = None
    for fp in _cache.get(FLOWS_CSV, load_flows):
        for m in fp.pattern.finditer(s):
            if best is None or m.end() - m.start() > best[0]:
                best = (m.end() - m.start(), fp.flow)
    return best[1] if best else None


def inherited_flow(texts: Iterable[str | None]) -> str:
    """The flow of a line from its own wording, then its parents' and sections' (nearest
    first): the first that names one; "spending" when none does."""
    for text in texts:
        found = flow_of(text)
        if found:
            return found
    return "spending"
