"""Shared fixtures: the real documents in data/raw and a warehouse built from them once."""
from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from loaders.documents import read_document, read_lines, read_manifest

ROOT = Path(__file__).resolve().parent.parent
# Entered actuals, the audit log and the user accounts of a test run never touch data/, and
# never the user's data directory (loaders.paths: SKHCN_DATA): the run has its own, each test
# a fresh one (_data_dir below), and nothing migrates from the checkout (warehouse.migrate).
_STATE = Path(tempfile.mkdtemp(prefix="skhcn-tests-"))
os.environ["SKHCN_DATA"] = str(_STATE / "data")
os.environ["SKHCN_MIGRATE"] = "0"
os.environ["SKHCN_ENTRIES"] = str(_STATE / "entries.sqlite")
os.environ["SKHCN_USERS"] = str(_STATE / "users.yaml")
for _name in ("SKHCN_DB", "SKHCN_RAW", "SKHCN_LAYOUTS"):  # a developer's own settings never reach a test
    os.environ.pop(_name, None)
_DATA_DIRS = itertools.count()
from helpers import BUDGET_2024, PLAN_2022, RAW  # noqa: E402,F401  (one place for the names)


@pytest.fixture(autouse=True)
def _data_dir(monkeypatch):
    """Each test its own data directory (uploads, layouts, the default warehouse), not created
    until used: one test's uploads are never read by another's build."""
    monkeypatch.setenv("SKHCN_DATA", str(_STATE / "data" / str(next(_DATA_DIRS))))


@pytest.fixture(scope="session")
def manifest():
    return read_manifest(RAW)


@pytest.fixture(scope="session")
def parsed(manifest):
    """Parse (and reconcile) a document of data/raw by file name, cached."""
    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = read_document(RAW / name, manifest[name])
        return cache[name]

    return get


@pytest.fixture(scope="session")
def raw_lines():
    return lambda name: read_lines(RAW / name)


@pytest.fixture(scope="session")
def built_db(tmp_path_factory):
    """A warehouse built from a copy of data/raw (the real demo documents)."""
    from warehouse.store import build

    base = tmp_path_factory.mktemp("wh")
    raw = base / "raw"
    shutil.copytree(RAW, raw)
    db = base / "warehouse.duckdb"
    report = build(raw, db)
    return {"raw": raw, "db": db, "report": report}


@pytest.fixture()
def raw_copy(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    return raw


def _account(login: str, name: str, role: str, password: str) -> str:
    """Make sure the test run's accounts file (SKHCN_USERS) has this account; its login."""
    from warehouse import users

    users.ensure()
    if login not in {u["username"] for u in users.list_users()}:
        users.add_user(login, name, role, password=password)
    return login


@pytest.fixture(scope="session")
def editor_account():
    """Login name of an editor in the test run's accounts file (SKHCN_USERS)."""
    return _account("bientap", "Biên Tập Viên", "editor", "mat-khau-bien-tap")


@pytest.fixture(scope="session")
def admin_account():
    """Login name of an admin in the test run's accounts file."""
    return _account("quantri", "Quản Trị Thử", "admin", "mat-khau-quan-tri")
