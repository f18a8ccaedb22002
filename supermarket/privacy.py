"""Personal data helpers: masking for display, keyed hashes and the check digit of mainland ID numbers.

An ID-card number is never stored: only `id_hmac(key, number)` (to find the same person again across stores)
and its last four digits (to show ****1234). Names and phones are shown masked (张*明, 138****5678) except on the
screens whose role needs them.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

# GB 11643-1999: weights of the first 17 digits, and the check character for each remainder mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")


def normalise_id(id_number: str) -> str:
    """Trim spaces and upper-case a trailing x, so one person always gives one hash."""
    return (id_number or "").strip().replace(" ", "").upper()


def valid_mainland_id(id_number: str) -> bool:
    """True for an 18-character mainland ID number with a real birth date and the right check character."""
    value = normalise_id(id_number)
    if not _ID_SHAPE.match(value):
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > datetime.now(ZoneInfo("Asia/Shanghai")).date():
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS))
    return _CHECK[total % 11] == value[17]


def id_check_char(first17: str) -> str:
    """The check character for 17 digits (used to make valid demo and test numbers)."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def id_hmac(key: str | bytes, id_number: str) -> str:
    """HMAC-SHA256 (hex) of the normalised ID number under the server's PII key."""
    if isinstance(key, str):
        key = key.encode()
    if not key:
        raise ValueError("PII hash key is empty")
    return hmac.new(key, normalise_id(id_number).encode(), hashlib.sha256).hexdigest()


def mask_name(name: str | None) -> str:
    """张*明 for three characters, 张* for two, 欧**明 for four; the first and last characters stay."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str | None) -> str:
    """138****5678: the first three and last four digits of a mobile number stay."""
    digits = (phone or "").strip()
    if not digits:
        return ""
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(len(digits) - 2, 1) + digits[-2:]


def mask_id_last4(last4: str | None) -> str:
    """****1234 from the stored last four characters of an ID number (empty when unknown)."""
    last4 = (last4 or "").strip()
    return "****" + last4[-4:] if last4 else ""
