"""The fast build path (issue 10): memoised classifiers give the same readings as before,
answer a new vocabulary with its own reading, and the start script's build runs only when
the documents changed."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.text.catalogue import (
    default_field_rules,
    load_field_rules,
    matching_fields,
)
from loaders.text.sources import load_source_vocabulary, read_source
from loaders.text.vocabulary import pinned
from warehouse import load

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warehouse", *args], cwd=ROOT, capture_output=True, text=True, env=env)


def test_memoised_readings_are_fresh_copies_and_follow_the_vocabulary(tmp_path):
    found = matching_fields("Thẩm định điều kiện an toàn bức xạ")
    assert found
    found.append("XX")  # a caller's list must not leak into the next answer
    assert "XX" not in matching_fields("Thẩm định điều kiện an toàn bức xạ")
    # A vocabulary without the phrase (an edited file is a new object): no stale answer.
    csv_text = (ROOT / "data" / "vocabulary" / "funding_sources.csv").read_text(encoding="utf-8")
    assert read_source("Nguồn SNKH").code == "SNKH"
    edited = tmp_path / "funding_sources.csv"
    edited.write_text("\n".join(l for l in csv_text.splitlines() if not l.startswith("SNKH,")) + "\n", encoding="utf-8")
    assert read_source("Nguồn SNKH", load_source_vocabulary(edited)).code != "SNKH"
    assert read_source("Nguồn SNKH").code == "SNKH"
    fields_csv = ROOT / "data" / "catalogue" / "fields.csv"
    assert matching_fields("an toàn bức xạ", load_field_rules(fields_csv)) == matching_fields("an toàn bức xạ")


def test_pinned_reads_a_vocabulary_once():
    with pinned():
        first = default_field_rules()
        assert default_field_rules() is first
    assert default_field_rules() == first


def test_columns_hold_one_value_per_record(built_db):
    from loaders.documents import read_document, read_manifest

    raw = built_db["raw"]
    manifest = read_manifest(raw)
    for path in sorted(raw.glob("*.txt")):
        result = read_document(path, manifest.get(path.name))
        tables = load.columns_of(result, "11")
        assert len(tables["budget_lines"]["amount_vnd"]) == len(result.budget_lines)
        assert tables["budget_lines"]["document"] == [path.name] * len(result.budget_lines)
        assert [q for q in tables["budget_lines"]["quarters"]] == [list(bl.quarters) for bl in result.budget_lines]
        assert len(tables["tasks"]["task_id"]) == len(result.tasks)
        assert all(isinstance(v, int) for v in tables["budget_lines"]["amount_vnd"] if v is not None)


def test_start_script_build_runs_only_when_documents_change(tmp_path, built_db):
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    db = tmp_path / "w.duckdb"
    env = os.environ | {"SKHCN_ENTRIES": str(tmp_path / "entries.sqlite")}
    r = _cli("build", "--if-stale", "--raw", str(raw), "--db", str(db), env=env)
    assert r.returncode == 0, r.stderr
    assert "0 không khớp" in r.stdout
    built = db.stat().st_ino, db.stat().st_mtime_ns
    r = _cli("build", "--if-stale", "--raw", str(raw), "--db", str(db), env=env)
    assert r.returncode == 0 and "đã cập nhật" in r.stdout
    assert (db.stat().st_ino, db.stat().st_mtime_ns) == built
    (raw / "001_3dc3e512645fa543.txt").unlink()
    r = _cli("build", "--if-stale", "--raw", str(raw), "--db", str(db), env=env)
    assert r.returncode == 0 and "001_3dc3e512645fa543.txt" not in r.stdout
    assert db.stat().st_ino != built[0]


def _table(db: Path, sql: str) -> list:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


# Run in a new interpreter, as the command line would (two documents read at once, each in
# its own limited child process).
_PARALLEL_BUILD = """
import sys
from pathlib import Path
from warehouse import store
raw, db = Path(sys.argv[1]), Path(sys.argv[2])
files = sorted(p for p in raw.iterdir() if p.name != "manifest.csv")
assert store._workers(files) == 2, "the parallel path was not taken"
try:
    store.build(raw, db)
except store.DocumentError as exc:
    print("DocumentError:", exc)
    sys.exit(3)
"""


def _parallel_build(raw: Path, db: Path, env: dict) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parent.parent
    return subprocess.run([sys.executable, "-c", _PARALLEL_BUILD, str(raw), str(db)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def test_worker_processes_write_what_one_process_writes(tmp_path, built_db, monkeypatch):
    env = dict(os.environ, SKHCN_ENTRIES=str(tmp_path / "entries.sqlite"), SKHCN_BUILD_WORKERS="2",
               PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    db = tmp_path / "w.duckdb"
    done = _parallel_build(raw, db, env)
    assert done.returncode == 0, done.stdout + done.stderr
    for sql in ("SELECT * FROM budget_lines ORDER BY document, line_id",
                "SELECT * FROM totals ORDER BY document, source_line, scope",
                "SELECT document, line, severity, message FROM parse_issues ORDER BY ALL",
                "SELECT * FROM tasks ORDER BY document, task_id",
                "SELECT * FROM indicators ORDER BY document, indicator_id"):
        assert _table(db, sql) == _table(built_db["db"], sql), sql
    # A document that cannot be read: the same error (file and line) as a serial build, and
    # the warehouse is left as it was.
    text = (raw / "000_3dbcd40b8eb90139.txt").read_text(encoding="utf-8")
    (raw / "000_3dbcd40b8eb90139.txt").write_text(text.replace("2 Quý II, III 1.500.000", "2 Quý II, III 1.500.000,5"),
                                                  encoding="utf-8")
    before = db.read_bytes()
    failed = _parallel_build(raw, db, env)
    assert failed.returncode == 3, failed.stdout + failed.stderr
    assert "000_3dbcd40b8eb90139.txt:170" in failed.stdout
    assert db.read_bytes() == before
    from warehouse import store

    monkeypatch.setenv("SKHCN_BUILD_WORKERS", "0")
    with pytest.raises(store.DocumentError) as serial:  # in this process, serially
        store.build(raw, db)
    assert f"DocumentError: {serial.value}" in failed.stdout
