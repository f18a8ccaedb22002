"""Disclosure errors (stable codes; the message is given where raised, in Chinese)."""
from ..errors import Conflict, InvalidInput, NotFound


class StockPeriodOpen(Conflict):
    code = "disclosure.stock_period_open"


class PreviousMonthOpen(Conflict):
    code = "disclosure.previous_month_open"


class AlreadyClosed(Conflict):
    code = "disclosure.already_closed"


class FiguresChanged(Conflict):
    code = "disclosure.figures_changed"


class ReasonRequired(InvalidInput):
    code = "disclosure.reason_required"


class NotReviewable(Conflict):
    code = "disclosure.not_reviewable"


class DisclosureNotFound(NotFound):
    code = "disclosure.not_found"


class NoLiveToken(Conflict):
    code = "disclosure.no_live_token"
