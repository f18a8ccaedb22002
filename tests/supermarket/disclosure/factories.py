"""A fixture month at YL01 (October 2026) built through the real services, with figures computed by hand."""
from __future__ import annotations

from datetime import date, datetime, timezone

from supermarket.inventory import periods, writeoffs
from tests.supermarket.aid.factories import hand_out, make_household, policy
from tests.supermarket.catalog.factories import make_category, make_item
from tests.supermarket.intake.factories import cash, line, new_item, take_in
from tests.supermarket.inventory.factories import stock
from tests.supermarket.sales.factories import open_shift, sell

MONTH = date(2026, 10, 1)
IN_MONTH = datetime(2026, 10, 14, 3, 0, tzinfo=timezone.utc)      # 11:00 in Changsha
BEFORE = datetime(2026, 9, 20, 3, 0, tzinfo=timezone.utc)
AFTER = datetime(2026, 11, 3, 3, 0, tzinfo=timezone.utc)          # the month is over; before the 10th
LATE = datetime(2026, 11, 12, 3, 0, tzinfo=timezone.utc)


def october(session, world, code="YL01"):
    """The month, in YL01:
    - stock before the month: 10 basins (purchased, ¥5) and 5 bags of rice (¥30);
    - donation 1: 2 coats at ¥10 (clothes), 3 toys unvalued (toys), ¥50 cash; donation 2: ¥30 WeChat;
    - a sale of 2 basins (¥10, purchased fund) and 1 donated coat (shelf price ¥8, donated fund);
    - aid: 1 bag of rice (¥30) to a 低保 household; a write-off of 1 expired basin (¥5).
    Hand-computed figures are in EXPECTED below."""
    store = world.stores[code]
    clothes = make_category(session, "CLO", "衣物")
    toys = make_category(session, "TOY", "玩具")
    basin = make_item(session, "搪瓷脸盆", price_fen=500)
    rice = make_item(session, "大米", price_fen=3000)
    stock(session, store, basin, 10, now=BEFORE)
    stock(session, store, rice, 5, now=BEFORE)
    d1 = take_in(session, world, [line(new=new_item(clothes, "棉外套", price=800), qty=2, value=1000),
                                  line(new=new_item(toys, "毛绒玩具", price=300), qty=3, value=0, basis="unvalued")],
                 money=[cash(5000)], code=code, now=IN_MONTH)
    d2 = take_in(session, world, [], money=[cash(3000, "wechat", "WX1")], code=code, now=IN_MONTH)
    coat = d1.donation.lines[0].item
    open_shift(session, world, f"cashier-{code.lower()}", now=IN_MONTH)
    sale = sell(session, world, (basin, 2), (coat, 1), username=f"cashier-{code.lower()}", now=IN_MONTH)
    policy(session, "dibao", value_cap_fen=10000)
    hh = make_household(session, store, verified_on=date(2026, 9, 1))
    handout = hand_out(session, world, code, hh, [(rice, 1)], now=IN_MONTH)
    wo = writeoffs.write_off(session, world.actor(session, f"manager-{code.lower()}"), store_id=store.id, qty=1,
                             reason_code="expired", reason="过期", now=IN_MONTH, item_id=basin.id)
    return dict(d1=d1, d2=d2, sale=sale, handout=handout, write_off=wo, basin=basin, rice=rice, coat=coat)


def close_stock(session, world, code="YL01", month=MONTH, now=AFTER):
    return periods.close_month(session, world.actor(session, f"manager-{code.lower()}"), world.stores[code].id,
                               month=month, now=now)


EXPECTED = {
    "goods_in": {"donations": 1, "units": 5, "value_fen": 2000, "unvalued_units": 3, "by_category": [
        {"code": "CLO", "name": "衣物", "units": 2, "value_fen": 2000, "unvalued_units": 0},
        {"code": "TOY", "name": "玩具", "units": 3, "value_fen": 0, "unvalued_units": 3}]},
    "money_in": {"donations": 2, "total_fen": 8000, "fund": "donation_fund",
                 "by_method": {"cash": 5000, "wechat": 3000, "alipay": 0, "bank_transfer": 0}},
    "sales": {"receipts": 1, "total_fen": 1800, "by_fund": {"donated": 800, "purchased": 1000}},
    "aid": {"handouts": 1, "households": 1, "value_fen": 3000, "campaigns": [],
            "by_category": [{"code": "dibao", "name": "低保", "handouts": 1, "households": 1, "value_fen": 3000}]},
    "points": {"issued": 0, "redeemed": 0},
    "projects": None,
    # 10 + 5 before; + 2 coats + 3 toys; − 3 sold; − 1 rice; − 1 basin written off
    "stock_end": {"units": 15},
    "write_offs": {"units": 1, "value_fen": 500, "by_reason": {
        "damaged": {"units": 0, "value_fen": 0}, "expired": {"units": 1, "value_fen": 500},
        "recalled": {"units": 0, "value_fen": 0}, "other": {"units": 0, "value_fen": 0}}},
}
