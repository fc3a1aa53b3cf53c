"""When the parser is not sure, the officer decides (issue 14): the column editor of the upload
page, as DataFrames and widgets over :mod:`loaders.mapping`.

A money table the parser planned (:class:`loaders.mapping.TableChoice`) is shown as one row
per column of the document: its header, a few figures it prints, and the guess — role
("Số tiền", "Nội dung" …), and for money columns the stage, the period and the funding source
of a column split by source — with why it was guessed so. The officer corrects the guess in
drop-downs (``st.data_editor`` with ``SelectboxColumn``) and confirms the unit of amounts;
:func:`decide` turns what changed into the decisions (:class:`loaders.tables.layouts.Layout`,
one per distinct header) that the page passes to ``loaders.mapping.inspect`` to read the
document again before anything is saved. :func:`save_profiles` keeps them as layout
profiles (``data/profiles/layouts``) with who saved them, audited.

Labels are Vietnamese; values stay the codes of ``loaders.tables.layouts`` (``ROLES``,
``STAGES``) and ``loaders.vocab`` (``FundingSource``).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from loaders.documents import DocumentError, Overrides
from loaders.mapping import Inspection, TableChoice, inspect, layout_for, save_decision
from loaders.tables import layouts
from loaders.tables.layouts import ROLES, STAGES, Layout
from loaders.vocab import FundingSource, Stage

#: The roles a column can be given, as the officer reads them.
ROLE_LABELS = {
    "code": "Mã, số thứ tự",
    "description": "Nội dung",
    "lead": "Đơn vị chủ trì",
    "period": "Thời gian thực hiện",
    "source": "Ghi chú nguồn kinh phí",
    "note": "Ghi chú",
    "amount": "Số tiền",
    "ratio": "Tỷ lệ (%)",
    "ignore": "Bỏ qua",
}
assert tuple(ROLE_LABELS) == ROLES
#: The stages of a money column (``STAGES``) with the labels of ``loaders.vocab.Stage``.
STAGE_LABELS = {s: Stage.labels()[s] for s in STAGES}
#: Funding sources a column split by source can name ("Trong đó: SNKH | QLNN").
SOURCE_LABELS = {k: v for k, v in FundingSource.labels().items() if k not in ("MIXED", "UNSPECIFIED")}
#: Units of amounts (``loaders.text.numbers.UNIT_FACTORS``).
UNITS = ("đồng", "nghìn đồng", "triệu đồng", "tỷ đồng")
#: The periods offered: label → (quarters, cumulative).
PERIODS: dict[str, tuple[tuple[int, ...], bool]] = {
    "Cả năm": ((1, 2, 3, 4), False),
    "Quý I": ((1,), False),
    "Quý II": ((2,), False),
    "Quý III": ((3,), False),
    "Quý IV": ((4,), False),
    "6 tháng đầu năm": ((1, 2), False),
    "9 tháng đầu năm": ((1, 2, 3), False),
    "Lũy kế đến hết quý I": ((1,), True),
    "Lũy kế đến hết quý II": ((1, 2), True),
    "Lũy kế đến hết quý III": ((1, 2, 3), True),
    "Lũy kế cả năm": ((1, 2, 3, 4), True),
}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

COLUMN, HEADER, SAMPLE, ROLE, STAGE, PERIOD, SOURCE, WHY = (
    "Cột", "Tiêu đề in", "Vài dòng đầu", "Vai trò", "Giai đoạn", "Kỳ", "Nguồn (cột chia)", "Vì sao đoán vậy")
EDITABLE = (ROLE, STAGE, PERIOD, SOURCE)
DEFAULT_NAME = "xem-truoc"  # the name of an unsaved decision (``loaders.mapping.layout_for``)
KEEP_READINGS = 6  # readings with decisions kept in the session per upload (the latest)


def period_label(quarters: Sequence[int], cumulative: bool) -> str | None:
    """The Vietnamese label of a period: ``(1, 2, 3, 4), False`` → "Cả năm"; ``(2,)`` →
    "Quý II"; ``(1, 2), True`` → "Lũy kế đến hết quý II"; ``()`` → ``None`` (not said)."""
    quarters, cumulative = tuple(quarters), bool(cumulative)
    if not quarters:
        return None
    for label, value in PERIODS.items():
        if value == (quarters, cumulative):
            return label
    text = "Quý " + ", ".join(_ROMAN.get(q, str(q)) for q in quarters)
    return f"Lũy kế ({text})" if cumulative else text


def _sample(choice: TableChoice, index: int, n: int = 3) -> str:
    values = [r[index].strip() for r in choice.rows if index < len(r) and r[index] and r[index].strip()]
    return " · ".join(v[:40] for v in values[:n])


def columns_frame(choice: TableChoice) -> pd.DataFrame:
    """One row per column of ``choice``: number (from 1), header, a few printed values, and
    the guess as Vietnamese labels (role; stage, period, source for money columns; empty
    where nothing is guessed) with why."""
    rows = []
    for c in choice.columns:
        amount = c.role == "amount"
        rows.append({
            COLUMN: c.index + 1,
            HEADER: c.label or "(không có tiêu đề)",
            SAMPLE: _sample(choice, c.index),
            ROLE: ROLE_LABELS.get(c.role) if c.role else None,
            STAGE: STAGE_LABELS.get(c.stage) if amount and c.stage else None,
            PERIOD: period_label(c.quarters, c.cumulative) if amount else None,
            SOURCE: SOURCE_LABELS.get(c.source) if amount and c.source and c.group is not None else None,
            WHY: c.why,
        })
    return pd.DataFrame(rows, columns=[COLUMN, HEADER, SAMPLE, ROLE, STAGE, PERIOD, SOURCE, WHY])


def column_config(frame: pd.DataFrame) -> dict:
    """The drop-downs of the editor (every period already in ``frame`` is offered too)."""
    periods = list(PERIODS) + [p for p in frame[PERIOD].dropna().unique() if p not in PERIODS]
    return {
        COLUMN: st.column_config.NumberColumn(COLUMN, width=45, help="Thứ tự cột trong bảng, từ trái sang"),
        HEADER: st.column_config.TextColumn(HEADER, width=130),
        SAMPLE: st.column_config.TextColumn(SAMPLE, width=130, help="Những gì cột in ở vài dòng đầu của bảng"),
        ROLE: st.column_config.SelectboxColumn(ROLE, options=list(ROLE_LABELS.values()), width=125,
                                               help="Cột này in gì: số tiền, nội dung, mã … hoặc bỏ qua"),
        STAGE: st.column_config.SelectboxColumn(STAGE, options=list(STAGE_LABELS.values()), width=125,
                                                help="Với cột số tiền: dự toán, KH giao, thực hiện, đề xuất …"),
        PERIOD: st.column_config.SelectboxColumn(PERIOD, options=periods, width=110,
                                                 help="Với cột số tiền: cả năm, một quý, hay lũy kế"),
        SOURCE: st.column_config.SelectboxColumn(SOURCE, options=list(SOURCE_LABELS.values()), width=130,
                                                 help="Chỉ với các cột chia một số tiền theo nguồn ('Trong đó: SNKH | QLNN')"),
        WHY: st.column_config.TextColumn(WHY, width=320),
    }


def _value(cell: object) -> object:
    """A cell of the editor, ``None`` when empty (the grid gives ``None`` or NaN)."""
    return None if cell is None or (isinstance(cell, float) and pd.isna(cell)) else cell


def _code(labels: dict[str, str], label: object) -> str | None:
    return next((k for k, v in labels.items() if v == label), None)


def changes(choice: TableChoice, edited: pd.DataFrame, unit: str | None = None) -> dict[int, dict]:
    """What the officer changed in the editor (``edited``, the frame of
    :func:`columns_frame` after editing) as ``{column index: fields}`` for
    ``loaders.mapping.layout_for``; ``unit``: the unit of amounts chosen (set on every money
    column when it differs from the table's). Empty when nothing changed."""
    base = columns_frame(choice)
    out: dict[int, dict] = {}
    for (_, before), (_, after), col in zip(base.iterrows(), edited.iterrows(), choice.columns):
        was, now = {k: _value(before[k]) for k in EDITABLE}, {k: _value(after[k]) for k in EDITABLE}
        role = _code(ROLE_LABELS, now[ROLE]) or "ignore"
        change: dict = {}
        if now[ROLE] != was[ROLE]:
            change["role"] = role
        if role == "amount":
            if now[STAGE] is not None and now[STAGE] != was[STAGE]:
                change["stage"] = _code(STAGE_LABELS, now[STAGE])
            if now[PERIOD] in PERIODS and now[PERIOD] != was[PERIOD]:
                quarters, cumulative = PERIODS[now[PERIOD]]
                change.update(quarters=list(quarters), cumulative=cumulative)
            if now[SOURCE] is not None and now[SOURCE] != was[SOURCE]:
                change["source"] = _code(SOURCE_LABELS, now[SOURCE])
            if unit and unit != choice.unit:
                change["unit"] = unit
        if change:
            out[col.index] = change
    return out


def profile_name(file_name: str) -> str:
    """A layout profile name from an uploaded file's name: lower-case ASCII, digits and
    dashes, at most 56 characters. ``"Phụ lục Đơn vị 2025.xlsx"`` → ``"phu-luc-don-vi-2025"``."""
    stem = Path(file_name).stem.replace("đ", "d").replace("Đ", "D")
    plain = "".join(c for c in unicodedata.normalize("NFD", stem) if not unicodedata.combining(c))
    name = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:56].strip("-")  # room for "-2" …
    return name or "mau-bo-cuc"


def headers(tables: Sequence[TableChoice]) -> list[list[TableChoice]]:
    """The tables grouped by header (one decision serves every table of that header), in
    reading order."""
    groups: dict[str, list[TableChoice]] = {}
    for t in tables:
        groups.setdefault(t.signature, []).append(t)
    return list(groups.values())


def decision_key(decisions: Sequence[Layout]) -> tuple:
    """A hashable key of decisions (the session cache of readings)."""
    return tuple((d.signature, json.dumps(d.columns, sort_keys=True, ensure_ascii=False), d.unit) for d in decisions)


def needed(inspection: Inspection) -> str | None:
    """Whether the page asks the officer about the columns of the money tables: "ask" when
    the document is refused or a money table has doubts (the editor is shown), "offer" when
    it is read with warnings (the editor is a toggle away), ``None`` otherwise or when no
    money table was planned."""
    if not inspection.tables:
        return None
    if inspection.error is not None or any(t.doubts for t in inspection.tables):
        return "ask"
    if inspection.result is not None and inspection.result.issues:
        return "offer"
    return None


def summary(choice: TableChoice, found: dict[int, dict], unit: str | None) -> str:
    """The officer's changes in words: "cột 3 'Số liệu phân bổ': Số tiền, Dự toán, Cả năm;
    đơn vị tính nghìn đồng"."""
    parts = []
    for c in choice.columns:
        change = found.get(c.index)
        if not change:
            continue
        words = [ROLE_LABELS[change["role"]]] if "role" in change else []
        if change.get("stage"):
            words.append(STAGE_LABELS.get(change["stage"], change["stage"]))
        if "quarters" in change:
            words.append(period_label(change["quarters"], change.get("cumulative", False)) or "")
        if change.get("source"):
            words.append(SOURCE_LABELS.get(change["source"], change["source"]))
        if words:
            parts.append(f"cột {c.index + 1} '{c.label}': {', '.join(w for w in words if w)}")
    if unit and unit != choice.unit:
        parts.append(f"đơn vị tính {unit}")
    return "; ".join(parts)


def decide(key: str, tables: Sequence[TableChoice]) -> list[Layout]:
    """Show the editor of every distinct header of ``tables`` (the guess, before any
    decision) and return the officer's decisions, one layout per header changed (none when
    nothing changed). ``key``: a prefix for the widgets' keys (the upload's SHA-256)."""
    out: list[Layout] = []
    for i, group in enumerate(headers(tables)):
        choice = group[0]
        places = ", ".join(t.where for t in group[:4]) + (f" và {len(group) - 4} bảng khác" if len(group) > 4 else "")
        with st.expander(f"Bảng ở {places} · {len(choice.columns)} cột", expanded=bool(choice.doubts) or i == 0):
            note = st.empty()  # what the guess doubts, or what the officer changed (known after the editor)
            if choice.profile:
                st.caption(f"Đang đọc theo mẫu bố cục đã lưu **{choice.profile}**.")
            units = list(UNITS)
            unit = st.columns([2, 3])[0].selectbox(  # narrow: the grid's toolbar (top right) stays clear of it
                "Đơn vị tính của số tiền", units, index=units.index(choice.unit) if choice.unit in units else None,
                placeholder="Chọn đơn vị tính", key=f"unit_{key}_{i}",
                help="Văn bản in 'Đơn vị tính: …'; nếu bảng không in, hãy chọn.")
            frame = columns_frame(choice)
            edited = st.data_editor(
                frame, key=f"columns_{key}_{i}", hide_index=True, width="stretch", num_rows="fixed", placeholder="—",
                disabled=[c for c in frame.columns if c not in EDITABLE], column_config=column_config(frame))
            found = changes(choice, edited, unit)
            if found or (unit and unit != choice.unit):
                out.append(layout_for(choice, found, unit, name=DEFAULT_NAME))
                note.info("Bạn đã sửa: " + summary(choice, found, unit) + ".")
            elif choice.doubts:
                note.warning("Ứng dụng chưa chắc: " + "; ".join(choice.doubts) + ". Hãy sửa ở các ô có danh sách chọn.")
    return out


def _all_tables_limited(path: Path, decisions: list[Layout] | None) -> list:
    """Every table of cells of a document no family knows (``loaders.mapping._all_tables``),
    read in a child process with the parse limits (``warehouse.isolate``); ``[]`` when it
    goes over one (the refusal is already shown)."""
    from loaders import mapping
    from warehouse import isolate

    try:
        return isolate.run(mapping._all_tables, (path, decisions), path.name)
    except DocumentError:
        return []


def reading(cache: dict, key: tuple, path: Path, overrides: Overrides, decisions: Sequence[Layout], db: Path,
            raw: Path) -> Inspection:
    """The upload's preview read with ``decisions`` (``loaders.mapping.inspect`` around
    ``warehouse.store.preview``: parse, reconcile, duplicate checks, nothing written), once per
    metadata ``key`` and decisions, kept in ``cache`` (the upload's session entry; the reading
    without decisions and the last :data:`KEEP_READINGS` with decisions are kept)."""
    from warehouse import store

    at = (key, decision_key(decisions))
    if at not in cache:
        with st.status("Đang đọc, đối chiếu tổng cộng và kiểm tra trùng lặp…", expanded=True) as status:
            from ui.preview import progress_listener

            listen = progress_listener(status)
            cache[at] = inspect(path, None, overrides, list(decisions),
                                read=lambda: store.preview(path, overrides, db, raw, on_progress=listen),
                                all_tables=_all_tables_limited)
            error = cache[at].error
            if isinstance(error, store.DuplicateDocument):
                status.update(label="Văn bản đã có trong kho", state="complete", expanded=False)
            elif error is not None:
                status.update(label="Không đọc được văn bản", state="error", expanded=False)
            else:
                status.update(label="Đã đọc xong: xem trước bên dưới", state="complete", expanded=False)
        for old in [k for k in cache if k[1]][:-KEEP_READINGS]:
            del cache[old]
    return cache[at]


def outcome(inspection: Inspection, decisions: Sequence[Layout]) -> None:
    """Below the editors: whether the reading with the decisions still doubts anything."""
    if not decisions:
        return
    decided = {d.signature for d in decisions}
    left = [(t, d) for t in inspection.tables if t.signature in decided for d in t.doubts]
    if left:
        st.warning("Sau lựa chọn của bạn vẫn còn chưa rõ: " + "; ".join(f"{t.where}: {d}" for t, d in left) + ".")
    elif inspection.error is None:
        st.success("Đã đọc lại văn bản theo lựa chọn của bạn: xem các dòng, tổng cộng và đối chiếu bên dưới.")


def check_name(name: str, decisions: Sequence[Layout], folder: Path | None = None) -> str | None:
    """Why ``name`` cannot be used for these decisions (Vietnamese), or ``None``: a name that is
    not lower-case ASCII with dashes, or the name of a saved profile for another header."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,60}", name or ""):
        return "Tên mẫu chỉ gồm chữ thường không dấu, số và dấu '-' (ví dụ: phu-luc-du-toan-2025)."
    for n, d in zip(profile_names(name, len(decisions)), decisions):
        try:
            held = layouts.by_name(n, folder)
        except layouts.LayoutError:
            continue
        if held.signature != d.signature:
            return f"Tên '{n}' đã dùng cho mẫu bố cục của một bảng khác ({held.document or 'không rõ văn bản'}); hãy đặt tên khác."
    return None


def profile_names(name: str, n: int) -> list[str]:
    """The names of ``n`` profiles saved together: ``name``, ``name-2``, ``name-3`` …"""
    return [name] + [f"{name}-{k}" for k in range(2, n + 1)]


def save_profiles(decisions: Sequence[Layout], name: str, author: str | None, document: str | None,
                  folder: Path | None = None) -> list[tuple[Path, bytes | None]]:
    """Save each decision as a layout profile (:func:`profile_names`) with who and from which
    document; returns each file with what it held before (``None``: it is new), so a failed
    upload can put them back (:func:`undo_profiles`)."""
    saved: list[tuple[Path, bytes | None]] = []
    try:
        for n, d in zip(profile_names(name, len(decisions)), decisions):
            target = (folder or layouts.saved_dir()) / f"{n}.toml"
            before = target.read_bytes() if target.is_file() else None
            decision = Layout(d.name, d.signature, {i: dict(v) for i, v in d.columns.items()}, d.unit)
            saved.append((save_decision(decision, n, author, document, folder), before))
    except BaseException:
        undo_profiles(saved)
        raise
    return saved


def undo_profiles(saved: Sequence[tuple[Path, bytes | None]]) -> None:
    """Put back what :func:`save_profiles` wrote (a new file removed, a replaced one restored)."""
    for path, before in saved:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(before)


def audit_profiles(actor, saved: Sequence[tuple[Path, bytes | None]], document: str, sha256: str) -> None:
    """One audit row (action ``save_layout``) per profile saved: who, which file, from which
    document."""
    from warehouse import audit

    for path, before in saved:
        try:
            audit.record(actor, "save_layout", target=f"{path.parent.name}/{path.name}", sha256=sha256,
                         detail=f"{'thay' if before is not None else 'tạo'} mẫu bố cục {path.stem} từ văn bản {document}")
        except Exception as exc:  # noqa: BLE001 - as warehouse.store: the audit never undoes a done write
            print(f"CẢNH BÁO: không ghi được nhật ký: {exc}")
