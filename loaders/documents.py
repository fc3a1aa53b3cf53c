"""Reading source documents: text lines, the manifest of ``data/raw`` and the parser registry.

One function, :func:`read_document`, turns a file plus its manifest entry into a reconciled
``ParseResult``; both ``build`` and ``ingest`` (and the upload page) go through it.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType

from pydantic import BaseModel, ValidationError, field_validator

from loaders.enrich import enrich
from loaders.families import (
    adjustment,
    budget_appendix,
    disclosure,
    plan_budget,
    plan_targets,
    proposal_table,
    report,
    task_plan,
    templates,
)
from loaders.families.plan_cells import PROFILE as PLAN_PROFILE, phrases_re
from loaders.folder import DOCUMENT_SUFFIXES, MANIFEST_NAME, list_documents  # noqa: F401 - the folder API, re-exported
from loaders.model import DocumentMeta, ParseIssue, ParseResult
from loaders.reconcile import out_of_scale_lines, reconcile, unit_by_words
from loaders.text.units import document_unit
from loaders.unread import unread_money_tables, unread_text_rows
from loaders.tables import files as formats
from loaders.tables import layouts
from loaders.tables.files import location, progress
from loaders.tables.files.filecheck import FileRefused, preflight
from loaders.text.encoding import EncodingRefused, decode_text
from loaders.vocab import DocumentKind

MANIFEST_COLUMNS = ["file", "province", "fiscal_years", "kind", "issuer", "number", "issued_date", "title", "profile",
                    "allow_overlap"]
#: Spellings of "yes" in the manifest's ``allow_overlap`` column (anything else but empty is refused).
_YES = {"có", "co", "x", "1", "true", "yes"}
KINDS = set(DocumentKind.values())

# Order matters: the first parser whose detect() accepts the text reads it.
PARSERS: list[ModuleType] = [adjustment, disclosure, report, budget_appendix, plan_budget, plan_targets, task_plan,
                              proposal_table]
# Parsers of a whole extracted file (workbook, DOCX, PDF): ``detect_extracted(extracted)``
# and ``parse_extracted(extracted, meta)``; tried before the text parsers.
EXTRACTED_PARSERS: list[ModuleType] = [templates]


class DocumentError(Exception):
    """A document that cannot be read. ``str()`` names the file and, when known, the line."""

    def __init__(self, file: str, message: str, line: int | None = None):
        self.file, self.line, self.message = file, line, message
        self.issues: list[ParseIssue] = []  # all errors of the document, when a parser reported several
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        """Picklable with its fields (a document parsed in a child process, ``warehouse.isolate``,
        sends its error back as it is)."""
        return (DocumentError, (self.file, self.message, self.line), self.__dict__)


class ManifestEntry(BaseModel):
    """One row of ``data/raw/manifest.csv`` (metadata a document does not print)."""

    file: str
    province: str
    fiscal_years: list[int]
    kind: str
    issuer: str | None = None
    number: str | None = None
    issued_date: date | None = None
    title: str | None = None
    profile: str | None = None  # layout profile(s) (data/profiles/layouts) the officer chose for its tables ("a,b")
    # The officer allowed this document to share a province-year-stage scope with another one
    # (ingest --allow-overlap): a rebuild keeps both (warehouse.duplicates.refused). Written "có".
    allow_overlap: bool = False

    @field_validator("allow_overlap", mode="before")
    @classmethod
    def _yes(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip().lower()
            if text in ("", "không", "khong", "0", "false", "no"):
                return False
            if text in _YES:
                return True
            raise ValueError(f"allow_overlap {value!r}: để trống hoặc ghi 'có'")
        return value

    @field_validator("fiscal_years", mode="before")
    @classmethod
    def _years(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return [int(v) for v in value.replace(",", ";").split(";") if v.strip()]
            except ValueError:
                raise ValueError(f"năm {value!r} không phải số (ví dụ 2024 hoặc 2020;2021)") from None
        return value

    @field_validator("fiscal_years")
    @classmethod
    def _year_range(cls, value: list[int]) -> list[int]:
        bad = [y for y in value if not 1990 <= y <= 2100]
        if bad:
            raise ValueError(f"năm {bad[0]} nằm ngoài khoảng 1990–2100")
        return value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in KINDS:
            raise ValueError(f"kind phải là một trong {sorted(KINDS)}")
        return value

    @field_validator("issuer", "number", "issued_date", "title", "profile", mode="before")
    @classmethod
    def _empty(cls, value: object) -> object:
        return None if value == "" else value


def read_extracted(path: Path) -> formats.Extracted:
    """A workbook, DOCX or PDF read by ``loaders.tables.files`` (lines, their locations, tables),
    after ``loaders.tables.files.filecheck.preflight``.

    Raises ``DocumentError`` (the reader's Vietnamese message) for a corrupt, protected,
    hostile or oversized file.
    """
    try:
        return formats.extract(path)
    except formats.FormatError as exc:
        raise DocumentError(path.name, exc.message, exc.line) from exc


def read_lines(path: Path) -> list[str]:
    """The text of a document as lines (Unicode NFC, split on newlines only), so that
    line ``n`` is what an editor shows as line ``n``. A workbook, DOCX or PDF gives the
    lines of ``loaders.tables.files`` (one per paragraph line / table row).

    The file is checked first (``loaders.tables.files.filecheck.preflight``: size, directory, Office
    containers, bombs), then decoded by ``loaders.text.encoding.decode_text`` (UTF-8, or UTF-16 with
    BOM and Windows-1258 converted; TCVN3/VNI and uncertain encodings refused, naming them).
    Raises ``DocumentError`` (file, and the line of the first undecodable byte when known).
    """
    path = Path(path)
    if path.suffix.lower() in formats.SUFFIXES:
        return read_extracted(path).lines  # preflight first, inside
    try:
        preflight(path)
    except FileRefused as exc:
        raise DocumentError(path.name, exc.message) from exc
    if path.suffix.lower() not in DOCUMENT_SUFFIXES:
        raise DocumentError(path.name, f"định dạng {path.suffix!r} chưa được hỗ trợ (chỉ {sorted(DOCUMENT_SUFFIXES)})")
    try:
        text, _ = decode_text(path.read_bytes())
    except EncodingRefused as exc:
        raise DocumentError(path.name, exc.message, exc.line) from exc
    return [ln.rstrip("\r") for ln in text.split("\n")]


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (identifies a document: the same file ingested twice
    adds nothing)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(raw_dir: Path) -> dict[str, ManifestEntry]:
    """Read ``raw_dir/manifest.csv`` into entries keyed by file name.

    Returns ``{}`` when there is no manifest. Raises ``DocumentError`` naming the manifest
    and the line of the first invalid row.
    """
    path = raw_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    entries: dict[str, ManifestEntry] = {}
    if path.is_dir():
        raise DocumentError(path.name, "là một thư mục, không phải tệp")
    try:
        text, _ = decode_text(path.read_bytes())
    except EncodingRefused as exc:
        raise DocumentError(path.name, exc.message, exc.line) from exc
    with io.StringIO(text, newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"file", "province", "fiscal_years", "kind"} - set(reader.fieldnames or [])
        if missing:
            raise DocumentError(path.name, f"thiếu cột {sorted(missing)}", 1)
        for row in reader:
            try:
                entry = ManifestEntry(**{k: (v or "").strip() for k, v in row.items() if k})
            except ValidationError as exc:
                first = exc.errors()[0]
                raise DocumentError(
                    path.name, f"cột {first['loc'][0]}: {first['msg'].removeprefix('Value error, ')}", reader.line_num
                ) from exc
            entries[entry.file] = entry
    return entries


def write_manifest_entry(raw_dir: Path, entry: ManifestEntry) -> None:
    """Add or replace the manifest row of ``entry.file`` in ``raw_dir/manifest.csv``."""
    entries = read_manifest(raw_dir)
    entries[entry.file] = entry
    path = raw_dir / MANIFEST_NAME
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST_COLUMNS)
        writer.writeheader()
        for e in sorted(entries.values(), key=lambda e: e.file):
            row = e.model_dump()
            row["fiscal_years"] = ";".join(str(y) for y in e.fiscal_years)
            row["issued_date"] = e.issued_date.isoformat() if e.issued_date else ""
            row["allow_overlap"] = "có" if e.allow_overlap else ""
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    tmp.replace(path)


def choose_parser(lines: list[str], rows: dict | None = None) -> ModuleType | None:
    """The first registered parser whose ``detect(lines, rows)`` accepts the document
    (``rows``: the cells of an uploaded file's tables, by line)."""
    for parser in PARSERS:
        if parser.detect(lines, rows):
            return parser
    return None


@dataclass
class Overrides:
    """Metadata given on the command line (or the upload page); wins over the manifest."""

    province: str | None = None
    year: int | None = None
    kind: str | None = None
    profile: str | None = None  # layout profile(s) for its tables (the command line's --profile; "a,b" for several)


@dataclass
class Identified:
    """A document read and its family found: ``parser`` (``None``: no family knows it),
    ``whole`` (the parser reads the extracted file, e.g. a filled template), the extracted
    workbook / Word / PDF file (``None`` for text) and the lines."""

    parser: ModuleType | None
    whole: bool
    extracted: formats.Extracted | None
    lines: list[str]
    rows: dict | None = None  # the cells of the tables of an uploaded file, by line


#: A line longer than this is no line of a document (an extracted text, a cell, a paragraph):
#: the file is refused before any family looks at it.
MAX_LINE_CHARS = 20_000


def identify(path: Path) -> Identified:
    """Read ``path`` (any supported format) and find the parser of its family (each
    family's ``detect`` looks at titles and table headers, never reads the tables).

    Raises ``DocumentError`` when the file cannot be read, or holds a line longer than
    :data:`MAX_LINE_CHARS` (one huge line is not a document)."""
    extracted = read_extracted(path) if path.suffix.lower() in formats.SUFFIXES else None
    lines = extracted.lines if extracted is not None else read_lines(path)
    long = next((n for n, ln in enumerate(lines, start=1) if len(ln) > MAX_LINE_CHARS), None)
    if long is not None:
        size = f"{len(lines[long - 1]):,}".replace(",", ".")
        raise DocumentError(path.name, f"dòng {long} dài {size} ký tự: không phải văn bản (các dòng của một văn bản "
                            f"ngắn hơn {MAX_LINE_CHARS:,} ký tự)".replace(",", "."), long)
    whole = next((p for p in EXTRACTED_PARSERS if extracted is not None and p.detect_extracted(extracted)), None)
    rows = extracted.cell_rows() if extracted is not None else None
    return Identified(whole or choose_parser(lines, rows), whole is not None, extracted, lines, rows)


def parse_identified(doc: Identified, meta: DocumentMeta) -> ParseResult:
    """Run the family's parser on an identified document (not reconciled, errors left in
    ``issues``). A parser whose ``parse`` takes ``rows`` gets the cells of the tables of an
    extracted file with their own location. A workbook whose sheets belong to different
    families (an estimate on one sheet, the year's targets on another) is read sheet group by
    sheet group, each by its own family (:func:`family_parts`), into one result. Raises
    ``DocumentError`` on a parser failure."""
    parts = None if doc.whole else family_parts(doc)
    if parts is None:
        return _parse_with(doc.parser, doc, doc.lines, doc.rows, meta)
    result = ParseResult(meta=meta)
    results = [_parse_with(parser, doc, lines, rows, meta) for parser, lines, rows in parts]
    budgeted = {b.fiscal_year for part in results for b in part.budget_lines if b.task_id is None}
    for part in results:
        _tasks_money_in_the_budget(part, budgeted)
        for name in ("budget_lines", "totals", "indicators", "actuals", "tasks", "ratios", "versions", "issues"):
            getattr(result, name).extend(getattr(part, name))
    return result


def _tasks_money_in_the_budget(part: ParseResult, budgeted: set[int]) -> None:
    """A tasks table beside the document's own budget table of the same year (a plan's "Phụ lục
    II — nhiệm vụ" beside "Phụ lục III — dự toán kinh phí"; ``budgeted``: the years of the
    document's budget lines that are no task's): the tasks' money is the detail of the budget's
    lines, so it stays on each task (``Task.budget_vnd``) and is not stored again as budget
    lines (it would show a second time among the year's money); the totals of the tasks table
    are dropped with them. Said in one warning with the lines, never silent. Tasks of another
    year (next year's proposals) keep their lines."""
    tasks = [b for b in part.budget_lines if b.task_id is not None and b.fiscal_year in budgeted]
    if not tasks:
        return
    ids = {b.line_id for b in tasks}
    part.budget_lines = [b for b in part.budget_lines if b.line_id not in ids]
    part.totals = [t for t in part.totals if not set(t.covers) & ids]
    numbers = ", ".join(str(n) for n in sorted({b.source_line for b in tasks if b.source_line}))
    part.issues.append(ParseIssue(
        tasks[0].source_line,
        f"Kinh phí của {len(tasks)} nhiệm vụ (dòng {numbers}) là chi tiết của bảng dự toán trong cùng văn bản: "
        "giữ ở từng nhiệm vụ, không tính thêm thành dòng ngân sách"))


def _parse_with(parser: ModuleType, doc: Identified, lines: list[str], rows: dict | None, meta: DocumentMeta) -> ParseResult:
    try:
        if doc.whole:
            return parser.parse_extracted(doc.extracted, meta)
        return parser.parse(lines, meta, rows=rows)
    except (ValueError, KeyError, IndexError) as exc:  # a parser bug on unexpected input
        raise DocumentError(meta.file_name, f"lỗi khi đọc ({parser.__name__}): {exc}") from exc


#: An appendix heading alone on its line ("Phụ lục II", "PHỤ LỤC 03", "Biểu số 2"): between two
#: tables of a Word or PDF file it opens a part of its own (:func:`family_parts`).
_APPENDIX_HEADING_RE = re.compile(
    rf"^\s*(?:{phrases_re(PLAN_PROFILE.list('appendix_labels'))})\s+(?:số\s+)?(?:\d{{1,2}}|[IVX]+)\b\s*[:.]?", re.I)


_GOES_ON_RE = re.compile(r"\(?\s*tiếp\s+theo\s*\)?", re.I)


def _appendix_spans(lines: list[str], tables: list[list[int]]) -> list[set[int]] | None:
    """The line numbers of each appendix of a Word or PDF file, from the line numbers of its
    tables: an appendix heading ("Phụ lục II", alone at the start of a line) between two tables
    opens a part at the text after the first table (its heading, title and "Đơn vị tính" are
    the part's); "Phụ lục II (tiếp theo)", or the same heading again, goes on with the part
    before it, and so does a table with no heading above it (the rest of a table after a page
    break). The last part runs to the end (the signatures). ``None`` for a file of one part."""
    starts, seen = [1], None
    for before, numbers in zip(tables, tables[1:]):
        heads = [m for n in range(before[-1] + 1, numbers[0])
                 if (m := _APPENDIX_HEADING_RE.match(lines[n - 1])) and not _GOES_ON_RE.search(lines[n - 1])]
        name = " ".join(heads[-1].group(0).casefold().split()).rstrip(":.") if heads else None
        if name and name != seen:
            starts.append(numbers[0])
            seen = name
    if len(starts) < 2:
        return None
    begins = [1] + [max(t[-1] for t in tables if t[-1] < first) + 1 for first in starts[1:]]
    ends = [b - 1 for b in begins[1:]] + [len(lines)]
    return [set(range(b, e + 1)) for b, e in zip(begins, ends)]


def family_parts(doc: Identified) -> list[tuple[ModuleType, list[str], dict]] | None:
    """The parts of an extracted document grouped by the family each belongs to
    (``choose_parser`` on the part alone), when there are two families or more: ``[(parser,
    lines, rows)]`` in the order of their first part, each with the document's lines outside
    its parts blanked (line numbers and cell locations stay the document's).

    A workbook's parts are its sheets; a sheet no family knows (a cover sheet with the title
    and the decision's number) is read with every group. A Word or PDF file's parts are its
    appendices (:func:`_appendix_spans`: a plan's targets, tasks and budget, each read by its own
    family); a part no family knows after one it knows goes on with it, one before any is
    text of every group (the plan's prose). ``None`` for one family (the usual case: the whole
    document goes to ``doc.parser``), for a text document, a file of one table, or a Word or
    PDF file whose family reads every table itself (``READS_EVERY_TABLE``: a report)."""
    ex = doc.extracted
    if ex is None or len(ex.tables) < 2 or doc.rows is None:
        return None
    workbook = ex.format in ("xlsx", "xls")
    if not workbook and getattr(doc.parser, "READS_EVERY_TABLE", False):
        return None  # a report's "Biểu 1", "Biểu 2" are its own tables (results, money), read together
    tables = [numbers for table in ex.tables if (numbers := sorted(n for n in table.lines if n))]
    spans = [set(range(t[0], t[-1] + 1)) for t in tables] if workbook else _appendix_spans(doc.lines, tables)
    if spans is None:
        return None
    sheets: list[tuple[ModuleType | None, set[int]]] = []  # (parser or None, the part's line numbers)
    for span in spans:
        lines = [t if n in span else "" for n, t in enumerate(doc.lines, start=1)]
        rows = {n: r for n, r in doc.rows.items() if n in span}
        parser = choose_parser(lines, rows)
        if parser is None and not workbook and any(p is not None for p, _ in sheets):
            parser = next(p for p, _ in reversed(sheets) if p is not None)  # continued after a page break
        sheets.append((parser, span))
    families = list(dict.fromkeys(p for p, _ in sheets if p is not None))
    if len(families) < 2:
        return None
    shared = set().union(*(span for p, span in sheets if p is None))
    parts = []
    for family in families:
        span = shared.union(*(s for p, s in sheets if p is family))
        parts.append((family, [t if n in span else "" for n, t in enumerate(doc.lines, start=1)],
                      {n: r for n, r in doc.rows.items() if n in span}))
    return parts


def read_document(path: Path, entry: ManifestEntry | None = None, overrides: Overrides | None = None) -> ParseResult:
    """Parse one document into a reconciled ``ParseResult``.

    Metadata comes from the document, then the manifest ``entry``, then ``overrides``.
    Raises ``DocumentError`` (file and line) when the file cannot be read, no parser knows
    its layout, the province is unknown, or the parser reports an error.

    The layout profile(s) named by ``overrides.profile`` or the manifest's ``profile`` ("a"
    or "a,b", :mod:`loaders.tables.layouts`) decide the tables they are for: one profile
    alone applies to every table its columns fit, several each to the table of its header.
    """
    overrides = overrides or Overrides()
    profile = overrides.profile or (entry.profile if entry is not None else None)
    if profile:
        try:
            chosen = [layouts.by_name(name.strip()) for name in profile.split(",") if name.strip()]
        except layouts.LayoutError as exc:
            raise DocumentError(path.name, str(exc)) from exc
        with layouts.using(*chosen):
            return _read_document(path, entry, overrides)
    return _read_document(path, entry, overrides)


def _read_document(path: Path, entry: ManifestEntry | None, overrides: Overrides) -> ParseResult:
    doc = identify(path)
    extracted, whole = doc.extracted, doc.whole
    if doc.parser is None:
        raise DocumentError(path.name, "không nhận ra bố cục văn bản (không có bộ đọc phù hợp)")
    meta = DocumentMeta(file_name=path.name, sha256=sha256_of(path))
    if entry is not None:
        meta.province = entry.province
        meta.fiscal_years = list(entry.fiscal_years)
        meta.kind = entry.kind
        meta.issuer = entry.issuer
        meta.number = entry.number
        meta.issued_date = entry.issued_date
        meta.title = entry.title
    if overrides.province:
        meta.province = overrides.province
    if overrides.year:
        meta.fiscal_years = [overrides.year]
    if overrides.kind:
        meta.kind = overrides.kind
    if not meta.province:
        raise DocumentError(path.name, "chưa biết tỉnh của văn bản: thêm vào manifest.csv hoặc dùng --province")
    progress.report("Đọc số liệu", 0)
    result = parse_identified(doc, meta)
    if not whole:  # a money table no family read: said, never silent
        result.issues.extend(unread_money_tables(doc.lines, doc.rows, path.name, result))
        result.issues.extend(unread_text_rows(doc.lines, doc.rows, result))
    _apply_document_unit(doc.lines, result)
    if extracted is not None:  # what the reader left out (hidden rows and columns): said, never silent
        result.issues.extend(ParseIssue(None, message, text=where) for where, message in extracted.notes)
        location.locate(result, extracted)  # page, table, row / sheet and cell of every figure
    result.issues.extend(unit_by_words(result))  # an assumed unit the amount in words contradicts
    result.issues.extend(out_of_scale_lines(result))  # a line a hundred times the total that holds it
    errors = [i for i in result.issues if i.severity == "error"]
    if errors:
        first = errors[0]
        where = extracted.ref(first.line) if extracted is not None and not whole else None
        more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        err = DocumentError(
            path.name,
            first.message + (f" — {first.text}" if first.text else "") + (f" [{where}]" if where else "") + more,
            first.line,
        )
        err.issues = errors  # every error, for a preview that lists them all
        raise err
    if not (result.budget_lines or result.indicators or result.tasks or result.actuals):
        raise DocumentError(path.name, "không đọc được dòng số liệu nào")
    progress.report("Đối chiếu tổng cộng", 0)
    reconcile(result)
    enrich(result)
    return result


def _apply_document_unit(lines: list[str], result: ParseResult) -> None:
    """A document of one of the department's units ("Đơn vị: Trung tâm …", or the unit printed
    under the department in the header: ``loaders.text.units.document_unit``): its budget lines
    that name no unit of their own are that unit's, and a note says so with the line."""
    bare = [b for b in result.budget_lines if not b.unit]
    if not bare:
        return
    found = document_unit(lines)
    if found is None:
        return
    name, line = found
    if any(b.unit and b.unit != name for b in result.budget_lines):
        return  # lines of other units: a document of several units, not of this one
    for b in bare:
        b.unit = name
    result.issues.append(ParseIssue(line, f"{len(bare)} dòng tiền không ghi đơn vị: thuộc đơn vị của văn bản, {name}",
                                    text=name))


def issue_summary(issues: list[ParseIssue]) -> str:
    """One line per issue: "line N: message"."""
    return "\n".join(f"dòng {i.line or '?'}: {i.message}" for i in issues)
