"""Weighed goods (散装): items the catalog marks `sold_by_weight`, priced per kg and sold by the gram.

Decision: the stock ledger stays integer. A weighed item's stock, lots and movements are kept in grams (the stock
pages show kg with three decimals). A till line of such an item carries `weight_g` (1–50,000 g) instead of a
quantity: it is one weighing (qty 1), its price is the item's price per kg, and its total is
price_per_kg_fen × weight_g / 1000 rounded half up to the fen, computed by the server. A discount applies to that
total like any line's; a return gives back the line's grams. Weighed items are never paid with points (a points
price is per unit, and a weighed item has none).
"""
from __future__ import annotations

from flask_babel import gettext as _

from ..errors import InvalidInput

MAX_WEIGHT_G = 50_000  # 50 kg on one line: more is a typo on the counter scale


def price_fen(price_per_kg_fen: int, weight_g: int) -> int:
    """price per kg × grams / 1000, rounded half up to the fen (integers only: 0.5 fen goes up)."""
    return (price_per_kg_fen * weight_g + 500) // 1000


def check_line(item_name: str, sold_by_weight: bool, qty: int, weight_g: int | None, pay_with_points: bool) -> None:
    """A weighed item's line needs its grams; a counted item's line its quantity and no grams. Raises
    InvalidInput at the line's weight_g (or qty) field."""
    def bad(msg: str, field: str = "weight_g") -> InvalidInput:
        return InvalidInput(msg, fields={field: [msg]})

    if not sold_by_weight and weight_g is None and qty < 1:
        raise bad(_("请填写“%(name)s”的数量", name=item_name), "qty")

    if sold_by_weight and weight_g is None:
        raise bad(_("“%(name)s”按重量销售，请填写重量", name=item_name))
    if not sold_by_weight and weight_g is not None:
        raise bad(_("“%(name)s”不按重量销售，请填写数量", name=item_name))
    if weight_g is not None and not 0 < weight_g <= MAX_WEIGHT_G:
        raise bad(_("重量须大于 0 且不超过 50 千克"))
    if weight_g is not None and pay_with_points:
        raise bad(_("称重商品不能用积分兑换：“%(name)s”", name=item_name))
