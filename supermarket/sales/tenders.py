"""The tender registry: every way a customer can pay, and what the till must do for each.

A tender says whether it gives change (cash), whether the cashier must record a reference (the transaction
number shown on the customer's WeChat/Alipay screen; there is no payment gateway), whether it pays in money or
in points, and whether its back end exists. A store accepts a subset (TillSettings.accepted_tenders); a tender
is usable at a till when the store accepts it AND it is available.

Points: paid from a resident's volunteer points (member code and PIN); `points_hooks` is the one place that
calls the points domain.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Tender:
    method: str
    label: object  # lazy gettext string
    gives_change: bool = False
    needs_reference: bool = False
    pays_in: str = "money"  # "money" or "points"
    available: bool = True

    def as_dict(self) -> dict:
        return {"method": self.method, "label": str(self.label), "gives_change": self.gives_change,
                "needs_reference": self.needs_reference, "pays_in": self.pays_in}


TENDERS: dict[str, Tender] = {t.method: t for t in (
    Tender("cash", _l("现金"), gives_change=True),
    Tender("wechat", _l("微信支付"), needs_reference=True),
    Tender("alipay", _l("支付宝"), needs_reference=True),
    Tender("points", _l("积分"), pays_in="points"),
)}

# A store without its own setting accepts every registered tender.
DEFAULT_ACCEPTED = tuple(TENDERS)
MONEY_METHODS = tuple(m for m, t in TENDERS.items() if t.pays_in == "money")


def tender(method: str) -> Tender | None:
    return TENDERS.get(method)


def label(method: str) -> str:
    t = TENDERS.get(method)
    return str(t.label) if t else method


def usable(accepted: tuple[str, ...]) -> list[Tender]:
    """The tenders a till offers: accepted by the store and available, in registry order."""
    return [t for m, t in TENDERS.items() if m in accepted and t.available]
