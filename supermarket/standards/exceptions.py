"""The rows that made one store fall short of one rule, each with the page of its document (endpoint +
url_kwargs; the view calls url_for)."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from ..aid.models import AidFile, Distribution, Household
from ..clock import local_date, local_midnight_utc
from ..intake.models import Donation, DonationLine
from ..inventory.models import Lot, StockMovement, WriteOff
from ..catalog.models import Category, Item
from ..points.models import PointsCredit, Resident
from ..sales.models import Sale, SaleLine, Shift, ShiftCount
from . import exceptions_records as records
from . import metrics as m
from .results import ExceptionRow


def _money(fen: int) -> str:
    return f"¥{fen / 100:.2f}"


def _shifts(ctx, store_id, limit):
    diff = (select(ShiftCount.shift_id, func.sum(ShiftCount.counted_fen - ShiftCount.expected_fen).label("diff"),
                   func.sum(ShiftCount.expected_fen).label("expected"))
            .where(ShiftCount.method == "cash").group_by(ShiftCount.shift_id).subquery())
    rows = ctx.session.execute(
        select(Shift, diff.c.diff, diff.c.expected).outerjoin(diff, diff.c.shift_id == Shift.id)
        .where(Shift.store_id == store_id, Shift.status == "closed", Shift.closed_at >= ctx.t0,
               Shift.closed_at < ctx.t1,
               or_(Shift.approver_id.is_(None), Shift.approver_id == Shift.cashier_id,
                   func.abs(func.coalesce(diff.c.diff, 0)) * 200 > func.coalesce(diff.c.expected, 0)))
        .order_by(Shift.closed_at.desc()).limit(limit))
    out = []
    for shift, d, expected in rows:
        problems = []
        if shift.approver_id is None or shift.approver_id == shift.cashier_id:
            problems.append(_("未由他人复核"))
        if abs(d or 0) * 200 > (expected or 0):
            problems.append(_("现金差异 %(diff)s（应收 %(expected)s）", diff=_money(d or 0),
                              expected=_money(expected or 0)))
        out.append(ExceptionRow(shift.closed_at, _("班次 %(no)s", no=shift.number), "；".join(problems),
                                "sales.shift_detail", {"shift_id": shift.id}))
    return out


def _unsigned(ctx, store_id, limit):
    sheet = select(AidFile.id).where(AidFile.campaign_id == Distribution.campaign_id,
                                     AidFile.kind == "sheet_photo").exists()
    signed = and_(or_(Distribution.signature_id.is_not(None), sheet), Distribution.witness_id.is_not(None),
                  or_(Distribution.operator_id.is_(None), Distribution.witness_id != Distribution.operator_id))
    rows = ctx.session.scalars(
        select(Distribution).where(Distribution.store_id == store_id, Distribution.handed_out_on >= ctx.first_day,
                                   Distribution.handed_out_on <= ctx.as_of, ~signed)
        .order_by(Distribution.handed_out_at.desc()).limit(limit))
    out = []
    for d in rows:
        missing = []
        if d.signature_id is None:
            missing.append(_("签名"))
        if d.witness_id is None:
            missing.append(_("见证人"))
        elif d.witness_id == d.operator_id:
            missing.append(_("独立见证人"))
        out.append(ExceptionRow(d.handed_out_at, _("发放 %(no)s", no=d.serial),
                                _("缺少：%(what)s", what="、".join(missing)), "aid.distribution",
                                {"distribution_id": d.id}))
    return out


def _overrides(ctx, store_id, limit):
    rows = ctx.session.scalars(
        select(Distribution).where(Distribution.store_id == store_id, Distribution.override.is_(True),
                                   Distribution.handed_out_on >= ctx.first_day, Distribution.handed_out_on <= ctx.as_of)
        .order_by(Distribution.handed_out_at.desc()).limit(limit))
    return [ExceptionRow(d.handed_out_at, _("发放 %(no)s", no=d.serial),
                         _("%(by)s 特批超额：%(reason)s", by=d.override_by, reason=d.override_reason),
                         "aid.distribution", {"distribution_id": d.id}) for d in rows]


def _open_flags(ctx, store_id, limit):
    return [ExceptionRow(r.raised_at, _("预警 %(subject)s", subject=r.subject), _("发放预警超过 30 天未处理"),
                         "flags.flag", {"flag_id": r.id}) for r in m.open_flag_rows(ctx, [store_id])[:limit]]


def _households(ctx, store_id, limit):
    rows = ctx.session.scalars(
        select(Household).where(Household.store_id == store_id, Household.status == "active",
                                ~m._household_ok(ctx.as_of)).order_by(Household.review_due).limit(limit))
    out = []
    for h in rows:
        problems = []
        if h.review_due < ctx.as_of:
            problems.append(_("复核期限 %(day)s 已过", day=h.review_due.isoformat()))
        if not h.proof_ref:
            problems.append(_("缺少证明材料"))
        if not h.verified_by:
            problems.append(_("缺少核实人"))
        out.append(ExceptionRow(None, _("受助户 %(code)s", code=h.code), "；".join(problems), "aid.household",
                                {"household_id": h.id}))
    return out


def _stocktakes(ctx, store_id, limit):
    rows = m.posted_stocktakes(ctx, [store_id])
    days = [local_date(r.closed_at) for r in rows]
    out = [ExceptionRow(None, _("缺少盘点"), _("%(a)s 至 %(b)s 没有已过账的盘点", a=a.isoformat(), b=b.isoformat()),
                        None, {}) for a, b in m.stocktake_segments(ctx.as_of, ctx.window_days)
           if not any(a <= d <= b for d in days)]
    out += [ExceptionRow(r.closed_at, _("盘点 %(no)s", no=r.number),
                         _("差异率 %(pct)s%%", pct=f"{abs(r.variance_ratio_bp or 0) / 100:.2f}"),
                         "inventory.stocktake", {"stocktake_id": r.id})
            for r in rows if abs(r.variance_ratio_bp or 0) > 100]
    return out[:limit]


def _write_offs(ctx, store_id, limit):
    rows = ctx.session.scalars(
        select(WriteOff).where(WriteOff.store_id == store_id, WriteOff.occurred_at >= ctx.t0,
                               WriteOff.occurred_at < ctx.t1, ~m._write_off_ok())
        .order_by(WriteOff.occurred_at.desc()).limit(limit))
    return [ExceptionRow(w.occurred_at, _("报损 %(no)s", no=w.number),
                         _("未写明原因") if not w.reason else _("未由非经办人审批"), "inventory.write_off_detail",
                         {"write_off_id": w.id}) for w in rows]


def _reversals(ctx, store_id, limit):
    unapproved = or_(Sale.approver_id.is_(None), Sale.approver_id == Sale.cashier_id)
    overridden = select(SaleLine.id).where(SaleLine.sale_id == Sale.id,
                                           SaleLine.unit_price_fen != SaleLine.list_price_fen,
                                           SaleLine.pay_with_points.is_(False)).exists()
    rows = ctx.session.scalars(
        select(Sale).where(Sale.store_id == store_id, Sale.business_date >= ctx.first_day,
                           Sale.business_date <= ctx.as_of, unapproved,
                           or_(Sale.kind != "sale", and_(Sale.kind == "sale", overridden)))
        .order_by(Sale.sold_at.desc()).limit(limit))
    kinds = {"void": _("作废"), "return": _("退货"), "sale": _("改价")}
    return [ExceptionRow(s.sold_at, _("小票 %(no)s", no=s.number),
                         _("%(kind)s未经他人审批", kind=kinds[s.kind]), "sales.sale_detail", {"sale_id": s.id})
            for s in rows]


def _expired(ctx, store_id, limit):
    rows = ctx.session.execute(
        select(StockMovement, Lot.expiry_date).join(Lot, Lot.id == StockMovement.lot_id)
        .where(StockMovement.store_id == store_id, StockMovement.occurred_at >= ctx.t0,
               StockMovement.occurred_at < ctx.t1, StockMovement.qty < 0,
               StockMovement.kind.in_(("sale", "aid_distribution", "points_redemption")),
               Lot.expiry_date.is_not(None)).order_by(StockMovement.occurred_at.desc()))
    out = []
    for mv, expiry in rows:
        if expiry < local_date(mv.occurred_at):
            out.append(ExceptionRow(mv.occurred_at, _("出库 %(doc)s", doc=mv.doc_id[:12]),
                                    _("保质期至 %(day)s", day=expiry.isoformat()), "inventory.item_history",
                                    {"store_id": mv.store_id, "item_id": mv.item_id}))
            if len(out) >= limit:
                break
    return out


def _intake(ctx, store_id, limit, which):
    q = (select(DonationLine, Donation).join(Donation, Donation.id == DonationLine.donation_id)
         .join(Item, Item.id == DonationLine.item_id).join(Category, Category.id == DonationLine.category_id)
         .where(Donation.store_id == store_id, Donation.received_at >= ctx.t0, Donation.received_at < ctx.t1))
    if which == "food":
        q = q.where(Category.is_food.is_(True), DonationLine.expiry_date.is_(None))
        detail = _("食品未登记保质期")
    elif which == "prohibited":
        q = q.where(Category.prohibited.is_(True))
        detail = _("接收了禁止类别物品")
    else:
        q = q.where(~and_(or_(Donation.donor_id.is_not(None), Donation.anonymous.is_(True)), DonationLine.unit != "",
                          DonationLine.valuation_basis != "",
                          or_(DonationLine.unit_value_fen > 0, DonationLine.value_unknown.is_(True)),
                          or_(DonationLine.condition_grade.is_not(None), Item.kind != "donated_used")))
        detail = _("登记要素不全")
    rows = ctx.session.execute(q.order_by(Donation.received_at.desc()).limit(limit))
    return [ExceptionRow(d.received_at, _("捐赠 %(no)s 第 %(line)d 行", no=d.serial, line=line.line_no), detail,
                         "intake.donation", {"donation_id": d.id}) for line, d in rows]


def _money_receipts(ctx, store_id, limit):
    grace = local_midnight_utc(ctx.as_of - timedelta(days=6))
    rows = ctx.session.scalars(
        select(Donation).where(Donation.store_id == store_id, Donation.money_fen > 0, Donation.print_count == 0,
                               Donation.received_at >= ctx.t0, Donation.received_at < grace)
        .order_by(Donation.received_at.desc()).limit(limit))
    return [ExceptionRow(d.received_at, _("捐赠 %(no)s", no=d.serial), _("7日内未出具收据"), "intake.donation",
                         {"donation_id": d.id}) for d in rows]


def _pledges(ctx, store_id, limit):
    rows = ctx.session.execute(m.overdue_pledges(ctx, [store_id]).limit(limit))
    return [ExceptionRow(None, _("承诺 %(due)s 到期", due=r.due_date.isoformat()),
                         _("尚欠 %(left)s，30日内无跟进", left=_money(r.amount_fen - r.fulfilled_fen)),
                         "intake.pledge", {"pledge_id": r.id}) for r in rows]


def _credits(ctx, store_id, limit):
    rows = ctx.session.execute(
        select(PointsCredit, Resident.user_id).join(Resident, Resident.id == PointsCredit.resident_id)
        .where(PointsCredit.store_id == store_id, PointsCredit.source == "shift", PointsCredit.status != "rejected",
               PointsCredit.occurred_at >= ctx.t0, PointsCredit.occurred_at < ctx.t1)
        .order_by(PointsCredit.occurred_at.desc()))
    out = []
    for c, user_id in rows:
        ok = (c.started_at and c.ended_at and c.approved_by_id and c.approved_by_id != c.entered_by_id
              and c.approved_by_id != user_id)
        if not ok:
            out.append(ExceptionRow(c.occurred_at, _("志愿记录 %(points)d 分", points=c.points),
                                    _("缺少起止时间或独立审核"), "points.credits.queue", {}))
        if len(out) >= limit:
            break
    return out


FINDERS = {
    "till_reconciliation": _shifts,
    "signed_distributions": _unsigned,
    "quota_respected": _overrides,
    "open_flags": _open_flags,
    "household_register": _households,
    "stocktakes": _stocktakes,
    "write_offs": _write_offs,
    "reversal_approvals": _reversals,
    "expired_outbound": _expired,
    "intake_complete": lambda c, s, n: _intake(c, s, n, "complete"),
    "food_expiry_recorded": lambda c, s, n: _intake(c, s, n, "food"),
    "prohibited_intake": lambda c, s, n: _intake(c, s, n, "prohibited"),
    "money_receipts": _money_receipts,
    "pledge_follow_up": _pledges,
    "volunteer_approvals": _credits,
    **records.FINDERS,
}


def find(ctx, metric: str | None, store_id, limit: int) -> list[ExceptionRow]:
    finder = FINDERS.get(metric or "")
    return finder(ctx, store_id, limit) if finder else []
