"""Small shared pieces: deterministic ids, the clock of the city, actors, and the COPY text encoding.

Rows are plain tuples of str/int/bool/None/date/datetime: ids are kept as their text (a uuid4's 36 characters),
because the rows only ever travel to PostgreSQL as COPY text and the audit hash reads ids with str().
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from .params import SHANGHAI

UTC = timezone.utc
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


class Ids:
    """uuid4 texts from a seeded generator: the same seed gives the same ids (about 1.4 µs each)."""

    def __init__(self, seed: str):
        self._rng = random.Random(seed)
        self._pool: list[str] = []

    def __call__(self) -> str:
        try:
            return self._pool.pop()
        except IndexError:
            h = self._rng.randbytes(16 * 4096).hex()
            self._pool = [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-4{h[i + 13:i + 16]}-{_VARIANT[h[i + 16]]}{h[i + 17:i + 20]}-"
                          f"{h[i + 20:i + 32]}" for i in range(len(h) - 32, -32, -32)]
            return self._pool.pop()

    def hex(self, n: int) -> str:
        return self._rng.randbytes((n + 1) // 2).hex()[:n]


@dataclass(frozen=True)
class Actor:
    """Who acts, as the audit log and the ledgers record it (ids as text)."""

    user_id: str | None
    username: str
    role: str
    display_name: str = ""


SYSTEM = Actor(None, "city-setup", "federation_admin", "城市数据初始化")


@lru_cache(maxsize=4096)
def midnight(day: date) -> datetime:
    """The UTC instant at which `day` begins in Asia/Shanghai."""
    return datetime.combine(day, time.min, tzinfo=SHANGHAI).astimezone(UTC)


def local(day: date, seconds: float) -> datetime:
    """`seconds` after midnight of `day` in Asia/Shanghai, as an aware UTC datetime (whole microseconds)."""
    return midnight(day) + timedelta(microseconds=int(seconds * 1_000_000))


def hm(h: int, m: int = 0, s: float = 0.0) -> float:
    return h * 3600 + m * 60 + s


def local_date(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()


def local_time(at: datetime) -> datetime:
    return at.astimezone(SHANGHAI)


@lru_cache(maxsize=4096)
def ymd(day: date) -> str:
    return day.strftime("%Y%m%d")


class Counters:
    """The gapless counters the services claim from the `sequences` table (receipts, serials, item codes)."""

    def __init__(self):
        self.values: dict[str, int] = {}

    def next(self, key: str) -> int:
        n = self.values.get(key, 0) + 1
        self.values[key] = n
        return n


# --- COPY text -------------------------------------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def text(value: str) -> str:
    """A str escaped for COPY text format (only free text can hold a backslash, tab or newline)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def ts(at: datetime | None) -> str:
    return "\\N" if at is None else at.isoformat(" ")


def opt(value) -> str:
    """A nullable id or number for a hand-written COPY line."""
    return "\\N" if value is None else str(value)


def encode(value) -> str:
    """Any value of a generated row as one COPY text field."""
    kind = type(value)
    if kind is str:
        return text(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if kind is datetime:
        return value.isoformat(" ")
    if kind is date:
        return value.isoformat()
    if kind is bytes:
        return "\\\\x" + value.hex()
    return text(str(value))


def copy_line(values) -> str:
    return "\t".join(map(encode, values)) + "\n"
