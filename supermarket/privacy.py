"""Personal data kept to what the work needs: masking for screens and documents, keyed hashes of ID numbers.

Names and phones are shown in full only on the screens whose role needs them; everywhere else they go through
`mask_name` / `mask_phone`. An ID-card number is never stored: only `id_hmac(key, number)` (to recognise the
same person again) and its last four digits.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def mask_name(name: str | None) -> str:
    """张三明 → 张*明, 张三 → 张*, 欧阳小明 → 欧**明; empty stays empty."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str | None) -> str:
    """13812345678 → 138****5678; a short number keeps only its last two digits."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) >= 8:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * max(len(phone) - 2, 1) + phone[-2:]


def mask_id_last4(last4: str | None) -> str:
    """The last four digits of an ID number as shown: ****1234 (empty when unknown)."""
    last4 = (last4 or "").strip()
    return f"****{last4}" if last4 else ""


def normalise_id(id_number: str) -> str:
    return (id_number or "").strip().upper()


def id_hmac(key: str | bytes, id_number: str) -> str:
    """Keyed SHA-256 of a normalised ID number (hex): recognises a person without storing the number."""
    key_bytes = key.encode() if isinstance(key, str) else key
    return hmac.new(key_bytes, normalise_id(id_number).encode(), hashlib.sha256).hexdigest()


def valid_mainland_id(id_number: str) -> bool:
    """An 18-character resident ID (GB 11643): 17 digits, a valid birth date, and the right check character."""
    value = normalise_id(id_number)
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born.year < 1900:
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == value[17]
