"""Role-matrix samples: a sale and a shift owned by a store, named so leak detection can see them."""
from __future__ import annotations

_made: dict = {}


def _sale(session, world, store):
    """One cash sale by the store's cashier, on an open shift (items are city-wide: no store marker in names)."""
    if store.id not in _made:
        from .factories import NOW, open_shift, sell, stocked_item

        username = f"cashier-{store.code.lower()}"
        shift = open_shift(session, world, username)
        item = stocked_item(session, world, store=store.code, qty=5, name=f"样品{store.code}")
        sale = sell(session, world, (item, 1), username=username, now=NOW).sale
        _made[store.id] = (sale.id, shift.id)
    return _made[store.id]


def _printer(session, world, store):
    """A receipt printer of the store (on a port nothing listens on: the sweep never prints)."""
    from supermarket.sales.models import TillPrinter

    row = TillPrinter(store_id=store.id, name=f"小票机{store.code}", host="127.0.0.1", port=9109, paper_mm=58,
                      kind="receipt")
    session.add(row)
    session.commit()
    return row.id


def _held(session, world, store):
    """A cart parked on the store's cashier's shift (the sale sample's shift)."""
    sale_id, _shift_id = _sale(session, world, store)
    if ("held", sale_id) not in _made:
        from supermarket.sales import held
        from supermarket.sales.inputs import CartLine
        from supermarket.sales.models import SaleLine
        from .factories import NOW

        item_id = session.query(SaleLine.item_id).filter(SaleLine.sale_id == sale_id).scalar()
        actor = world.actor(session, f"cashier-{store.code.lower()}")
        _made[("held", sale_id)] = held.park(session, actor, (CartLine(qty=1, item_id=item_id),), now=NOW).id
    return _made[("held", sale_id)]


SAMPLES = {
    "printer_id": _printer,
    "held_id": _held,
    "sale_id": lambda s, w, store: _sale(s, w, store)[0],
    "shift_id": lambda s, w, store: _sale(s, w, store)[1],
}
