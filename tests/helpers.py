"""Small helpers shared by the document tests."""
import re
from pathlib import Path

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
# The shipped documents the tests name (data/raw/manifest.csv)
BUDGET_2024 = "000_3dbcd40b8eb90139.txt"
PLAN_2022 = "001_3dc3e512645fa543.txt"


def printed(value: float) -> str:
    """A value as the documents print it: "5.759", "47,8"."""
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    return f"{value:g}".replace(".", ",")


def shows_value(text: str, value: float) -> bool:
    """True when ``text`` prints ``value`` (0 may be written "không"/"chưa")."""
    if value == 0:
        return bool(re.search(r"\b(không|chưa)\b", text, re.I))
    return bool(re.search(rf"(?<![\d.,])0*{re.escape(printed(value))}(?![\d]|[.,]\d)", text))


def read(path) -> list[str]:
    """A document's lines as the parsers number them (via ``loaders.documents.read_lines``)."""
    from loaders.documents import read_lines

    return read_lines(path)


def unknown_header_workbook(path: Path, header: str = "Số liệu phân bổ", total: int = 300) -> Path:
    """A workbook whose money column is headed in words no vocabulary knows (``header``), in
    triệu đồng, with two lines (100 SNKH, 200 QLNN) and a printed TỔNG CỘNG ``total``: the
    document the officer's column decisions are tested on."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "PL1"
    ws.append(["DỰ TOÁN KINH PHÍ NĂM 2025"])
    ws.append(["Đơn vị tính: triệu đồng"])
    ws.append(["TT", "Nội dung", header, "Ghi chú"])
    ws.append(["1", "Hội nghị tổng kết", 100, "Nguồn SNKH"])
    ws.append(["2", "Kiểm tra đo lường", 200, "Nguồn QLNN"])
    ws.append(["", "TỔNG CỘNG", total, ""])
    wb.save(path)
    return path


def read_text_document(tmp_path: Path, name: str, text: str, province: str, year: int, kind: str):
    """Write ``text`` as ``tmp_path/name`` and read it as the build does, with the manifest row
    of ``province``, fiscal ``year`` and ``kind`` (``loaders.documents.read_document``)."""
    from loaders.documents import ManifestEntry, read_document

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, ManifestEntry(file=name, province=province, fiscal_years=[year], kind=kind))
