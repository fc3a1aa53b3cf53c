"""A warehouse published as Parquet (warehouse.publish) reads the same figures as the DuckDB
file, through the same queries, and the app reads it when SKHCN_PARQUET names it."""
import json

import pandas as pd

from tests.pages_helpers import metrics, open_page
from warehouse.cli import main as cli
from warehouse.publish import MANIFEST, publish
from warehouse.queries import BudgetFilter, ParquetWarehouse, Warehouse, open_warehouse


def test_publication_reads_the_same_figures(built_db, tmp_path):
    out = tmp_path / "pub"
    manifest = publish(built_db["db"], out)
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8")) == manifest
    assert manifest["tables"]["budget_lines"] == built_db["report"].budget_lines
    assert (out / manifest["build_id"] / "budget_lines.parquet").is_file()

    db, pq = Warehouse(built_db["db"]), open_warehouse(out)
    assert isinstance(pq, ParquetWarehouse)
    f = BudgetFilter("Điện Biên", 2024, "approved", "dự toán", kind="budget")
    assert pq.total(f) == db.total(f) == 11_523_500_000
    for read in (
        lambda w: w.stages("Điện Biên", 2024),
        lambda w: w.totals_by(f, "funding_source"),
        lambda w: w.by_quarter(f, True),
        lambda w: w.reconciliation("Điện Biên", 2024),
        lambda w: w.documents(),
        lambda w: w.budget_by_province_year(w.provinces()),
        lambda w: w.lines(f),
    ):
        pd.testing.assert_frame_equal(read(pq), read(db), check_dtype=False)


def test_a_new_publication_is_picked_up(built_db, tmp_path):
    out = tmp_path / "pub"
    first = publish(built_db["db"], out)
    pq = ParquetWarehouse(out)
    before = pq.identity()
    assert pq.provinces()
    (out / MANIFEST).write_text(json.dumps(first | {"built_at": "x"}), encoding="utf-8")
    assert pq.identity() != before  # the manifest changed: the next query reopens


def test_cli_publish_and_the_app_reads_the_publication(built_db, tmp_path, monkeypatch, capsys):
    out = tmp_path / "pub"
    assert cli(["publish", "--out", str(out), "--db", str(built_db["db"])]) == 0
    assert "đã xuất bản" in capsys.readouterr().out
    monkeypatch.setenv("SKHCN_PARQUET", str(out))
    monkeypatch.setenv("SKHCN_DB", str(tmp_path / "no-such.duckdb"))  # a replica has no DuckDB file
    monkeypatch.setenv("SKHCN_RAW", str(tmp_path / "no-raw"))
    at = open_page(province="Điện Biên", year="2024")
    assert metrics(at)["Tổng chi"] == "11.523.500.000 đ"


def test_cli_publish_without_a_warehouse_fails_clearly(tmp_path, capsys):
    assert cli(["publish", "--out", str(tmp_path / "pub"), "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "chưa có kho dữ liệu" in capsys.readouterr().err
