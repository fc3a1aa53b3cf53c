"""The bad-input corpus (``tests/data/bad``, listed in ``expected.csv``): every file gets a
clear Vietnamese message naming the file (and the line where one is known), never a
traceback, and the warehouse export stays byte-for-byte as it was, as do the documents
folder and its manifest."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.documents import DocumentError
from warehouse import store
from warehouse.export import export_package
from warehouse.queries import Warehouse

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
with (BAD / "expected.csv").open(encoding="utf-8", newline="") as _fh:
    CASES = list(csv.DictReader(_fh))
INGEST = [c for c in CASES if c["target"] == "ingest"]
MANIFEST = [c for c in CASES if c["target"] == "manifest"]


def _export(db: Path, out: Path) -> dict[str, bytes]:
    export_package(Warehouse(db), out)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _folder(raw: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(raw.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    raw = base / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    db = base / "w.duckdb"
    store.build(raw, db)
    return {"raw": raw, "db": db, "export": _export(db, base / "export0"), "folder": _folder(raw), "db_bytes": db.read_bytes(),
            "base": base}


def test_corpus_is_complete():
    files = {p.name for p in BAD.iterdir()} - {"expected.csv", "make_corpus.py", "__pycache__"}
    assert files == {c["file"] for c in CASES}
    assert len(CASES) >= 40


def _assert_unchanged(baseline, out: Path) -> None:
    assert baseline["db"].read_bytes() == baseline["db_bytes"]
    assert _export(baseline["db"], out) == baseline["export"]
    assert _folder(baseline["raw"]) == baseline["folder"]


def _assert_message(err: DocumentError, case: dict) -> None:
    text = str(err)
    where = f"{case['file']}:{case['line']}:" if case["line"] else f"{case['file']}:"
    assert text.startswith(where), text
    assert case["expect"] in text, text
    assert "Traceback" not in text and str(ROOT) not in text  # no server paths either


@pytest.mark.parametrize("case", INGEST, ids=[c["file"] for c in INGEST])
def test_bad_document_is_refused_and_nothing_changes(baseline, tmp_path, case):
    path = BAD / case["file"]
    overrides = store.Overrides(province=case["province"])
    if case["expect"].startswith("SKIPPED"):
        report = store.ingest(path, baseline["db"], baseline["raw"], overrides)
        assert report.documents == [] and case["expect"].removeprefix("SKIPPED ") in report.skipped[0]
    else:
        with pytest.raises(DocumentError) as err:
            store.ingest(path, baseline["db"], baseline["raw"], overrides)
        _assert_message(err.value, case)
    _assert_unchanged(baseline, tmp_path / "export")


@pytest.mark.parametrize("case", MANIFEST, ids=[c["file"] for c in MANIFEST])
def test_bad_manifest_is_refused_or_converted(baseline, tmp_path, case):
    raw = tmp_path / "raw"
    shutil.copytree(baseline["raw"], raw)
    shutil.copyfile(BAD / case["file"], raw / "manifest.csv")
    db = tmp_path / "w.duckdb"
    shutil.copyfile(baseline["db"], db)
    if case["expect"] == "BUILT":  # BOM, UTF-16 and Windows-1258 are converted: same warehouse
        store.build(raw, db)
    else:
        with pytest.raises(DocumentError) as err:
            store.build(raw, db)
        _assert_message(err.value, case | {"file": "manifest.csv"})
        assert db.read_bytes() == baseline["db_bytes"]
    assert _export(db, tmp_path / "export") == baseline["export"]


def test_100_mb_upload_is_refused_before_reading(baseline, tmp_path):
    big = tmp_path / "upload_100mb.txt"
    with big.open("wb") as fh:  # sparse: no 100 MB written to disk
        fh.truncate(100 * 1024 * 1024)
    with pytest.raises(DocumentError) as err:
        store.ingest(big, baseline["db"], baseline["raw"], store.Overrides(province="Điện Biên"))
    assert str(err.value).startswith("upload_100mb.txt:") and "tệp quá lớn: 100.0 MB" in str(err.value)
    _assert_unchanged(baseline, tmp_path / "export")


def test_one_very_long_line_is_refused(baseline, tmp_path):
    long = tmp_path / "one_line.txt"
    long.write_text("Nội dung " * 800_000, encoding="utf-8")  # 8 MB without a newline
    with pytest.raises(DocumentError) as err:
        store.ingest(long, baseline["db"], baseline["raw"], store.Overrides(province="Điện Biên"))
    assert str(err.value).startswith("one_line.txt:")
    _assert_unchanged(baseline, tmp_path / "export")


def test_manifest_that_is_a_directory(baseline, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "manifest.csv").mkdir()
    with pytest.raises(DocumentError) as err:
        store.build(raw, tmp_path / "w.duckdb")
    assert "manifest.csv" in str(err.value) and "thư mục" in str(err.value)


@pytest.mark.parametrize("name", ["tcvn3.txt", "zip_bomb.xlsx", "amount_above_bigint.txt"])
def test_command_line_gives_the_message_not_a_traceback(baseline, name):
    case = next(c for c in INGEST if c["file"] == name)
    r = subprocess.run(
        [sys.executable, "-m", "warehouse", "ingest", str(BAD / name), "--province", case["province"],
         "--db", str(baseline["db"]), "--raw", str(baseline["raw"])],
        cwd=ROOT, capture_output=True, text=True, env=os.environ | {"PYTHONWARNINGS": "ignore"},
    )
    assert r.returncode == 1
    assert case["expect"] in r.stderr and name in r.stderr and "Traceback" not in r.stderr
    assert "Kho dữ liệu giữ nguyên" in r.stderr
