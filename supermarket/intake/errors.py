"""Intake's domain errors (stable codes)."""
from ..errors import Conflict, Forbidden, InvalidInput, NotFound


class ProhibitedCategory(Conflict):
    code = "intake.prohibited_category"


class ExpiredFood(Conflict):
    code = "intake.expired_food"


class SameChecker(Conflict):
    code = "intake.same_checker"


class CheckerFailed(Forbidden):
    code = "intake.checker_failed"


class UnknownDonor(NotFound):
    code = "intake.unknown_donor"


class UnknownItem(NotFound):
    code = "intake.unknown_item"


class DuplicateDonor(Conflict):
    code = "intake.duplicate_donor"


class PledgeClosed(Conflict):
    code = "intake.pledge_closed"


class BadPhoto(InvalidInput):
    code = "intake.bad_photo"


class PhotoTooLarge(InvalidInput):
    status, code = 413, "intake.photo_too_large"


class TooManyLabels(InvalidInput):
    code = "intake.too_many_labels"


class NothingToLabel(InvalidInput):
    code = "intake.nothing_to_label"
