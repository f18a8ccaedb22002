"""Sales' domain errors (stable codes)."""
from ..errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound


class PaymentMismatch(Conflict):
    code = "sales.payment_mismatch"


class TenderNotAccepted(Conflict):
    code = "sales.tender_not_accepted"


class ShiftClosed(Conflict):
    code = "sales.shift_closed"


class ShiftAlreadyOpen(Conflict):
    code = "sales.shift_already_open"


class NoOpenShift(NotFound):
    code = "sales.no_open_shift"


class ItemInactive(Conflict):
    code = "sales.item_inactive"


class ApprovalRequired(Forbidden):
    code = "sales.approval_required"


class NotReversible(Conflict):
    """A void of a void or of a return, a return of a return."""
    code = "sales.not_reversible"


class AlreadyVoided(Conflict):
    code = "sales.already_voided"


class HasReturns(Conflict):
    code = "sales.has_returns"


class ReturnExceeds(Conflict):
    code = "sales.return_exceeds"


class TooLarge(InvalidInput):
    code = "sales.amount_too_large"


class ShiftStillOpen(Conflict):
    code = "sales.shift_still_open"


class CashShort(InvalidInput):
    """Paying out more than the drawer should hold."""
    code = "sales.cash_short"


class PrinterNotFound(NotFound):
    code = "sales.printer_not_found"


class PrinterUnreachable(DomainError):
    """The thermal printer did not take the job (off, out of reach, busy): the till can still print the PDF."""
    status, code = 502, "sales.printer_unreachable"


class OfflineBlockUnknown(NotFound):
    """A queued sale numbered from a block this store never issued (replayed from another store)."""
    code = "sales.offline_block_unknown"


class OfflineBlockForeign(Forbidden):
    """A queued sale numbered from another tablet's or cashier's block."""
    code = "sales.offline_block_foreign"


class OfflineNumberUsed(Conflict):
    code = "sales.offline_number_used"


class OfflinePriceMismatch(Conflict):
    """The queued sale's total is not what the store's prices give (an edited queue): never trusted."""
    code = "sales.offline_price_mismatch"
