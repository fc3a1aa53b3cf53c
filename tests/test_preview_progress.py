"""A long preview says how far it is, and a file is laid out once (issue 18, item 9): the child
that reads a PDF reports each page to its parent; what it extracted is kept for the next
reading of the same bytes (in memory, and across the reading processes), never for other
bytes or other limits. No timing is asserted here (``python -m benchmarks.preview`` measures)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from docgen import text_blocks, write_pdf

from loaders.documents import read_lines
from loaders.tables.files import cache, extract
from loaders.tables.files import pdf as pdf_reader
from warehouse import isolate

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "data" / "raw" / "002_f08a4011d44ed5e3.txt"


@pytest.fixture(scope="module")
def three_pages(tmp_path_factory) -> Path:
    """A text PDF of three pages (a page break after each third of the lines)."""
    lines = REPORT.read_text(encoding="utf-8").splitlines()[:60]
    blocks = text_blocks(lines[:20]) + [("page", None)] + text_blocks(lines[20:40]) + [("page", None)] + text_blocks(lines[40:])
    return write_pdf(blocks, tmp_path_factory.mktemp("pdf") / "ba-trang.pdf")


def test_the_child_reports_each_page_to_the_parent(three_pages):
    heard: list[tuple[str, int, int]] = []
    lines = isolate.run(read_lines, (three_pages,), three_pages.name, on_progress=lambda *r: heard.append(r))
    assert lines
    pages = [(done, total) for step, done, total in heard if step == "Đọc trang"]
    assert pages == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_a_reading_without_a_listener_sends_nothing_but_its_value(three_pages, tmp_path):
    copy = tmp_path / "khong-nghe.pdf"
    copy.write_bytes(three_pages.read_bytes() + b"% khong nghe\n")  # new bytes: read, not recalled
    assert isolate.run(read_lines, (copy,), copy.name) == read_lines(copy)


def test_the_same_bytes_are_not_laid_out_again(three_pages, tmp_path, monkeypatch):
    path = tmp_path / "mot-lan.pdf"
    path.write_bytes(three_pages.read_bytes() + b"% mot lan\n")
    monkeypatch.delenv(cache.ENV, raising=False)
    cache.clear()
    first = extract(path)
    calls = []
    monkeypatch.setattr(pdf_reader, "read", lambda p: calls.append(p) or pytest.fail("read again"))
    assert extract(path) is first and not calls  # same process: from memory
    other = tmp_path / "khac.pdf"
    other.write_bytes(path.read_bytes() + b"% khac\n")
    with pytest.raises(BaseException):  # other bytes are read (here: by the failing reader)
        extract(other)
    monkeypatch.setenv("SKHCN_PARSE_MAX_PAGES", "400")  # other limits: read again
    with pytest.raises(BaseException):
        extract(path)


def test_a_child_finds_what_another_child_read(three_pages, tmp_path):
    path = tmp_path / "hai-tien-trinh.pdf"
    path.write_bytes(three_pages.read_bytes() + b"% hai tien trinh\n")
    isolate.run(read_lines, (path,), path.name)
    kept = isolate.extracted_cache() / f"{cache.key(path)}.pickle"
    assert kept.is_file()
    if sys.platform.startswith("linux"):
        assert kept.parent.stat().st_mode & 0o077 == 0  # private to this user
    heard: list[tuple] = []
    assert isolate.run(read_lines, (path,), path.name, on_progress=lambda *r: heard.append(r)) == read_lines(path)
    assert not [h for h in heard if h[0] == "Đọc trang"]  # the second child laid out no page
