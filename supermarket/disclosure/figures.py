"""The month's figures of many stores at once, read from the ledgers in set-based queries: one query per figure
group for all the stores asked for (closing 1,000 stores is a couple of dozen queries, not thousands).

Pure read: nothing here writes. `month_figures` returns {store_id: figures} where figures is a plain dict of
ints and short strings (category names are frozen into it, so a renamed category does not change a published
month). `canonical` gives the exact bytes that are hashed and stored.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date

from sqlalchemy import and_, case, distinct, func, select, union_all
from sqlalchemy.orm import Session

from ..aid.models import AidCategory, Campaign, Distribution
from ..catalog.models import Category
from ..clock import month_bounds_utc
from ..intake.models import Donation, DonationFundEntry, DonationLine
from ..inventory.models import StockMovement, WriteOff
from ..points.models import PointsEntry
from ..sales.donation_models import TillDonation
from ..sales.models import Sale, SaleLine
from . import figures_projects

FUNDS = ("donated", "purchased")
MONEY_METHODS = ("cash", "wechat", "alipay", "bank_transfer")
WRITE_OFF_REASONS = ("damaged", "expired", "recalled", "other")


def empty_figures() -> dict:
    """A month with nothing in it: every figure group present, every number zero."""
    return {
        "goods_in": {"donations": 0, "units": 0, "value_fen": 0, "unvalued_units": 0, "by_category": []},
        "money_in": {"donations": 0, "total_fen": 0, "fund": "donation_fund",
                     "by_method": {m: 0 for m in MONEY_METHODS}},
        "sales": {"receipts": 0, "total_fen": 0, "by_fund": {f: 0 for f in FUNDS}},
        "aid": {"handouts": 0, "households": 0, "value_fen": 0, "by_category": [], "campaigns": []},
        "points": {"issued": 0, "redeemed": 0},
        "projects": figures_projects.empty(),
        "stock_end": {"units": 0},
        "write_offs": {"units": 0, "value_fen": 0,
                       "by_reason": {r: {"units": 0, "value_fen": 0} for r in WRITE_OFF_REASONS}},
    }


def canonical(figures: dict) -> str:
    return json.dumps(figures, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(figures: dict) -> str:
    return hashlib.sha256(canonical(figures).encode()).hexdigest()


_TILL_GIFTS = TillDonation.__table__


def _in(column, store_ids):
    return column.in_(list(store_ids))


def month_figures(session: Session, store_ids, month: date) -> dict[uuid.UUID, dict]:
    """The figures of `month` (its first day) for every store in `store_ids`."""
    ids = list(store_ids)
    start, end = month_bounds_utc(month)
    out = {sid: empty_figures() for sid in ids}
    if not ids:
        return out
    ex = session.execute

    # Goods donated in, by category (value excludes goods that could not be valued; those are counted apart).
    for sid, code, name, units, value, unvalued, _n in ex(
            select(Donation.store_id, Category.code, Category.name, func.sum(DonationLine.qty),
                   func.sum(DonationLine.line_value_fen),
                   func.sum(case((DonationLine.value_unknown, DonationLine.qty), else_=0)),
                   func.count(distinct(Donation.id)))
            .join(DonationLine, DonationLine.donation_id == Donation.id)
            .join(Category, Category.id == DonationLine.category_id)
            .where(_in(Donation.store_id, ids), Donation.received_at >= start, Donation.received_at < end)
            .group_by(Donation.store_id, Category.code, Category.name)):
        g = out[sid]["goods_in"]
        g["by_category"].append({"code": code, "name": name, "units": int(units), "value_fen": int(value),
                                 "unvalued_units": int(unvalued)})
        g["units"] += int(units)
        g["value_fen"] += int(value)
        g["unvalued_units"] += int(unvalued)

    # Donations counted once each (a donation with goods of two categories is one donation).
    for sid, goods_n, money_n in ex(
            select(Donation.store_id, func.sum(case((Donation.unit_count > 0, 1), else_=0)),
                   func.sum(case((Donation.money_fen > 0, 1), else_=0)))
            .where(_in(Donation.store_id, ids), Donation.received_at >= start, Donation.received_at < end)
            .group_by(Donation.store_id)):
        out[sid]["goods_in"]["donations"] = int(goods_n or 0)
        out[sid]["money_in"]["donations"] = int(money_n or 0)

    # Money into the donation fund, by method (its ledger, reversals included), with the change given to
    # charity at the till (cash; sales.donations), in one statement.
    gifts = _TILL_GIFTS
    fund_in = union_all(
        select(DonationFundEntry.store_id, DonationFundEntry.method, DonationFundEntry.amount_fen)
        .where(_in(DonationFundEntry.store_id, ids), DonationFundEntry.occurred_at >= start,
               DonationFundEntry.occurred_at < end),
        select(gifts.c.store_id, gifts.c.method, gifts.c.amount_fen)
        .where(_in(gifts.c.store_id, ids), gifts.c.donated_at >= start, gifts.c.donated_at < end)).subquery("fund_in")
    for sid, method, amount in ex(
            select(fund_in.c.store_id, fund_in.c.method, func.sum(fund_in.c.amount_fen))
            .group_by(fund_in.c.store_id, fund_in.c.method)):
        m = out[sid]["money_in"]
        m["by_method"][method] = m["by_method"].get(method, 0) + int(amount)
        m["total_fen"] += int(amount)

    # Sales income by fund, net of voids and returns (their lines are negative).
    for sid, fund, amount in ex(
            select(Sale.store_id, SaleLine.fund, func.sum(SaleLine.line_total_fen))
            .join(SaleLine, SaleLine.sale_id == Sale.id)
            .where(_in(Sale.store_id, ids), Sale.sold_at >= start, Sale.sold_at < end)
            .group_by(Sale.store_id, SaleLine.fund)):
        s = out[sid]["sales"]
        s["by_fund"][fund] = s["by_fund"].get(fund, 0) + int(amount)
        s["total_fen"] += int(amount)
    for sid, n in ex(select(Sale.store_id, func.count())
                     .where(_in(Sale.store_id, ids), Sale.sold_at >= start, Sale.sold_at < end, Sale.kind == "sale")
                     .group_by(Sale.store_id)):
        out[sid]["sales"]["receipts"] = int(n)

    # Aid handed out: by household category, and the households served (each counted once in the month).
    in_month = and_(_in(Distribution.store_id, ids), Distribution.handed_out_at >= start,
                    Distribution.handed_out_at < end)
    for sid, code, name, n, households, value in ex(
            select(Distribution.store_id, Distribution.category_code, AidCategory.name, func.count(),
                   func.count(distinct(Distribution.household_id)), func.sum(Distribution.value_fen))
            .outerjoin(AidCategory, AidCategory.code == Distribution.category_code)
            .where(in_month).group_by(Distribution.store_id, Distribution.category_code, AidCategory.name)):
        a = out[sid]["aid"]
        a["by_category"].append({"code": code, "name": name or code, "handouts": int(n),
                                 "households": int(households), "value_fen": int(value)})
        a["handouts"] += int(n)
        a["value_fen"] += int(value)
    for sid, households in ex(select(Distribution.store_id, func.count(distinct(Distribution.household_id)))
                              .where(in_month).group_by(Distribution.store_id)):
        out[sid]["aid"]["households"] = int(households)
    for sid, serial, name, n, value in ex(
            select(Distribution.store_id, Campaign.serial, Campaign.name, func.count(), func.sum(Distribution.value_fen))
            .join(Campaign, Campaign.id == Distribution.campaign_id)
            .where(in_month).group_by(Distribution.store_id, Campaign.serial, Campaign.name)):
        out[sid]["aid"]["campaigns"].append({"serial": serial, "name": name, "handouts": int(n),
                                             "value_fen": int(value)})

    # Volunteer points issued (earned) and redeemed at the store.
    for sid, issued, redeemed in ex(
            select(PointsEntry.store_id,
                   func.sum(case((PointsEntry.kind == "earn", PointsEntry.points), else_=0)),
                   func.sum(case((PointsEntry.kind == "redeem", -PointsEntry.points), else_=0)))
            .where(_in(PointsEntry.store_id, ids), PointsEntry.created_at >= start, PointsEntry.created_at < end)
            .group_by(PointsEntry.store_id)):
        out[sid]["points"] = {"issued": int(issued or 0), "redeemed": int(redeemed or 0)}

    # Stock on hand at the month's end: the ledger summed up to it.
    for sid, units in ex(select(StockMovement.store_id, func.sum(StockMovement.qty))
                         .where(_in(StockMovement.store_id, ids), StockMovement.occurred_at < end)
                         .group_by(StockMovement.store_id)):
        out[sid]["stock_end"]["units"] = int(units or 0)

    # Write-offs by reason.
    for sid, reason, units, value in ex(
            select(WriteOff.store_id, WriteOff.reason_code, func.sum(WriteOff.qty), func.sum(WriteOff.value_fen))
            .where(_in(WriteOff.store_id, ids), WriteOff.occurred_at >= start, WriteOff.occurred_at < end)
            .group_by(WriteOff.store_id, WriteOff.reason_code)):
        w = out[sid]["write_offs"]
        w["by_reason"][reason] = {"units": int(units), "value_fen": int(value)}
        w["units"] += int(units)
        w["value_fen"] += int(value)

    # Charity projects and livestream sessions (see figures_projects for what counts in a month).
    for sid, group in figures_projects.month_projects(session, ids, start, end).items():
        out[sid]["projects"] = group

    for fig in out.values():  # a stable order, so the same month always hashes the same
        fig["goods_in"]["by_category"].sort(key=lambda r: r["code"])
        fig["aid"]["by_category"].sort(key=lambda r: r["code"])
        fig["aid"]["campaigns"].sort(key=lambda r: r["serial"])
    return out


def changed_paths(old: dict, new: dict, prefix: str = "") -> list[str]:
    """The figure paths whose values differ between two versions (`sales.by_fund.donated`)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[str] = []
        for key in sorted(set(old) | set(new)):
            out += changed_paths(old.get(key), new.get(key), f"{prefix}{key}.")
        return out
    return [] if old == new else [prefix.rstrip(".")]
