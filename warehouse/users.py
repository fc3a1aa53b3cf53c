"""Local user accounts for the dashboard when no OpenID Connect login is configured.

The accounts live in a YAML file in the data directory (``<data dir>/users.yaml``,
``loaders.paths``; ``SKHCN_USERS`` overrides the path) in the format of ``streamlit-authenticator``
(https://github.com/mkhorasani/Streamlit-Authenticator): ``credentials.usernames.<login>``
with ``name``, ``email``, a bcrypt ``password`` hash and ``roles``, plus the ``cookie`` that
keeps a login across page reloads (a random signing key made when the file is created).
Passwords are hashed with ``bcrypt`` (https://pypi.org/project/bcrypt/), the library
streamlit-authenticator itself uses; plain passwords are never stored.

Roles: ``viewer`` (reads), ``editor`` (imports, enters actuals, rebuilds), ``admin`` (also
manages users and sees the audit log). The file is created on first start with one ``admin``
whose one-time password is returned (printed by the caller) and must be changed at first login.
Every change is written atomically (temporary file + rename, mode 0600) under a file lock.

Each account carries a ``session_version`` (an integer, 0 when absent). A login cookie names
the version it was issued at; logout (:func:`end_sessions`), a password change and an admin
reset bump the version, so every cookie and every open session issued before is refused
(``ui.auth``).
"""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import bcrypt
import yaml
from filelock import FileLock

ROLES = ("viewer", "editor", "admin")
MIN_PASSWORD = 10
# bcrypt reads at most 72 bytes of a password (bcrypt 5 refuses longer ones with ValueError):
# the limit is stated in the form and a longer password refused before hashing. In UTF-8 a
# Vietnamese letter with marks takes 2–3 bytes, so 72 bytes are 24 to 72 characters.
MAX_PASSWORD_BYTES = 72
PASSWORD_RULE = (f"từ {MIN_PASSWORD} ký tự, tối đa {MAX_PASSWORD_BYTES} byte UTF-8 (chữ không dấu: 1 byte; "
                 "chữ có dấu tiếng Việt: 2–3 byte, tức khoảng 24–72 ký tự có dấu)")


class UserError(ValueError):
    """An account change that cannot be made (unknown user, bad role, weak password)."""


def users_path() -> Path:
    """The accounts file (``SKHCN_USERS`` overrides ``<data dir>/users.yaml``, ``loaders.paths``)."""
    from loaders import paths

    return paths.users_path()


def new_password() -> str:
    """A random password of 16 URL-safe characters."""
    return secrets.token_urlsafe(12)


def hash_password(password: str) -> str:
    """The bcrypt hash of ``password``. Raises ``UserError`` for a password over
    :data:`MAX_PASSWORD_BYTES` bytes (bcrypt would refuse it with an English ``ValueError``)."""
    _check_bytes(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


def load(path: Path | None = None) -> dict:
    """The whole config (``{"cookie": …, "credentials": {"usernames": {…}}}``); an empty
    config when the file does not exist. Raises ``UserError`` for an unreadable file."""
    path = Path(path or users_path())
    if not path.exists():
        return {"cookie": {}, "credentials": {"usernames": {}}}
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(f"{path}: không đọc được tệp tài khoản: {exc}") from exc
    config.setdefault("cookie", {})
    config.setdefault("credentials", {}).setdefault("usernames", {})
    return config


def _save(config: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yaml.safe_dump(config, fh, allow_unicode=True, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _lock(path: Path) -> FileLock:
    path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(path) + ".lock", thread_local=False)


def role_of(user: dict) -> str:
    """The highest role listed for an account (``viewer`` when none)."""
    roles = user.get("roles") or []
    return max((r for r in roles if r in ROLES), key=ROLES.index, default="viewer")


def ensure(path: Path | None = None) -> str | None:
    """Create the accounts file with an ``admin`` account if it does not exist.

    Returns the admin's one-time password when the file was created (the caller prints it
    once), else ``None``."""
    path = Path(path or users_path())
    if path.exists():
        return None
    with _lock(path):
        if path.exists():
            return None
        password = new_password()
        config = {
            "cookie": {"name": "skhcn_auth", "key": secrets.token_hex(32), "expiry_days": 7},
            "credentials": {"usernames": {"admin": {
                "name": "Quản trị viên", "email": "admin@localhost", "password": hash_password(password),
                "roles": ["admin"], "must_change": True,
            }}},
        }
        _save(config, path)
        return password


def _check_login(username: str) -> str:
    username = username.strip().lower()
    if not (2 <= len(username) <= 40) or not all(c.isalnum() or c in "._-" for c in username):
        raise UserError("tên đăng nhập 2–40 ký tự: chữ, số, dấu chấm, gạch nối, gạch dưới")
    return username


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"vai trò phải là một trong {list(ROLES)}")
    return role


def _check_bytes(password: str) -> None:
    size = len(password.encode("utf-8"))
    if size > MAX_PASSWORD_BYTES:
        raise UserError(f"mật khẩu dài {size} byte, quá giới hạn {MAX_PASSWORD_BYTES} byte UTF-8 của bcrypt "
                        f"(chữ có dấu tiếng Việt chiếm 2–3 byte mỗi chữ): hãy chọn mật khẩu ngắn hơn")


def _check_password(password: str) -> str:
    """``password`` if it follows :data:`PASSWORD_RULE`, else ``UserError`` (Vietnamese)."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"mật khẩu cần {PASSWORD_RULE}")
    _check_bytes(password)
    return password


def add_user(username: str, name: str, role: str, password: str | None = None, path: Path | None = None) -> str:
    """Add an account; returns its password (generated when ``password`` is None, then to be
    changed at first login). Raises ``UserError`` if it exists or a field is invalid."""
    path = Path(path or users_path())
    username, role = _check_login(username), _check_role(role)
    name = " ".join(name.split())[:100]
    if len(name) < 2:
        raise UserError("cần họ tên (ít nhất 2 ký tự)")
    generated = password is None
    password = new_password() if generated else _check_password(password)
    with _lock(path):
        config = load(path)
        users = config["credentials"]["usernames"]
        if username in users:
            raise UserError(f"đã có tài khoản {username!r}")
        if not config["cookie"]:
            config["cookie"] = {"name": "skhcn_auth", "key": secrets.token_hex(32), "expiry_days": 7}
        users[username] = {"name": name, "email": f"{username}@localhost", "password": hash_password(password),
                           "roles": [role], "must_change": generated}
        _save(config, path)
    return password


def _update(username: str, path: Path | None, change) -> None:
    path = Path(path or users_path())
    with _lock(path):
        config = load(path)
        users = config["credentials"]["usernames"]
        if username not in users:
            raise UserError(f"không có tài khoản {username!r}")
        change(users, users[username])
        _save(config, path)


def set_role(username: str, role: str, path: Path | None = None) -> None:
    """Give ``username`` the role ``role``; the last admin cannot be demoted."""
    _check_role(role)

    def change(users, user):
        admins = [u for u, v in users.items() if role_of(v) == "admin"]
        if role != "admin" and admins == [username]:
            raise UserError("không thể bỏ quyền của quản trị viên cuối cùng")
        user["roles"] = [role]

    _update(username, path, change)


def session_version(user: dict | None) -> int | None:
    """The session version of an account dict (0 when never bumped; ``None`` for no account)."""
    return None if user is None else int(user.get("session_version") or 0)


def current_session(username: str, path: Path | None = None) -> int | None:
    """The session version of ``username`` now (``None`` when there is no such account)."""
    return session_version(load(path)["credentials"]["usernames"].get(username))


def _bump(user: dict) -> int:
    user["session_version"] = session_version(user) + 1
    return user["session_version"]


def end_sessions(username: str, path: Path | None = None) -> int:
    """Refuse every cookie and open session of ``username`` issued so far (logout); returns
    the new session version. Raises ``UserError`` for an unknown account."""
    new = []
    _update(username, path, lambda users, user: new.append(_bump(user)))
    return new[0]


def set_password(username: str, password: str, path: Path | None = None, session: int | None = None) -> int:
    """Set a password chosen by the user (clears ``must_change``) and end every older session;
    returns the new session version. ``session``: the session version of the login making the
    change; when given and no longer current (logout, reset or another change since), the change
    is refused with ``UserError`` — checked under the file lock, so an old cookie can never
    change a password. Raises ``UserError`` for a weak password or an unknown account."""
    _check_password(password)
    new = []

    def change(users, user):
        if session is not None and session != session_version(user):
            raise UserError("phiên đăng nhập này đã hết hiệu lực: hãy đăng nhập lại")
        user["password"] = hash_password(password)
        user["must_change"] = False
        new.append(_bump(user))

    _update(username, path, change)
    return new[0]


def reset_password(username: str, path: Path | None = None) -> str:
    """A new one-time password for ``username`` (to be changed at next login); every cookie
    and open session of the account is refused from now on. Raises ``UserError`` for an
    unknown account."""
    password = new_password()

    def change(users, user):
        user["password"] = hash_password(password)
        user["must_change"] = True
        _bump(user)

    _update(username, path, change)
    return password


def remove_user(username: str, path: Path | None = None) -> None:
    """Delete an account; the last admin cannot be removed."""
    def change(users, user):
        if role_of(user) == "admin" and [u for u, v in users.items() if role_of(v) == "admin"] == [username]:
            raise UserError("không thể xoá quản trị viên cuối cùng")
        del users[username]

    _update(username, path, change)


def list_users(path: Path | None = None) -> list[dict]:
    """``[{"username", "name", "role", "must_change"}]`` sorted by login name."""
    users = load(path)["credentials"]["usernames"]
    return [{"username": u, "name": v.get("name", u), "role": role_of(v), "must_change": bool(v.get("must_change"))}
            for u, v in sorted(users.items())]


def authenticate(username: str, password: str, path: Path | None = None) -> dict | None:
    """The account of ``username`` if ``password`` is right, else ``None`` (for the CLI and
    tests; the app logs in through streamlit-authenticator)."""
    user = load(path)["credentials"]["usernames"].get(username.strip().lower())
    if user and check_password(password, user.get("password", "")):
        return {"username": username, "name": user.get("name"), "role": role_of(user), "must_change": bool(user.get("must_change"))}
    return None
