"""Role-matrix samples for catalog URLs (items and categories are city-wide, not store-owned)."""
from tests.supermarket.catalog.factories import make_category, make_item


def _item(session, world, store):
    return make_item(session, "样品矿泉水").id


CITY_WIDE = {"item_id", "category_id"}  # the catalog is shared by the whole city
SAMPLES = {
    "item_id": _item,
    "category_id": lambda s, w, store: make_category(s).id,
}
