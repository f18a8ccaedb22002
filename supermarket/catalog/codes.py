"""Pure helpers for barcodes and search keys."""
from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from printing.barcodes import gtin_check_digit  # noqa: F401  (the one GS1 check digit)


def is_valid_gtin(code: str) -> bool:
    return code.isdigit() and len(code) in (8, 12, 13) and gtin_check_digit(code[:-1]) == int(code[-1])


def barcode_kind(code: str) -> str | None:
    """'ean13', 'upc' or 'ean8' for a valid manufacturer code; None when it is not one."""
    if not is_valid_gtin(code):
        return None
    return {13: "ean13", 12: "upc", 8: "ean8"}[len(code)]


def looks_like_gtin(code: str) -> bool:
    return code.isdigit() and len(code) in (8, 12, 13)


INTERNAL_CODE = re.compile(r"^[A-Z0-9]{2,16}-\d{6,}$")


def internal_code(store_code: str, number: int) -> str:
    """The store's own code for goods without a manufacturer barcode, unique in the city: YL01-000123."""
    return f"{store_code}-{number:06d}"


def lookup_variants(code: str) -> list[str]:
    """A scanner may add a leading zero to a UPC-A (as EAN-13) or drop it; try both forms. Codes are matched
    without regard to case: every stored code is digits or upper case (GTINs; internal codes from the store's
    upper-case code), so a tablet keyboard's `yl01-000058` is looked up as `YL01-000058` — the same index."""
    code = code.strip().upper()
    variants = [code]
    if code.isdigit() and len(code) == 13 and code.startswith("0"):
        variants.append(code[1:])
    if code.isdigit() and len(code) == 12:
        variants.append("0" + code)
    return variants


def pinyin_initials(name: str) -> str:
    """矿泉水 → 'kqs'; letters and digits in the name are kept (lower-case) so 'A4纸' → 'a4z'."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: list(s))
    return re.sub(r"[^a-z0-9]", "", "".join(letters).lower())


def printable(barcode: str, barcode_kind: str) -> tuple[str, str]:
    """(code, symbology) to print or draw an item's barcode: EAN-13 as it is, a UPC-A as 0 + code in EAN-13,
    Code 128 for the store's own codes (and EAN-8, which the printing package does not draw)."""
    if barcode_kind == "ean13":
        return barcode, "ean13"
    if barcode_kind == "upc":
        return "0" + barcode, "ean13"
    return barcode, "code128"
