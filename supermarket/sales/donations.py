"""Change for charity (消费捐赠): the customer gives their change, or rounds the total up to the next yuan, to
an open charity project of the store, of the store's district or of the city.

Why its own ledger (sales.donation_models.TillDonation) rather than an intake money donation: intake's money
donations need a second person (receiver ≠ checker) and a donation document with a money line behind each
donation-fund entry. At the till the money is the customer's own change, agreed with one tap in front of the
cashier and printed on the customer's receipt: the cashier and the receipt are the evidence, so the donation is
written by the cashier alone, in the same transaction as the sale (checkout), and it stays in the drawer.

Where it counts: the shift's expected cash (shifts.expected_takings), shown apart from the takings on the X and
Z reports; the money into the donation fund (disclosure figures, oversight facts and trends); the project's
raised figure (projects.ledger). Never in sales income: the sale's lines and payments are unchanged, only the
change handed back drops. A void or return of the sale does not undo it (the customer gave it; a mistaken gift
is corrected by the project's own expenditures, not by editing this ledger).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import audit
from ..auth.permissions import Actor
from ..errors import InvalidInput
from ..i18n import yuan
from ..projects.models import Project
from ..stores.models import Store
from .donation_models import DONATION_KINDS, TillDonation
from .inputs import DonationOffer
from .payments import Settlement

_DONATIONS = TillDonation.__table__


@dataclass(frozen=True)
class ProjectChoice:
    id: uuid.UUID
    title: str


def _refuse(field: str, message: str):
    return InvalidInput(message, fields={"donation": {field: [message]}})


def _in_scope(store: Store):
    """Projects the store's till may give to: its own, its district's, the city's."""
    return or_(Project.store_id == store.id,
               (Project.store_id.is_(None)) & (Project.district_id == store.district_id),
               (Project.store_id.is_(None)) & (Project.district_id.is_(None)))


def projects_for_till(session: Session, store_id) -> list[ProjectChoice]:
    """The open projects the store's till offers, the store's own first (the default), then the district's and
    the city's."""
    store = session.get(Store, store_id)
    rows = session.execute(select(Project.id, Project.title, Project.store_id, Project.district_id)
                           .where(_in_scope(store), Project.status == "open")
                           .order_by(Project.store_id.is_(None), Project.district_id.is_(None), Project.title)).all()
    return [ProjectChoice(r.id, r.title) for r in rows]


def check_project(session: Session, store_id, offer: DonationOffer | None) -> ProjectChoice | None:
    """The offer's project, if open and in the store's scope. Raises InvalidInput at donation.project_id (another
    district's or store's project reads as unknown: its id says nothing)."""
    if offer is None:
        return None
    if offer.kind not in DONATION_KINDS:
        raise _refuse("kind", _("捐赠方式无效"))
    if not isinstance(offer.amount_fen, int) or isinstance(offer.amount_fen, bool) or offer.amount_fen <= 0:
        raise _refuse("amount_fen", _("捐赠金额必须大于 0"))
    store = session.get(Store, store_id)
    row = session.execute(select(Project.id, Project.title, Project.status)
                          .where(Project.id == offer.project_id, _in_scope(store))).first()
    if row is None:
        raise _refuse("project_id", _("找不到该慈善项目（只能捐给本店、本区或全市的项目）"))
    if row.status != "open":
        raise _refuse("project_id", _("项目“%(title)s”未在进行中，不能接受捐赠", title=row.title))
    return ProjectChoice(row.id, row.title)


def round_up_of(money_total: int) -> int:
    """What rounds the total up to the next whole yuan (0 when it is whole already)."""
    return -money_total % 100


def apply(offer: DonationOffer | None, money_total: int, settlement: Settlement) -> Settlement:
    """The settlement with the donated amount taken out of the change handed back.

    The amount must be exactly the change (kind "change") or exactly the round-up to the next yuan (kind
    "round_up"), and the cash given must cover it. Cash only: a mobile payment gives no change to donate.
    Raises InvalidInput at donation.amount_fen.
    """
    if offer is None:
        return settlement
    change = settlement.change_fen
    if change <= 0:
        raise _refuse("amount_fen", _("没有找零可以捐赠（只能捐现金找零）"))
    if offer.kind == "change" and offer.amount_fen != change:
        raise _refuse("amount_fen", _("捐赠金额 %(amount)s 与找零 %(change)s 不符",
                                      amount=yuan(offer.amount_fen), change=yuan(change)))
    if offer.kind == "round_up":
        wanted = round_up_of(money_total)
        if wanted == 0 or offer.amount_fen != wanted:
            raise _refuse("amount_fen", _("凑整捐赠应为 %(wanted)s，而不是 %(amount)s",
                                          wanted=yuan(wanted), amount=yuan(offer.amount_fen)))
        if offer.amount_fen > change:
            raise _refuse("amount_fen", _("收到的现金不够凑整捐赠"))
    return replace(settlement, change_fen=change - offer.amount_fen)


def row(offer: DonationOffer, project: ProjectChoice, *, store_id, shift_id, sale_id, cashier_id,
        now: datetime) -> dict:
    return {"id": uuid.uuid4(), "store_id": store_id, "sale_id": sale_id, "shift_id": shift_id,
            "project_id": project.id, "cashier_id": cashier_id, "kind": offer.kind, "method": "cash",
            "amount_fen": offer.amount_fen, "project_title": project.title[:100], "donated_at": now,
            "created_at": now}


def record_event(session: Session, actor: Actor, sale, donation: TillDonation, now: datetime) -> None:
    audit.record(session, actor, "sales.change_donated", donation,
                 {"number": sale.number, "amount_fen": donation.amount_fen, "project": donation.project_title,
                  "kind": donation.kind}, store_id=sale.store_id, now=now)


def shift_donations(session: Session, shift_id) -> tuple[int, int]:
    """(how many, how much) change was given to charity at the till in the shift (it stays in the drawer)."""
    n, fen = session.execute(select(func.count(), func.coalesce(func.sum(_DONATIONS.c.amount_fen), 0))
                             .where(_DONATIONS.c.shift_id == shift_id)).one()
    return int(n), int(fen)
