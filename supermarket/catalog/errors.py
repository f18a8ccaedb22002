"""Catalog's domain errors (stable codes)."""
from ..errors import Conflict, InvalidInput, NotFound


class UnknownBarcode(NotFound):
    code = "catalog.unknown_barcode"


class BadBarcode(InvalidInput):
    code = "catalog.bad_barcode"


class DuplicateBarcode(Conflict):
    code = "catalog.duplicate_barcode"


class UnknownItem(NotFound):
    code = "catalog.unknown_item"
