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


class PeriodClosed(Conflict):
    code = "inventory.period_closed"


class StocktakeOpen(Conflict):
    code = "inventory.stocktake_open"


class StocktakeNotOpen(Conflict):
    code = "inventory.stocktake_not_open"


class OutOfScope(Conflict):
    code = "inventory.not_in_stocktake"


class StaleReview(Conflict):
    code = "inventory.stocktake_book_changed"


class CounterCannotApprove(Conflict):
    code = "inventory.counter_cannot_approve"


class NeedsExpiry(InvalidInput):
    code = "inventory.needs_expiry"


class ApprovalRequired(InvalidInput):
    code = "inventory.approval_required"


class BadPhoto(InvalidInput):
    code = "inventory.bad_photo"


class PhotoTooLarge(InvalidInput):
    status, code = 413, "inventory.photo_too_large"


class AlreadyReceived(Conflict):
    code = "inventory.transfer_already_received"


class NotCorrectable(Conflict):
    code = "inventory.not_correctable"
