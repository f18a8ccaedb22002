"""Where did my donation go (捐赠去向): the unguessable token on a receipt's QR code and the page it opens.

The page shows, per donated line, what became of the goods — still on the shelf, sold (date, price, fund), handed
out as aid (date and the household's category only), transferred to another store, written off (reason) — and for
money, the fund it went into and the projects it was designated to, with their spending and balance. Never a buyer, a household, a
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
from sqlalchemy.orm import Session, joinedload, selectinload

from .. import audit
from ..aid.models import AidCategory, Distribution
from ..auth.permissions import Actor, is_manager_of, require
from ..clock import local_date
from ..errors import NotFound
from ..intake.models import Donation, DonationLine
from ..inventory.models import LotBalance, StockMovement, Transfer, WriteOff
from ..projects import ledger
from ..projects.models import Designation, Expenditure, Project, Voucher
from ..sales.models import SaleLine
from ..settings import setting
from ..uow import unit_of_work
from .errors import NoLiveToken
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
    require(is_manager_of(actor, donation.store_id), _("只有本店店长可以作废或重新生成去向码"))
    with unit_of_work(session, expire=False):
        revoked = session.execute(update(TraceToken).where(TraceToken.donation_id == donation.id,
                                                           TraceToken.revoked_at.is_(None))
                                  .values(revoked_at=now, revoked_by_name=actor.username)).rowcount
        if revoke_only and not revoked:  # nothing to revoke (already revoked, or a second click)
            raise NoLiveToken(_("该捐赠没有有效的去向码"))
        tok = None
        if not revoke_only:
            tok = TraceToken(store_id=donation.store_id, donation_id=donation.id, token=_new_token(), created_at=now)
            session.add(tok)
        audit.record(session, actor, "disclosure.trace_token_revoked" if revoke_only else
                     "disclosure.trace_token_reissued", donation, {"serial": donation.serial},
                     store_id=donation.store_id, now=now)
    return tok


@dataclass(frozen=True)
class TokenPanel:
    """What the intake donation page shows of the donation's token: for every staff member who sees the
    donation, whether a live code exists; for the store's manager, the buttons (and the page's address)."""
    live: bool
    issued_at: datetime | None
    revoked: int
    can_manage: bool
    public_url: str


def token_panel(session: Session, actor: Actor, donation: Donation) -> TokenPanel:
    """For intake's donation page (named in wiring.DONATION_TRACE_PANEL)."""
    rows = list(session.scalars(select(TraceToken).where(TraceToken.donation_id == donation.id)
                                .order_by(TraceToken.created_at.desc())))
    live = next((t for t in rows if t.revoked_at is None), None)
    can = is_manager_of(actor, donation.store_id)
    return TokenPanel(live is not None, live.created_at if live else None,
                      sum(1 for t in rows if t.revoked_at is not None), can,
                      trace_url(live.token) if (live and can) else "")


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
    # A weighed line (intake.models.DonationLine): qty is 1 and its fates move grams, shown as kg.
    weight_g: int | None = None


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
    projects: list         # [TraceProject]: the projects the money was designated to


@dataclass
class TraceSpend:
    on: date
    purpose: str
    amount_fen: int
    voucher_sha256: str    # "" when no voucher was filed


@dataclass
class TraceProject:
    """A project some of the donation's money was designated to: how much, and what the project did with its
    money (every project's money is pooled: a donor sees all its spending, each with its voucher's digest)."""
    title: str
    status: str
    designated_fen: int
    raised_fen: int
    spent_fen: int
    balance_fen: int
    spends: list = field(default_factory=list)


def _uuid(value: str):
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError):
        return None


def trace(session: Session, token: str) -> TraceView | None:
    """The trace page behind a token; None for a token that does not exist or was revoked (the page then answers a
    plain 404 that says nothing about which). A fixed number of queries whatever the number of lines."""
    if not token or len(token) > 64:
        return None
    tok = session.scalar(select(TraceToken).where(TraceToken.token == token))
    if tok is None or tok.revoked_at is not None:
        return None
    donation = session.scalar(select(Donation).where(Donation.id == tok.donation_id)
                              .options(joinedload(Donation.store), joinedload(Donation.donor),
                                       selectinload(Donation.lines).joinedload(DonationLine.item),
                                       selectinload(Donation.money_lines)))
    donor = donation.donor
    public_name = donor.name if (donor is not None and donor.publish_name and not donation.anonymous) else _("匿名")
    money = [(str(METHOD_LABELS.get(m.method, m.method)), m.amount_fen) for m in donation.money_lines]
    return TraceView(donation.store.name, donation.store.code, donation.serial, local_date(donation.received_at),
                     public_name, _lines(session, donation.lines), money, _("捐赠资金（与销售收入分账管理）"),
                     _projects(session, donation.id))


SPENDS_SHOWN = 50


def _projects(session: Session, donation_id) -> list[TraceProject]:
    """The projects the donation's money lines were designated to, with their spending: three queries. The
    payee, who entered and who approved are not shown (a payee may be a person)."""
    designated: dict = {}
    for pid, amount in session.execute(select(Designation.project_id, Designation.amount_fen)
                                       .where(Designation.donation_id == donation_id)):
        designated[pid] = designated.get(pid, 0) + amount
    if not designated:
        return []
    projects = list(session.scalars(select(Project).where(Project.id.in_(list(designated)))
                                    .order_by(Project.title, Project.id)))
    money = ledger.figures(session, [p.id for p in projects])
    spends: dict = {}
    for e, sha in session.execute(select(Expenditure, Voucher.sha256)
                                  .outerjoin(Voucher, Voucher.id == Expenditure.voucher_id)
                                  .where(Expenditure.project_id.in_(list(designated)))
                                  .order_by(Expenditure.spent_on.desc(), Expenditure.created_at.desc())):
        shown = spends.setdefault(e.project_id, [])
        if len(shown) < SPENDS_SHOWN:
            shown.append(TraceSpend(e.spent_on, e.purpose, e.amount_fen, sha or ""))
    return [TraceProject(p.title, p.status, designated[p.id], money[p.id].raised_fen, money[p.id].spent_fen,
                         money[p.id].balance_fen, spends.get(p.id, [])) for p in projects]


def _by_id(session: Session, model, ids) -> dict:
    ids = {i for i in ids if i is not None}
    return {r.id: r for r in session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}


def _lines(session: Session, lines) -> list[LineTrace]:
    intakes = _by_id(session, StockMovement, [ln.movement_id for ln in lines])
    lots = {intakes[ln.movement_id].lot_id for ln in lines if ln.movement_id in intakes}
    moves = list(session.scalars(select(StockMovement).where(StockMovement.lot_id.in_(lots),
                                                             StockMovement.id.notin_(list(intakes)))
                                 .order_by(StockMovement.occurred_at))) if lots else []
    ids = {kind: {_uuid(m.doc_id) for m in moves if m.doc_type == kind} - {None}
           for kind in ("sale", "distribution", "write_off", "transfer")}
    sale_lines = {}
    if ids["sale"]:
        for sl in session.scalars(select(SaleLine).where(SaleLine.sale_id.in_(ids["sale"]))):
            sale_lines.setdefault((sl.sale_id, sl.item_id), sl)
    dists = _by_id(session, Distribution, ids["distribution"])
    cats = dict(session.execute(select(AidCategory.code, AidCategory.name)).all()) if dists else {}
    wos = _by_id(session, WriteOff, ids["write_off"])
    transfers = ({t.id: t for t in session.scalars(select(Transfer).where(Transfer.id.in_(ids["transfer"]))
                                                   .options(joinedload(Transfer.to_store)))}
                 if ids["transfer"] else {})
    shelf = dict(session.execute(select(LotBalance.lot_id, LotBalance.qty).where(LotBalance.lot_id.in_(lots))).all()) \
        if lots else {}
    by_lot: dict = {}
    for m in moves:
        by_lot.setdefault(m.lot_id, []).append(m)
    out = []
    for line in lines:
        intake = intakes.get(line.movement_id)
        lt = LineTrace(line.item.name, line.qty, line.unit, line.line_value_fen, line.value_unknown,
                       weight_g=line.weight_g)
        lot = intake.lot_id if intake else None
        for m in by_lot.get(lot, []):
            lt.fates.append(_fate(m, sale_lines, dists, cats, wos, transfers))
        if shelf.get(lot):
            lt.fates.insert(0, Fate("on_shelf", shelf[lot]))
        out.append(_merged(lt))
    return out


def _fate(m, sale_lines, dists, cats, wos, transfers) -> Fate:
    doc = _uuid(m.doc_id)
    on = local_date(m.occurred_at)
    if m.kind == "sale":
        sl = sale_lines.get((doc, m.item_id))
        detail = ""
        if sl is not None:
            detail = (_("积分兑换") if sl.pay_with_points else
                      _("售价 %(p)s · 计入%(f)s", p=_yuan(sl.unit_price_fen), f=FUND_TEXT.get(sl.fund, sl.fund)))
        return Fate("sold", -m.qty, on, detail)
    if m.kind == "sale_reversal":
        return Fate("returned", m.qty, on)
    if m.kind == "aid_distribution":
        d = dists.get(doc)
        cat = cats.get(d.category_code, d.category_code) if d else ""
        return Fate("aid", -m.qty, on, _("发放给%(c)s家庭", c=cat) if cat else "")
    if m.kind == "aid_reversal":
        return Fate("aid_returned", m.qty, on)
    if m.kind == "write_off":
        w = wos.get(doc)
        return Fate("written_off", -m.qty, on,
                    _("原因：%(r)s", r=REASON_LABELS.get(w.reason_code, w.reason_code)) if w else "")
    if m.kind == "transfer_out":
        t = transfers.get(doc)
        return Fate("transferred", -m.qty, on, _("调往 %(s)s", s=t.to_store.name) if t else "")
    if m.kind == "points_redemption":
        return Fate("points", -m.qty, on)
    if m.kind == "stocktake_adjustment":
        return Fate("adjusted", m.qty, on)
    return Fate("other", m.qty, on)


def _merged(lt: LineTrace) -> LineTrace:
    """Same fate, same day, same detail: one row with the quantities added (a lot sold over many receipts)."""
    rows: dict = {}
    for f in lt.fates:
        key = (f.kind, f.on, f.detail)
        if key in rows:
            rows[key].qty += f.qty
        else:
            rows[key] = Fate(f.kind, f.qty, f.on, f.detail)
    lt.fates = list(rows.values())
    return lt


def _yuan(fen: int) -> str:
    from ..i18n import yuan
    return yuan(fen)
