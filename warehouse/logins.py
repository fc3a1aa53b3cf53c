"""Login throttling and the login lines of the audit log.

Failed logins are counted per account (the login name typed, known or not) and per client
address (when Streamlit knows it: ``st.context.ip_address``, ``None`` for a visitor on
localhost or behind a reverse proxy on the same host, who is then throttled per account
only). After ``FREE`` failures (``FREE_CLIENT`` for an address) each further failure locks the
key for ``BASE_S · 2^(n − FREE)`` seconds, at most ``MAX_S``; while a key is locked, a login
is refused without looking at the password (the right password too). A success clears the
account's count (not the address's); a count is forgotten ``FORGET_S`` after its last failure.

Counts live in the ``login_failures`` table of ``warehouse.statedb`` (SQLite), so they survive
a restart and are shared by every server process. Every attempt writes an audit row (action
``login``: ``ok`` 1 or 0, the reason in ``detail``) in the same transaction as the count.

``now`` (seconds since the epoch, ``time.time()`` by default) can be given by tests.
"""
from __future__ import annotations

import math
import time
from pathlib import Path

from . import audit
from .statedb import connect, write_transaction

FREE = 5  # failures of one account before the first lock
FREE_CLIENT = 20  # failures from one address (many accounts tried) before its first lock
BASE_S = 30.0
MAX_S = 3600.0
FORGET_S = 24 * 3600.0


def keys(username: str, client: str | None) -> list[str]:
    """The throttle keys of an attempt: ``account:<login>`` and, when known, ``client:<address>``."""
    out = [f"account:{username.strip().lower()[:100]}"]
    if client:
        out.append(f"client:{client[:100]}")
    return out


def _free(key: str) -> int:
    return FREE_CLIENT if key.startswith("client:") else FREE


def lock_seconds(failures: int, free: int = FREE) -> float:
    """The lock after the ``failures``-th failure: 0 up to ``free − 1``, then ``BASE_S``
    doubled for each failure beyond, capped at ``MAX_S``."""
    if failures < free:
        return 0.0
    return min(BASE_S * 2 ** min(failures - free, 20), MAX_S)


def locked(username: str, client: str | None, now: float | None = None, path: Path | None = None) -> int:
    """Whole seconds until an attempt for ``username`` from ``client`` is allowed (0: now)."""
    now = time.time() if now is None else now
    db = connect(path)
    try:
        found = keys(username, client)
        rows = db.conn.execute(
            f"SELECT locked_until FROM login_failures WHERE key IN ({', '.join('?' * len(found))})", found).fetchall()
    finally:
        db.conn.close()
    wait = max((r[0] - now for r in rows), default=0.0)
    return max(0, math.ceil(wait))


def failed(username: str, client: str | None, now: float | None = None, path: Path | None = None,
           reason: str = "sai tên đăng nhập hoặc mật khẩu") -> int:
    """Count a failed login for ``username`` from ``client`` and log it; returns the seconds of
    lock now in force (0: none)."""
    now = time.time() if now is None else now
    wait = 0.0
    with write_transaction(path) as db:
        conn = db.conn
        conn.execute("DELETE FROM login_failures WHERE last_at < ?", [now - FORGET_S])
        for key in keys(username, client):
            row = conn.execute("SELECT failures FROM login_failures WHERE key = ?", [key]).fetchone()
            n = (row[0] if row else 0) + 1
            until = now + lock_seconds(n, _free(key))
            conn.execute("INSERT INTO login_failures (key, failures, last_at, locked_until) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at, "
                         "locked_until = excluded.locked_until", [key, n, now, until])
            wait = max(wait, until - now)
        detail = f"{reason}; địa chỉ {client or 'không rõ'}" + (f"; khóa {math.ceil(wait)} giây" if wait else "")
        audit.record(audit.Actor(username.strip().lower()[:200] or "?"), "login", target=username.strip()[:500],
                     ok=False, detail=detail, db=db)
    return math.ceil(wait)


def refused(username: str, client: str | None, wait: int, path: Path | None = None) -> None:
    """Log an attempt refused because the account or address is locked (the count is not raised)."""
    audit.record(audit.Actor(username.strip().lower()[:200] or "?"), "login", target=username.strip()[:500], ok=False,
                 detail=f"tạm khóa, còn {wait} giây; địa chỉ {client or 'không rõ'}", path=path)


def succeeded(username: str, role: str | None, client: str | None, path: Path | None = None) -> None:
    """Clear the account's failure count and log the login."""
    with write_transaction(path) as db:
        db.conn.execute("DELETE FROM login_failures WHERE key = ?", [keys(username, None)[0]])
        audit.record(audit.Actor(username, role), "login", target=username, ok=True,
                     detail=f"địa chỉ {client or 'không rõ'}", db=db)
