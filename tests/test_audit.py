"""The audit log is append-only (SQLite triggers refuse UPDATE and DELETE) and hash-chained:
``python -m warehouse audit verify`` finds a row changed or removed behind the triggers' back;
a file made before the chain is migrated once; every CLI command is documented in README."""
from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path

import pytest

from warehouse import audit, cli, statedb

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def log(tmp_path, monkeypatch):
    path = tmp_path / "entries.sqlite"
    monkeypatch.setenv("SKHCN_ENTRIES", str(path))
    audit.record(audit.Actor("bientap", "editor"), "ingest", "a.docx", sha256="ab" * 32, rows=12)
    audit.record(audit.Actor("quantri", "admin"), "users", "reset bientap")
    audit.record("bientap", "login", "bientap", ok=False, detail="sai tên đăng nhập hoặc mật khẩu")
    audit.record(audit.Actor("bientap", "editor"), "enter_actuals", "x#1", rows=2, detail="Hưng Yên, kỳ 2025-Q1")
    return path


def _verify(capsys) -> tuple[int, str]:
    status = cli.main(["audit", "verify"])
    return status, capsys.readouterr().out


def test_update_and_delete_are_refused(log):
    con = sqlite3.connect(log)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("UPDATE audit SET actor = 'ke-gian' WHERE id = 2")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("DELETE FROM audit WHERE id = 2")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("DELETE FROM audit")
    finally:
        con.close()
    assert len(audit.recent(10)) == 4 and set(audit.recent(10)["actor"]) == {"bientap", "quantri"}


def test_verify_passes_on_an_intact_log(log, capsys):
    status, out = _verify(capsys)
    assert status == 0 and "4 dòng nhật ký" in out and "Nhật ký toàn vẹn." in out


def test_verify_finds_a_changed_row(log, capsys):
    con = sqlite3.connect(log)
    con.executescript("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'nguoi-khac' WHERE id = 2;")
    con.close()
    status, out = _verify(capsys)
    assert status == 1
    assert "CHUỖI BĂM SAI ở dòng id=2" in out and "id=3" not in out  # the changed row, not its successors
    assert "THIẾU TRIGGER audit_no_update" in out and "KHÔNG toàn vẹn" in out
    # verify re-created the trigger; the broken row stays reported
    con = sqlite3.connect(log)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit SET actor = 'bientap' WHERE id = 2")
    con.close()
    status, out = _verify(capsys)
    assert status == 1 and "id=2" in out and "THIẾU TRIGGER" not in out


def test_verify_finds_a_removed_row_and_a_recomputed_one(log, capsys):
    con = sqlite3.connect(log)
    con.executescript("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2;")
    con.close()
    status, out = _verify(capsys)
    assert status == 1 and "CHUỖI BĂM SAI ở dòng id=3" in out
    # a row whose chain was recomputed after an edit breaks the next row's link
    con = sqlite3.connect(log)
    con.executescript("DROP TRIGGER audit_no_update;")
    row = dict(zip(audit.CHAINED, con.execute(f"SELECT {', '.join(audit.CHAINED)} FROM audit WHERE id = 3").fetchone()))
    previous = con.execute("SELECT chain FROM audit WHERE id = 1").fetchone()[0]
    row["detail"] = "đã sửa"
    con.execute("UPDATE audit SET detail = ?, chain = ? WHERE id = 3", [row["detail"], audit.chain_hash(previous, row)])
    con.commit()
    con.close()
    status, out = _verify(capsys)
    assert status == 1 and "id=4" in out and "id=3" not in out


def test_an_old_file_is_chained_once(tmp_path, monkeypatch, capsys):
    path = tmp_path / "old.sqlite"
    monkeypatch.setenv("SKHCN_ENTRIES", str(path))
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT,
            action TEXT NOT NULL, target TEXT, sha256 TEXT, rows INTEGER, ok INTEGER NOT NULL, detail TEXT);
        INSERT INTO audit (at, actor, role, action, target, ok) VALUES
            ('2025-03-01T08:00:00', 'bientap', 'editor', 'ingest', 'a.docx', 1),
            ('2025-03-02T08:00:00', 'shell:root', 'admin', 'users', 'reset bientap', 1);
    """)
    con.commit()
    con.close()
    statedb.connect().conn.close()
    statedb.connect().conn.close()  # a second open does not migrate again
    con = sqlite3.connect(path)
    rows = con.execute("SELECT id, action, rows, chain FROM audit ORDER BY id").fetchall()
    triggers = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    con.close()
    assert [(r[0], r[1]) for r in rows] == [(1, "ingest"), (2, "users"), (3, "audit_chain")]
    assert rows[2][2] == 2 and all(re.fullmatch(r"[0-9a-f]{64}", r[3]) for r in rows)
    assert triggers == set(statedb.AUDIT_TRIGGER_NAMES)
    audit.record("bientap", "logout", "bientap")
    status, out = _verify(capsys)
    assert status == 0 and "4 dòng nhật ký" in out


def test_parallel_writers_keep_one_chain(log):
    def write(name: str) -> None:
        for i in range(15):
            audit.record(name, "login", name, ok=bool(i % 2))

    threads = [threading.Thread(target=write, args=(f"tk{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    verdict = audit.verify()
    assert verdict.ok and verdict.rows == 4 + 60


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = cli._parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    missing = [c for c in commands if f"python -m warehouse {c}" not in readme]
    assert not missing
    assert "python -m warehouse audit verify" in readme


def test_every_action_has_a_vietnamese_label():
    """The log's page names every action in Vietnamese (``ACTION_LABELS`` next to ``ACTIONS``)."""
    from tests.pages_helpers import english_or_code

    assert set(audit.ACTION_LABELS) == audit.ACTIONS
    for action, label in audit.ACTION_LABELS.items():
        assert label.strip() and english_or_code(label) == [], action
    assert len(set(audit.ACTION_LABELS.values())) == len(audit.ACTIONS)  # no two actions read the same
