"""Decoding the bytes of a text document: Unicode, or a clear refusal naming the encoding.

Documents arrive as UTF-8 (the extracted text of ``data/raw``), but copies made on older
Vietnamese office machines come as UTF-16 (Notepad's "Unicode"), Windows-1258, or in the
legacy *font* encodings TCVN3 (ABC, ".VnTime") and VNI, which put Vietnamese letters on the
code points of Western letters and symbols. Reading those as Windows-1252 gives plausible
looking nonsense ("Ng©n s¸ch" for "Ngân sách"), so they are refused, never guessed.

Rules (first that applies):

1. a byte-order mark: UTF-8, UTF-16 or UTF-32 as marked (certain);
2. valid UTF-8 (certain);
   (a NUL character is refused: binary or damaged);
3. NUL bytes without a BOM: refused (UTF-16 without BOM, or binary);
4. mostly valid UTF-8 with a few bad bytes: refused as damaged or truncated, with the line;
5. ``charset_normalizer`` (https://github.com/jawah/charset_normalizer) says ``cp1258`` *and*
   the text shows Windows-1258's signature, tone marks written as combining characters after
   vowels (≥ 80 % of them): converted;
6. the TCVN3 or VNI signature (see ``legacy_font``): refused, saying which;
7. anything else: refused, naming ``charset_normalizer``'s best guess (or "unknown").

Errors: :class:`EncodingRefused` (``message`` in Vietnamese, ``line`` of the first byte that
is not UTF-8, when known); ``loaders.documents`` turns it into a ``DocumentError``.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_VOWELS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
_CP1258_TONED = re.compile(f"[{_VOWELS}][{TONE_MARKS}]")
# TCVN3: Vietnamese letters on 0xA1–0xFE; the most frequent (á à ả ã ạ ă â ê ô ơ ư đ) sit on
# 0xA1–0xBF, which in Windows-125x are symbols (¸ µ © ª « ¬ ®) that never stand inside a word.
_TCVN3_IN_WORD = re.compile(rb"[A-Za-z][\xa1-\xbf]|[\xa1-\xbf][A-Za-z]")
# VNI: a plain vowel followed by a separate tone/modifier byte ("aù" = á, "eâ" = ê, "oâ" = ô).
_VNI_PAIR = re.compile(rb"[aeouyAEOUY][\xf9\xf8\xfb\xf5\xef\xe2\xe1\xe0\xe5\xe3\xe4\xea\xe9\xe8\xfa\xfc\xeb"
                       rb"\xd9\xd8\xdb\xd5\xcf\xc2\xc1\xc0\xc5\xc3\xc4\xca\xc9\xc8\xda\xdc\xcb]")
_WORD = re.compile(rb"[A-Za-z\x80-\xff]+")


class EncodingRefused(ValueError):
    """Bytes that are not Unicode text we can convert with certainty."""

    def __init__(self, message: str, line: int | None = None):
        self.message, self.line = message, line
        super().__init__(message)


def legacy_font(data: bytes) -> str | None:
    """``"TCVN3"`` or ``"VNI"`` when ``data`` (not UTF-8) looks like Vietnamese typed in that
    legacy font encoding, else ``None``.

    Heuristic on whole words: at least 5 % of the words that hold a non-ASCII byte (and at
    least 3 words) carry the encoding's signature (TCVN3: a byte 0xA1–0xBF beside a letter;
    VNI: a plain vowel followed by a tone/modifier byte).
    """
    words = [w for w in _WORD.findall(data) if any(b >= 0x80 for b in w)]
    if len(words) < 3:
        return None
    tcvn3 = sum(1 for w in words if _TCVN3_IN_WORD.search(w))
    vni = sum(1 for w in words if _VNI_PAIR.search(w))
    best, hits = ("TCVN3", tcvn3) if tcvn3 >= vni else ("VNI", vni)
    if hits >= 3 and hits >= 0.05 * len(words):
        return best
    return None


def _first_bad_line(data: bytes, exc: UnicodeDecodeError) -> int:
    return data[: exc.start].count(b"\n") + 1


def decode_text(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of a document's bytes, ``text`` in Unicode NFC.

    ``encoding`` is the codec used ("utf-8", "utf-16", "cp1258", …). Raises
    :class:`EncodingRefused` when the encoding is not certain (see the module docstring).
    """
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return unicodedata.normalize("NFC", data.decode(codec)), codec.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise EncodingRefused(f"có dấu BOM của {codec} nhưng nội dung không đúng bảng mã đó") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _first_bad_line(data, exc)
    else:
        if "\x00" in text:
            raise EncodingRefused("có ký tự NUL (byte 0) trong văn bản: tệp nhị phân hoặc bị hỏng", text[: text.index("\x00")].count("\n") + 1)
        return unicodedata.normalize("NFC", text), "utf-8"
    if b"\x00" in data[:4096]:
        guess = from_bytes(data[:65536]).best()
        hint = f"có thể là {guess.encoding} không có BOM" if guess else "tệp nhị phân?"
        raise EncodingRefused(f"không phải văn bản (có byte 0; {hint})", line)
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    if sum(1 for ch in lenient if ord(ch) > 127) - broken >= 3 * broken:
        raise EncodingRefused(f"văn bản UTF-8 bị hỏng hoặc bị cắt cụt: {broken} byte không đọc được, byte đầu tiên ở dòng {line}", line)
    guess = from_bytes(data).best()
    if guess is not None and guess.encoding == "cp1258":
        text = data.decode("cp1258")
        toned = len(_CP1258_TONED.findall(text))
        marks = sum(text.count(m) for m in TONE_MARKS)
        if toned >= 3 and toned >= 0.8 * marks:  # tone marks after vowels: Windows-1258, not a legacy font
            return unicodedata.normalize("NFC", text), "cp1258"
    font = legacy_font(data)
    if font is not None:
        raise EncodingRefused(
            f"văn bản gõ bằng bảng mã {font} (phông chữ cũ, không phải Unicode): hãy chuyển sang Unicode "
            "(ví dụ bằng Unikey → Công cụ chuyển mã) rồi nạp lại",
            line,
        )
    name = guess.encoding if guess else "không rõ"
    raise EncodingRefused(f"không phải văn bản UTF-8 (bảng mã đoán được: {name}; không chắc chắn nên không chuyển)", line)
