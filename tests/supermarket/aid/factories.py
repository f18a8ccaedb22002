"""Aid factories: valid ID numbers, policy, households, stocked aid goods and hand-outs."""
from __future__ import annotations

import io
import itertools
from datetime import date, timedelta

from PIL import Image, ImageDraw

from supermarket.aid import campaigns, entitlements, households
from supermarket.aid.handout import Approval, HandoutInput, LineInput, ProxyInput, distribute
from supermarket.models import utcnow
from supermarket.privacy import id_check_char
from tests.factories import SYSTEM
from tests.supermarket.catalog.factories import make_category, make_item
from tests.supermarket.inventory.factories import stock

PII_KEY = "test-pii-key"
_serial = itertools.count(1)


def valid_id(n: int | None = None, *, region: str = "430104", birth: str = "19650312") -> str:
    """A made-up mainland ID number with the right check character."""
    n = next(_serial) if n is None else n
    first17 = f"{region}{birth}{n % 1000:03d}"
    return first17 + id_check_char(first17)


def policy(session, category="dibao", *, value_cap_fen=10000, item_cap=None, period="month", goods=(),
           effective_from=date(2020, 1, 1), effective_to=None):
    """The default categories, and an entitlement for `category`."""
    entitlements.ensure_default_categories(session)
    return entitlements.create_entitlement(
        session, SYSTEM, category_code=category, period=period, value_cap_fen=value_cap_fen, item_cap=item_cap,
        goods_category_ids=[g.id for g in goods], effective_from=effective_from, effective_to=effective_to)


def make_household(session, store, *, name="王建国", category="dibao", id_number=None, address="", **values):
    entitlements.ensure_default_categories(session)
    values.setdefault("verified_on", utcnow().date() - timedelta(days=10))
    return households.register_household(session, SYSTEM, pii_key=PII_KEY, id_number=id_number or valid_id(),
                                         head_name=name, category_code=category, store_id=store.id,
                                         address=address, **values)


def aid_item(session, stores, *, name="大米", price_fen=3000, qty=50, category=None):
    """An item stocked at each of `stores`."""
    item = make_item(session, name, price_fen=price_fen, category=category or make_category(session))
    for s in stores:
        stock(session, s, item, qty)
    return item


def signature_png(size=(300, 100), ink=True) -> bytes:
    img = Image.new("RGBA", size, (255, 255, 255, 0))
    if ink:
        ImageDraw.Draw(img).line([(20, 70), (80, 20), (140, 80), (200, 30), (280, 60)], fill=(0, 0, 0, 255), width=5)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def handout_input(household, items_qty, *, store_code="YL01", witness=None, signature=True, proxy=None,
                  override=None, reason="", key=None) -> HandoutInput:
    low = store_code.lower()
    return HandoutInput(
        household_code=household.code, lines=tuple(LineInput(qty=q, item_id=i.id) for i, q in items_qty),
        witness=witness if witness is not None else Approval(f"manager-{low}", "2468"),
        signature_png=signature_png() if signature is True else (signature or None),
        proxy=ProxyInput(*proxy) if proxy else None, override=override, override_reason=reason,
        idempotency_key=key)


def hand_out(session, world, store_code, household, items_qty, *, now=None, **kw):
    actor = world.actor(session, f"cashier-{store_code.lower()}")
    return distribute(session, actor, handout_input(household, items_qty, store_code=store_code, **kw),
                      now=now or utcnow())


def make_campaign(session, world, store_code, items_qty, *, name="春节送温暖", days=(-1, 10)):
    actor = world.actor(session, f"manager-{store_code.lower()}")
    today = utcnow().date()
    return campaigns.create_campaign(session, actor, name=name, starts_on=today + timedelta(days=days[0]),
                                     ends_on=today + timedelta(days=days[1]),
                                     pack=[LineInput(qty=q, item_id=i.id) for i, q in items_qty])
