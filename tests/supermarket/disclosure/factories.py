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
    "projects": {"raised_fen": 0, "spent_fen": 0, "projects": [], "sessions": []},
    # 10 + 5 before; + 2 coats + 3 toys; − 3 sold; − 1 rice; − 1 basin written off
    "stock_end": {"units": 15},
    "write_offs": {"units": 1, "value_fen": 500, "by_reason": {
        "damaged": {"units": 0, "value_fen": 0}, "expired": {"units": 1, "value_fen": 500},
        "recalled": {"units": 0, "value_fen": 0}, "other": {"units": 0, "value_fen": 0}}},
}


def october_projects(session, world, month_facts):
    """Projects and a livestream at YL01 around October, on top of `october` (hand-computed in
    expected_projects below):
    - store project P, opened in September, ¥20 designated to it in September;
    - in October: donation 1's ¥50 cash designated to P; donation 2's ¥30 WeChat to a district project D;
      10% of the clothes category's sales to P (the ¥8 coat → ¥0.80); a session for P with a till sale of one
      basin (¥5) in its mode and two platform orders (¥10 + ¥20), reconciled and closed; P spends ¥30;
    - in November (after the month): P spends ¥10, dated 31 October (it counts when recorded)."""
    from datetime import timedelta

    from supermarket.projects import service as projects
    from supermarket.projects.projects import ProjectInput
    from tests.supermarket.projects.factories import open_project, order_csv, register, spend

    manager = world.actor(session, "manager-yl01")
    cashier = world.actor(session, "cashier-yl01")
    p = open_project(session, world, now=BEFORE)
    d0 = take_in(session, world, [], money=[cash(2000)], now=BEFORE)
    projects.designate(session, cashier, p.id, d0.donation.money_lines[0].id, now=BEFORE)
    projects.set_category_share(session, manager, p.id, month_facts["coat"].category_id, 1000, now=BEFORE)
    auditor = world.actor(session, "auditor-yl")
    d = projects.create_project(session, auditor, ProjectInput(
        title="区县助学", purpose="资助困难学生", beneficiaries="区内困难学生", target_fen=500_000,
        starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30), level="district"), now=BEFORE)
    projects.set_status(session, auditor, d.id, "open", now=BEFORE)
    projects.designate(session, cashier, p.id, month_facts["d1"].donation.money_lines[0].id, now=IN_MONTH)
    projects.designate(session, cashier, d.id, month_facts["d2"].donation.money_lines[0].id, now=IN_MONTH)
    live = register(session, world, p, now=BEFORE, starts_at=IN_MONTH - timedelta(minutes=30), hours=3)
    projects.start_till_mode(session, cashier, live.id, now=IN_MONTH + timedelta(minutes=1))
    sell(session, world, (month_facts["basin"], 1), now=IN_MONTH + timedelta(minutes=5))
    projects.stop_till_mode(session, cashier, live.id, now=IN_MONTH + timedelta(minutes=10))
    projects.import_orders(session, cashier, live.id, order_csv([
        ("DY9001", "10.00", "2026-10-14 11:30:00", "已完成"), ("DY9002", "20.00", "2026-10-14 11:40:00", "已完成")]),
        now=IN_MONTH + timedelta(hours=1))
    projects.record_totals(session, cashier, live.id, platform_total_fen=3000, received_fen=3500,
                           now=IN_MONTH + timedelta(hours=3))
    projects.close_session(session, manager, live.id, explanation="", now=IN_MONTH + timedelta(hours=3))
    from supermarket.projects.files import Upload
    from tests.supermarket.projects.factories import PDF
    spend(session, world, p, 3000, now=IN_MONTH, voucher=Upload("invoice.pdf", PDF))
    spend(session, world, p, 1000, now=AFTER)
    return dict(p=p, d=d, live=live)


def expected_projects(facts) -> dict:
    p, d, live = facts["p"], facts["d"], facts["live"]
    return {"raised_fen": 5000 + 80 + 500 + 3000 + 3000, "spent_fen": 3000, "projects": [
        {"code": str(p.id), "name": "山区小学过冬衣物", "level": "store", "raised_fen": 5000 + 80 + 500 + 3000,
         "spent_fen": 3000, "raised_to_date_fen": 2000 + 8580, "spent_to_date_fen": 3000,
         "balance_fen": 10580 - 3000},
        {"code": str(d.id), "name": "区县助学", "level": "district", "raised_fen": 3000, "spent_fen": 0,
         "raised_to_date_fen": 3000}],
        "sessions": [{"code": str(live.id), "title": "周末爱心直播", "platform": "douyin", "project": "山区小学过冬衣物",
                      "held_on": "2026-10-14", "recorded_fen": 3500, "platform_total_fen": 3000,
                      "received_fen": 3500}]}
