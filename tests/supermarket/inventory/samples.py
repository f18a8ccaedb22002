"""Role-matrix samples for inventory URLs: documents owned by the target store, marked 门店标记<code>."""
from supermarket.inventory import stocktakes, transfers, writeoffs
from supermarket.inventory.models import Transfer, WriteOff
from supermarket.models import utcnow
from supermarket.stores import service as stores_service
from supermarket.stores.models import Store
from tests.factories import SYSTEM
from tests.supermarket.catalog.factories import make_item
from tests.supermarket.inventory.factories import stock


def _manager(session, world, store):
    return world.actor(session, f"manager-{store.code.lower()}")


def _stocked_item(session, store, qty=5):
    item = make_item(session, "样品毛巾")
    stock(session, store, item, qty)
    return item


def _stocktake(session, world, store):
    current = stocktakes.open_stocktake(session, store.id)
    if current is not None:
        return current.id
    return stocktakes.start_stocktake(session, _manager(session, world, store), store_id=store.id,
                                      note=f"门店标记{store.code}", now=utcnow()).id


def _write_off(session, world, store):
    # One sample document per store and test: the sweep asks for it once per route.
    done = session.query(WriteOff).filter_by(store_id=store.id).first()
    if done is not None:
        return done.id
    item = _stocked_item(session, store)
    return writeoffs.write_off(session, _manager(session, world, store), store_id=store.id, item_id=item.id, qty=1,
                               reason_code="damaged", reason=f"门店标记{store.code} 包装破损", now=utcnow()).id


def _movement(session, world, store):
    from supermarket.inventory.models import StockMovement

    write_off_id = _write_off(session, world, store)
    return session.query(StockMovement).filter_by(doc_type="write_off", doc_id=str(write_off_id)).first().id


def _partner_store(session, store) -> Store:
    """A store without a marker in the same district, so a transfer shows no other marked store."""
    code = f"X{store.code}"
    return session.query(Store).filter_by(code=code).one_or_none() or stores_service.create_store(
        session, SYSTEM, code=code, name=f"调拨对方{code}", district_id=store.district_id)


def _transfer(session, world, store):
    done = session.query(Transfer).filter_by(store_id=store.id).first()
    if done is not None:
        return done.id
    item = _stocked_item(session, store)
    return transfers.ship_transfer(session, _manager(session, world, store), from_store_id=store.id,
                                   to_store_id=_partner_store(session, store).id,
                                   lines=[{"item_id": item.id, "qty": 2}], note=f"门店标记{store.code}",
                                   now=utcnow()).id


SAMPLES = {
    "stocktake_id": _stocktake,
    "write_off_id": _write_off,
    "movement_id": _movement,
    "transfer_id": _transfer,
}
