"""The monthly intake report per store (count, value by category, money by method) and the store home figures.

Everything is one SQL aggregate per table; the donation fund is read from its own ledger, never from sales.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..auth.permissions import Actor
from ..catalog.models import Category
from ..clock import month_bounds_utc
from ..i18n import yuan
from ..stores.models import Store
from ..stores.service import Figure, get_store
from .models import Donation, DonationFundEntry, DonationLine



@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    lines: int
    units: int
    value_fen: int
    unvalued_lines: int
    weight_g: int = 0  # grams of the category's weighed lines (each of which counts as one unit)


@dataclass(frozen=True)
class MethodRow:
    method: str
    count: int
    amount_fen: int


@dataclass(frozen=True)
class IntakeReport:
    store: Store
    month: date
    donations: int
    anonymous: int
    goods_value_fen: int
    money_fen: int
    units: int
    near_expiry_lines: int
    unvalued_lines: int
    by_category: list[CategoryRow]
    by_method: list[MethodRow]

    @property
    def total_fen(self) -> int:
        return self.goods_value_fen + self.money_fen


def monthly_report(session: Session, actor: Actor, store_id, month: date) -> IntakeReport:
    """What one store took in during one month. NotFound for a store the actor may not see."""
    store = get_store(session, actor, store_id)
    start, end = month_bounds_utc(month)
    in_month = (Donation.store_id == store.id, Donation.received_at >= start, Donation.received_at < end)
    totals = session.execute(select(
        func.count(Donation.id), func.coalesce(func.sum(case((Donation.anonymous.is_(True), 1), else_=0)), 0),
        func.coalesce(func.sum(Donation.goods_value_fen), 0), func.coalesce(func.sum(Donation.money_fen), 0),
        func.coalesce(func.sum(Donation.unit_count), 0)).where(*in_month)).one()
    category_rows = session.execute(
        select(Category.code, Category.name, func.count(DonationLine.id), func.sum(DonationLine.qty),
               func.sum(DonationLine.line_value_fen),
               func.sum(case((DonationLine.value_unknown.is_(True), 1), else_=0)),
               func.sum(case((DonationLine.near_expiry.is_(True), 1), else_=0)),
               func.coalesce(func.sum(DonationLine.weight_g), 0))
        .join(Donation, Donation.id == DonationLine.donation_id)
        .join(Category, Category.id == DonationLine.category_id)
        .where(*in_month).group_by(Category.code, Category.name).order_by(Category.code)).all()
    method_rows = session.execute(
        select(DonationFundEntry.method, func.count(DonationFundEntry.id), func.sum(DonationFundEntry.amount_fen))
        .where(DonationFundEntry.store_id == store.id, DonationFundEntry.occurred_at >= start,
               DonationFundEntry.occurred_at < end)
        .group_by(DonationFundEntry.method).order_by(DonationFundEntry.method)).all()
    return IntakeReport(
        store=store, month=month.replace(day=1), donations=totals[0], anonymous=int(totals[1]),
        goods_value_fen=int(totals[2]), money_fen=int(totals[3]), units=int(totals[4]),
        near_expiry_lines=sum(int(r[6]) for r in category_rows),
        unvalued_lines=sum(int(r[5]) for r in category_rows),
        by_category=[CategoryRow(r[0], r[1], r[2], int(r[3]), int(r[4]), int(r[5]), int(r[7])) for r in category_rows],
        by_method=[MethodRow(r[0], r[1], int(r[2])) for r in method_rows])


def home_figures(session: Session, store_id, start: datetime, end: datetime) -> list[Figure]:
    """Today's donations at a store, for its home page (wiring.HOME_FIGURES)."""
    count, value = session.execute(
        select(func.count(Donation.id), func.coalesce(func.sum(Donation.total_value_fen), 0))
        .where(Donation.store_id == store_id, Donation.received_at >= start, Donation.received_at < end)).one()
    return [Figure(_("今日接收捐赠"), _("%(n)d 笔", n=count)), Figure(_("今日捐赠价值"), yuan(int(value)))]
