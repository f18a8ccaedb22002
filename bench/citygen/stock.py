"""A store's stock ledger in memory, moved as `supermarket.inventory.ledger` moves it: receive into a new lot,
take expiring-first (expired lots refused unless allowed), reverse into the same lot. Every call writes its
lots and movements at once; lot and item balances are written when the store is done, equal to the sum of
their movements by construction (and checked by `flask inventory verify`'s own function afterwards).
"""
from __future__ import annotations

import heapq
from bisect import insort
from datetime import date

from .base import opt, text, ts
from .sink import Table

LOTS_T = Table("lots", ("id", "created_at", "store_id", "item_id", "expiry_date", "received_at", "source_type",
                        "source_id", "unit_cost_fen"))
MOVES_T = Table("stock_movements", ("id", "created_at", "store_id", "item_id", "lot_id", "qty", "kind",
                                    "doc_type", "doc_id", "reverses_id", "actor_id", "actor_name", "occurred_at",
                                    "note"))
LOT_BAL_T = Table("lot_balances", ("lot_id", "store_id", "item_id", "qty"))
BAL_T = Table("stock_balances", ("store_id", "item_id", "qty"))
NO_EXPIRY = date.max


class Lot:
    __slots__ = ("key", "id", "item", "qty", "expiry", "expired")

    def __init__(self, key, id, item, qty, expiry):
        self.key, self.id, self.item, self.qty, self.expiry, self.expired = key, id, item, qty, expiry, False

    def __lt__(self, other):
        return self.key < other.key


class ItemStock:
    """One item in one store: on hand, of which expired, and its lots with stock in taking order."""

    __slots__ = ("item", "qty", "expired", "lots", "expiries")

    def __init__(self, item):
        self.item, self.qty, self.expired, self.lots, self.expiries = item, 0, 0, [], []

    @property
    def sellable(self) -> int:
        return self.qty - self.expired


class Stock:
    def __init__(self, city, st):
        self.city, self.st, self.sink = city, st, city.sink
        self.items: dict[str, ItemStock] = {}
        self.lots: list[Lot] = []          # every lot ever received, for lot_balances
        self._food: list = []              # (expiry, n, lot): lots that will expire
        self._n = 0
        self.expired_lots: list[Lot] = []  # expired lots still holding stock
        self.on_low = None                 # fn(item) when a restockable item runs low

    def of(self, item) -> ItemStock:
        s = self.items.get(item.id)
        if s is None:
            s = self.items[item.id] = ItemStock(item)
        return s

    def sellable(self, item) -> int:
        s = self.items.get(item.id)
        return 0 if s is None else s.qty - s.expired

    def receive(self, actor, item, qty: int, *, kind: str, doc_type: str, doc_id: str, at, expiry=None,
                unit_cost=None, note: str = "") -> str:
        """A new lot with `qty` units (ledger.receive); returns the movement id."""
        st, s = self.st, self.of(item)
        lot_id = st.ids()
        self._n += 1
        lot = Lot((expiry is None, expiry or NO_EXPIRY, at, lot_id), lot_id, item, qty, expiry)
        self.lots.append(lot)
        insort(s.lots, lot)
        s.qty += qty
        if expiry is not None:
            s.expiries.append(expiry)
            heapq.heappush(self._food, (expiry, self._n, lot))
        self.sink.line(LOTS_T, f"{lot_id}\t{ts(at)}\t{st.id}\t{item.id}\t{opt(expiry)}\t{ts(at)}\t{doc_type}\t"
                               f"{doc_id}\t{opt(unit_cost)}\n")
        return self._move(actor, item, lot, qty, kind, doc_type, doc_id, at, None, note)

    def take(self, actor, item, qty: int, *, kind: str, doc_type: str, doc_id: str, at, lot: Lot | None = None,
             allow_expired: bool = False, note: str = "", when: str | None = None) -> list[tuple]:
        """Take `qty` expiring-first (or from `lot`); returns [(movement id, lot, n)]. The caller has checked
        that the stock is there: a shortfall here is a bug in the generator, not a business event."""
        s = self.items[item.id]
        left, used = qty, []
        for candidate in ([lot] if lot is not None else s.lots[:4] if len(s.lots) <= 4 else list(s.lots)):
            if candidate.expired and not allow_expired:
                continue
            n = min(left, candidate.qty)
            if n <= 0:
                continue
            used.append((self._move(actor, item, candidate, -n, kind, doc_type, doc_id, at, None, note, when),
                         candidate, n))
            self._adjust(s, candidate, -n)
            left -= n
            if left == 0:
                break
        if left:
            raise AssertionError(f"{self.st.code}: {item.name} short by {left} for {doc_type} {doc_id}")
        if self.on_low is not None and item.restock and s.qty - s.expired < self.city.vol.restock_below:
            self.on_low(item)
        return used

    def reverse(self, actor, movement_id: str, lot: Lot, qty: int, *, kind: str, doc_type: str, doc_id: str,
                at) -> str:
        """Put `qty` units taken by `movement_id` back into its lot (ledger.reverse of an outgoing movement)."""
        s = self.items[lot.item.id]
        if lot.qty == 0:
            insort(s.lots, lot)
        self._adjust(s, lot, qty)
        return self._move(actor, lot.item, lot, qty, kind, doc_type, doc_id, at, movement_id, "")

    def sweep(self, today) -> list[Lot]:
        """Lots whose best-before date has passed by `today` stop being sellable; returns the newly expired."""
        out = []
        while self._food and self._food[0][0] < today:
            _e, _n, lot = heapq.heappop(self._food)
            lot.expired = True
            if lot.qty > 0:
                self.items[lot.item.id].expired += lot.qty
                self.expired_lots.append(lot)
                out.append(lot)
        if out:
            self.expired_lots = [x for x in self.expired_lots if x.qty > 0]
        return out

    def reference_expiry(self, item, today):
        """The soonest unexpired best-before date among the item's lots here (stocktake_review)."""
        s = self.items.get(item.id)
        later = [e for e in (s.expiries if s else ()) if e >= today]
        return min(later) if later else None

    def _adjust(self, s: ItemStock, lot: Lot, n: int) -> None:
        lot.qty += n
        s.qty += n
        if lot.expired:
            s.expired += n
        if lot.qty == 0:
            s.lots.remove(lot)

    def _move(self, actor, item, lot, qty, kind, doc_type, doc_id, at, reverses, note, when=None) -> str:
        mid = self.st.ids()
        when = when or ts(at)
        self.sink.line(MOVES_T, f"{mid}\t{when}\t{self.st.id}\t{item.id}\t{lot.id}\t{qty}\t{kind}\t{doc_type}\t"
                                f"{doc_id}\t{opt(reverses)}\t{opt(actor.user_id)}\t{actor.username}\t{when}\t"
                                f"{text(note)}\n")
        return mid

    def finish(self) -> None:
        sink, store = self.sink, self.st.id
        for lot in self.lots:
            sink.line(LOT_BAL_T, f"{lot.id}\t{store}\t{lot.item.id}\t{lot.qty}\n")
        for item_id, s in self.items.items():
            sink.line(BAL_T, f"{store}\t{item_id}\t{s.qty}\n")
        self.city.count("lots", len(self.lots))
