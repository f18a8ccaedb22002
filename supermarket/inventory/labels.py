"""Chinese names of movement kinds, write-off reasons and document states, for pages."""
from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "intake": _l("入库"), "intake_reversal": _l("入库冲销"), "sale": _l("销售"), "sale_reversal": _l("销售冲销"),
    "points_redemption": _l("积分兑换"), "points_redemption_reversal": _l("积分兑换冲销"),
    "aid_distribution": _l("救助发放"), "aid_reversal": _l("救助发放冲销"), "transfer_out": _l("调出"),
    "transfer_in": _l("调入"), "write_off": _l("报损"), "stocktake_adjustment": _l("盘点调整"),
    "correction": _l("更正"), "open_return": _l("无小票退货"),
}
REASON_LABELS = {"damaged": _l("损坏"), "expired": _l("过期"), "recalled": _l("召回"), "other": _l("其他")}
STOCKTAKE_STATUS_LABELS = {"counting": _l("盘点中"), "posted": _l("已过账"), "cancelled": _l("已取消")}
TRANSFER_STATUS_LABELS = {"shipped": _l("在途"), "received": _l("已收货")}
