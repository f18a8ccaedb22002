"""Inventory's domain errors (stable codes)."""
from ..errors import Conflict, InvalidInput


class InsufficientStock(Conflict):
    code = "inventory.insufficient_stock"


class ExpiredLot(Conflict):
    code = "inventory.expired_lot"


class ProhibitedGoods(Conflict):
    code = "inventory.prohibited_category"


class ReversalExceeds(Conflict):
    code = "inventory.reversal_exceeds"


class BadQuantity(InvalidInput):
    code = "inventory.bad_quantity"
