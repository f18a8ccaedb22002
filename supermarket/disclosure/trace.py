"""Where did my donation go (捐赠去向): the unguessable token on a receipt's QR code and the page it opens.

The page shows, per donated line, what became of the goods — still on the shelf, sold (date, price, fund), handed
out as aid (date and the household's category only), transferred to another store, written off (reason) — and for
money, the fund it went into and the projects it paid for (once projects exist). Never a buyer, a household, a
person or a staff member: the queries below read no such column.
"""
from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import audit
from ..aid.models import AidCategory, Distribution
from ..auth.permissions import Actor, is_manager_of, is_store_staff, require
from ..clock import local_date
from ..errors import NotFound
from ..intake.models import Donation, DonationLine
from ..inventory.models import LotBalance, StockMovement, Transfer, WriteOff
from ..sales.models import Sale, SaleLine
from ..settings import setting
from ..uow import unit_of_work
from .models import TraceToken
from .present import METHOD_LABELS, REASON_LABELS

FATE_LABELS = {
    "on_shelf": _l("在架待售"), "sold": _l("已义卖"), "returned": _l("退回货架"), "aid": _l("已作为救助物资发放"),
    "aid_returned": _l("救助发放冲销"), "transferred": _l("调往其他门店"), "written_off": _l("已报损"),
    "points": _l("已用于志愿积分兑换"), "adjusted": _l("盘点调整"), "other": _l("其他变动"),
}
FUND_TEXT = {"donated": _l("捐赠物资义卖收入"), "purchased": _l("自购商品销售收入")}


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def live_token(session: Session, donation_id) -> TraceToken | None:
    return session.scalar(select(TraceToken).where(TraceToken.donation_id == donation_id,
                                                   TraceToken.revoked_at.is_(None))
                          .order_by(TraceToken.created_at.desc()).limit(1))


def ensure_token(session: Session, actor: Actor, donation: Donation, *, now: datetime) -> TraceToken:
    """The donation's live token, made (and audited) on first use: the receipt's QR code carries it."""
    tok = live_token(session, donation.id)
    if tok is not None:
        return tok
    with unit_of_work(session, expire=False):
        tok = TraceToken(store_id=donation.store_id, donation_id=donation.id, token=_new_token(), created_at=now)
        session.add(tok)
        audit.record(session, actor, "disclosure.trace_token_issued", donation, {"serial": donation.serial},
                     store_id=donation.store_id, now=now)
    return tok


def trace_url(token: str) -> str:
    """The public address of a token's page (`PUBLIC_BASE_URL`, the site as the public reaches it)."""
    base = str(setting("PUBLIC_BASE_URL", "") or "http://127.0.0.1:5000").rstrip("/")
    return f"{base}/public/trace/{token}"


def receipt_trace_url(session: Session, actor: Actor, donation: Donation, *, now: datetime) -> str:
    """For intake's receipt (named in wiring.RECEIPT_TRACE_URL): the URL its QR code carries."""
    return trace_url(ensure_token(session, actor, donation, now=now).token)


def reissue(session: Session, actor: Actor, donation_id, *, now: datetime, revoke_only: bool = False) -> TraceToken | None:
    """The store revokes the donation's token (a lost receipt) and, unless `revoke_only`, issues a new one.
    The old link then answers a plain 404."""
    donation = session.get(Donation, donation_id) if donation_id else None
    if donation is None or not actor.can_see_store(donation.store_id):
        raise NotFound(_("找不到该捐赠"))
    require(is_manager_of(actor, donation.store_id) or is_store_staff(actor, donation.store_id),
            _("只有本店员工可以重新生成去向码"))
    with unit_of_work(session, expire=False):
        session.execute(update(TraceToken).where(TraceToken.donation_id == donation.id,
                                                 TraceToken.revoked_at.is_(None))
                        .values(revoked_at=now, revoked_by_name=actor.username))
        tok = None
        if not revoke_only:
            tok = TraceToken(store_id=donation.store_id, donation_id=donation.id, token=_new_token(), created_at=now)
            session.add(tok)
        audit.record(session, actor, "disclosure.trace_token_revoked" if revoke_only else
                     "disclosure.trace_token_reissued", donation, {"serial": donation.serial},
                     store_id=donation.store_id, now=now)
    return tok


@dataclass
class Fate:
    kind: str
    qty: int
    on: date | None = None
    detail: str = ""

    @property
    def label(self) -> str:
        return str(FATE_LABELS[self.kind])


@dataclass
class LineTrace:
    name: str
    qty: int
    unit: str
    value_fen: int
    value_unknown: bool
    fates: list = field(default_factory=list)


@dataclass
class TraceView:
    store_name: str
    store_code: str
    serial: str
    donated_on: date
    donor: str
    lines: list
    money: list          # [(method label, amount_fen)]
    money_fund: str
    projects: list | None  # seam: the projects the money went to, once projects exist


def _uuid(value: str):
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError):
        return None


def trace(session: Session, token: str) -> TraceView | None:
    """The trace page behind a token; None for a token that does not exist or was revoked (the page then answers a
    plain 404 that says nothing about which)."""
    if not token or len(token) > 64:
        return None
    tok = session.scalar(select(TraceToken).where(TraceToken.token == token))
    if tok is None or tok.revoked_at is not None:
        return None
    donation = session.get(Donation, tok.donation_id)
    donor = donation.donor
    public_name = donor.name if (donor is not None and donor.publish_name and not donation.anonymous) else _("匿名")
    lines = [_line_trace(session, line) for line in donation.lines]
    money = [(str(METHOD_LABELS.get(m.method, m.method)), m.amount_fen) for m in donation.money_lines]
    return TraceView(donation.store.name, donation.store.code, donation.serial, local_date(donation.received_at),
                     public_name, lines, money, _("捐赠资金（与销售收入分账管理）"), None)


def _line_trace(session: Session, line: DonationLine) -> LineTrace:
    intake = session.get(StockMovement, line.movement_id)
    out = LineTrace(line.item.name, line.qty, line.unit, line.line_value_fen, line.value_unknown)
    moves = list(session.scalars(select(StockMovement).where(StockMovement.lot_id == intake.lot_id,
                                                             StockMovement.id != intake.id)
                                 .order_by(StockMovement.occurred_at)))
    ids = {kind: {_uuid(m.doc_id) for m in moves if m.doc_type == kind} - {None}
           for kind in ("sale", "distribution", "write_off", "transfer")}
    sales = {s.id: s for s in session.scalars(select(Sale).where(Sale.id.in_(ids["sale"])))} if ids["sale"] else {}
    sale_lines = {}
    if sales:
        for sl in session.scalars(select(SaleLine).where(SaleLine.sale_id.in_(list(sales)),
                                                         SaleLine.item_id == line.item_id)):
            sale_lines.setdefault(sl.sale_id, sl)
    dists = ({d.id: d for d in session.scalars(select(Distribution).where(Distribution.id.in_(ids["distribution"])))}
             if ids["distribution"] else {})
    cats = dict(session.execute(select(AidCategory.code, AidCategory.name)).all()) if dists else {}
    wos = ({w.id: w for w in session.scalars(select(WriteOff).where(WriteOff.id.in_(ids["write_off"])))}
           if ids["write_off"] else {})
    transfers = ({t.id: t for t in session.scalars(select(Transfer).where(Transfer.id.in_(ids["transfer"])))}
                 if ids["transfer"] else {})
    for m in moves:
        doc = _uuid(m.doc_id)
        on = local_date(m.occurred_at)
        if m.kind == "sale":
            sl = sale_lines.get(doc)
            detail = ""
            if sl is not None:
                detail = (_("积分兑换") if sl.pay_with_points else
                          _("售价 %(p)s · 计入%(f)s", p=_yuan(sl.unit_price_fen), f=FUND_TEXT.get(sl.fund, sl.fund)))
            out.fates.append(Fate("sold", -m.qty, on, detail))
        elif m.kind == "sale_reversal":
            out.fates.append(Fate("returned", m.qty, on))
        elif m.kind == "aid_distribution":
            d = dists.get(doc)
            cat = cats.get(d.category_code, d.category_code) if d else ""
            out.fates.append(Fate("aid", -m.qty, on, _("发放给%(c)s家庭", c=cat) if cat else ""))
        elif m.kind == "aid_reversal":
            out.fates.append(Fate("aid_returned", m.qty, on))
        elif m.kind == "write_off":
            w = wos.get(doc)
            out.fates.append(Fate("written_off", -m.qty, on,
                                  _("原因：%(r)s", r=REASON_LABELS.get(w.reason_code, w.reason_code)) if w else ""))
        elif m.kind == "transfer_out":
            t = transfers.get(doc)
            out.fates.append(Fate("transferred", -m.qty, on, _("调往 %(s)s", s=t.to_store.name) if t else ""))
        elif m.kind == "points_redemption":
            out.fates.append(Fate("points", -m.qty, on))
        elif m.kind == "stocktake_adjustment":
            out.fates.append(Fate("adjusted", m.qty, on))
        else:
            out.fates.append(Fate("other", m.qty, on))
    shelf = session.scalar(select(LotBalance.qty).where(LotBalance.lot_id == intake.lot_id)) or 0
    if shelf:
        out.fates.insert(0, Fate("on_shelf", shelf))
    return out


def _yuan(fen: int) -> str:
    from ..i18n import yuan
    return yuan(fen)
