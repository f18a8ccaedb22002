"""A fixture city for the dashboards: two districts, four stores (YL01, YL02 in 岳麓区; FR01, FR02 in 芙蓉区,
FR02 without any record), known records in October and November 2026 written through the real services, and
the figures every dashboard must show for them (hand-computed; see EXPECTED)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from supermarket.sales import reversals, shifts
from supermarket.sales.inputs import ShiftClose
from supermarket.standards import facts
from tests.factories import make_store
from tests.supermarket.aid.factories import aid_item, hand_out, make_household, policy
from tests.supermarket.catalog.factories import food_category, make_category, make_item
from tests.supermarket.intake.factories import cash as money, line, make_donor, make_pledge, new_item, take_in
from tests.supermarket.inventory.factories import stock
from tests.supermarket.points.factories import give_points, make_resident
from tests.supermarket.sales.factories import manager_ok, open_shift, sell, stocked_item

T_OCT = datetime(2026, 10, 15, 2, 0, tzinfo=timezone.utc)   # 10:00 in Changsha
T_NOV = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc)     # when the dashboards are looked at
TODAY = date(2026, 11, 28)

# Hand-computed, in fen / counts. November 2026 (a month) and the fourth quarter of 2026.
NOV = {
    "YL01": {"income_purchased_fen": 1000, "tender_cash_fen": 1000, "sales": 2, "voids": 1, "returns": 0,
             "cash_diff_shifts": 1, "cash_diff_abs_fen": 1000},     # 2 + 1 sold, 1 voided; closed ¥10 over
    "YL02": {"income_donated_fen": 900, "tender_cash_fen": 900, "sales": 1},
    "FR01": {"goods_donations": 1, "goods_units": 2, "goods_value_fen": 2000, "money_cash_fen": 5000,
             "donors_returning": 1, "donors_new": 0, "aid_households": 1, "aid_dists": 1, "aid_value_fen": 6000,
             "points_issued": 100},
    "FR02": {},
}
Q4 = {
    "YL01": {"income_purchased_fen": 1500, "tender_cash_fen": 1500, "sales": 3, "voids": 1,
             "cash_diff_shifts": 1, "cash_diff_abs_fen": 1000},
    "YL02": {"income_donated_fen": 900, "sales": 1},
    "FR01": {"goods_donations": 2, "goods_units": 3, "goods_value_fen": 2800, "money_cash_fen": 5000,
             "money_wechat_fen": 3000, "donors_new": 1, "donors_returning": 0, "aid_value_fen": 6000,
             "points_issued": 100},
    "FR02": {},
}
# How things stand on TODAY, whatever the period.
STANDING = {"FR01": {"pledges_open": 1, "pledges_open_fen": 100000, "pledges_overdue": 1,
                     "pledges_overdue_fen": 100000, "points_liability": 100, "expiring7": 5, "expiring7_fen": 2500,
                     "expiring30": 5,
                     # rice 48 × ¥30, milk 5 × ¥5, the donated clothes priced by intake at half their value
                     # (1 × ¥4 + 2 × ¥5)
                     "stock_fen": 48 * 3000 + 5 * 500 + 400 + 2 * 500}}


def build(session, world, *, refresh_through: date | None = TODAY) -> dict:
    """The records; then the daily facts through `refresh_through` (None: no facts at all)."""
    world.stores["FR02"] = make_store(session, world.districts["FR"], "FR02")
    yl01 = stocked_item(session, world, qty=10, price_fen=500)
    yl02 = stocked_item(session, world, store="YL02", qty=10, price_fen=300, name="旧书", kind="donated_used")
    policy(session, value_cap_fen=100000)
    rice = aid_item(session, [world.stores["FR01"]], price_fen=3000, qty=50, category=make_category(session, "AID", "救助物资"))
    milk = make_item(session, "牛奶", category=food_category(session), price_fen=500)
    stock(session, world.stores["FR01"], milk, 5, expiry_date=TODAY + timedelta(days=5))
    donor = make_donor(session, world, "FR01", name="刘捐赠")
    clothes = make_category(session, "CLO", "衣物")
    cashier = world.actor(session, "cashier-yl01")

    # October: one sale at YL01 (shift closed exact), a donation at FR01 (goods ¥8, ¥30 by WeChat), a pledge.
    open_shift(session, world, now=T_OCT)
    sell(session, world, (yl01, 1), now=T_OCT + timedelta(minutes=1))
    shifts.close_shift(session, cashier, ShiftClose({"cash": 20000 + 500}, manager_ok()),
                       now=T_OCT + timedelta(hours=4))
    take_in(session, world, [line(new=new_item(clothes, "毛衣"), qty=1, value=800)], money=[money(3000, "wechat", "42001")],
            code="FR01", donor=donor, now=T_OCT)
    make_pledge(session, world, donor, code="FR01", amount_fen=100000, due=date(2026, 11, 25), now=T_OCT)

    # November: YL01 sells 2 + 1, voids the second sale, closes ¥10 over; YL02 sells 3 used books; FR01 takes a
    # donation from the same donor (goods 2 × ¥10, ¥50 cash), hands out 2 bags of rice, credits 100 points.
    open_shift(session, world, now=T_NOV)
    sell(session, world, (yl01, 2), now=T_NOV + timedelta(minutes=1))
    second = sell(session, world, (yl01, 1), now=T_NOV + timedelta(minutes=2))
    reversals.void_sale(session, cashier, second.sale.id if hasattr(second, "sale") else second.id,
                        approval=manager_ok(), reason="顾客取消", now=T_NOV + timedelta(minutes=3))
    shifts.close_shift(session, cashier, ShiftClose({"cash": 20000 + 1000 + 1000}, manager_ok()),
                       now=T_NOV + timedelta(hours=4))
    open_shift(session, world, "cashier-yl02", now=T_NOV)
    sell(session, world, (yl02, 3), username="cashier-yl02", now=T_NOV + timedelta(minutes=5))
    take_in(session, world, [line(new=new_item(clothes), qty=2, value=1000)], money=[money(5000)], code="FR01",
            donor=donor, checker="manager-fr01", now=T_NOV)
    household = make_household(session, world.stores["FR01"], proof_ref="低保证 2026-009", verified_by="社区",
                               verified_on=date(2026, 11, 1), now=T_NOV)
    hand_out(session, world, "FR01", household, [(rice, 2)], now=T_NOV + timedelta(hours=1))
    resident = make_resident(session, store=world.stores["FR01"])
    give_points(session, resident, 100, now=T_NOV + timedelta(hours=2))
    if refresh_through is not None:
        facts.refresh(session, through=refresh_through, since=date(2025, 10, 1), now=NOW)
    return {"donor": donor}
