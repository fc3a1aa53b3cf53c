"""Layout profiles: the officer's decisions about a table's columns, kept as reviewed data.

When the column plan of a money table (:func:`loaders.tables.plan.guess_plan`) is unsure, or
wrong, the editor corrects it on the upload page (each column's role, stage, period, source
and the unit of amounts). The decision is saved as a *layout profile* ``<name>.toml`` in the
data directory's ``layouts/`` (``loaders.paths.layouts_dir``; never in the repository), keyed on the table's header (its normalised column
labels, :meth:`~loaders.tables.plan.ColumnPlan.signature`) with who decided it, when, and from
which document. Profiles are read from there and from the shipped, reviewed
``data/profiles/layouts/`` (read-only; a saved profile of the same name comes first). The next
table with that header is read with the profile, without asking;
``python -m warehouse ingest FILE --profile NAME`` forces one.

A profile file::

    name = "bieu-03-trung-tam"
    signature = "tt | nội dung | dự toán năm | ước thực hiện quý i năm 2025 | …"
    author = "nguyen.van.a"
    created = "2026-12-07T10:20:00"
    document = "cong_khai_q1_2025.xlsx"
    unit = "triệu đồng"              # optional: the unit of amounts, when the table prints none
    [columns.2]                      # by column position, from 0
    role = "amount"
    stage = "dự toán"
    quarters = [1, 2, 3, 4]
    [columns.3]
    role = "amount"
    stage = "ước thực hiện"
    quarters = [1]

Decisions made in the preview before saving live only in a context (:func:`using`) around
the reading of the document, so the preview re-reads the document with them and nothing is
written. Parsers consult :func:`mapping_for` through ``guess_plan``: they never know a
profile by heart.
"""
from __future__ import annotations

import contextlib
import contextvars
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator

from loaders import paths

#: Where profiles are saved when set (tests); else ``loaders.paths.layouts_dir()`` (the data
#: directory's ``layouts/``, or ``SKHCN_LAYOUTS``), read at each call.
LAYOUTS_DIR: Path | None = None
#: Roles a column can be given (the officer's choices in the upload preview).
ROLES = ("code", "description", "lead", "period", "source", "note", "amount", "ratio", "ignore")
#: Stages an amount column can hold (``phase_vn``, ``loaders.vocab.Stage``), in the officer's list.
STAGES = ("dự toán", "KHTW giao", "KH UBND giao", "đề xuất", "thực hiện", "ước thực hiện", "quyết toán",
          "dự toán đã giao", "điều chỉnh", "dự toán điều chỉnh")
#: Fields a column decision may set (``loaders.tables.plan.ColumnRole``).
FIELDS = ("role", "stage", "year", "quarters", "cumulative", "source", "unit", "sign")
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class LayoutError(ValueError):
    """A layout profile that cannot be used (Vietnamese message naming the file)."""


@dataclass
class Layout:
    """One layout profile (see the module docstring). ``columns``: column index → the fields
    to set; ``unit``: the unit of amounts when the table prints none."""

    name: str
    signature: str
    columns: dict[int, dict] = field(default_factory=dict)
    unit: str | None = None
    author: str | None = None
    created: str | None = None
    document: str | None = None


def _check(layout: Layout, where: str) -> Layout:
    for index, change in layout.columns.items():
        unknown = set(change) - set(FIELDS)
        if unknown:
            raise LayoutError(f"{where}: cột {index}: trường không biết {sorted(unknown)}")
        if change.get("role") not in (None, *ROLES):
            raise LayoutError(f"{where}: cột {index}: vai trò {change['role']!r} không hợp lệ (dùng {', '.join(ROLES)})")
        if change.get("stage") not in (None, *STAGES):
            raise LayoutError(f"{where}: cột {index}: giai đoạn {change['stage']!r} không hợp lệ")
        if any(q not in (1, 2, 3, 4) for q in change.get("quarters", ())):
            raise LayoutError(f"{where}: cột {index}: quý phải là 1–4")
    return layout


def load(path: Path) -> Layout:
    """Read one profile file. Raises :class:`LayoutError` naming the file for a file that is
    not TOML, lacks ``name`` / ``signature`` or sets an unknown field or value."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LayoutError(f"{path.name}: không đọc được ({exc})") from exc
    if not data.get("name") or not data.get("signature"):
        raise LayoutError(f"{path.name}: thiếu name hoặc signature")
    columns = {int(k): dict(v) for k, v in data.get("columns", {}).items()}
    return _check(Layout(data["name"], data["signature"], columns, data.get("unit"), data.get("author"),
                         data.get("created"), data.get("document")), path.name)


def saved_dir() -> Path:
    """The folder profiles are saved to: ``LAYOUTS_DIR`` when set, else
    ``loaders.paths.layouts_dir()``."""
    return LAYOUTS_DIR or paths.layouts_dir()


def folders() -> list[Path]:
    """The folders profiles are read from, first wins: the saved ones (:func:`saved_dir`),
    then the shipped ``data/profiles/layouts``."""
    out = [saved_dir()]
    if paths.SHIPPED_LAYOUTS.resolve() != out[0].resolve():
        out.append(paths.SHIPPED_LAYOUTS)
    return out


def all_layouts(folder: Path | None = None) -> list[Layout]:
    """Every profile of ``folder``, else of :func:`folders` (a name saved in the data
    directory hides the shipped profile of that name), sorted by name."""
    found: dict[str, Layout] = {}
    for one in ([folder] if folder else folders()):
        if one.is_dir():
            for p in sorted(one.glob("*.toml")):
                layout = load(p)
                found.setdefault(layout.name, layout)
    return [found[n] for n in sorted(found)]


def by_name(name: str, folder: Path | None = None) -> Layout:
    """The profile called ``name``. Raises :class:`LayoutError` when there is none."""
    for layout in all_layouts(folder):
        if layout.name == name:
            return layout
    where = folder or " hoặc ".join(str(f) for f in folders())
    raise LayoutError(f"không có mẫu bố cục '{name}' trong {where}")


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def save(layout: Layout, folder: Path | None = None) -> Path:
    """Write a profile (a new file, or the one of that name replaced) and return its path.
    Raises :class:`LayoutError` for a name that is not lower-case letters, digits, "-", "_"."""
    if not _NAME_RE.match(layout.name):
        raise LayoutError(f"tên mẫu '{layout.name}' chỉ được gồm chữ thường không dấu, số, '-' và '_'")
    _check(layout, layout.name)
    folder = folder or saved_dir()
    folder.mkdir(parents=True, exist_ok=True)
    layout.created = layout.created or datetime.now().isoformat(timespec="seconds")
    lines = [f"name = {_toml_value(layout.name)}", f"signature = {_toml_value(layout.signature)}"]
    for key in ("author", "created", "document", "unit"):
        value = getattr(layout, key)
        if value:
            lines.append(f"{key} = {_toml_value(value)}")
    for index in sorted(layout.columns):
        lines.append(f"\n[columns.{index}]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in layout.columns[index].items() if v is not None)
    path = folder / f"{layout.name}.toml"
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


# ------------------------------------------------------------------ decisions while reading

_forced: contextvars.ContextVar[tuple[Layout, ...] | None] = contextvars.ContextVar("forced_layouts", default=None)
_seen: contextvars.ContextVar[list | None] = contextvars.ContextVar("seen_plans", default=None)


@contextlib.contextmanager
def using(*layouts: Layout) -> Iterator[None]:
    """Within this block, tables whose header matches one of ``layouts`` are read with it,
    before (and instead of) the saved profiles: the preview's unsaved decisions, or the
    profile named on the command line."""
    token = _forced.set(tuple(layouts))
    try:
        yield
    finally:
        _forced.reset(token)


@contextlib.contextmanager
def recording() -> Iterator[list]:
    """Within this block, every money table a parser plans is recorded as ``(table, plan)``
    in the yielded list, in reading order: what the upload page shows the officer."""
    seen: list = []
    token = _seen.set(seen)
    try:
        yield seen
    finally:
        _seen.reset(token)


def record(table: object, plan: object) -> None:
    """Called by ``guess_plan`` for every plan it makes (recorded only inside
    :func:`recording`)."""
    seen = _seen.get()
    if seen is not None:
        seen.append((table, plan))


def mapping_for(signature: str, width: int) -> Layout | None:
    """The decisions for a table with this header (``width`` columns): a forced layout
    (:func:`using`) whose signature matches — or, when exactly one layout is forced (the
    command line's ``--profile``), that one for a table of as many columns as its header
    (the same form with other header words: "Quý II" for "Quý I") —, else a saved profile
    whose signature matches, else ``None``. A table of another width never takes a forced
    layout it was not decided for."""
    forced = _forced.get() or ()
    for layout in forced:
        if layout.signature == signature:
            return layout
    if len(forced) == 1 and width == len(forced[0].signature.split(" | ")) \
            and all(i < width for i in forced[0].columns):
        return forced[0]
    for layout in all_layouts():
        if layout.signature == signature:
            return layout
    return None


def reading_context() -> tuple[tuple[Layout, ...] | None, bool, Path | None]:
    """What a reading in another process needs to read as this one would: the forced
    layouts (:func:`using`), whether plans are recorded (:func:`recording`), and the folder
    of saved profiles (``LAYOUTS_DIR``). Picklable; see :func:`in_context`."""
    return _forced.get(), _seen.get() is not None, LAYOUTS_DIR


@contextlib.contextmanager
def in_context(context: tuple[tuple[Layout, ...] | None, bool, Path | None]) -> Iterator[list | None]:
    """Within this block, read as the process that took ``context`` (:func:`reading_context`)
    would; yields the list of recorded ``(table, plan)`` when that process was recording, else
    ``None``. Meant for a child process: ``LAYOUTS_DIR`` is set for the rest of its life."""
    global LAYOUTS_DIR
    forced, record_plans, LAYOUTS_DIR = context
    with contextlib.ExitStack() as stack:
        if forced is not None:
            stack.enter_context(using(*forced))
        yield stack.enter_context(recording()) if record_plans else None
