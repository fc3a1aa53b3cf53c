"""The department's data lives outside the code (issue 18, item 8): uploads, their manifest,
the warehouse, entries and accounts go to the data directory (``loaders.paths``); the shipped
``data/raw`` is read-only; the build reads both; an older checkout's uploads are moved once."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

from loaders import paths
from loaders.documents import ManifestEntry, read_manifest, write_manifest_entry
from tests.golden import GOLDEN
from tests.test_import_page import ROW, _template
from warehouse import audit, migrate, statedb, store, users
from warehouse.queries import BudgetFilter, Warehouse

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
BUDGET_2024 = "000_3dbcd40b8eb90139.txt"


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (gitignored ones too) with its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def _lines(db: Path, document: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return sorted(con.execute("SELECT line_id, fiscal_year, phase_vn, amount_vnd, source_line FROM budget_lines "
                                  "WHERE document = ?", [document]).fetchall(), key=repr)


def _golden(document: str) -> list[tuple]:
    data = json.loads((GOLDEN / (Path(document).stem + ".json")).read_text(encoding="utf-8"))
    return sorted(((b["line_id"], b["fiscal_year"], b["phase_vn"], b["amount_vnd"], b["source_line"])
                   for b in data["budget_lines"]), key=repr)


def test_the_tests_have_their_own_data_directory_and_never_migrate():
    from platformdirs import user_data_dir

    assert paths.data_dir() != Path(user_data_dir(paths.APP_NAME, appauthor=False))
    assert paths.data_dir().is_relative_to(Path(tempfile.gettempdir()))
    assert os.environ["SKHCN_MIGRATE"] == "0" and migrate.migrate_if_enabled() == []
    for path in (paths.warehouse_path(), paths.entries_path(), paths.users_path(), paths.layouts_dir(),
                 paths.uploads_dir()):
        assert not path.is_relative_to(ROOT), path


def test_shipped_list_is_what_git_ships():
    """``data/raw/SHA256SUMS`` names exactly the files git ships there, with their bytes: what
    the migration counts as shipped (git is not there at run time)."""
    listed = migrate.shipped_list(RAW)
    tracked = {Path(p).name for p in _git("ls-files", "data/raw").split()} - {paths.SHIPPED_LIST}
    assert set(listed) == tracked
    assert {n: hashlib.sha256((RAW / n).read_bytes()).hexdigest() for n in tracked} == listed
    layouts = ROOT / "data" / "profiles" / "layouts"
    tracked = {Path(p).name for p in _git("ls-files", str(layouts.relative_to(ROOT))).split()} - {paths.SHIPPED_LIST}
    assert set(migrate.shipped_list(layouts)) == tracked


def test_an_upload_leaves_the_checkout_as_git_has_it_and_the_shipped_figures_unchanged(tmp_path, editor_account):
    """An upload as the upload page makes it (``ui.state.paths()`` and ``store.ingest``), with
    every path at its default but the data directory: the checkout is not written (git status
    as before, and no file under ``data/`` added or changed, gitignored ones included), the
    document and its manifest row are in the data directory, and the shipped documents still
    give their golden figures."""
    from ui.state import paths as app_paths

    status, files = _git("status", "--porcelain", "--untracked-files=all"), _tree(ROOT / "data")
    folders, db = app_paths()
    assert folders == (RAW, paths.uploads_dir()) and db == paths.data_dir() / "warehouse.duckdb"
    path = _template(tmp_path, [ROW], year=2025, name="du_toan_lai_chau_2025.xlsx")
    report = store.ingest(path, db, folders, store.Overrides(province="Lai Châu"),
                          actor=audit.Actor(editor_account, "editor"), action="upload")
    assert report.documents == [path.name]
    assert _git("status", "--porcelain", "--untracked-files=all") == status
    assert _tree(ROOT / "data") == files
    uploads = paths.uploads_dir()
    assert (uploads / path.name).read_bytes() == path.read_bytes()
    assert set(read_manifest(uploads)) == {path.name}
    assert path.name not in read_manifest(RAW)
    assert Warehouse(db).total(BudgetFilter("Lai Châu", 2025, phase_vn="dự toán")) == 125_000_000
    for name in read_manifest(RAW):
        assert _lines(db, name) == _golden(name), name
    with duckdb.connect(str(db), read_only=True) as con:
        folder_of = dict(con.execute("SELECT document, folder FROM documents").fetchall())
    assert folder_of == {**{n: str(RAW) for n in read_manifest(RAW)}, path.name: str(uploads)}
    assert not store.needs_build(folders, db)


def test_two_folders_are_both_built_names_and_duplicates_across_them(tmp_path):
    """The build reads the shipped folder, then the uploads: both are in the warehouse, each
    document with its folder; a file of the uploads named like a shipped one, and a copy of a
    shipped document under another name, are left out (the shipped one is kept), with why."""
    shipped, uploads, db = tmp_path / "raw", tmp_path / "data" / "uploads", tmp_path / "w.duckdb"
    shutil.copytree(RAW, shipped)
    uploads.mkdir(parents=True)
    book = _template(uploads, [ROW], year=2025, name="lai_chau_2025.xlsx")
    write_manifest_entry(uploads, ManifestEntry(file=book.name, province="Lai Châu", fiscal_years=[2025],
                                                kind="budget_appendices"))
    same_name = "002_f08a4011d44ed5e3.txt"  # a shipped name, other bytes (those of 003)
    shutil.copyfile(shipped / "003_912c6259a13f4ad4.txt", uploads / same_name)
    write_manifest_entry(uploads, read_manifest(shipped)["003_912c6259a13f4ad4.txt"].model_copy(update={"file": same_name}))
    copy = "du_toan_2024_ban_sao.txt"  # the shipped 2024 estimate again, saved with CRLF
    (uploads / copy).write_bytes((shipped / BUDGET_2024).read_bytes().replace(b"\n", b"\r\n"))
    write_manifest_entry(uploads, read_manifest(shipped)[BUDGET_2024].model_copy(update={"file": copy}))
    before = _tree(shipped)

    report = store.build((shipped, uploads), db)
    assert sorted(report.documents) == sorted([*read_manifest(RAW), book.name])
    excluded = dict(e.split(": ", 1) for e in report.excluded)
    assert set(excluded) == {same_name, copy}
    assert "cùng tên" in excluded[same_name] and str(shipped) in excluded[same_name]
    assert BUDGET_2024 in excluded[copy]
    with duckdb.connect(str(db), read_only=True) as con:
        kinds = dict(con.execute("SELECT document, kind FROM excluded_documents").fetchall())
        folders = dict(con.execute("SELECT document, folder FROM documents").fetchall())
    assert kinds == {same_name: "name", copy: "content"}
    assert folders[book.name] == str(uploads) and folders[same_name] == str(shipped)
    assert _lines(db, same_name) == _golden(same_name)  # the shipped document's figures, not the upload's
    assert Warehouse(db).total(BudgetFilter("Lai Châu", 2025, phase_vn="dự toán")) == 125_000_000
    assert not store.needs_build((shipped, uploads), db)
    (uploads / copy).unlink()  # a change in the uploads alone makes the warehouse stale
    assert store.needs_build((shipped, uploads), db)
    assert _tree(shipped) == before


def test_an_ingest_killed_in_the_uploads_is_undone_and_the_shipped_folder_untouched(tmp_path):
    """Recovery works on the folder ingest writes (the uploads), never the shipped one."""
    shipped, uploads, db = tmp_path / "raw", tmp_path / "uploads", tmp_path / "w.duckdb"
    shutil.copytree(RAW, shipped)
    store.build((shipped, uploads), db)
    before = _tree(shipped)
    path = _template(tmp_path, [ROW], year=2025, name="lai_chau_2025.xlsx")
    proc = subprocess.Popen(
        [sys.executable, "-m", "warehouse", "ingest", str(path), "--province", "Lai Châu",
         "--raw", str(shipped), "--raw", str(uploads), "--db", str(db)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=os.environ | {"SKHCN_FAULT_PAUSE": "ingest_after_copy"})
    try:
        assert "FAULT_POINT ingest_after_copy" in proc.stdout.readline()
        assert (uploads / path.name).exists() and path.name in read_manifest(uploads)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    report = store.build((shipped, uploads), db)
    assert report.recovered and "đã hoàn tác" in report.recovered[0]
    assert not (uploads / path.name).exists() and path.name not in read_manifest(uploads)
    assert _tree(shipped) == before and len(report.documents) == 5
    assert not store.needs_build((shipped, uploads), db) and path.name not in store.loaded_hashes(db).values()


def _fake_checkout(base: Path) -> Path:
    """A checkout's ``data/`` as an older version left it after real use: the shipped
    documents, one upload with the manifest row ingest wrote (the manifest rewritten as ingest
    rewrote it), a file put there by hand, accounts, entries with an audit row, a saved layout."""
    data = base / "checkout" / "data"
    shutil.copytree(RAW, data / "raw")
    (data / "profiles" / "layouts").mkdir(parents=True)
    shutil.copy2(ROOT / "data" / "profiles" / "layouts" / paths.SHIPPED_LIST, data / "profiles" / "layouts")
    shutil.copy2(ROOT / "data" / "profiles" / "layouts" / "README.md", data / "profiles" / "layouts")
    upload = _template(data / "raw", [ROW], year=2025, name="lai_chau_2025.xlsx")
    write_manifest_entry(data / "raw", ManifestEntry(file=upload.name, province="Lai Châu", fiscal_years=[2025],
                                                     kind="budget_appendices", allow_overlap=True))
    (data / "raw" / "ghi_chu_tay.txt").write_text("Một tệp đặt vào bằng tay.\n", encoding="utf-8")
    users.ensure(data / "users.yaml")
    audit.record(audit.Actor("cu", "editor"), "upload", upload.name, path=data / "entries" / "entries.sqlite")
    (data / "profiles" / "layouts" / "pl-cua-so.toml").write_text('name = "pl-cua-so"\nsignature = "tt | nội dung"\n',
                                                                  encoding="utf-8")
    return data


def test_an_older_checkouts_data_is_moved_once_and_said(tmp_path, capsys):
    checkout = _fake_checkout(tmp_path)
    assert (checkout / "raw" / "manifest.csv").read_bytes() != (RAW / "manifest.csv").read_bytes()  # as ingest left it
    account = (checkout / "users.yaml").read_bytes()
    target = tmp_path / "home" / "skhcn-dashboard"

    said = migrate.migrate(checkout, target)

    printed = capsys.readouterr().out
    assert said and all(line in printed for line in said)
    # the upload and its row moved; the shipped files exactly as shipped, the manifest too
    assert (target / "uploads" / "lai_chau_2025.xlsx").is_file() and not (checkout / "raw" / "lai_chau_2025.xlsx").exists()
    row = read_manifest(target / "uploads")["lai_chau_2025.xlsx"]
    assert (row.province, row.fiscal_years, row.allow_overlap) == ("Lai Châu", [2025], True)
    assert _tree(checkout / "raw") == {**_tree(RAW), "ghi_chu_tay.txt": hashlib.sha256(
        "Một tệp đặt vào bằng tay.\n".encode()).hexdigest()}
    assert any("trở lại đúng như bản phát hành" in line for line in said)
    assert any("ghi_chu_tay.txt" in line and "để nguyên" in line for line in said)
    # accounts, entries (with their audit log), the saved layout
    assert (target / "users.yaml").read_bytes() == account and not (checkout / "users.yaml").exists()
    assert not (checkout / "entries").exists()
    assert not (checkout / "profiles" / "layouts" / "pl-cua-so.toml").exists()
    assert (target / "layouts" / "pl-cua-so.toml").is_file()
    assert (checkout / "profiles" / "layouts" / "README.md").is_file()
    log = statedb.connect(target / "entries" / "entries.sqlite")
    rows = list(log.query("SELECT actor, action, detail FROM audit ORDER BY id"))
    assert rows[0]["action"] == "upload" and rows[0]["actor"] == "cu"  # the old log, kept
    assert [r["detail"] for r in rows if r["action"] == "migrate_data"] == said
    # the build reads the shipped folder and the moved upload (the file put by hand taken away, as advised)
    (checkout / "raw" / "ghi_chu_tay.txt").unlink()
    report = store.build((checkout / "raw", target / "uploads"), target / "warehouse.duckdb")
    assert sorted(report.documents) == sorted([*read_manifest(RAW), "lai_chau_2025.xlsx"])
    # once: nothing left to move, nothing said
    assert migrate.migrate(checkout, target) == []


def test_a_clash_is_never_overwritten(tmp_path):
    """A file of the same name already in the data directory is kept; the old one stays and is
    named."""
    checkout = _fake_checkout(tmp_path)
    target = tmp_path / "home"
    (target / "uploads").mkdir(parents=True)
    (target / "uploads" / "lai_chau_2025.xlsx").write_bytes(b"other bytes")
    (target / "users.yaml").write_text("cookie: {}\n", encoding="utf-8")
    said = migrate.migrate(checkout, target)
    assert any("KHÔNG chuyển" in line and "lai_chau_2025.xlsx" in line for line in said)
    assert (checkout / "raw" / "lai_chau_2025.xlsx").is_file() and "lai_chau_2025.xlsx" in read_manifest(checkout / "raw")
    assert (target / "uploads" / "lai_chau_2025.xlsx").read_bytes() == b"other bytes"
    assert (checkout / "users.yaml").is_file() and (target / "users.yaml").read_text(encoding="utf-8") == "cookie: {}\n"
    assert any("users.yaml" in line and "dùng" in line for line in said)


def test_the_cli_says_where_the_data_lives(tmp_path):
    env = os.environ | {"SKHCN_DATA": str(tmp_path / "d")}
    env.pop("SKHCN_ENTRIES"), env.pop("SKHCN_USERS")
    out = subprocess.run([sys.executable, "-m", "warehouse", "paths"], cwd=ROOT, capture_output=True, text=True,
                         env=env, check=True).stdout
    assert f"thư mục dữ liệu (SKHCN_DATA): {tmp_path / 'd'}" in out
    assert f"văn bản tải lên và danh mục: {tmp_path / 'd' / 'uploads'}" in out
    assert f"tài khoản: {tmp_path / 'd' / 'users.yaml'}" in out
    assert f"văn bản có sẵn (chỉ đọc): {RAW}" in out
