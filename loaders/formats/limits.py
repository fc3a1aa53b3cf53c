"""Limits that refuse hostile or oversized uploads *before* they are parsed.

* ``MAX_FILE_MB``: the largest file read (the page's ``server.maxUploadSize`` in
  ``.streamlit/config.toml`` is the same number, so the browser refuses first).
* Office files (.xlsx, .docx) are zip archives of XML. A "zip bomb" declares a small
  compressed entry that expands without bound; before any XML is parsed every entry's
  declared size and compression ratio are checked (Python's ``zipfile`` never inflates an
  entry past its declared size: a lie ends in a CRC error, so the declared sizes bound the
  work). Entity-expansion attacks inside the XML ("billion laughs") are refused by
  ``defusedxml``, which openpyxl uses automatically when it is installed (checked here).
* A file that is an OLE2 compound document (magic ``D0 CF 11 E0``) where a zip is expected
  is a password-protected Office file (or a legacy .xls/.doc): refused with that message.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from . import FormatError

MAX_FILE_MB = 50
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # all entries of one Office file together
MAX_ENTRY_RATIO = 200  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 10_000
MAX_PDF_PAGES = 500
MAX_ROWS = 100_000  # rows read from one sheet

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_size(path: Path, max_mb: int | None = None) -> None:
    """Raise ``FormatError`` when ``path`` is larger than ``max_mb`` MB (default
    ``MAX_FILE_MB``) or empty."""
    max_mb = MAX_FILE_MB if max_mb is None else max_mb
    size = Path(path).stat().st_size
    if size == 0:
        raise FormatError("tệp rỗng (0 byte)")
    if size > max_mb * 1024 * 1024:
        raise FormatError(f"tệp quá lớn: {size / 1024 / 1024:.1f} MB (tối đa {max_mb} MB)")


def check_office_zip(path: Path, kind: str) -> None:
    """Check an Office file (``kind`` "Excel" or "Word") before it is opened.

    Raises ``FormatError`` for a password-protected / legacy file, a file that is not a zip,
    too many entries, entries that expand beyond ``MAX_UNCOMPRESSED_BYTES`` in total or by
    more than ``MAX_ENTRY_RATIO`` times, and when ``defusedxml`` is not active in openpyxl.
    """
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == OLE2_MAGIC:
        raise FormatError(
            f"tệp {kind} được đặt mật khẩu hoặc là định dạng cũ (.xls/.doc): hãy bỏ mật khẩu "
            "hoặc lưu lại dưới dạng .xlsx/.docx rồi tải lên"
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatError(f"tệp {kind} bị hỏng hoặc không phải tệp {kind} ({exc})") from exc
    if len(infos) > MAX_ENTRIES:
        raise FormatError(f"tệp {kind} có quá nhiều thành phần ({len(infos)})")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_ENTRY_RATIO * max(info.compress_size, 1):
            raise FormatError(
                f"tệp {kind} có thành phần {info.filename} nén bất thường "
                f"({info.compress_size} → {info.file_size} byte): từ chối để tránh bung dữ liệu vô hạn"
            )
        if total > MAX_UNCOMPRESSED_BYTES:
            raise FormatError(
                f"tệp {kind} bung ra quá {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB: từ chối để tránh bung dữ liệu vô hạn"
            )
    _require_defusedxml()


def _require_defusedxml() -> None:
    from openpyxl import xml as openpyxl_xml

    if not openpyxl_xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a requirement
        raise FormatError("thiếu thư viện defusedxml: không đọc tệp Office khi chưa có lớp bảo vệ XML")
