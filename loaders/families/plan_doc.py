"""The parts of a plan document around its tables: metadata, appendices, the tables read.

Shared by the plan families (``loaders.families.plan_targets``: targets, focus tasks, key projects;
``loaders.families.task_plan``: task tables). A plan (``data/raw/003_…``, ``004_…``) opens with the
issuer ("UBND TỈNH …", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"), "Số: …/KH-SKHCN", a place and date
("Điện Biên, ngày … tháng 3 năm 2026"), "KẾ HOẠCH" and a title ending with the plan year; its
tables follow in the body or in appendices ("Phụ lục I" + a title such as "DANH MỤC CÁC CHỈ
TIÊU …"). A table is tab-separated (``loaders.tables.cells.read_tsv``) or PDF text whose cells wrap
column by column (``loaders.tables.flow.read_flow`` with :class:`loaders.families.plan_cells.PlanTyper`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Mapping

from loaders.families.plan_cells import PROFILE, join_wrapped, norm, phrases_re
from loaders.families.plan_flow import PlanTyper
from loaders.model import DocumentMeta, ParseIssue
from loaders.tables.cells import read_tsv
from loaders.tables.flow import flow_headers, read_flow
from loaders.tables.model import SourceRow, Table, TableError

#: Labels that open an appendix ("Phụ lục II", "PHỤ LỤC 1", "Phụ biểu 02", "Biểu 3").
APPENDIX_RE = re.compile(
    rf"^\s*(?:#+\s*)?(?P<label>{phrases_re(PROFILE.list('appendix_labels'))})"
    r"(?:\s+(?P<no>[IVX]+|\d{1,2}))?\s*[:.]?\s*(?P<title>.*?)\s*$",
    re.I,
)
_ATTACHED_RE = re.compile(r"^\s*\(\s*Kèm theo", re.I)
_DATE_TEXT_RE = re.compile(r"ngày\s*(?P<d>\d*)\s*tháng\s*(?P<m>\d*)\s*năm\s*(?P<y>\d{4})")
_PROVINCE_RE = re.compile(r"^\s*UBND\s+TỈNH\s+(?P<p>.+?)\s*$")
_TITLE_YEAR_RE = re.compile(r"năm\s+(?P<y>20\d{2})\s*$", re.I)
_NUMBER_RE = re.compile(r"^\s*(?:#+\s*)?Số\s*:\s*(?P<n>\S*\s*/\s*\S+|\S+)")


@dataclass
class Region:
    """A part of a document: the body before the first appendix (``label`` None) or one
    appendix, from its heading line (1-based ``start``) to the line before the next one."""

    label: str | None  # "Phụ lục II", None for the body
    prefix: str  # "PLII", "PL2", "PL"; "" for the body
    title: str  # "DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM" (upper-case title lines), "" for the body
    start: int
    end: int
    tables: list[Table] = field(default_factory=list)


def _prefix(label: str, no: str | None) -> str:
    initials = "".join(w[0].upper() for w in label.split())
    return initials + (no or "")


def regions(lines: list[str]) -> list[Region]:
    """Split ``lines`` into the body and the appendices. An appendix heading is a line that
    holds only "<label> <number>" (a title in capitals may follow on it); its title is the
    next lines in capitals, up to "(Kèm theo …)". "(Chi tiết tại Phụ lục I kèm theo)" in a
    sentence is not a heading."""
    found: list[tuple[int, str, str, str]] = []
    for i, raw in enumerate(lines):
        m = APPENDIX_RE.match(raw)
        if not m or m.group("title") != m.group("title").upper():
            continue
        label = " ".join(m.group("label").split()).capitalize()
        if m.group("no"):
            label += f" {m.group('no')}"
        title = [m.group("title") or ""]
        for nxt in lines[i + 1 : i + 6]:
            s = norm(nxt)
            if not s:
                continue
            if _ATTACHED_RE.match(s) or not s.upper() == s or re.match(r"^(?:STT|TT)\b", s):
                break
            title.append(s)
        found.append((i + 1, label, _prefix(m.group("label"), m.group("no")), join_wrapped(title)))
    out = [Region(None, "", "", 1, (found[0][0] - 1) if found else len(lines))]
    for k, (start, label, prefix, title) in enumerate(found):
        end = found[k + 1][0] - 1 if k + 1 < len(found) else len(lines)
        out.append(Region(label, prefix, title, start, end))
    return out


def read_tables(lines: list[str], region: Region, file: str, year: int, issues: list[ParseIssue],
                rows: Mapping[int, SourceRow] | None = None) -> list[Table]:
    """The tables of a region: tables of cells (``rows`` of an uploaded file, or
    tab-separated lines), else PDF text read with :class:`PlanTyper`. A header naming an
    unknown unit of amount is an error."""
    part = lines[region.start - 1 : region.end]
    try:
        if has_cells(part, region.start, rows):
            tables = read_tsv(part, file, first_line=region.start, rows=rows)
            typer = PlanTyper(year)
            for t in tables:
                typer.columns(t.header.columns)
            return tables
        return read_flow(part, file, PlanTyper(year), first_line=region.start)
    except TableError as exc:
        issues.append(ParseIssue(exc.line, str(exc), severity="error"))
        return []


def has_cells(part: list[str], start: int, rows: Mapping[int, SourceRow] | None) -> bool:
    """True when a region's tables are given as cells: rows of an uploaded file, or lines
    with tabs."""
    return any(ln.count("\t") >= 2 for ln in part) or bool(rows) and any(start + k in rows for k in range(len(part)))


def read_headers(lines: list[str], region: Region, rows: Mapping[int, SourceRow] | None = None) -> list[list[str | None]]:
    """The column roles of each table header of a region, without reading its rows (see
    :func:`read_tables`); raises ``TableError`` like it."""
    part = lines[region.start - 1 : region.end]
    typer = PlanTyper()
    if has_cells(part, region.start, rows):
        return [typer.columns(t.header.columns) and t.header.roles()
                for t in read_tsv(part, "", first_line=region.start, rows=rows)]
    return [h.roles() for h in flow_headers(part, "", typer, first_line=region.start)]


def read_meta(lines: list[str], meta: DocumentMeta, upto: int, issues: list[ParseIssue]) -> int | None:
    """Fill the metadata the text prints before line ``upto`` (only fields still empty):
    number ("Số: 68/KH-SKHCN"; an empty number is a warning), issue date or its text,
    title ("Kế hoạch " + the lines after "KẾ HOẠCH"), issuer, province ("UBND TỈNH …").
    Returns the plan year read from the end of the title ("… năm 2026"), or None."""
    head = lines[: max(upto, 0)]
    year = None
    for idx, raw in enumerate(head[:60]):
        m = _PROVINCE_RE.match(raw)
        if m and meta.province is None:
            meta.province = m.group("p").title()
        m = _NUMBER_RE.match(raw)
        if m:
            number = re.sub(r"\s+", "", m.group("n"))
            if number.startswith("/"):
                issues.append(ParseIssue(idx + 1, "Số văn bản để trống (bản chưa ký số)", text=norm(raw)))
            elif not meta.number:
                meta.number = number
        dm = _DATE_TEXT_RE.search(raw)
        if dm and re.search(r",\s*ngày", raw):
            text = norm(raw[raw.index("ngày", dm.start()):])
            if dm.group("d") and dm.group("m"):
                if meta.issued_date is None:
                    try:
                        meta.issued_date = date(int(dm.group("y")), int(dm.group("m")), int(dm.group("d")))
                    except ValueError:  # "ngày 31 tháng 02 năm 2024": said, never moved to another day
                        printed = f"{int(dm.group('d')):02d}/{int(dm.group('m')):02d}/{dm.group('y')}"
                        issues.append(ParseIssue(idx + 1, f"Ngày không có thật: {printed} (dòng {idx + 1}): ngày ban hành để trống",
                                                 text=text))
            elif not meta.issued_text and not meta.issued_date:
                meta.issued_text = re.sub(r"^ngày\s+(?=tháng)", "", text)
        s = norm(re.sub(r"^#+\s*", "", raw))
        if s.startswith("KẾ HOẠCH") and year is None:  # the heading, in capitals
            parts = [s[len("KẾ HOẠCH"):].strip()]
            for nxt in head[idx + 1 : idx + 12]:
                t = norm(nxt)
                if not t:
                    continue
                if re.match(r"^(?:Thực hiện|Căn cứ|Số\s*:)", t) or len(parts) >= 4 or "\t" in nxt:
                    break
                parts.append(t)
            title = join_wrapped([p for p in parts if p])
            ym = _TITLE_YEAR_RE.search(title)
            if ym:
                year = int(ym.group("y"))
            if not meta.title and title:
                meta.title = f"Kế hoạch {title.lower() if title.isupper() else title}"
    if not meta.number:
        _attached_to(head[:60], meta, issues)
    if meta.issuer is None:
        for raw in head[:10]:
            if re.match(r"^\s*SỞ KHOA HỌC VÀ CÔNG NGHỆ\s*$", raw):
                meta.issuer = "Sở Khoa học và Công nghệ" + (f" tỉnh {meta.province}" if meta.province else "")
    return year


_ATTACHED_TO_RE = re.compile(
    r"Kèm theo\s+(?:Quyết định|Kế hoạch|Công văn|Thông báo|Tờ trình|Báo cáo)\s+số\s*:?\s*(?P<n>\d+[\w/\-.]*/[\w\-.]+)"
    r"(?:\s+ngày\s+(?:(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})))?", re.I)


def _attached_to(head: list[str], meta: DocumentMeta, issues: list[ParseIssue]) -> None:
    """An appendix printed alone names its document in "(Kèm theo Quyết định số
    1856/QĐ-UBND ngày 16/9/2025 của …)": that number and date are the document's when it
    prints no "Số:" line of its own (the adjustment decision whose appendix this is: its
    version). A date that does not exist is said, never moved."""
    for idx, raw in enumerate(head):
        m = _ATTACHED_TO_RE.search(norm(raw))
        if not m:
            continue
        meta.number = m.group("n").rstrip(".")
        d, mo, y = (m.group("d") or m.group("d2"), m.group("m") or m.group("m2"), m.group("y") or m.group("y2"))
        if y and meta.issued_date is None:
            try:
                meta.issued_date = date(int(y), int(mo), int(d))
            except ValueError:
                issues.append(ParseIssue(idx + 1, f"Ngày không có thật: {int(d):02d}/{int(mo):02d}/{y} (dòng {idx + 1}): "
                                         "ngày ban hành để trống", text=norm(raw)))
        return


def plan_year(lines: list[str], meta: DocumentMeta, upto: int, issues: list[ParseIssue]) -> int | None:
    """The plan year: the title's, else the manifest's first fiscal year; ``meta`` is
    completed (see :func:`read_meta`) and its fiscal years include the year."""
    year = read_meta(lines, meta, upto, issues)
    if year is None and meta.fiscal_years:
        year = meta.fiscal_years[0]
    if year is not None:
        meta.fiscal_years = sorted(set(meta.fiscal_years) | {year})
    return year
