"""Catalog factories."""
from supermarket.catalog import service
from tests.factories import SYSTEM

_counter = {"n": 0}


def make_category(session, code="GEN", name="日用品", **values):
    from supermarket.catalog.models import Category

    existing = session.query(Category).filter_by(code=code).one_or_none()
    return existing or service.create_category(session, SYSTEM, code=code, name=name, **values)


def food_category(session):
    return make_category(session, "FOOD", "食品", is_food=True, near_expiry_days=7)


def make_item(session, name="矿泉水", *, category=None, price_fen=200, kind="purchased", barcode=None, store=None,
              points_price=None, condition_grade=None, sold_by_weight=False):
    category = category or make_category(session)
    if barcode is None and store is None:
        from supermarket.catalog.codes import gtin_check_digit

        _counter["n"] += 1
        body = f"690{_counter['n']:09d}"
        barcode = body + str(gtin_check_digit(body))
    return service.create_item(session, SYSTEM, name=name, category_id=category.id, kind=kind, barcode=barcode,
                               default_price_fen=price_fen, points_price=points_price, store_id=store.id if store else None,
                               condition_grade=condition_grade, sold_by_weight=sold_by_weight)
