"""What a project raised and spent, read from the ledgers with set-based queries (any number of projects at
once), and the ledger itself for one project's page.

Raised = money-donation lines designated to it + change given to it at the till (sales.donations) + till
sales made in a session's till mode (with the voids and returns of those sales) + platform orders imported for
its sessions + each store setting's share of a category's sales. Spent = its expenditures. Balance = raised - spent. Nothing here is a stored total.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.orm import Session

from ..catalog.models import Item
from ..intake.models import Donation
from ..sales.donation_models import TillDonation
from ..sales.models import Sale, SaleLine
from .models import Advance, CategoryShare, Designation, Expenditure, LiveOrder, LiveSession, TillMode

_SALES, _LINES, _ITEMS = Sale.__table__, SaleLine.__table__, Item.__table__
_MODES, _SESSIONS, _ORDERS = TillMode.__table__, LiveSession.__table__, LiveOrder.__table__
_SHARES, _DESIG, _EXP, _ADV = CategoryShare.__table__, Designation.__table__, Expenditure.__table__, Advance.__table__
_TILL_GIFTS = TillDonation.__table__


@dataclass(frozen=True)
class Figures:
    raised_fen: int = 0
    spent_fen: int = 0
    advances_fen: int = 0

    @property
    def balance_fen(self) -> int:
        return self.raised_fen - self.spent_fen

    @property
    def headroom_fen(self) -> int:
        """What may still be spent: the balance plus the approved advances."""
        return self.balance_fen + self.advances_fen


@dataclass(frozen=True)
class LedgerRow:
    at: datetime | date
    kind: str           # donation, till_donation, till_sale, order, category_share, expenditure
    reference: str
    amount_fen: int     # positive raised, negative spent


def tagged_documents(session_ids=None, project_ids=None):
    """(doc_id, session_id, project_id, total_fen, sold_at) of the till's sale documents that belong to a
    session: sales sold on a shift while it was in the session's mode, and every void or return of them."""
    original = _SALES.alias("orig")
    tagged = (select(original.c.id.label("sale_id"), _SESSIONS.c.id.label("session_id"),
                     _SESSIONS.c.project_id)
              .join(_MODES, and_(_MODES.c.shift_id == original.c.shift_id, original.c.sold_at >= _MODES.c.started_at,
                                 or_(_MODES.c.ended_at.is_(None), original.c.sold_at < _MODES.c.ended_at)))
              .join(_SESSIONS, _SESSIONS.c.id == _MODES.c.session_id)
              .where(original.c.kind == "sale"))
    if session_ids is not None:
        tagged = tagged.where(_SESSIONS.c.id.in_(session_ids))
    if project_ids is not None:
        tagged = tagged.where(_SESSIONS.c.project_id.in_(project_ids))
    t = tagged.subquery("tagged")
    doc = _SALES.alias("doc")
    cols = (doc.c.id, t.c.session_id, t.c.project_id, doc.c.total_fen, doc.c.sold_at, doc.c.number, doc.c.kind)
    return union_all(select(*cols).join(t, t.c.sale_id == doc.c.id),
                     select(*cols).join(t, t.c.sale_id == doc.c.reverses_id)).subquery("tagged_docs")


def _share_sums(session: Session, project_ids):
    """[(share row, sum of its line totals)]: a sale (or its void or return, dated by the original sale) counts
    for a share when its store and its item's category match and it was sold while the share was in force."""
    doc, original = _SALES.alias("d"), _SALES.alias("o")
    sold_at = func.coalesce(original.c.sold_at, doc.c.sold_at)
    stmt = (select(_SHARES.c.id, _SHARES.c.project_id, _SHARES.c.share_bp, _SHARES.c.starts_at,
                   func.coalesce(func.sum(_LINES.c.line_total_fen), 0))
            .select_from(_SHARES)
            .join(doc, doc.c.store_id == _SHARES.c.store_id)
            .outerjoin(original, original.c.id == doc.c.reverses_id)
            .join(_LINES, _LINES.c.sale_id == doc.c.id)
            .join(_ITEMS, and_(_ITEMS.c.id == _LINES.c.item_id, _ITEMS.c.category_id == _SHARES.c.category_id))
            .where(_SHARES.c.project_id.in_(project_ids), sold_at >= _SHARES.c.starts_at,
                   or_(_SHARES.c.ends_at.is_(None), sold_at < _SHARES.c.ends_at))
            .group_by(_SHARES.c.id, _SHARES.c.project_id, _SHARES.c.share_bp, _SHARES.c.starts_at))
    return session.execute(stmt).all()


def share_of(total_fen: int, share_bp: int) -> int:
    """The project's part of a category's sales, rounded towards zero to the fen (never more than its share)."""
    part = abs(total_fen) * share_bp // 10000
    return part if total_fen >= 0 else -part


def figures(session: Session, project_ids) -> dict[uuid.UUID, Figures]:
    """Raised, spent and advances of each project, in a fixed number of queries whatever the count."""
    ids = list(project_ids)
    if not ids:
        return {}
    raised: dict = defaultdict(int)
    spent: dict = defaultdict(int)
    advances: dict = defaultdict(int)
    # Designated money lines and the change given at the till, in one statement.
    gifts = union_all(select(_DESIG.c.project_id, _DESIG.c.amount_fen).where(_DESIG.c.project_id.in_(ids)),
                      select(_TILL_GIFTS.c.project_id, _TILL_GIFTS.c.amount_fen)
                      .where(_TILL_GIFTS.c.project_id.in_(ids))).subquery("gifts")
    donations = select(gifts.c.project_id, func.sum(gifts.c.amount_fen)).group_by(gifts.c.project_id)
    t = tagged_documents(project_ids=ids)
    till = select(t.c.project_id, func.sum(t.c.total_fen)).group_by(t.c.project_id)
    orders = (select(_SESSIONS.c.project_id, func.sum(_ORDERS.c.amount_fen))
              .join(_SESSIONS, _SESSIONS.c.id == _ORDERS.c.session_id)
              .where(_SESSIONS.c.project_id.in_(ids), _ORDERS.c.counted.is_(True)).group_by(_SESSIONS.c.project_id))
    for stmt in (donations, till, orders):
        for pid, amount in session.execute(stmt):
            raised[pid] += int(amount or 0)
    for _id, pid, bp, _start, total in _share_sums(session, ids):
        raised[pid] += share_of(int(total), bp)
    for pid, amount in session.execute(select(_EXP.c.project_id, func.sum(_EXP.c.amount_fen))
                                       .where(_EXP.c.project_id.in_(ids)).group_by(_EXP.c.project_id)):
        spent[pid] += int(amount or 0)
    for pid, amount in session.execute(select(_ADV.c.project_id, func.sum(_ADV.c.amount_fen))
                                       .where(_ADV.c.project_id.in_(ids)).group_by(_ADV.c.project_id)):
        advances[pid] += int(amount or 0)
    return {pid: Figures(raised[pid], spent[pid], advances[pid]) for pid in ids}


def ledger(session: Session, project_id) -> list[LedgerRow]:
    """Every row that moves the project's money, oldest first: the figures are their sums."""
    rows: list[LedgerRow] = []
    for at, serial, amount in session.execute(
            select(_DESIG.c.designated_at, Donation.serial, _DESIG.c.amount_fen)
            .join(Donation, Donation.id == _DESIG.c.donation_id).where(_DESIG.c.project_id == project_id)):
        rows.append(LedgerRow(at, "donation", serial, amount))
    for at, number, amount in session.execute(
            select(_TILL_GIFTS.c.donated_at, Sale.number, _TILL_GIFTS.c.amount_fen)
            .join(Sale, Sale.id == _TILL_GIFTS.c.sale_id).where(_TILL_GIFTS.c.project_id == project_id)):
        rows.append(LedgerRow(at, "till_donation", number, amount))
    t = tagged_documents(project_ids=[project_id])
    for at, number, amount in session.execute(select(t.c.sold_at, t.c.number, t.c.total_fen)):
        rows.append(LedgerRow(at, "till_sale", number, amount))
    for at, order_no, amount in session.execute(
            select(_ORDERS.c.ordered_at, _ORDERS.c.order_no, _ORDERS.c.amount_fen)
            .join(_SESSIONS, _SESSIONS.c.id == _ORDERS.c.session_id)
            .where(_SESSIONS.c.project_id == project_id, _ORDERS.c.counted.is_(True))):
        rows.append(LedgerRow(at, "order", order_no, amount))
    for _id, _pid, bp, start, total in _share_sums(session, [project_id]):
        rows.append(LedgerRow(start, "category_share", f"{bp / 100:g}%", share_of(int(total), bp)))
    for at, payee, amount in session.execute(
            select(_EXP.c.created_at, _EXP.c.payee, _EXP.c.amount_fen).where(_EXP.c.project_id == project_id)):
        rows.append(LedgerRow(at, "expenditure", payee, -amount))
    return sorted(rows, key=lambda r: _sort_key(r.at))


def _sort_key(at):
    return at.isoformat() if isinstance(at, (datetime, date)) else str(at)


def session_recorded(session: Session, session_ids) -> dict[uuid.UUID, tuple[int, int]]:
    """Per session: (till sales tagged to it, counted platform orders), in fen."""
    ids = list(session_ids)
    out: dict = {sid: [0, 0] for sid in ids}
    if not ids:
        return {}
    t = tagged_documents(session_ids=ids)
    for sid, amount in session.execute(select(t.c.session_id, func.sum(t.c.total_fen)).group_by(t.c.session_id)):
        out[sid][0] = int(amount or 0)
    for sid, amount in session.execute(select(_ORDERS.c.session_id, func.sum(_ORDERS.c.amount_fen))
                                       .where(_ORDERS.c.session_id.in_(ids), _ORDERS.c.counted.is_(True))
                                       .group_by(_ORDERS.c.session_id)):
        out[sid][1] = int(amount or 0)
    return {sid: (v[0], v[1]) for sid, v in out.items()}

