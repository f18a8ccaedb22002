"""Demo till data: three weeks of shifts and sales in every demo store, a few voids, one return per store, and a
closed shift earlier today, all written through the same services the till uses. Before those three weeks, a
quieter history back to HISTORY_DAYS (two or three sales a shift, so `flask demo` stays fast) gives the central
check its 90-day window; the 天心区 stores differ on purpose (see QUIET_DAYS and SHORT_TILL)."""
from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ..auth.permissions import Actor, Role, system_actor
from ..catalog import service as catalog
from ..catalog.codes import gtin_check_digit
from ..catalog.models import Category, Item
from ..demo import DEMO_PASSWORD
from ..inventory import service as stock
from ..models import utcnow
from ..clock import SHANGHAI
from ..uow import unit_of_work
from . import checkout, printers, reversals, settings, shifts
from .models import Sale
from .discounts import Discount, amount_of
from .inputs import Approval, Cart, CartLine, Refund, ReturnLine, ShiftClose, Tendered

DAYS = 21
HISTORY_DAYS = 90
# Weekdays (0 = Monday) a store keeps closed in its quieter history, beyond Mondays: TX02 opens three days a week.
QUIET_DAYS = {"TX02": (1, 3, 5)}
# Stores whose till is short more often, and by more (the central check's till reconciliation rule shows it).
SHORT_TILL = {"TX02": 0.6, "TX01": 0.35}
CATEGORIES = [("DAILY", "日用品", False), ("CLOTHES", "衣物", False), ("BOOKS", "图书文具", False),
              ("FOOD", "食品", True)]
# name, category, kind, price (fen), grade
ITEMS = [
    ("洗衣粉 1kg", "DAILY", "purchased", 1250, None), ("毛巾", "DAILY", "donated_new", 600, None),
    ("搪瓷脸盆", "DAILY", "donated_used", 800, "A"), ("保温杯", "DAILY", "donated_new", 2500, None),
    ("儿童羽绒服", "CLOTHES", "donated_used", 3000, "A"), ("男士毛衣", "CLOTHES", "donated_used", 1500, "B"),
    ("棉袜（3 双）", "CLOTHES", "purchased", 990, None), ("新华字典", "BOOKS", "donated_used", 500, "B"),
    ("作业本（10 本）", "BOOKS", "purchased", 800, None), ("挂面 1kg", "FOOD", "purchased", 650, None),
    ("食用油 1.8L", "FOOD", "purchased", 2990, None), ("大米 5kg", "FOOD", "purchased", 3290, None),
]
# Sold by weight (sales.weighed): ¥8.00 per kg, 50 kg of stock in every store (kept in grams).
WEIGHED = ("散装大米", "FOOD", "purchased", 800)
WEIGHED_STOCK_G = 50_000


def _actor(user) -> Actor:
    return Actor(user.id, user.username, Role(user.role), store_ids=frozenset({user.store_id}))


def _items(session) -> list[Item]:
    """The demo's own till items (created once, shared by the stores)."""
    admin = system_actor("demo")
    cats = {}
    for code, name, food in CATEGORIES:
        cats[code] = session.scalar(select(Category).where(Category.code == code)) or catalog.create_category(
            session, admin, code=code, name=name, is_food=food, quick_key=True, near_expiry_days=7)
    shop = Actor(None, "demo", Role.STORE_MANAGER)
    items = []
    for n, (name, cat, kind, price, grade) in enumerate(ITEMS, start=1):
        body = f"694{n:09d}"  # the till's own codes: the catalog demo uses 690… and 692…, intake 697…
        barcode = body + str(gtin_check_digit(body))
        item = session.scalar(select(Item).where(Item.barcode == barcode)) or catalog.create_item(
            session, shop, name=name, category_id=cats[cat].id, kind=kind, barcode=barcode,
            condition_grade=grade, default_price_fen=price)
        items.append(item)
    return items


def _weighed_item(session) -> Item:
    name, cat, kind, price = WEIGHED
    body = f"694{len(ITEMS) + 1:09d}"
    barcode = body + str(gtin_check_digit(body))
    category = session.scalar(select(Category).where(Category.code == cat))
    return session.scalar(select(Item).where(Item.barcode == barcode)) or catalog.create_item(
        session, Actor(None, "demo", Role.STORE_MANAGER), name=name, category_id=category.id, kind=kind,
        barcode=barcode, unit="kg", default_price_fen=price, sold_by_weight=True)


def _receive(session, store, items, at: datetime) -> None:
    actor = system_actor("demo")
    with unit_of_work(session):
        for item in items:
            stock.receive(session, actor, store_id=store.id, item=item, qty=400, kind="intake", doc_type="demo",
                           doc_id=f"demo-{store.code}", now=at,
                           expiry_date=(at + timedelta(days=300)).date() if item.is_food else None)


def _payments(rnd: random.Random, total: int) -> list[Tendered]:
    roll = rnd.random()
    ref = str(rnd.randrange(10**9, 10**10))
    if roll < 0.55:
        given = total if rnd.random() < 0.4 else -(-total // 5000) * 5000  # exact, or the next ¥50 note
        return [Tendered("cash", given)]
    if roll < 0.8:
        return [Tendered("wechat", total, "4200" + ref)]
    if roll < 0.92 or total < 200:
        return [Tendered("alipay", total, "2088" + ref)]
    part = total // 2
    return [Tendered("wechat", part, "4200" + ref), Tendered("cash", -(-(total - part) // 1000) * 1000)]


def _local(day: date, hh: int, mm: int) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=SHANGHAI)


def _shift_day(session, rnd, cashier, manager_ok, items, opened: datetime, closed: datetime, n_sales: int,
               void: bool, short: float = 0.2) -> list:
    """One shift: sales at random times, perhaps a void, then the close. Returns the ids of the sales."""
    actor = _actor(cashier)
    shifts.open_shift(session, actor, float_fen=20000, now=opened)
    span = (closed - opened).total_seconds() - 120
    sold = []
    for k in sorted(rnd.uniform(60, span) for _ in range(n_sales)):
        now = opened + timedelta(seconds=k)
        picked = rnd.sample(items, rnd.randint(1, 4))
        lines = tuple(CartLine(rnd.choice((1, 1, 1, 2, 3)), item_id=item_id) for item_id, _price in picked)
        total = sum(line.qty * price for line, (_id, price) in zip(lines, picked))
        cart = Cart(uuid.uuid4(), lines, tuple(_payments(rnd, total)))
        sold.append((checkout.checkout(session, actor, cart, now=now).sale.id, now))
    if void and sold:
        victim, at = sold.pop()
        reversals.void_sale(session, actor, victim, approval=manager_ok, reason="顾客改变主意",
                            now=at + timedelta(minutes=1))
    expected = shifts.expected_takings(session, shifts.get_current_shift(session, actor))
    counted = dict(expected)
    if rnd.random() < short:
        counted["cash"] -= rnd.choice((50, 100, 500) if short <= 0.2 else (500, 2000, 5000))  # a short till
    # A close further off than the store's limit needs a reason (sales.shifts.check_variance_reason).
    note = "钱箱短款，找零时多找，已向店长说明" if counted["cash"] != expected["cash"] else ""
    shifts.close_shift(session, actor, ShiftClose(counted, manager_ok, note=note), now=closed)
    return [sale_id for sale_id, _at in sold]


def load(session, ctx) -> None:
    now = utcnow()
    today = now.astimezone(SHANGHAI).date()
    stocked = _items(session)
    rice = _weighed_item(session)
    rice_id = rice.id
    # Plain values: the ORM objects expire at every commit and would be read again for each sale.
    items = [(item.id, item.default_price_fen) for item in stocked]
    for code, store in ctx.stores.items():
        rnd = random.Random(f"sales-demo-{code}")
        low = code.lower()
        cashier, manager = ctx.users[f"cashier-{low}"], ctx.users[f"manager-{low}"]
        manager_ok = Approval(manager.username, DEMO_PASSWORD)
        _receive(session, store, stocked, now - timedelta(days=HISTORY_DAYS + 5))
        with unit_of_work(session):
            stock.receive(session, system_actor("demo"), store_id=store.id, item=session.get(Item, rice_id),
                          qty=WEIGHED_STOCK_G, kind="intake", doc_type="demo", doc_id=f"demo-{store.code}",
                          now=now - timedelta(days=2), expiry_date=(now + timedelta(days=180)).date())
        if code == "YL02":
            settings.update_till_config(session, _actor(manager), store.id, accepted=["cash", "wechat", "alipay"],
                                        receipt_width_mm=80)
            # Thermal printers at documentation addresses (192.0.2.x: never a real device, so printing shows the
            # printer's "没有响应" message, the PDF still prints).
            for name, host, kind in (("1号收银台", "192.0.2.200", "receipt"), ("价签机", "192.0.2.201", "label")):
                printers.add_printer(session, _actor(manager), store.id, name=name, host=host, port=9100,
                                     paper_mm=80 if kind == "receipt" else 58, kind=kind)
        _quiet_history(session, code, cashier, manager_ok, items, today)
        history, day = [], None
        for back in range(DAYS, 0, -1):
            day = today - timedelta(days=back)
            if day.weekday() == 0:  # closed on Mondays
                continue
            history += _shift_day(session, rnd, cashier, manager_ok, items, _local(day, 9, 0),
                                  _local(day, 17, 30), rnd.randint(4, 9), void=rnd.random() < 0.25)
        _one_return(session, cashier, manager_ok, history, _local(day, 17, 45))
        if code == "YL01":
            _discounted_sales(session, cashier, manager_ok, items, _local(day, 18, 30))
            _weighed_sale(session, cashier, manager_ok, rice_id, _local(day, 19, 0))
        # Earlier today: a short shift that is already closed, so today's figures show something.
        _shift_day(session, rnd, cashier, manager_ok, items, now - timedelta(minutes=100),
                   now - timedelta(minutes=10), 4, void=False)
        if code == "YL01":
            _offline_sale(session, cashier, items, now)


def _quiet_history(session, code, cashier, manager_ok, items, today: date) -> None:
    """The days before the three detailed weeks: one short shift a day with two or three sales (its own random
    stream, so the detailed weeks stay exactly as they were)."""
    rnd = random.Random(f"sales-history-{code}")
    closed_days = (0,) + QUIET_DAYS.get(code, ())
    for back in range(HISTORY_DAYS, DAYS, -1):
        day = today - timedelta(days=back)
        if day.weekday() in closed_days:
            continue
        _shift_day(session, rnd, cashier, manager_ok, items, _local(day, 10, 0), _local(day, 16, 0),
                   rnd.randint(2, 3), void=rnd.random() < 0.05, short=SHORT_TILL.get(code, 0.1))


def _one_return(session, cashier, manager_ok, history, at: datetime) -> None:
    """A customer brings one item back after the close of the last day (a short shift for the refund)."""
    actor = _actor(cashier)
    sale = session.get(Sale, history[len(history) // 2])
    shift = shifts.open_shift(session, actor, float_fen=10000, now=at)
    line = sale.lines[0]
    reversals.return_items(session, actor, sale.id, [ReturnLine(line.id, 1)], refund=Refund("cash"),
                           approval=manager_ok, reason="尺码不合适", now=at + timedelta(minutes=5))
    expected = shifts.expected_takings(session, shift)
    shifts.close_shift(session, actor, ShiftClose(expected, manager_ok), now=at + timedelta(minutes=30))


def _offline_sale(session, cashier, items, now: datetime) -> None:
    """The tablet's Wi-Fi dropped near the end of this morning's shift: one cash sale was queued on it and landed
    after the manager had closed the shift, so it waits on /sales/offline (and the Z report lists it apart)."""
    from .offline import OfflineUpload, land, reserve_block
    from .models import Shift

    actor = _actor(cashier)
    shift = session.scalar(select(Shift).where(Shift.cashier_id == cashier.id, Shift.status == "closed")
                           .order_by(Shift.closed_at.desc()).limit(1))
    block = reserve_block(session, actor, device_id=uuid.uuid5(uuid.NAMESPACE_URL, "demo-tablet-yl01"),
                          now=shift.closed_at - timedelta(hours=1))
    item_id, price = items[0]
    cart = Cart(uuid.uuid4(), (CartLine(1, item_id=item_id),), (Tendered("cash", price),))
    land(session, actor, OfflineUpload(cart, block.id, 1, block.device_id, shift.closed_at - timedelta(minutes=5),
                                       price, shift.id), now=now)
    # The last hand-made bag sold on the offline tablet while the books already held none: a shortfall for the
    # manager (and the anomaly board's stock.sold_offline).
    bag = catalog.create_item(session, Actor(None, "demo", Role.STORE_MANAGER), name="手工布袋",
                              category_id=session.get(Item, item_id).category_id, kind="donated_new",
                              default_price_fen=1500, store_id=cashier.store_id)
    cart = Cart(uuid.uuid4(), (CartLine(1, item_id=bag.id),), (Tendered("cash", 1500),))
    land(session, actor, OfflineUpload(cart, block.id, 2, block.device_id, shift.closed_at - timedelta(minutes=3),
                                       1500, shift.id), now=now)


def _weighed_sale(session, cashier, manager_ok, rice_id, at: datetime) -> None:
    """1.250 kg of 散装大米 at ¥8.00/kg: ¥10.00, 1,250 g off the stock (no random draws: the rest stays)."""
    actor = _actor(cashier)
    shift = shifts.open_shift(session, actor, float_fen=10000, now=at)
    cart = Cart(uuid.uuid4(), (CartLine(1, item_id=rice_id, weight_g=1250),), (Tendered("cash", 1000),))
    checkout.checkout(session, actor, cart, now=at + timedelta(minutes=5))
    expected = shifts.expected_takings(session, shift)
    shifts.close_shift(session, actor, ShiftClose(expected, manager_ok), now=at + timedelta(minutes=30))


def _discounted_sales(session, cashier, manager_ok, items, at: datetime) -> None:
    """Discounts in the demo (no random draws, so the other figures stay as they were): a line discount within
    the cashier's limit, then a basket discount above it that the manager approved; the shift's Z report counts
    them."""
    actor = _actor(cashier)
    shift = shifts.open_shift(session, actor, float_fen=10000, now=at)
    (first, first_price), (second, second_price) = items[0], items[1]
    ten, fifteen = Discount(percent=10), Discount(percent=15)
    sales = [  # lines, basket discount, approval, total
        ((CartLine(2, item_id=first, discount=ten), CartLine(1, item_id=second)), None, None,
         first_price * 2 - amount_of(ten, first_price * 2) + second_price),
        ((CartLine(1, item_id=first), CartLine(2, item_id=second)), fifteen, manager_ok,
         first_price + second_price * 2 - amount_of(fifteen, first_price + second_price * 2)),
    ]
    for k, (lines, basket, approval, total) in enumerate(sales):
        checkout.checkout(session, actor, Cart(uuid.uuid4(), lines, (Tendered("cash", total),), discount=basket,
                                               discount_approval=approval), now=at + timedelta(minutes=5 + k))
    expected = shifts.expected_takings(session, shift)
    shifts.close_shift(session, actor, ShiftClose(expected, manager_ok), now=at + timedelta(minutes=30))
