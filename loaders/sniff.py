"""What an uploaded document is, before anyone says where it comes from: its family and the
metadata it prints, to prefill the upload form.

:func:`sniff` reads the file (any supported format), finds the parser of its family
(``loaders.documents.identify``) and runs it once without a province, to learn what the
document itself prints: the fiscal year(s), the kind, the number and title. It also
*suggests* a province from the document's own words ("UBND TỈNH QUẢNG NINH", "… tỉnh Điện
Biên", matched against the reference list the caller passes); the suggestion only prefills
the form, the person uploading confirms or changes it, and the parsers never see it.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from loaders.documents import DocumentError, identify, parse_identified, sha256_of
from loaders.model import DocumentMeta

# Parser module (last part of its name) or template layout → what the family is called.
FAMILY_LABELS = {
    "budget_appendix": "Phụ lục dự toán kinh phí (bảng theo phòng/đơn vị)",
    "plan_budget": "Kế hoạch: bảng kế hoạch – thực hiện và dự toán năm",
    "plan_targets": "Kế hoạch: chỉ tiêu, nhiệm vụ trọng tâm",
    "task_plan": "Kế hoạch nhiệm vụ (bảng nhiệm vụ)",
    "proposal_table": "Bảng kinh phí đề xuất (dự toán năm sau)",
    "report": "Báo cáo định kỳ (kết quả, số liệu thực hiện)",
    "templates": "Mẫu nhập liệu Excel của ứng dụng",
}
SCAN_LINES = 80  # the heading of a document (where the issuing body is printed)
_PREFIX = r"(?:tỉnh|thành phố|tp\.?|ubnd tỉnh|ủy ban nhân dân tỉnh|uỷ ban nhân dân tỉnh)"


@dataclass
class Sniffed:
    """The family and printed metadata of a document (``None`` / empty when not printed).

    ``family``: the parser's name ("budget_appendix", "templates", …) or ``None`` when no
    family knows the layout; ``label``: its Vietnamese name; ``problems``: what the trial
    reading could not do without the form's metadata (e.g. no year printed)."""

    file: str
    sha256: str
    family: str | None
    label: str
    kind: str | None = None
    years: list[int] = field(default_factory=list)
    province: str | None = None
    number: str | None = None
    title: str | None = None
    layout: str | None = None
    problems: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)  # where each line is ("PL1, hàng 12"); [] for text

    def where(self, line: int | None) -> str:
        """Where 1-based ``line`` was printed: "Trang 2, bảng 1, hàng 5", "PL1, hàng 12",
        "dòng 9" for a text file, "" when unknown."""
        if line is None:
            return ""
        if self.refs:
            return self.refs[line - 1] if 1 <= line <= len(self.refs) else ""
        return f"dòng {line}"


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def suggest_province(lines: list[str], names: list[str]) -> str | None:
    """A suggestion for the upload form, which the editor confirms or changes: the province
    the heading of a document names most often ("UBND TỈNH <tên>", "Sở Khoa học và Công nghệ
    tỉnh <tên>"), among ``names`` (the reference list ``data/reference``, never a constant);
    ``None`` when it names none. Only a name right after "tỉnh" / "thành phố" counts, so a
    province in a list of partners of another province's plan does not."""
    found: Counter[str] = Counter()
    order: dict[str, int] = {}
    by_fold = {_fold(n): n for n in names}
    alternatives = "|".join(re.escape(f) for f in sorted(by_fold, key=len, reverse=True))
    if not alternatives:
        return None
    pattern = re.compile(rf"(?<!\w){_PREFIX}\s+({alternatives})(?!\w)")
    for i, line in enumerate(lines[:SCAN_LINES]):
        for m in pattern.finditer(_fold(line)):
            name = by_fold[m.group(1)]
            found[name] += 1
            order.setdefault(name, i)
    if not found:
        return None
    return max(found, key=lambda n: (found[n], -order[n]))


def sniff(path: Path, province_names: list[str] | None = None) -> Sniffed:
    """Family and printed metadata of ``path`` (see the module docstring).

    Raises ``DocumentError`` when the file cannot be read at all (corrupt, protected, too
    large, not a supported format); a layout no family knows gives ``family=None``.
    """
    path = Path(path)
    doc = identify(path)
    digest = sha256_of(path)
    province = suggest_province(doc.lines, province_names or [])
    refs = list(doc.extracted.refs) if doc.extracted is not None else []
    if doc.parser is None:
        return Sniffed(path.name, digest, None, "Không nhận ra loại văn bản", province=province, refs=refs)
    family = doc.parser.__name__.rsplit(".", 1)[-1]
    meta = DocumentMeta(file_name=path.name, sha256=digest)
    problems: list[str] = []
    try:
        result = parse_identified(doc, meta)
        problems = [i.message for i in result.issues if i.severity == "error"]
        meta = result.meta
    except DocumentError as exc:
        problems = [exc.message]
    return Sniffed(path.name, digest, family, FAMILY_LABELS.get(family, family), meta.kind, list(meta.fiscal_years),
                   province, meta.number, meta.title, meta.layout, problems, refs)
