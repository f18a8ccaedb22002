"""Demo projects and livestreams, relative to the day `flask demo` runs:

- YL01 「山区小学过冬衣物」: raised from its money donations (designated), spent on two approved expenditures (one
  with a PDF voucher), monthly updates for the earlier months and none for this month (visibly missing); two
  livestream sessions for it — one reconciled, closed and published, one whose platform total and money received
  differ from the recorded orders with no explanation yet (waiting for the manager);
- YL02 「社区助老午餐」: raised by a store setting sending 10% of its 衣物 sales to it;
- FR01 has neither, so its project-display and livestream functions are inactive (its stars differ for that).
"""
from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from ..auth.permissions import Actor, Role
from ..auth.service import Approval
from ..catalog.models import Category, Item
from ..clock import SHANGHAI, local_today, month_start
from ..demo import DEMO_PASSWORD
from ..intake.models import MoneyLine
from ..models import utcnow
from . import service
from .files import Upload
from .importer import DEFAULT_COLUMNS
from .livestream import SessionInput
from .projects import ProjectInput

VOUCHER_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _actor(user) -> Actor:
    return Actor(user.id, user.username, Role(user.role), store_ids=frozenset({user.store_id}))


def _csv(platform, rows) -> bytes:
    lines = [",".join(DEFAULT_COLUMNS[platform])]
    for no, yuan, at, status in rows:
        lines.append(f"{no},{yuan},{at.astimezone(SHANGHAI).strftime('%Y-%m-%d %H:%M:%S')},{status}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def load(session, ctx) -> None:
    now = utcnow()
    today = local_today(now)
    start = month_start(today - timedelta(days=70))
    manager, cashier = _actor(ctx.users["manager-yl01"]), _actor(ctx.users["cashier-yl01"])
    ok = Approval("manager-yl01", DEMO_PASSWORD)
    long_ago = now - timedelta(days=75)

    project = service.create_project(session, manager, ProjectInput(
        title="山区小学过冬衣物", purpose="为山区小学的学生添置冬衣、棉鞋和手套，寒假前送到学校。",
        beneficiaries="湘西某山区小学约120名学生", target_fen=2_000_000, starts_on=start,
        ends_on=date(today.year + 1, 3, 31)), now=long_ago)
    service.set_status(session, manager, project.id, "open", now=long_ago)
    for line in session.scalars(select(MoneyLine).where(MoneyLine.store_id == ctx.stores["YL01"].id)
                                .order_by(MoneyLine.id).limit(3)).all():
        service.designate(session, cashier, project.id, line.id, now=long_ago + timedelta(days=1))
    # The updates of the earlier months; this month's is not posted yet (the page shows it missing).
    month = start
    while month < month_start(today):
        at = max(long_ago, now - timedelta(days=(today - month).days - 20))
        service.post_update(session, cashier, project.id, text=f"{month:%Y年%m月}：已联系学校，统计学生衣物尺码。",
                            now=at)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)

    # Two livestreams for it.
    first_start = now - timedelta(days=20)
    first = service.register_session(session, cashier, SessionInput(
        project_id=project.id, title="冬衣义卖直播（第一场）", platform="douyin", host="店长小李",
        starts_at=first_start, ends_at=first_start + timedelta(hours=2)), now=first_start - timedelta(days=2))
    service.import_orders(session, cashier, first.id, _csv("douyin", [
        (f"DY{first_start:%m%d}{n:03d}", f"{20 + n * 5}.00", first_start + timedelta(minutes=5 * n), "已完成")
        for n in range(1, 13)]), filename="抖音订单.csv", now=first_start + timedelta(hours=3))
    recorded = sum((20 + n * 5) * 100 for n in range(1, 13))
    service.record_totals(session, cashier, first.id, platform_total_fen=recorded, received_fen=recorded,
                          now=first_start + timedelta(days=2))
    service.close_session(session, manager, first.id, explanation="", now=first_start + timedelta(days=2))
    service.record_publication(session, manager, first.id, where="门店公告栏及“岳麓慈善”公众号",
                               now=first_start + timedelta(days=6))

    second_start = now - timedelta(days=5)
    second = service.register_session(session, cashier, SessionInput(
        project_id=project.id, title="冬衣义卖直播（第二场）", platform="kuaishou", host="志愿者小王",
        starts_at=second_start, ends_at=second_start + timedelta(hours=2)), now=second_start - timedelta(days=1))
    rows = [(f"KS{second_start:%m%d}{n:03d}", f"{30 + n * 2}.50", second_start + timedelta(minutes=7 * n),
             "已退款" if n == 4 else "已完成") for n in range(1, 10)]
    service.import_orders(session, cashier, second.id, _csv("kuaishou", rows), filename="快手订单.csv",
                          now=second_start + timedelta(hours=3))
    orders = sum(int((30 + n * 2) * 100 + 50) for n in range(1, 10) if n != 4)
    service.record_totals(session, cashier, second.id, platform_total_fen=orders + 8000, received_fen=orders - 1200,
                          now=second_start + timedelta(days=1))

    service.record_expenditure(session, cashier, project.id, service.ExpenditureInput(
        amount_fen=60000, payee="长沙某服装厂", purpose="采购儿童棉衣 20 件", spent_on=today - timedelta(days=10),
        approval=ok, voucher=Upload("发票.pdf", VOUCHER_PDF)), now=now - timedelta(days=10))
    service.record_expenditure(session, cashier, project.id, service.ExpenditureInput(
        amount_fen=8000, payee="顺丰速运", purpose="冬衣寄往学校的运费", spent_on=today - timedelta(days=3),
        approval=ok), now=now - timedelta(days=3))

    # YL02: a share of the store's clothes sales goes to its project.
    manager2 = _actor(ctx.users["manager-yl02"])
    lunch = service.create_project(session, manager2, ProjectInput(
        title="社区助老午餐", purpose="为社区独居老人每周提供两次午餐。", beneficiaries="观沙岭社区独居老人约30人",
        target_fen=500_000, starts_on=month_start(today), ends_on=date(today.year + 1, 6, 30)), now=long_ago)
    service.set_status(session, manager2, lunch.id, "open", now=long_ago)
    clothes = session.scalar(select(Category).where(Category.code == "CLOTHES"))
    if clothes is not None:
        service.set_category_share(session, manager2, lunch.id, clothes.id, 1000, now=long_ago)
    service.post_update(session, _actor(ctx.users["cashier-yl02"]), lunch.id,
                        text="本月已送餐 8 次，服务老人 26 人次。", now=now - timedelta(hours=2))
    gift_sale = _change_for_charity(session, cashier, ok, project.id, now)
    ctx.extra["projects"] = {"winter_clothes": project.id, "elderly_lunch": lunch.id,
                             "reconciled_session": first.id, "unexplained_session": second.id,
                             "change_donated_sale": gift_sale}


def _change_for_charity(session, cashier: Actor, ok: Approval, project_id, now):
    """A customer at YL01 gives their change to the winter-clothes project (消费捐赠): a short shift after the
    sales demo's last one, here because the project must exist first. Its receipt prints the gift, the X/Z
    report shows it apart from the sales, and the project's page counts it."""
    from ..sales import checkout, shifts
    from ..sales.inputs import Cart, CartLine, DonationOffer, ShiftClose, Tendered

    at = now - timedelta(minutes=8)
    # The sales demo's own till goods (694…, stocked in every store), one whose price is not a whole yuan.
    item = session.scalar(select(Item).where(Item.barcode.like("694%"), Item.default_price_fen % 100 != 0)
                          .order_by(Item.barcode).limit(1))
    shift = shifts.open_shift(session, cashier, float_fen=10000, now=at)
    given = (item.default_price_fen // 100 + 1) * 100
    sale = checkout.checkout(session, cashier, Cart(
        uuid.uuid4(), (CartLine(1, item_id=item.id),), (Tendered("cash", given),),
        donation=DonationOffer(project_id, given - item.default_price_fen, "change")), now=at + timedelta(minutes=1)).sale
    shifts.close_shift(session, cashier, ShiftClose(shifts.expected_takings(session, shift), ok),
                       now=at + timedelta(minutes=5))
    return sale.id
