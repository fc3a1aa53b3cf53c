"""Nhập dữ liệu (pages/nhap-du-lieu.py) in AppTest over a real DuckDB warehouse in a temp
folder: viewers are refused; an editor uploads, previews (computed once per file), saves
through the audited write path; the same content again adds nothing; a bad file gets a
Vietnamese message naming sheet and cell and the warehouse export stays byte for byte."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from loaders.families.templates import SPECS, write_template
from loaders.families.templates.spec import FIRST_DATA_ROW
from warehouse import audit, store, users
from warehouse.export import export_package
from warehouse.queries import BudgetFilter, Warehouse

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "nhap-du-lieu.py")
VARIANTS = ROOT / "tests" / "data" / "variants"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROW = ["1", "Hội nghị triển khai nhiệm vụ", "Văn phòng Sở", "Sự nghiệp KH&CN (SNKH)", "dự toán", "Quý II", "Chi", 125_000_000]


@pytest.fixture()
def wh(built_db, tmp_path, monkeypatch):
    """A warehouse of the shipped documents copied into ``tmp_path`` (read-only) and the data
    directory ``tmp_path/data``, whose ``uploads/`` the page writes to."""
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    shutil.copytree(built_db["raw"], raw)
    shutil.copyfile(built_db["db"], db)  # fresh for (raw, uploads) too while nothing is uploaded
    monkeypatch.setenv("SKHCN_RAW", str(raw))
    monkeypatch.setenv("SKHCN_DB", str(db))
    monkeypatch.setenv("SKHCN_DATA", str(tmp_path / "data"))
    uploads = tmp_path / "data" / "uploads"
    return {"raw": raw, "uploads": uploads, "folders": (raw, uploads), "db": db, "base": tmp_path}


def _page(login: str | None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    if login:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = login
        at.session_state["session_version"] = users.current_session(login)  # a live login (ui.auth)
    return at


def _template(tmp_path: Path, rows: list[list], year: int = 2025, name: str = "mau_ngan_sach.xlsx") -> Path:
    path = write_template("budget", tmp_path / name, year=year)
    wb = load_workbook(path)
    ws = wb[SPECS["budget"].sheet]
    for r, row in enumerate(rows, start=FIRST_DATA_ROW):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def _upload(at: AppTest, path: Path, name: str | None = None) -> str:
    data = path.read_bytes()
    at.file_uploader(key="import_file").set_value((name or path.name, data, XLSX)).run()
    assert not at.exception, at.exception
    return hashlib.sha256(data).hexdigest()


def _export(db: Path, out: Path) -> dict[str, bytes]:
    export_package(Warehouse(db), out)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_viewers_are_refused(wh, tmp_path):
    from warehouse import users

    users.ensure()
    if "chixem" not in {u["username"] for u in users.list_users()}:
        users.add_user("chixem", "Chỉ Xem", "viewer", password="mat-khau-chi-xem")
    for login in (None, "chixem"):
        at = _page(login)
        at.run()
        assert not at.exception
        assert any("quyền biên tập" in w.value for w in at.warning)
        assert not at.get("file_uploader") and all(b.label == "Đăng nhập" for b in at.button)  # the login box only


def test_editor_previews_once_and_saves_a_filled_template(wh, editor_account, monkeypatch):
    calls = []
    real_preview = store.preview
    monkeypatch.setattr(store, "preview", lambda *a, **k: calls.append(a) or real_preview(*a, **k))
    path = _template(wh["base"], [ROW, [*ROW[:1], "Tập huấn", *ROW[2:7], 75_000_000]])
    at = _page(editor_account)
    at.run()
    sha = _upload(at, path)
    assert "Mẫu nhập liệu" in at.markdown[0].value  # the family is detected
    assert at.number_input(key=f"year_{sha}").value == 2025  # printed in the template: prefilled
    assert at.selectbox(key=f"kind_{sha}").value == "budget_appendices"
    assert at.selectbox(key=f"province_{sha}").value is None  # not printed: asked
    assert any("Chọn tỉnh" in i.value for i in at.info) and all(b.key != f"save_{sha}" for b in at.button)
    at.selectbox(key=f"province_{sha}").select("Lai Châu").run()
    assert not at.exception and not at.error
    lines = at.dataframe[0].value
    assert list(lines["Số tiền (đồng)"]) == [125_000_000, 75_000_000]
    # the amount's cell (column H of the template), as the officer finds it in the workbook (issue 18, item 5)
    assert set(lines["Vị trí"]) == {"trang tính Ngân sách, ô H4", "trang tính Ngân sách, ô H5"}
    assert "200.000.000 đ" in " ".join(c.value for c in at.caption)
    for _ in range(2):  # reruns (any widget) do not read the file again
        at.run()
    assert len(calls) == 1
    assert not Warehouse(wh["db"]).total(BudgetFilter("Lai Châu", 2025, phase_vn="dự toán"))
    at.button(key=f"save_{sha}").click().run()
    assert not at.exception and not at.error
    assert any("Đã lưu mau_ngan_sach.xlsx" in s.value for s in at.success)
    assert Warehouse(wh["db"]).total(BudgetFilter("Lai Châu", 2025, phase_vn="dự toán")) == 200_000_000
    assert (wh["uploads"] / path.name).read_bytes() == path.read_bytes()  # kept, with its SHA-256 in the warehouse
    assert not (wh["raw"] / path.name).exists()  # the shipped folder is never written
    assert store.loaded_hashes(wh["db"])[sha] == path.name
    log = audit.recent(5)
    assert (log["action"].iloc[0], log["actor"].iloc[0], log["target"].iloc[0]) == ("upload", editor_account, path.name)


def test_the_same_content_again_adds_nothing(wh, editor_account):
    path = _template(wh["base"], [ROW], year=2026)
    store.ingest(path, wh["db"], wh["folders"], store.Overrides(province="Lai Châu"))
    before = wh["db"].read_bytes()
    at = _page(editor_account)
    at.run()
    _upload(at, path)  # the same bytes
    assert any("tải lên lại không thêm gì" in i.value for i in at.info)
    assert not at.button
    at = _page(editor_account)
    at.run()
    sha = _upload(at, path, name="ban_sao_khac_ten.xlsx")  # the same content under another name
    # the bytes are the same, so it is known at once; nothing to confirm, nothing to save
    assert any("không thêm gì" in i.value for i in at.info) and not at.button
    assert sha in store.loaded_hashes(wh["db"])
    crlf = wh["base"] / "du_toan_2024_ban_sao.txt"  # the shipped appendices, saved again with CRLF
    crlf.write_bytes((ROOT / "data" / "raw" / "000_3dbcd40b8eb90139.txt").read_bytes().replace(b"\n", b"\r\n"))
    at = _page(editor_account)
    at.run()
    sha = _upload(at, crlf)
    assert at.selectbox(key=f"province_{sha}").value == "Điện Biên"  # suggested by the heading
    assert any("Nội dung văn bản này đã có trong kho (000_3dbcd40b8eb90139.txt)" in i.value for i in at.info)
    assert all(b.key != f"save_{sha}" for b in at.button)
    assert wh["db"].read_bytes() == before


def test_a_bad_cell_is_named_and_nothing_changes(wh, editor_account, tmp_path):
    export_before = _export(wh["db"], tmp_path / "e0")
    db_before = wh["db"].read_bytes()
    raw_before = [sorted(p.name for p in f.iterdir()) if f.is_dir() else None for f in wh["folders"]]
    path = _template(wh["base"], [[*ROW[:7], "một trăm triệu"]], name="sai_o.xlsx")
    at = _page(editor_account)
    at.run()
    sha = _upload(at, path)
    at.selectbox(key=f"province_{sha}").select("Lai Châu").run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "Sheet Ngân sách, ô H4" in message and "không phải số tiền" in message
    assert all(b.key != f"save_{sha}" for b in at.button)
    corrupt = wh["base"] / "hong.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    at = _page(editor_account)
    at.run()
    _upload(at, corrupt)
    assert any("Không đọc được tệp" in e.value and "hong.xlsx" in e.value for e in at.error)
    assert wh["db"].read_bytes() == db_before
    assert _export(wh["db"], tmp_path / "e1") == export_before
    assert [sorted(p.name for p in f.iterdir()) if f.is_dir() else None for f in wh["folders"]] == raw_before


def test_a_workbook_prefilled_and_a_total_that_disagrees_needs_confirmation(wh, editor_account):
    at = _page(editor_account)
    at.run()
    sha = _upload(at, VARIANTS / "quangninh_2025_appendix_own_workbook.xlsx")
    assert at.selectbox(key=f"province_{sha}").value == "Quảng Ninh"  # from "UBND TỈNH QUẢNG NINH"
    assert at.number_input(key=f"year_{sha}").value == 2025
    assert not at.error and at.button(key=f"save_{sha}").disabled is False

    doc = VARIANTS / "thaibinh_2024_appendix_tables.docx"
    at = _page(editor_account)
    at.run()
    sha = _upload(at, doc)
    at.selectbox(key=f"province_{sha}").select("Thái Bình").run()
    assert any("KHÔNG khớp" in e.value for e in at.error)
    totals = at.dataframe[1].value
    assert "Không khớp" in set(totals["Kết quả"])
    save = at.button(key=f"save_{sha}")
    assert save.disabled  # never silently
    at.checkbox(key=f"accept_mismatch_{sha}").check().run()
    assert at.button(key=f"save_{sha}").disabled is False
    at.button(key=f"save_{sha}").click().run()
    assert not at.exception and any("1 tổng cộng không khớp" in s.value for s in at.success)
    recon = Warehouse(wh["db"]).reconciliation("Thái Bình", 2024)
    assert (recon["status"] == "mismatch").sum() == 1


def test_template_downloads_are_built_on_request(wh, editor_account):
    at = _page(editor_account)
    at.run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Tải mẫu Excel (.xlsx)", "Tải biểu Excel (.xlsx)"]  # the data-entry template, the public form


def test_a_write_while_the_app_reads_is_seen_at_once(wh):
    # The app holds a read connection (ui.state.warehouse) while the upload page ingests;
    # the next page view must see the new warehouse as fresh, not rebuild it from an old view.
    reader = Warehouse(wh["db"])
    assert len(reader.documents()) == 5
    path = _template(wh["base"], [ROW], year=2027, name="doc_khi_dang_doc.xlsx")
    store.ingest(path, wh["db"], wh["folders"], store.Overrides(province="Lai Châu"))
    assert store.auto_build_state(wh["folders"], wh["db"]) == "fresh"
    assert hashlib.sha256(path.read_bytes()).hexdigest() in store.loaded_hashes(wh["db"])
    assert len(reader.documents()) == 6  # the reader reopens after the swap
