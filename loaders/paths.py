"""Where things live: the project's shipped, reviewed data (``data/`` at the top of the
repository: vocabulary, catalogue, profiles, reference tables, the demo documents — read-only
at run time) and the department's own data (one *data directory* outside the git work tree).

The data directory is ``SKHCN_DATA`` when set, else the platform's user data folder for the
application ``skhcn-dashboard`` (``platformdirs.user_data_dir``,
https://platformdirs.readthedocs.io: ``~/.local/share/skhcn-dashboard`` on Linux). It holds:

* ``uploads/`` — the documents uploaded or ingested, with their ``manifest.csv``;
* ``warehouse.duckdb`` — the warehouse built from the shipped documents and the uploads (with
  its lock, journal and notes beside it);
* ``entries/entries.sqlite`` — entered actuals, task results, the audit log, login throttle;
* ``users.yaml`` — the local accounts;
* ``layouts/`` — the layout profiles an officer saved on the upload page.

Each path is read from the environment at every call (tests change it per test), and the
older specific variables still override one path each: ``SKHCN_RAW`` (the shipped documents
folder), ``SKHCN_DB``, ``SKHCN_ENTRIES``, ``SKHCN_USERS``, ``SKHCN_LAYOUTS``.
"""
from __future__ import annotations

import os
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
#: The shipped demo documents and their manifest (read-only: nothing at run time writes here).
SHIPPED_RAW = DATA / "raw"
#: Shipped layout profiles (reviewed data; the officers' own go to :func:`layouts_dir`).
SHIPPED_LAYOUTS = DATA / "profiles" / "layouts"
#: The list of shipped files of a shipped folder (``sha256sum`` format): what is *not* in it
#: was written there by an earlier version of the app (``warehouse.migrate``).
SHIPPED_LIST = "SHA256SUMS"
APP_NAME = "skhcn-dashboard"


def data_dir() -> Path:
    """The department's data directory: ``SKHCN_DATA``, else ``platformdirs.user_data_dir``
    (``~/.local/share/skhcn-dashboard`` on Linux). Not created here."""
    forced = os.environ.get("SKHCN_DATA")
    if forced:
        return Path(forced).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def _override(variable: str, default: Path) -> Path:
    value = os.environ.get(variable)
    return Path(value).expanduser() if value else default


def shipped_raw() -> Path:
    """The shipped documents folder (``SKHCN_RAW`` overrides ``data/raw``): read, never written."""
    return _override("SKHCN_RAW", SHIPPED_RAW)


def uploads_dir() -> Path:
    """The folder of uploaded documents and their manifest: ``<data dir>/uploads``."""
    return data_dir() / "uploads"


def raw_folders() -> tuple[Path, Path]:
    """The document folders a build reads, in order: (shipped documents, uploads). An ingest
    writes into the last one only."""
    return shipped_raw(), uploads_dir()


def warehouse_path() -> Path:
    """The warehouse file (``SKHCN_DB`` overrides ``<data dir>/warehouse.duckdb``)."""
    return _override("SKHCN_DB", data_dir() / "warehouse.duckdb")


def entries_path() -> Path:
    """The state SQLite file (``SKHCN_ENTRIES`` overrides ``<data dir>/entries/entries.sqlite``)."""
    return _override("SKHCN_ENTRIES", data_dir() / "entries" / "entries.sqlite")


def users_path() -> Path:
    """The accounts file (``SKHCN_USERS`` overrides ``<data dir>/users.yaml``)."""
    return _override("SKHCN_USERS", data_dir() / "users.yaml")


def layouts_dir() -> Path:
    """Where layout profiles saved on the upload page go (``SKHCN_LAYOUTS`` overrides
    ``<data dir>/layouts``)."""
    return _override("SKHCN_LAYOUTS", data_dir() / "layouts")
