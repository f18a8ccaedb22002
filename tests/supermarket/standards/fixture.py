"""A fixture store (YL01) with hand-made records written through the real services, and the result every auto
rule must give for it on AS_OF (hand-computed; see EXPECTED)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from supermarket.aid.handout import Approval as AidApproval
from supermarket.sales import reversals, shifts
from supermarket.sales.inputs import ShiftClose
from tests.supermarket.aid.factories import aid_item, hand_out, make_household, policy
from tests.supermarket.catalog.factories import food_category, make_category
from tests.supermarket.intake.factories import cash, line, new_item, take_in
from tests.supermarket.inventory.factories import approve, count, start_count
from tests.supermarket.sales.factories import manager_ok, open_shift, sell, stocked_item

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)  # 10:00 in Changsha
AS_OF = date(2026, 11, 27)

# rule: (grade, points, value) for YL01 on AS_OF under the default standard (window 2026-08-30 … 2026-11-27).
EXPECTED = {
    "C-03": ("D", 0.0, 0.31),     # one 4-hour shift: 4 h / (90/7 weeks) = 0.31 h/week (< 2)
    "C-04": ("D", 0.0, 0.0),      # 1 opening session with 1 person (the cashier), and no training on record
    "D-01": ("A", 4.0, 1.0),      # 2 of 2 lines complete
    "D-02": ("A", 3.0, 1.0),      # 1 of 1 donations counted by two people
    "D-03": ("D", 0.0, 0.0),      # the ¥50 cash donation of 11-17 has no printed receipt after 7 days
    "D-04": ("C", 1.32, 1.0),     # 1 of 3 30-day segments has a posted stocktake (variance 0): C = 4 × 0.33
    "D-05": ("A", 2.0, 1.0),      # no write-offs
    "D-06": ("A", 2.0, 0.0),      # nothing on hand older than 180 days
    "A-01": ("A", 4.0, 1.0),      # 1 of 1 households valid
    "A-02": ("A", 4.0, 1.0),      # 2 of 2 hand-outs signed and witnessed
    "A-03": ("D", 0.0, 0.0),      # the household's only month went over the cap by override: 0 of 1
    "A-04": ("A", 2.0, 0.0),      # the override flag is younger than 30 days
    "A-05": ("A", 3.0, 1.0),      # hand-outs exist, the public list is automatic
    "F-01": ("A", 4.0, 1.0),      # 2 of 2 sale lines fund-tagged
    "F-02": ("D", 0.0, 0.0),      # the shift closed ¥100 over: 0 of 1 reconciled
    "F-03": ("D", 0.0, 1.0),      # the void was approved (1 of 1) but 1 void / 2 sales = 50 % > 5 %
    "F-04": ("D", 0.0, None),     # no disclosure records yet
    "F-05": ("D", 0.0, None),
    "F-06": ("A", 2.0, 0.0),      # no overdue pledges
    "V-01": ("D", 0.0, None),     # no volunteer records
    "V-02": ("D", 0.0, None),
    "V-03": ("D", 0.0, None),
    "V-04": ("D", 0.0, 0.0),      # the expiry job never ran
    "V-05": ("A", 3.0, 0.0),      # no cap breaches
    "S-01": ("A", 4.0, 0.0),      # no expired goods out
    "S-02": ("A", 2.0, 1.0),      # 1 of 1 food lines with an expiry date
    "S-03": ("A", 2.0, 0.0),      # nothing prohibited taken in
    # no publicity event, project, session or convenience service: "无记录"
    "O-01": ("D", 0.0, None), "O-02": ("D", 0.0, None), "O-03": ("D", 0.0, None), "O-04": ("D", 0.0, None),
    "O-05": ("A", 3.0, 1.0),      # no complaint due = nothing wrong (empty_ok)
    "P-02": ("A", 2.0, 1.0),      # the store's audit chain has no missing link
}
# C 0 + D 12.32 + A 13 + F 6 + V 3 + S 8 + O 3 + P 2 = 47.32 (before the outreach records were wired: C-04 A
# 2, O-05 D 0 → 46.32; now C-04 needs two people and a training, O-05 with no complaint due is A)
EXPECTED_TOTAL = 47.32


def build(session, world) -> dict:
    """Write YL01's records in time order (the audit chain's days then run without holes)."""
    store = world.stores["YL01"]
    goods = stocked_item(session, world, qty=10, price_fen=500)
    policy(session, value_cap_fen=10000)
    rice = aid_item(session, [store], price_fen=3000, qty=50, category=make_category(session, "AID", "救助物资"))

    # 11-17: an anonymous donation: a used coat, biscuits with an expiry date, ¥50 cash (receipt never printed).
    take_in(session, world, [line(new=new_item(make_category(session, "CLO", "衣物"))),
                             line(new=new_item(food_category(session), "饼干", kind="donated_new", grade=None),
                                  expiry=date(2027, 6, 1))],
            money=[cash(5000)], now=NOW - timedelta(days=10))

    # 11-27: a shift with two sales and one approved void, closed ¥100 over with the manager's countersign.
    actor = world.actor(session, "cashier-yl01")
    open_shift(session, world, now=NOW)
    sell(session, world, (goods, 1), now=NOW + timedelta(minutes=1))
    second = sell(session, world, (goods, 1), now=NOW + timedelta(minutes=2))
    reversals.void_sale(session, actor, second.sale.id if hasattr(second, "sale") else second.id,
                        approval=manager_ok(), reason="顾客取消", now=NOW + timedelta(minutes=3))
    shifts.close_shift(session, actor, ShiftClose({"cash": 20000 + 500 + 10000}, manager_ok(), note="点钞差异"),
                       now=NOW + timedelta(hours=4))

    # 11-27: a household, a signed hand-out, then one over the monthly cap by the manager's override.
    household = make_household(session, store, proof_ref="低保证 2026-001", verified_by="社区王主任",
                               verified_on=date(2026, 11, 1), now=NOW + timedelta(hours=4, minutes=30))
    hand_out(session, world, "YL01", household, [(rice, 2)], now=NOW + timedelta(hours=5))
    hand_out(session, world, "YL01", household, [(rice, 2)], now=NOW + timedelta(hours=5, minutes=5),
             override=AidApproval("manager-yl01", "2468"), reason="家中急需")

    # 11-27: a stocktake of the sold goods, counted right (variance 0), approved by the manager.
    take = start_count(session, world, now=NOW + timedelta(hours=6))
    count(session, world, take, goods, 9, now=NOW + timedelta(hours=6, minutes=1))
    approve(session, world, take, now=NOW + timedelta(hours=6, minutes=2))
    return {"goods": goods, "rice": rice, "household": household}
