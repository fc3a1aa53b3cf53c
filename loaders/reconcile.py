"""Reconciliation of printed totals against the lines they cover.

A total is a ``match`` when the printed amount equals the sum of its covered leaf lines to
the đồng and, when the total is also written in words ("Bằng chữ"), the words give the same
amount. Anything else is a ``mismatch`` with a ``detail`` saying what disagrees: mismatches
are reported and shown, never corrected. When the parser could not read a line under the
total (``unread_lines``), a difference is not blamed on the document: the total is
``unchecked`` and the detail names the lines.
"""
from __future__ import annotations

from loaders.model import ASSUMED_UNIT, ParseIssue, ParseResult
from loaders.vocab import ReconciliationStatus


#: Units of amounts an amount in words may reveal, by their factor over đồng.
_WORD_UNITS = {1_000: "nghìn đồng", 1_000_000: "triệu đồng", 1_000_000_000: "tỷ đồng"}


def unit_by_words(result: ParseResult) -> list[ParseIssue]:
    """Errors for a document read in an assumed unit (a table printed no "Đơn vị tính": a
    warning with ``about`` = :data:`ASSUMED_UNIT`) whose amount in words is exactly 1 000,
    1 000 000 or 10^9 times a printed total ("3.589.500" printed, "Ba tỷ năm trăm tám mươi
    chín triệu năm trăm nghìn đồng" in words): the figures are in nghìn / triệu / tỷ đồng and
    storing them in đồng would be wrong by that factor, so the document is refused, naming
    the total's line and the unit the words give. Empty when no unit was assumed or no
    total is written in words. Rule: GLOSSARY "Money" (the amount in words is the
    authoritative statement of a total) and PUBLIC_FORMS.md ("Đơn vị:" naming an agency)."""
    if not any(i.about == ASSUMED_UNIT for i in result.issues):
        return []
    out = []
    for total in result.totals:
        words, printed = total.words_amount_vnd, total.printed_amount_vnd
        if not words or not printed or words == printed:
            continue
        factor = words // printed if words % printed == 0 else None
        if factor in _WORD_UNITS:
            out.append(ParseIssue(
                total.words_line or total.source_line,
                f"{total.scope}: văn bản không in đơn vị tính và số bằng chữ ({_vnd(words)} đồng) gấp {_vnd(factor)} lần "
                f"tổng in ({_vnd(printed)}): số tiền có lẽ tính bằng {_WORD_UNITS[factor]} — ghi rõ 'Đơn vị tính' "
                "rồi nạp lại (không lưu số tiền theo đơn vị đoán)", severity="error"))
    return out


#: A line this many times the printed total that contains it is out of scale: a unit or a
#: decimal mark read wrongly ("1.500" meant as 1,5 in a table of tỷ đồng), never a typo of the
#: total (a typo is shown as a mismatch); :func:`out_of_scale_lines`.
OUT_OF_SCALE = 100


def out_of_scale_lines(result: ParseResult) -> list[ParseIssue]:
    """Errors for a line whose amount alone is more than :data:`OUT_OF_SCALE` times a printed
    total (or subtotal) that covers it, when every line it covers is ≥ 0 (a part larger than
    its whole by that factor): "1.500" in a column of tỷ đồng under "II. Chuyển đổi số 2,3" is
    1.500 tỷ read, 1,5 tỷ meant; "45000000" typed in đồng under "211,0" in a table of triệu
    đồng is 45 nghìn tỷ read — the document is refused, naming the line, its cell when the file
    has cells, the total and the factor ("hơn 1.000 lần" past a thousand), never stored with a
    figure wrong by that factor. Signed columns (adjustments) are left to the mismatch check.
    Rule: GLOSSARY "Money" (a total is the sum of its lines)."""
    by_id = {bl.line_id: bl for bl in result.budget_lines}
    out, said = [], set()
    for total in result.totals:
        printed = total.printed_amount_vnd
        lines = [by_id[i] for i in total.covers if i in by_id]
        if not printed or printed <= 0 or any((bl.amount_vnd or 0) < 0 for bl in lines):
            continue
        for bl in lines:
            if (bl.amount_vnd or 0) > OUT_OF_SCALE * printed and bl.line_id not in said:
                said.add(bl.line_id)
                shown = f"'{bl.amount_text}' " if bl.amount_text else ""
                where = f"(ô {bl.location}) " if bl.location else ""
                # "hơn 1.000 lần": a unit read wrongly (a cell typed in đồng in a table of triệu đồng)
                factor = 1_000 if bl.amount_vnd > 1_000 * printed else OUT_OF_SCALE
                out.append(ParseIssue(
                    bl.source_line, f"dòng {bl.code or ''} {shown}{where}đọc là {_vnd(bl.amount_vnd)} đồng, hơn {_vnd(factor)} lần "
                    f"tổng in '{total.label}' ({_vnd(printed)} đồng) gồm cả dòng này: đơn vị hay dấu thập phân của ô "
                    "không khớp với bảng — sửa ô rồi nạp lại (không lưu số tiền sai)", severity="error",
                    text=bl.description))
    return out


def _vnd(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _as_printed(total) -> str:
    """" (in '18.865,34')": the total as the document prints it, when that is not its amount in
    đồng as shown (a table of triệu đồng, "1.000 đồng"), so the officer finds the cell."""
    text = " ".join((total.printed_text or "").split())
    if not text or text.replace(" ", "") in (_vnd(total.printed_amount_vnd), str(total.printed_amount_vnd)):
        return ""
    return f" (in '{text}')"


def reconcile(result: ParseResult) -> None:
    """Fill ``computed_amount_vnd``, ``status`` and ``detail`` of every total in ``result``.

    Lines without an amount count as 0 đồng; amounts keep their sign. Raises ``KeyError``
    when a total covers a ``line_id`` the result does not contain (a parser bug, not bad input).
    """
    amounts = {bl.line_id: bl.amount_vnd for bl in result.budget_lines}
    for total in result.totals:
        computed = sum(amounts[line_id] or 0 for line_id in total.covers)
        total.computed_amount_vnd = computed
        if total.formula_only:  # the workbook holds a formula, not a figure: nothing printed to compare
            total.printed_amount_vnd = computed
            total.status = ReconciliationStatus.UNCHECKED.value
            total.detail = "công thức, không có giá trị — tổng lấy từ các dòng"
            continue
        problems = []
        if computed != total.printed_amount_vnd:
            diff = total.printed_amount_vnd - computed
            shown = _as_printed(total)
            problems.append(f"tổng các dòng {_vnd(computed)} khác số in {_vnd(total.printed_amount_vnd)}{shown} "
                            f"(lệch {_vnd(diff)} đ)")
        if total.words_amount_vnd is not None and total.words_amount_vnd != total.printed_amount_vnd:
            problems.append(f"số bằng chữ {_vnd(total.words_amount_vnd)} khác số in {_vnd(total.printed_amount_vnd)}")
        if total.words_text is not None and total.words_amount_vnd is None:
            problems.append("không đọc được số bằng chữ")
        if problems and total.unread_lines and computed != total.printed_amount_vnd:
            lines = ", ".join(str(n) for n in total.unread_lines)
            total.status = ReconciliationStatus.UNCHECKED.value
            total.detail = "; ".join(problems) + f" — chưa đối chiếu được: bộ đọc không đọc được dòng {lines}"
            continue
        total.status = (ReconciliationStatus.MISMATCH if problems else ReconciliationStatus.MATCH).value
        total.detail = "; ".join(problems) or None
        if problems:  # said in the warnings too, with the line, not only in the reconciliation table
            result.issues.append(ParseIssue(total.source_line, f"{total.scope}: '{total.label}' không khớp — {total.detail}"))
