"""Cashier shifts: open with a cash float, sell, close with the takings counted by tender and a manager's
countersign. Sales need the seller's open shift.

A shift row is the first lock every till action takes (see checkout): the close flips it to closed with a
guarded UPDATE before it adds anything up, so a sale either committed before the close (and is counted) or
finds the shift closed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..auth.permissions import STORE_ROLES, Actor, get_scoped, require, scope
from ..auth.service import verify_approver
from ..errors import InvalidInput
from ..i18n import yuan
from ..inventory import service as stock
from ..models import utcnow
from ..paging import Page, keyset_page
from ..stores.models import Store
from ..uow import unit_of_work
from .errors import ApprovalRequired, NoOpenShift, ShiftAlreadyOpen, ShiftClosed
from .inputs import ShiftClose
from .models import CashMovement, Payment, Sale, Shift, ShiftCount, TillSettings
from .numbers import claim_shift_number
from .settings import TillConfig, config_of, till_config
from .tenders import MONEY_METHODS, label

MAX_FLOAT_FEN = 10_000_000
MAX_COUNTED_FEN = 100_000_000


def can_sell(actor: Actor) -> bool:
    """Cashiers and managers of a store sell at its till (each on their own shift)."""
    return actor.role in STORE_ROLES and actor.store_id is not None and actor.user_id is not None


def current_shift(session: Session, actor: Actor) -> Shift | None:
    """The actor's open shift, if any."""
    if actor.user_id is None:
        return None
    return session.scalar(select(Shift).where(Shift.open_cashier_id == actor.user_id))


def get_current_shift(session: Session, actor: Actor) -> Shift:
    shift = current_shift(session, actor)
    if shift is None:
        raise NoOpenShift(_("您还没有开班"))
    return shift


def open_shift(session: Session, actor: Actor, *, float_fen: int, now: datetime | None = None) -> Shift:
    """Open the actor's shift with a cash float. Raises ShiftAlreadyOpen."""
    require(can_sell(actor), _("只有门店收银员或店长可以开班"))
    if not isinstance(float_fen, int) or not 0 <= float_fen <= MAX_FLOAT_FEN:
        raise InvalidInput(fields={"float_fen": [_("备用金金额无效")]})
    now = now or utcnow()
    if current_shift(session, actor) is not None:
        raise ShiftAlreadyOpen(_("您已经开班，请先结班"))
    store = session.get(Store, actor.store_id)
    try:
        with unit_of_work(session):
            shift = Shift(store_id=store.id, number=claim_shift_number(session, store.id, store.code, now),
                          cashier_id=actor.user_id, open_cashier_id=actor.user_id, status="open", opened_at=now,
                          float_fen=float_fen)
            session.add(shift)
            session.flush()
            audit.record(session, actor, "sales.shift_opened", shift, {"number": shift.number,
                                                                       "float_fen": float_fen},
                         store_id=store.id, now=now)
    except IntegrityError:  # a second tap opened it meanwhile
        raise ShiftAlreadyOpen(_("您已经开班，请先结班")) from None
    return shift


_SHIFTS = Shift.__table__
# A no-op UPDATE rather than SELECT … FOR UPDATE: it locks the row on PostgreSQL and takes the write lock on
# SQLite alike. Built once: every sale runs it.
_LOCK_CASHIERS_OPEN_SHIFT = (
    update(_SHIFTS).where(_SHIFTS.c.open_cashier_id == bindparam("cashier"), _SHIFTS.c.store_id == bindparam("store"),
                          _SHIFTS.c.status == "open").values(status="open").returning(_SHIFTS.c.id))


def lock_open_shift(session: Session, actor: Actor, store_id):
    """Lock the actor's open shift for this transaction and return its id. Raises ShiftClosed."""
    row = session.connection().execute(_LOCK_CASHIERS_OPEN_SHIFT, {"cashier": actor.user_id, "store": store_id}).first()
    if row is None:
        raise ShiftClosed(_("请先开班再收银"))
    return row[0]


# What a sale needs to know of its store comes back from the same lock (the sale's first write): one round trip
# instead of four. The subqueries name the store by the bound parameter, never by the updated row's column:
# SQLite renders RETURNING columns unqualified, and `WHERE store_id = store_id` would match every store's row.
_STORES, _TILLS = Store.__table__, TillSettings.__table__
_LOCK_SHIFT_RETURNING_TILL = _LOCK_CASHIERS_OPEN_SHIFT.returning(
    select(_STORES.c.code).where(_STORES.c.id == bindparam("store")).scalar_subquery(),
    select(_TILLS.c.accepted_tenders).where(_TILLS.c.store_id == bindparam("store")).scalar_subquery(),
    select(_TILLS.c.receipt_width_mm).where(_TILLS.c.store_id == bindparam("store")).scalar_subquery(),
    stock.closed_through_of(bindparam("store")))


@dataclass(frozen=True)
class OpenTill:
    shift_id: object
    store_code: str
    config: TillConfig


def lock_till_for_sale(session: Session, actor: Actor, store_id) -> OpenTill:
    """lock_open_shift(), returning with the shift the store's code and till settings; the store's closed
    month is handed to the period guard. Raises ShiftClosed."""
    row = session.connection().execute(_LOCK_SHIFT_RETURNING_TILL,
                                       {"cashier": actor.user_id, "store": store_id}).first()
    if row is None:
        raise ShiftClosed(_("请先开班再收银"))
    shift_id, code, accepted, width, closed = row
    stock.remember_closed_through(session, store_id, closed)
    return OpenTill(shift_id, code, config_of(accepted, width))


def lock_shift(session: Session, shift_id) -> None:
    """Lock a given open shift (a void books into the shift of the sale). Raises ShiftClosed."""
    table = Shift.__table__
    row = session.execute(update(table).where(table.c.id == shift_id, table.c.status == "open")
                          .values(status="open").returning(table.c.id)).first()
    if row is None:
        raise ShiftClosed(_("该销售所在的班次已结班，只能办理退货"))


def expected_takings(session: Session, shift: Shift) -> dict[str, int]:
    """What each money tender should hold at the close: cash = float + cash taken − cash given back + paid in
    − paid out − cash refunded without receipt + change given to charity (it stays in the drawer); mobile pay
    = what was paid that way. Every tender the store accepts or that was used appears."""
    paid = dict(session.execute(
        select(Payment.method, func.sum(Payment.amount_fen)).join(Sale, Sale.id == Payment.sale_id)
        .where(Sale.shift_id == shift.id, Payment.method.in_(MONEY_METHODS)).group_by(Payment.method)).all())
    accepted = [m for m in till_config(session, shift.store_id).accepted if m in MONEY_METHODS]
    methods = [m for m in MONEY_METHODS if m in accepted or m in paid or m == "cash"]
    expected = {m: int(paid.get(m) or 0) for m in methods}
    moved = dict(session.execute(
        select(CashMovement.kind, func.sum(CashMovement.amount_fen))
        .where(CashMovement.shift_id == shift.id, CashMovement.kind.in_(("paid_in", "paid_out")))
        .group_by(CashMovement.kind)).all())
    expected["cash"] += shift.float_fen + int(moved.get("paid_in") or 0) - int(moved.get("paid_out") or 0)
    expected["cash"] -= open_refunds_fen(session, shift.id)
    from .donations import shift_donations  # donations builds on the checkout, which builds on this module

    expected["cash"] += shift_donations(session, shift.id)[1]
    return expected


def open_refunds_fen(session: Session, shift_id) -> int:
    """Cash refunded for returns without receipt in the shift (sales.returns_open)."""
    from .till_models import OpenReturn

    return int(session.scalar(select(func.coalesce(func.sum(OpenReturn.refund_fen), 0))
                              .where(OpenReturn.shift_id == shift_id)))


@dataclass(frozen=True)
class TenderCount:
    method: str
    label: str
    expected_fen: int
    counted_fen: int

    @property
    def variance_fen(self) -> int:
        return self.counted_fen - self.expected_fen


def compare_counts(expected: dict[str, int], counted: dict[str, int]) -> list[TenderCount]:
    """Expected vs counted per tender. Cash must be counted, and every tender that took money.
    Raises InvalidInput naming what is missing or out of range."""
    missing = [m for m, fen in expected.items() if m not in counted and (fen or m == "cash")]
    if missing:
        names = "、".join(label(m) for m in missing)
        raise InvalidInput(_("请填写清点金额：%(names)s", names=names),
                           fields={"counted": {m: [_("请填写清点金额")] for m in missing}})
    unknown = [m for m in counted if m not in expected]
    bad = [m for m, fen in counted.items()
           if not isinstance(fen, int) or isinstance(fen, bool) or not 0 <= fen <= MAX_COUNTED_FEN]
    if unknown or bad:
        raise InvalidInput(_("清点金额无效"), fields={"counted": {m: [_("无效")] for m in unknown + bad}})
    return [TenderCount(m, label(m), fen, counted.get(m, 0)) for m, fen in expected.items()]


def needs_reason(session: Session, shift: Shift, counts: list[TenderCount]) -> int | None:
    """The store's limit when some tender is off by more than it (either way), else None."""
    limit = till_config(session, shift.store_id).variance_limit_fen
    return limit if any(abs(c.variance_fen) > limit for c in counts) else None


def check_variance_reason(session: Session, shift: Shift, counts: list[TenderCount], note: str) -> None:
    """A close further off than the store's limit needs a reason (at least two characters). Raises InvalidInput."""
    limit = needs_reason(session, shift, counts)
    if limit is not None and len((note or "").strip()) < 2:
        message = _("差异超过 %(limit)s，请填写差异原因", limit=yuan(limit))
        raise InvalidInput(message, fields={"note": [message]})


def preview_close(session: Session, actor: Actor, counted: dict[str, int]) -> tuple[Shift, list[TenderCount]]:
    """What the close would show (expected vs counted), without writing anything."""
    shift = get_current_shift(session, actor)
    return shift, compare_counts(expected_takings(session, shift), counted)


def close_shift(session: Session, actor: Actor, close: ShiftClose, *, now: datetime | None = None) -> Shift:
    """Close the actor's shift: takings by tender, expected vs counted, variance, a manager's countersign.

    Raises NoOpenShift, ApprovalRequired, ApprovalFailed (a cashier cannot countersign, nor can the person
    closing), InvalidInput (a count missing).
    """
    now = now or utcnow()
    shift = get_current_shift(session, actor)
    from .held import check_none_parked  # held builds on this module

    check_none_parked(session, shift)
    # Fail early, before the approval (a PIN is not spent on a close that cannot happen).
    check_variance_reason(session, shift, compare_counts(expected_takings(session, shift), close.counted), close.note)
    if close.approval is None:
        raise ApprovalRequired(_("结班需要店长复核"))
    approver = verify_approver(session, shift.store_id, close.approval.username, close.approval.secret,
                               not_user_id=actor.user_id)
    table = Shift.__table__
    with unit_of_work(session):
        closed = session.execute(update(table).where(table.c.id == shift.id, table.c.status == "open").values(
            status="closed", open_cashier_id=None, closed_at=now, closed_by_id=actor.user_id,
            approver_id=approver.id, note=(close.note or "")[:200]).returning(table.c.id)).first()
        if closed is None:
            raise NoOpenShift(_("该班次已经结班"))
        # Added up after the lock: every sale of the shift has committed by now.
        counts = compare_counts(expected_takings(session, shift), close.counted)
        session.add_all(ShiftCount(shift_id=shift.id, method=c.method, expected_fen=c.expected_fen,
                                   counted_fen=c.counted_fen) for c in counts)
        audit.record(session, actor, "sales.shift_closed", shift, {
            "number": shift.number, "approver": approver.username,
            "tenders": {c.method: {"expected_fen": c.expected_fen, "counted_fen": c.counted_fen} for c in counts},
            "variance_fen": sum(c.variance_fen for c in counts)}, store_id=shift.store_id, now=now)
    session.expire(shift)
    return shift


def get_shift(session: Session, actor: Actor, shift_id) -> Shift:
    return get_scoped(session, actor, Shift, shift_id)


def shifts_page(session: Session, actor: Actor, store_id, *, after: str | None = None) -> Page:
    """The store's shifts, newest first, one page at a time: older pages follow the last shift's opening time
    (keyset), so a store's tenth year costs what its first did."""
    stmt = scope(select(Shift), actor, Shift).where(Shift.store_id == store_id) \
        .options(selectinload(Shift.counts), selectinload(Shift.cashier))
    return keyset_page(session, stmt, time_col=Shift.opened_at, id_col=Shift.id, after=after)


def _shifts_stmt(actor: Actor, store_id):
    return scope(select(Shift), actor, Shift).where(Shift.store_id == store_id) \
        .options(selectinload(Shift.counts), selectinload(Shift.cashier)) \
        .order_by(Shift.opened_at.desc())


def list_shifts(session: Session, actor: Actor, store_id, *, limit: int = 60) -> list[Shift]:
    return list(session.scalars(_shifts_stmt(actor, store_id).limit(limit)))


def iter_shifts(session: Session, actor: Actor, store_id):
    """Every shift of the store, newest first, read in batches (the list's download)."""
    yield from session.scalars(_shifts_stmt(actor, store_id).execution_options(yield_per=1000))
