"""The points domain's errors, each with a stable code (the checkout imports these too)."""
from __future__ import annotations

from flask_babel import gettext as _

from ..errors import Conflict, Forbidden, InvalidInput, NotFound, TooManyAttempts


class UnknownMember(NotFound):
    code = "points.unknown_member"

    def default_message(self) -> str:
        return _("找不到该会员码对应的居民")


class WrongPin(Forbidden):
    code = "points.wrong_pin"

    def default_message(self) -> str:
        return _("PIN 错误")


class PinLocked(TooManyAttempts):
    code = "points.pin_locked"


class ResidentInactive(Conflict):
    code = "points.resident_inactive"

    def default_message(self) -> str:
        return _("该居民的积分账户已停用")


class InsufficientBalance(Conflict):
    code = "points.insufficient_balance"

    def default_message(self) -> str:
        return _("积分余额不足")


class DailyCap(Conflict):
    code = "points.daily_cap"


class NotRedeemable(InvalidInput):
    """Raised by the checkout when a line asks to be paid in points but its item has no points price."""

    code = "points.not_redeemable"

    def default_message(self) -> str:
        return _("该商品不能用积分兑换")


class RefundTooLarge(Conflict):
    code = "points.refund_exceeds_redeemed"


class NotReversible(Conflict):
    code = "points.not_reversible"


class CapExceeded(Conflict):
    code = "points.cap_exceeded"


class Backdated(InvalidInput):
    code = "points.backdated"


class OverlappingShift(Conflict):
    code = "points.overlapping_shift"


class SelfApproval(Forbidden):
    code = "points.self_approval"


class UnknownActivity(InvalidInput):
    code = "points.unknown_activity"


class NoPointsTable(Conflict):
    code = "points.no_points_table"

    def default_message(self) -> str:
        return _("该日期没有生效的积分标准")


class InvalidState(Conflict):
    code = "points.invalid_state"


class DuplicateResident(Conflict):
    code = "points.duplicate_resident"


class ApprovalRequired(Forbidden):
    code = "points.approval_required"


class IdentityNotConfirmed(Forbidden):
    code = "points.identity_not_confirmed"

    def default_message(self) -> str:
        return _("未能确认居民本人身份")


class PinResetLimited(TooManyAttempts):
    code = "points.pin_reset_limited"
