"""Checks made on a file *before* any reader opens it: bounded size, no directory, no
password-protected or corrupt Office file, no legacy Office file other than .xls, no zip or XML bomb.

Every reader (text today; Excel, Word and PDF readers later) runs behind
:func:`preflight`, so a hostile file is refused before anything expands it in memory. The
limits follow OWASP's "File Upload Cheat Sheet" and the zip-bomb guidance of
https://github.com/tiran/defusedxml (XML is parsed with ``defusedxml``, which refuses DTDs
and entity expansion).

Errors: :class:`FileRefused` (Vietnamese ``message``); ``loaders.documents`` and
``warehouse.store`` turn it into a ``DocumentError`` naming the file.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_xml

from loaders.tables.files import limits

# One set of limits for every reader (loaders.tables.files.limits): the same numbers here;
# the unpacked size and ratio of a zip are read from ``limits.current()`` at each check.
MAX_FILE_BYTES = limits.MAX_FILE_MB * 1024 * 1024
MAX_ZIP_ENTRIES = limits.MAX_ENTRIES
RATIO_FLOOR = limits.RATIO_FLOOR
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".docx", ".zip"}
OLE_MAGIC = limits.OLE2_MAGIC  # Compound File: encrypted OOXML, or .xls/.doc
OLE_SUFFIXES = {".xls"}  # Compound Files read by a reader (loaders.tables.files.xls, which refuses an encrypted one)


class FileRefused(ValueError):
    """A file refused before reading (``message`` in Vietnamese)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def check_zip(path: Path) -> None:
    """An Office Open XML (zip) file: readable, not encrypted, bounded when unpacked, and its
    XML parts free of DTDs/entities (``limits.current()``: ``unzipped_mb`` for all parts
    together, as the zip directory declares them — zipfile never inflates a part beyond its
    declared size —, ``zip_ratio`` for one part). Raises :class:`FileRefused`."""
    bounds = limits.current()
    max_unzipped, max_ratio = bounds.unzipped_mb * limits.MB, bounds.zip_ratio
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise FileRefused(f"tệp nén có {len(infos)} phần (tối đa {MAX_ZIP_ENTRIES})")
            total = sum(i.file_size for i in infos)
            if total > max_unzipped:
                raise FileRefused(f"nội dung giải nén {_mb(total)}, quá giới hạn {bounds.unzipped_mb} MB "
                                  "(có thể là bom nén) — không đọc")
            for info in infos:
                if info.flag_bits & 0x1:
                    raise FileRefused(f"phần {info.filename!r} được mã hoá (có mật khẩu)")
                if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
                    raise FileRefused(
                        f"phần {info.filename!r} nén {info.file_size // max(info.compress_size, 1)} lần, "
                        f"quá giới hạn {max_ratio} lần (có thể là bom nén) — không đọc"
                    )
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with zf.open(info) as fh:
                        data = fh.read(info.file_size + 1)
                    try:
                        safe_xml(data, forbid_dtd=True)
                    except (DefusedXmlException, ParseError) as exc:
                        raise FileRefused(f"phần {info.filename!r} không phải XML an toàn: {exc}") from exc
    except zipfile.BadZipFile as exc:
        raise FileRefused(f"tệp hỏng hoặc bị cắt cụt (không mở được dạng nén): {exc}") from exc
    except (EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise FileRefused(f"tệp nén không đọc được: {exc}") from exc


def preflight(path: Path, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Refuse ``path`` unless it is a regular, non-empty file of at most ``max_bytes``
    bytes, and — for Office/zip suffixes — a sound, unencrypted, bounded archive. A Compound
    File (OLE2: a legacy Office file, or a password-protected .xlsx/.docx) is refused unless
    its suffix is .xls (:data:`OLE_SUFFIXES`: the .xls reader checks it, and refuses an
    encrypted one); a .doc is told to be saved as .docx.

    Raises :class:`FileRefused`; reads at most the zip directory and XML parts (bounded).
    """
    path = Path(path)
    if not path.exists():
        raise FileRefused("không tìm thấy tệp")
    if path.is_dir():
        raise FileRefused("là một thư mục, không phải tệp")
    if not path.is_file():
        raise FileRefused("không phải tệp thông thường")
    size = path.stat().st_size
    if size == 0:
        raise FileRefused("tệp rỗng (0 byte)")
    if size > max_bytes:
        raise FileRefused(f"tệp quá lớn: {_mb(size)} (tối đa {_mb(max_bytes)})")
    with path.open("rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    if head.startswith(OLE_MAGIC) and suffix not in OLE_SUFFIXES:
        if suffix == ".doc":
            raise FileRefused("tệp Word định dạng cũ (.doc) chưa được hỗ trợ: hãy mở bằng Word và lưu lại dạng .docx")
        raise FileRefused(f"tệp Office có mật khẩu (mã hoá), hoặc định dạng cũ (.xls/.doc) mang đuôi {suffix or '(không có)'}: "
                          "hãy bỏ mật khẩu, lưu lại dạng .xlsx/.docx")
    if suffix in ZIP_SUFFIXES:
        if not head.startswith(b"PK"):
            raise FileRefused(f"không phải tệp {suffix} hợp lệ (hỏng, bị cắt, hoặc đổi đuôi)")
        check_zip(path)
    elif head.startswith(b"PK\x03\x04"):
        check_zip(path)
    if suffix == ".xml":
        try:
            safe_xml(path.read_bytes(), forbid_dtd=True)
        except (DefusedXmlException, ParseError) as exc:
            raise FileRefused(f"không phải XML an toàn: {exc}") from exc
