"""Trainer accounts for the 管理 area: scrypt password hashes, expiring sessions, limited failed logins.

Accounts live in the state database (so every replica knows them) and are created on the command
line, never with a default password:

    python -m bot users add 张老师
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.errors import LecturerError
from bot.state import State

SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # about 50 ms per check on the 2-core machine
MIN_PASSWORD = 8
MAX_FAILURES = 5  # failed logins per name within FAILURE_WINDOW, then refused until it passes
FAILURE_WINDOW = timedelta(minutes=15)
COOKIE = "lecturer_manage"


def now() -> datetime:
    return datetime.now(UTC)


def stamp(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT)
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        found = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found.hex(), digest)


def token_key(token: str) -> str:
    """What is stored of a session token: its hash, so a copy of the database logs no one in."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Login:
    """The outcome of one login: a session token, or the reason in Chinese."""

    token: str = ""
    name: str = ""
    message: str = ""


class Accounts:
    """Trainers, their sessions and the failed-login limit, in the state database."""

    def __init__(self, state: State, session_hours: float = 8.0) -> None:
        self.state = state
        self.session = timedelta(hours=session_hours)

    def add(self, name: str, password: str) -> None:
        name = clean_name(name)
        if len(password) < MIN_PASSWORD:
            raise LecturerError(f"密码至少 {MIN_PASSWORD} 位。", "password too short")
        if self.state.rows("SELECT name FROM trainers WHERE name = ?", (name,)):
            raise LecturerError(f"已有名为「{name}」的培训师账号。", "trainer exists")
        self.state.run(("INSERT INTO trainers (name, password, created) VALUES (?, ?, ?)", (name, hash_password(password), stamp(now()))))

    def set_password(self, name: str, password: str) -> None:
        name = clean_name(name)
        if len(password) < MIN_PASSWORD:
            raise LecturerError(f"密码至少 {MIN_PASSWORD} 位。", "password too short")
        if not self.state.rows("SELECT name FROM trainers WHERE name = ?", (name,)):
            raise LecturerError(f"没有名为「{name}」的培训师账号。", "no such trainer")
        self.state.run(
            ("UPDATE trainers SET password = ? WHERE name = ?", (hash_password(password), name)),
            ("DELETE FROM sessions WHERE name = ?", (name,)),
        )

    def remove(self, name: str) -> None:
        name = clean_name(name)
        self.state.run(("DELETE FROM trainers WHERE name = ?", (name,)), ("DELETE FROM sessions WHERE name = ?", (name,)))

    def names(self) -> list[str]:
        return [r["name"] for r in self.state.rows("SELECT name FROM trainers ORDER BY name")]

    def login(self, name: str, password: str) -> Login:
        """A new session for a right name and password; a failure is counted, and after MAX_FAILURES
        within the window the name is refused whatever the password."""
        name = (name or "").strip()[:40]
        since = stamp(now() - FAILURE_WINDOW)
        failures = self.state.rows("SELECT count(*) AS n FROM login_failures WHERE name = ? AND at > ?", (name, since))[0]["n"]
        if failures >= MAX_FAILURES:
            return Login(message=f"登录失败次数过多，请 {int(FAILURE_WINDOW.total_seconds() // 60)} 分钟后再试。")
        rows = self.state.rows("SELECT password FROM trainers WHERE name = ?", (name,))
        stored = rows[0]["password"] if rows else hash_password(secrets.token_hex(8))  # same cost either way
        if not (rows and password_matches(password or "", stored)):
            self.state.run(
                ("INSERT INTO login_failures (name, at) VALUES (?, ?)", (name, stamp(now()))),
                ("DELETE FROM login_failures WHERE at < ?", (stamp(now() - 4 * FAILURE_WINDOW),)),
            )
            return Login(message="用户名或密码不对。")
        token = secrets.token_urlsafe(32)
        self.state.run(
            ("INSERT INTO sessions (token, name, expires) VALUES (?, ?, ?)", (token_key(token), name, stamp(now() + self.session))),
            ("DELETE FROM sessions WHERE expires < ?", (stamp(now()),)),
            ("DELETE FROM login_failures WHERE name = ?", (name,)),
        )
        return Login(token=token, name=name)

    def user(self, token: str | None) -> str | None:
        """The trainer a session token belongs to, while it has not expired."""
        if not token or len(token) > 100:
            return None
        rows = self.state.rows("SELECT name, expires FROM sessions WHERE token = ?", (token_key(token),))
        if not rows or rows[0]["expires"] <= stamp(now()):
            return None
        return rows[0]["name"]

    def logout(self, token: str | None) -> None:
        if token:
            self.state.run(("DELETE FROM sessions WHERE token = ?", (token_key(token),)))


def clean_name(name: str) -> str:
    name = (name or "").strip()
    if not 1 <= len(name) <= 40 or any(c.isspace() or not c.isprintable() for c in name):
        raise LecturerError("用户名须为 1–40 个字符，不能含空格。", f"bad trainer name {name!r}")
    return name
