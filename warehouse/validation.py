"""Vietnamese messages for the validation errors of entered data (pydantic models of
``warehouse.entries`` and ``warehouse.task_entries``).

pydantic (https://docs.pydantic.dev/latest/errors/validation_errors/) reports an error by
type (``string_too_long``, ``missing``, ``float_parsing``…) with an English message; the UI
and the messages of this project are Vietnamese, so the first error is said again here, with
the field's Vietnamese label.
"""
from __future__ import annotations

from pydantic import ValidationError


def vietnamese(exc: ValidationError, labels: dict[str, str]) -> str:
    """The first error of ``exc`` in Vietnamese, naming the field by ``labels`` (field name →
    Vietnamese label; the field name itself when missing). A ``ValueError`` raised by a
    validator is assumed Vietnamese already and passed on as is.

    Example: a 600-character note gives ``"ghi chú dài 600 ký tự, tối đa 500"``.
    """
    err = exc.errors()[0]
    name = ".".join(str(p) for p in err["loc"])
    field = labels.get(name, name)
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "string_too_long":
        return f"{field} dài {len(value) if isinstance(value, str) else '?'} ký tự, tối đa {ctx.get('max_length')}"
    if kind == "string_too_short":
        return f"thiếu {field}" if ctx.get("min_length", 1) <= 1 else f"{field} cần ít nhất {ctx['min_length']} ký tự"
    if kind == "missing":
        return f"thiếu {field}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "finite_number"):
        return f"{field} phải là một số, không phải {str(value)[:40]!r}"
    if kind in ("string_type",):
        return f"{field} phải là chữ"
    if kind.startswith("datetime"):
        return f"{field}: không đọc được thời điểm {str(value)[:40]!r}"
    return f"{field}: giá trị không hợp lệ"
