"""The pages' cache of query results (ui.state.CachedWarehouse) keys on the warehouse
identity: a rebuild is read at once, a repeated read is served from the cache, and reads that
depend on editors' entries are never cached."""
import shutil

from ui.state import UNCACHED, CachedWarehouse, _read
from warehouse import store
from warehouse.queries import Warehouse


def test_cached_reads_follow_a_rebuild(built_db, tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(built_db["raw"], raw)
    db = tmp_path / "w.duckdb"
    shutil.copyfile(built_db["db"], db)
    monkeypatch.setenv("SKHCN_DB", str(db))
    _read.clear()
    wh = CachedWarehouse(Warehouse(db))
    calls = []
    real = Warehouse.documents
    monkeypatch.setattr(Warehouse, "documents", lambda self, *a: calls.append(a) or real(self, *a))
    n = len(wh.documents())
    assert len(wh.documents()) == n and len(calls) == 1  # the second read came from the cache
    (raw / "001_3dc3e512645fa543.txt").unlink()
    store.build(raw, db)
    assert len(wh.documents()) == n - 1 and len(calls) == 2  # a new file: a new key


def test_reads_of_editors_entries_are_not_cached(built_db):
    wh = CachedWarehouse(Warehouse(built_db["db"]))
    assert {"targets", "tasks"} <= UNCACHED
    assert wh.targets.__func__ is Warehouse.targets and wh.tasks.__func__ is Warehouse.tasks
    assert wh.path == built_db["db"]
