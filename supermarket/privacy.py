"""Personal data helpers: masking for display, keyed hashes for ID-card numbers, the GB 11643 check.

Names and phones are shown masked (张*明, 138****5678) except on screens whose role needs them; an ID-card
number is never stored, only `id_hmac(key, number)` and its last four characters.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def mask_name(name: str | None) -> str:
    """张三丰 → 张*丰, 张三 → 张*, 欧阳小明 → 欧**明."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str | None) -> str:
    """13812345678 → 138****5678; short numbers keep only their last two digits."""
    phone = (phone or "").strip()
    if len(phone) >= 8:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) > 2:
        return "*" * (len(phone) - 2) + phone[-2:]
    return "*" * len(phone)


def mask_id_last4(last4: str | None) -> str:
    """The displayed form of a stored ID-card number: only its last four characters are known."""
    return f"{'*' * 14}{last4}" if last4 else ""


def normalize_id(id_number: str) -> str:
    return (id_number or "").strip().upper()


def valid_mainland_id(id_number: str | None) -> bool:
    """An 18-character resident ID card number with a real birth date and a correct GB 11643 check digit."""
    n = normalize_id(id_number or "")
    if len(n) != 18 or not n[:17].isdigit() or n[17] not in "0123456789X":
        return False
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > date.today():
        return False
    total = sum(int(d) * w for d, w in zip(n[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == n[17]


def id_hmac(key: str, id_number: str) -> str:
    """A keyed hash of a normalised ID number: equal numbers match, the number cannot be read back."""
    return hmac.new(key.encode(), normalize_id(id_number).encode(), hashlib.sha256).hexdigest()
