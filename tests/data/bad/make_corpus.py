"""Regenerate the bad-input corpus of this folder (``python tests/data/bad/make_corpus.py``).

Each file is a hostile or broken input a department might send; ``expected.csv`` says what
the write path must answer (a message fragment, and the line where one is known). The
files derive from the shipped Điện Biên 2024 appendix (``data/raw/000_…``) where a realistic
document is needed. The 100 MB upload is not stored: ``tests/test_bad_inputs.py`` makes it
(sparse) at run time.
"""
from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SOURCE = ROOT / "data" / "raw" / "000_3dbcd40b8eb90139.txt"
MANIFEST = ROOT / "data" / "raw" / "manifest.csv"

TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese office software writes it: base letters precomposed where
    the code page has them, tone marks as separate combining bytes."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        dec = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in dec if c not in TONES))
        out += base.encode("cp1258", errors="replace") + "".join(c for c in dec if c in TONES).encode("cp1258")
    return bytes(out)


# TCVN3 (ABC) lower-case letters; capitals of the legacy fonts reuse these codes in another font.
_TCVN3 = dict(zip(
    "ăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ",
    [0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6,
     0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8,
     0xDC, 0xDD, 0xDE, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED,
     0xEE, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE],
))


def tcvn3(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        low = ch.lower()
        if low in _TCVN3:
            out.append(_TCVN3[low])
        else:
            out += ch.encode("ascii", errors="replace")
    return bytes(out)


# VNI-Windows: a base letter followed by a modifier/tone byte.
_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_HAT_TONE = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE_TONE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def vni(text: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        dec = unicodedata.normalize("NFD", ch)
        base, marks = dec[0], dec[1:]
        tone = next((m for m in marks if m in TONES), "")
        upper = base.isupper()
        b = base.lower()
        if ch.lower() == "đ":
            s = "ñ"
        elif b == "i" and tone:
            s = _VNI_I[tone]
        elif "\u0302" in marks and b in "aeo":
            s = b + _VNI_HAT_TONE[tone]
        elif "\u0306" in marks and b == "a":
            s = b + _VNI_BREVE_TONE[tone]
        elif "\u031b" in marks and b in "ou":
            s = {"o": "ô", "u": "ö"}[b] + _VNI_TONE.get(tone, "")
        elif tone and b in "aeouy":
            s = b + _VNI_TONE[tone]
        else:
            s = ch
        out.append(s.upper() if upper else s)
    return "".join(out).encode("cp1252", errors="replace")


def xlsx_bytes(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
SHEET = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
         b'main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>TT</t></is></c></row></sheetData></worksheet>')
BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10))
                  + b']><lolz>&lol9;</lolz>')
XXE = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r>&xxe;</r>'


def encrypted_flag(data: bytes) -> bytes:
    """Set the 'encrypted' bit of every entry of a zip (local and central headers)."""
    b = bytearray(data)
    i = 0
    while (i := b.find(b"PK\x03\x04", i)) != -1:
        struct.pack_into("<H", b, i + 6, struct.unpack_from("<H", b, i + 6)[0] | 1)
        i += 4
    i = 0
    while (i := b.find(b"PK\x01\x02", i)) != -1:
        struct.pack_into("<H", b, i + 8, struct.unpack_from("<H", b, i + 8)[0] | 1)
        i += 4
    return bytes(b)


def main() -> None:
    text = SOURCE.read_text(encoding="utf-8")
    manifest = MANIFEST.read_text(encoding="utf-8")
    real_xlsx = xlsx_bytes({"[Content_Types].xml": CONTENT_TYPES, "xl/worksheets/sheet1.xml": SHEET})
    line9 = "1 Tuyên truyền ngày KHCNVN 18/5 Quý II 40.000.000 Nguồn SNKH"

    def variant(old: str, new: str, number: str) -> bytes:
        """The appendix with one change and a document number of its own (ingested as another
        province in expected.csv, so the duplicate checks do not answer first)."""
        return text.replace("68/KH-SKHCN", number).replace(old, new).encode("utf-8")

    files: dict[str, bytes] = {
        # text documents
        "empty.txt": b"",
        "whitespace_only.txt": b"   \n\t\n \r\n",
        "binary_named.txt": bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256)) * 8,
        "nul_bytes.txt": variant(line9, line9 + "\x00\x00", "80/KH-SKHCN"),
        "utf16le_bom_copy.txt": text.encode("utf-16"),
        "utf16be_bom_copy.txt": b"\xfe\xff" + text.encode("utf-16-be"),
        "utf16le_no_bom.txt": text.encode("utf-16-le"),
        "windows1258_copy.txt": cp1258(text),
        "tcvn3.txt": tcvn3(text),
        "vni.txt": vni(text),
        "latin1_french.txt": ("Budget prévisionnel de l'année, dépenses réparties par trimestre. " * 20).encode("cp1252"),
        "truncated_utf8.txt": text.encode("utf-8")[: text.encode("utf-8").index("Phụ lục 2".encode()) + 3],
        "amount_dots.txt": variant("Quý II 40.000.000", "Quý II 1.2.3", "81/KH-SKHCN"),
        "amount_negative.txt": variant("Quý II 40.000.000", "Quý II -40.000.000", "82/KH-SKHCN"),
        "amount_above_1e15.txt": variant("Quý II 40.000.000", "Quý II 2.000.000.000.000.000", "83/KH-SKHCN"),
        "amount_above_bigint.txt": variant("Quý II 40.000.000", "Quý II 99.999.999.999.999.999.999", "84/KH-SKHCN"),
        "total_disagrees.txt": variant("TỔNG CỘNG 730.000.000", "TỔNG CỘNG 750.000.000", "85/KH-SKHCN"),
        "words_disagree.txt": variant("Bảy trăm ba mươi triệu đồng", "Bảy trăm năm mươi triệu đồng", "86/KH-SKHCN"),
        "duplicate_appendix_number.txt": variant(" Phụ lục 4", " Phụ lục 3", "87/KH-SKHCN"),
        "unknown_layout.txt": "Kính gửi: Ủy ban nhân dân tỉnh.\nSở báo cáo tình hình chung như sau.\n".encode("utf-8"),
        "copy_renamed.txt": SOURCE.read_bytes(),
        "copy_trailing_space.txt": text.replace("TỔNG CỘNG 730.000.000", "TỔNG CỘNG 730.000.000 ").encode("utf-8"),
        "copy_crlf.txt": text.replace("\n", "\r\n").encode("utf-8"),
        "same_number_other_text.txt": text.replace("Tuyên truyền ngày KHCNVN", "Tuyên truyền Ngày KH&CN Việt Nam").encode("utf-8"),
        "same_scope_other_number.txt": text.replace("68/KH-SKHCN", "71/KH-SKHCN")
                                            .replace("Tuyên truyền ngày KHCNVN", "Tuyên truyền Ngày KH&CN Việt Nam").encode("utf-8"),
        "unknown_province.txt": text.replace("68/KH-SKHCN", "72/KH-SKHCN").encode("utf-8"),
        # office containers and markup
        "empty.xlsx": b"",
        "truncated.xlsx": real_xlsx[: len(real_xlsx) // 2],
        "corrupt.xlsx": b"PK\x03\x04" + bytes(range(256)) * 4,
        "not_a_zip.xlsx": "TT;Nội dung;Số tiền\n1;Tuyên truyền;40.000.000\n".encode("utf-8"),
        "password_protected.xlsx": bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le"),
        "legacy_xls.xls": bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 1016,
        "zip_bomb.xlsx": xlsx_bytes({"[Content_Types].xml": CONTENT_TYPES, "xl/worksheets/sheet1.xml": b" " * 30_000_000}),
        "xml_bomb.xlsx": xlsx_bytes({"[Content_Types].xml": CONTENT_TYPES, "xl/worksheets/sheet1.xml": BILLION_LAUGHS}),
        "xxe.xlsx": xlsx_bytes({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": XXE}),
        "xml_bomb.xml": BILLION_LAUGHS,
        "encrypted_entries.docx": encrypted_flag(xlsx_bytes({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": SHEET})),
        "image_named.docx": bytes.fromhex("89504e470d0a1a0a") + b"\x00" * 64,
        "text_named.pdf": "Đây không phải PDF.\n".encode("utf-8"),
        "valid_but_unsupported.xlsx": real_xlsx,
        # manifests (used as data/raw/manifest.csv beside the shipped documents)
        "manifest_bom.csv": b"\xef\xbb\xbf" + manifest.encode("utf-8"),
        "manifest_utf16.csv": manifest.encode("utf-16"),
        "manifest_windows1258.csv": cp1258(manifest),
        "manifest_missing_column.csv": "\n".join(",".join(c for i, c in enumerate(ln.split(",")) if i != 3)
                                                 for ln in manifest.splitlines()).encode("utf-8"),
        "manifest_bad_year.csv": manifest.replace(",2024,", ",20x4,", 1).encode("utf-8"),
        "manifest_year_out_of_range.csv": manifest.replace(",2024,", ",1850,", 1).encode("utf-8"),
        "manifest_unknown_kind.csv": manifest.replace(",budget_appendices,", ",bang_tinh,", 1).encode("utf-8"),
        "manifest_tcvn3.csv": tcvn3(manifest),
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    print(f"{len(files)} files in {HERE}")


if __name__ == "__main__":
    main()
