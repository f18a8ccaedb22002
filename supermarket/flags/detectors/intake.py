"""Intake detectors: a donated line valued far above its category (骗捐), pledges left overdue without a call
(诺而不捐), money taken in without a receipt."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session

from ...clock import local_date
from ...intake.models import Donation, DonationLine, Pledge, PledgeFollowUp
from ..sql import in_scope
from ..candidates import Candidate, group


def _medians(key, valued, name):
    """Per `key` of the valued lines: the median unit value (the middle row, or the mean of the two middle
    rows) and how many lines there are."""
    ranked = select(key.label("key"), valued.c.unit_value_fen,
                    func.row_number().over(partition_by=key, order_by=valued.c.unit_value_fen).label("rn"),
                    func.count().over(partition_by=key).label("cnt")).cte(f"{name}_ranked")
    return (select(ranked.c.key, func.avg(ranked.c.unit_value_fen).label("median"), func.max(ranked.c.cnt).label("cnt"))
            .where(or_(ranked.c.rn == (ranked.c.cnt + 1) // 2, ranked.c.rn == (ranked.c.cnt + 2) // 2))
            .group_by(ranked.c.key).cte(name))


def value_outlier(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A valued line whose unit value is > factor × the city median of its category over median_days (a
    category with at least min_sample lines). A category mixes cheap and dear goods (socks and coats), so where
    the item itself has min_sample valued lines in the city its own median is the yardstick instead: that keeps
    an ordinary store's coats off the board and still catches a coat valued at ten coats."""
    valued = (select(DonationLine.id, DonationLine.category_id, DonationLine.item_id, DonationLine.unit_value_fen)
              .join(Donation, Donation.id == DonationLine.donation_id)
              .where(DonationLine.value_unknown.is_(False), DonationLine.unit_value_fen > 0,
                     Donation.received_at >= now - timedelta(days=p["median_days"]),
                     Donation.received_at <= now).cte("valued"))
    by_category = _medians(valued.c.category_id, valued, "by_category")
    by_item = _medians(valued.c.item_id, valued, "by_item")
    yardstick = case((by_item.c.cnt >= p["min_sample"], by_item.c.median), else_=by_category.c.median)
    rows = session.execute(
        select(DonationLine.id, DonationLine.line_no, DonationLine.unit_value_fen, DonationLine.qty,
               Donation.id.label("donation_id"), Donation.serial, Donation.store_id, Donation.received_at,
               Donation.receiver_id, Donation.checker_id, Donation.donor_id, yardstick.label("median"))
        .join(Donation, Donation.id == DonationLine.donation_id)
        .join(by_category, by_category.c.key == DonationLine.category_id)
        .outerjoin(by_item, by_item.c.key == DonationLine.item_id)
        .where(DonationLine.value_unknown.is_(False), Donation.received_at >= since, Donation.received_at <= now,
               by_category.c.cnt >= p["min_sample"], DonationLine.unit_value_fen > p["factor"] * yardstick,
               in_scope(p, Donation.store_id))
        .order_by(Donation.serial, DonationLine.line_no)).all()
    out = []
    for donation_id, lines in group(rows, lambda r: r.donation_id).items():
        first = lines[0]
        day = local_date(first.received_at)
        c = Candidate("intake.value_outlier", first.store_id, f"donation:{donation_id}", day, day,
                      detail={"count": len(lines), "median_fen": int(first.median)})
        for person in (first.receiver_id, first.checker_id):
            c.add_person("user", person)
        c.add_person("donor", first.donor_id)
        for r in lines:
            c.add_evidence("donation_lines", r.id,
                           f"{r.serial} #{r.line_no} ¥{r.unit_value_fen / 100:.2f} × {r.qty}",
                           "intake.donation", donation_id=r.donation_id)
        out.append(c)
    return out


def pledge_overdue(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """An open pledge overdue_days past its due date with no follow-up in the last follow_up_days."""
    today = local_date(now)
    recent = exists().where(PledgeFollowUp.pledge_id == Pledge.id,
                            PledgeFollowUp.contacted_at >= now - timedelta(days=p["follow_up_days"]))
    rows = session.execute(
        select(Pledge.id, Pledge.store_id, Pledge.donor_id, Pledge.due_date, Pledge.amount_fen,
               Pledge.fulfilled_fen)
        .where(Pledge.status == "open", Pledge.fulfilled_fen < Pledge.amount_fen,
               Pledge.due_date <= today - timedelta(days=p["overdue_days"]), ~recent, in_scope(p, Pledge.store_id))
        .order_by(Pledge.due_date)).all()
    out = []
    for r in rows:
        c = Candidate("intake.pledge_overdue", r.store_id, f"pledge:{r.id}", r.due_date, today,
                      detail={"days_overdue": (today - r.due_date).days, "amount_fen": r.amount_fen})
        c.add_person("donor", r.donor_id)
        c.add_evidence("pledges", r.id, f"{r.due_date.isoformat()} ¥{r.amount_fen / 100:.2f}",
                       "intake.pledge", pledge_id=r.id)
        out.append(c)
    return out


def money_no_receipt(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A donation with money in it whose receipt was never printed after_days after it came in."""
    rows = session.execute(
        select(Donation.id, Donation.store_id, Donation.serial, Donation.money_fen, Donation.received_at,
               Donation.receiver_id, Donation.donor_id)
        # `since` is when the receipt fell due, so look back after_days further for when the money came in.
        .where(Donation.money_fen > 0, Donation.print_count == 0,
               Donation.received_at >= since - timedelta(days=p["after_days"]),
               Donation.received_at <= now - timedelta(days=p["after_days"]), in_scope(p, Donation.store_id))
        .order_by(Donation.serial)).all()
    out = []
    for r in rows:
        day = local_date(r.received_at)
        c = Candidate("intake.money_no_receipt", r.store_id, f"donation:{r.id}", day, day,
                      detail={"money_fen": r.money_fen})
        c.add_person("user", r.receiver_id)
        c.add_person("donor", r.donor_id)
        c.add_evidence("donations", r.id, f"{r.serial} ¥{r.money_fen / 100:.2f}", "intake.donation",
                       donation_id=r.id)
        out.append(c)
    return out
